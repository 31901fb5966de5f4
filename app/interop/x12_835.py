"""The 835 remittance advice (ERA) as plain data, read from X12 5010 005010X221A1.

A payer's 835 says what it paid on each claim and line, and why the rest was not paid:
CAS adjustment groups (CO contractual, PR patient responsibility, OA other, PI payer
initiated) with CARC reason codes, RARC remark codes, and PLB provider-level adjustments.
`read_835` never raises for content problems (unbalanced amounts, bad dates): it lists
them in `Remittance.problems` so the biller sees them; it raises ValueError only when the
file is not an 835 at all. Amounts are integer cents (negative on reversals)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation

from app.interop.claim_document import Address, Adjustment
from app.interop.money_text import dollars
from app.interop.x12_common import parse_amount, parse_date
from app.interop.x12_read import Segment, TransactionSet, sets_of_kind, split_at

# CLP02 claim status codes (005010X221A1, loop 2100).
CLAIM_STATUSES = {
    "1": "processed as primary",
    "2": "processed as secondary",
    "3": "processed as tertiary",
    "4": "denied",
    "19": "processed as primary, forwarded to another payer",
    "20": "processed as secondary, forwarded to another payer",
    "21": "processed as tertiary, forwarded to another payer",
    "22": "reversal of a previous payment",
    "23": "not this payer's claim, forwarded to another payer",
    "25": "priced only, no payment",
}
DENIED = "4"
REVERSAL = "22"

# BPR04 payment method codes.
PAYMENT_METHODS = {
    "ACH": "electronic funds transfer",
    "BOP": "financial institution option",
    "CHK": "check",
    "FWT": "wire transfer",
    "NON": "no payment",
}


@dataclass(frozen=True)
class LinePayment:
    """Loop 2110: one service line as the payer adjudicated it."""

    procedure_code: str  # SVC01-2, as adjudicated
    modifiers: tuple[str, ...]
    charge_cents: int  # SVC02
    paid_cents: int  # SVC03
    units: Decimal = Decimal(1)  # SVC05 (1 when not sent)
    line_control_number: str | None = None  # REF*6R: our REF*6R from the 837
    service_on: date | None = None  # DTM*472 (or DTM*150, the start of a period)
    adjustments: tuple[Adjustment, ...] = ()
    remark_codes: tuple[str, ...] = ()  # LQ*HE (RARC)
    allowed_cents: int | None = None  # AMT*B6
    # SVC06: the code as submitted, only when the payer adjudicated a different one.
    submitted_procedure_code: str | None = None
    submitted_modifiers: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClaimPayment:
    """Loop 2100: one claim (CLP) and its lines."""

    patient_control_number: str  # CLP01: our CLM01
    status_code: str  # CLP02, see CLAIM_STATUSES
    charge_cents: int  # CLP03
    paid_cents: int  # CLP04
    payer_claim_number: str  # CLP07
    patient_responsibility_cents: int = 0  # CLP05
    filing_indicator: str = ""  # CLP06: MB, MC, CI, 12...
    patient_last_name: str = ""  # NM1*QC
    patient_first_name: str = ""
    member_id: str | None = None  # NM1*IL (subscriber) or else NM1*QC identifier
    statement_from: date | None = None  # DTM*232
    statement_through: date | None = None  # DTM*233
    adjustments: tuple[Adjustment, ...] = ()  # claim-level CAS
    remark_codes: tuple[str, ...] = ()  # MOA (or MIA) remark codes
    lines: tuple[LinePayment, ...] = ()

    @property
    def is_denied(self) -> bool:
        return self.status_code == DENIED

    @property
    def is_reversal(self) -> bool:
        return self.status_code == REVERSAL

    @property
    def status_text(self) -> str:
        return CLAIM_STATUSES.get(self.status_code, f"status {self.status_code}")

    @property
    def all_adjustments(self) -> tuple[Adjustment, ...]:
        return self.adjustments + tuple(a for line in self.lines for a in line.adjustments)


@dataclass(frozen=True)
class ProviderAdjustment:
    """One PLB adjustment: positive amounts were taken from the payment (e.g. WO
    overpayment recovery), negative ones added to it (e.g. L6 interest)."""

    provider_id: str  # PLB01, usually the payee NPI
    fiscal_period_on: date | None  # PLB02
    reason_code: str  # PLB03-1: WO, L6, FB, CS, 72, J1...
    amount_cents: int
    reference: str | None = None  # PLB03-2: e.g. the claim the recovery is about


@dataclass(frozen=True)
class Remittance:
    """One 835 transaction set: one payment (check, EFT or none) and what it covers."""

    payer_name: str  # N1*PR
    payer_id: str | None  # REF*2U, else N1*PR N104
    originator_id: str  # TRN03: "1" + the payer's tax id; with TRN02 it names the payment
    payee_name: str  # N1*PE
    payee_npi: str | None  # N1*PE*..*XX
    payee_tax_id: str | None  # N1*PE*..*FI or REF*TJ
    trace_number: str  # TRN02: the check or EFT trace number
    payment_method: str  # BPR04, see PAYMENT_METHODS
    total_paid_cents: int  # BPR02 (negative when BPR03 is D, a debit)
    paid_on: date | None  # BPR16
    claims: tuple[ClaimPayment, ...] = ()
    provider_adjustments: tuple[ProviderAdjustment, ...] = ()
    payer_address: Address | None = None  # N3/N4 of 1000A
    payer_phone: str | None = None  # PER*CX (claims questions), else PER*BL
    problems: tuple[str, ...] = ()


def read_835(data: bytes) -> Remittance:
    """The remittance in an 835 file that carries one payment (the usual case). A file
    with several payments is refused with a message; use `read_remittances` for those."""
    remittances = read_remittances(data)
    if len(remittances) > 1:
        raise ValueError(
            f"This 835 file holds {len(remittances)} payments; read it with read_remittances."
        )
    return remittances[0]


def read_remittances(data: bytes) -> list[Remittance]:
    """Every remittance (835 transaction set) in a file, in file order."""
    return [_Reader(transaction).remittance() for transaction in sets_of_kind(data, "835")]


class _Reader:
    """Reads one transaction set; collects problems instead of raising."""

    def __init__(self, transaction: TransactionSet) -> None:
        self.transaction = transaction
        self.problems: list[str] = []
        if transaction.count_problem:
            self.problems.append(transaction.count_problem)

    # -- values ------------------------------------------------------------------------

    def cents(self, text: str, what: str, *, required: bool = True) -> int:
        if not text:
            if required:
                self.problems.append(f"{what}: the amount is missing.")
            return 0
        try:
            return parse_amount(text)
        except ValueError:
            self.problems.append(f"{what}: '{text}' is not an amount.")
            return 0

    def day(self, text: str, what: str) -> date | None:
        if not text:
            return None
        try:
            return parse_date(text)
        except ValueError:
            self.problems.append(f"{what}: '{text}' is not a date.")
            return None

    def adjustments(self, cas: Segment, what: str) -> list[Adjustment]:
        """A CAS segment: a group code and up to six (reason, amount, quantity) triplets."""
        found = []
        for first in range(2, 20, 3):
            reason = cas.get(first)
            if reason:
                amount = self.cents(cas.get(first + 1), f"{what}, adjustment {reason}")
                found.append(Adjustment(cas.get(1), reason, amount))
        return found

    # -- structure ---------------------------------------------------------------------

    def remittance(self) -> Remittance:
        segments = self.transaction.segments
        body_start = next((i for i, s in enumerate(segments) if s.id in ("LX", "CLP")), None)
        header = segments if body_start is None else segments[:body_start]
        body = () if body_start is None else segments[body_start:]
        plb = [s for s in body if s.id == "PLB"]
        claim_chunks = split_at([s for s in body if s.id not in ("LX", "PLB")], _CLP)[1:]
        by_id = _first_by_id(header)
        bpr, trn = by_id.get("BPR"), by_id.get("TRN")
        if bpr is None:
            self.problems.append("The payment (BPR) segment is missing.")
        if trn is None:
            self.problems.append("The trace number (TRN) segment is missing.")
        total = self.cents(bpr.get(2) if bpr else "", "Total payment")
        if bpr is not None and bpr.get(3) == "D":
            total = -total
        payer, payee = _party(header, "PR"), _party(header, "PE")
        remittance = Remittance(
            payer_name=payer.get("N1", _EMPTY).get(2),
            payer_id=_ref(payer, "2U") or payer.get("N1", _EMPTY).get(4) or None,
            originator_id=trn.get(3) if trn else "",
            payee_name=payee.get("N1", _EMPTY).get(2),
            payee_npi=_named_id(payee, "XX"),
            payee_tax_id=_named_id(payee, "FI") or _ref(payee, "TJ"),
            trace_number=trn.get(2) if trn else "",
            payment_method=bpr.get(4) if bpr else "",
            total_paid_cents=total,
            paid_on=self.day(bpr.get(16), "Payment date") if bpr else None,
            claims=tuple(self.claim(chunk) for chunk in claim_chunks),
            provider_adjustments=tuple(a for s in plb for a in self.provider_adjustments(s)),
            payer_address=_address(payer),
            payer_phone=_phone(payer, "CX") or _phone(payer, "BL"),
        )
        self.check_total(remittance)
        return replace(remittance, problems=tuple(self.problems))

    def claim(self, chunk: list[Segment]) -> ClaimPayment:
        clp = chunk[0]
        pcn = clp.get(1)
        what = f"Claim {pcn}"
        claim_part, *line_chunks = split_at(chunk, _SVC)
        names = {s.get(1): s for s in claim_part if s.id == "NM1"}
        patient = names.get("QC", _EMPTY)
        insured = names.get("IL")
        dates = {s.get(1): s.get(2) for s in claim_part if s.id == "DTM"}
        claim = ClaimPayment(
            patient_control_number=pcn,
            status_code=clp.get(2),
            charge_cents=self.cents(clp.get(3), f"{what}, charge"),
            paid_cents=self.cents(clp.get(4), f"{what}, paid amount"),
            payer_claim_number=clp.get(7),
            patient_responsibility_cents=self.cents(
                clp.get(5), f"{what}, patient responsibility", required=False
            ),
            filing_indicator=clp.get(6),
            patient_last_name=patient.get(3),
            patient_first_name=patient.get(4),
            member_id=(insured.get(9) if insured else patient.get(9)) or None,
            statement_from=self.day(dates.get("232", ""), f"{what}, statement start"),
            statement_through=self.day(dates.get("233", ""), f"{what}, statement end"),
            adjustments=tuple(
                a for s in claim_part if s.id == "CAS" for a in self.adjustments(s, what)
            ),
            remark_codes=_claim_remarks(claim_part),
            lines=tuple(self.line(line, what) for line in line_chunks),
        )
        self.check_claim(claim)
        return claim

    def line(self, chunk: list[Segment], claim_what: str) -> LinePayment:
        svc = chunk[0]
        code = svc.components(1)
        what = f"{claim_what}, line {code[1] if len(code) > 1 else '?'}"
        submitted = svc.components(6)
        dates = {s.get(1): s.get(2) for s in chunk if s.id == "DTM"}
        amounts = {s.get(1): s.get(2) for s in chunk if s.id == "AMT"}
        allowed = amounts.get("B6")
        return LinePayment(
            procedure_code=code[1] if len(code) > 1 else "",
            modifiers=tuple(m for m in code[2:6] if m),
            charge_cents=self.cents(svc.get(2), f"{what}, charge"),
            paid_cents=self.cents(svc.get(3), f"{what}, paid amount"),
            units=self.units(svc.get(5), what),
            line_control_number=_reference(chunk, "6R"),
            service_on=self.day(dates.get("472") or dates.get("150", ""), f"{what}, date"),
            adjustments=tuple(a for s in chunk if s.id == "CAS" for a in self.adjustments(s, what)),
            remark_codes=tuple(s.get(2) for s in chunk if s.id == "LQ" and s.get(1) == "HE"),
            allowed_cents=self.cents(allowed, f"{what}, allowed") if allowed else None,
            submitted_procedure_code=submitted[1] if len(submitted) > 1 else None,
            submitted_modifiers=tuple(m for m in submitted[2:6] if m),
        )

    def units(self, text: str, what: str) -> Decimal:
        if not text:
            return Decimal(1)
        try:
            return Decimal(text)
        except InvalidOperation:
            self.problems.append(f"{what}: '{text}' is not a number of units.")
            return Decimal(1)

    def provider_adjustments(self, plb: Segment) -> list[ProviderAdjustment]:
        """PLB: provider, fiscal period date, then up to six (reason:reference, amount)."""
        period = self.day(plb.get(2), "Provider adjustment, fiscal period")
        found = []
        for first in range(3, 15, 2):
            if plb.get(first):
                reason = plb.component(first, 1)
                amount = self.cents(plb.get(first + 1), f"Provider adjustment {reason}")
                reference = plb.component(first, 2) or None
                found.append(ProviderAdjustment(plb.get(1), period, reason, amount, reference))
        return found

    # -- balancing (005010X221A1 section 1.10.2, "Balancing") --------------------------

    def check_claim(self, claim: ClaimPayment) -> None:
        what = f"Claim {claim.patient_control_number}"
        for line in claim.lines:
            adjusted = sum(a.amount_cents for a in line.adjustments)
            if line.charge_cents - line.paid_cents != adjusted:
                self.problems.append(
                    f"{what}, line {line.procedure_code}: "
                    + _gap_text(line.charge_cents, line.paid_cents, adjusted)
                )
        adjusted = sum(a.amount_cents for a in claim.all_adjustments)
        if claim.charge_cents - claim.paid_cents != adjusted:
            self.problems.append(
                f"{what}: " + _gap_text(claim.charge_cents, claim.paid_cents, adjusted)
            )

    def check_total(self, remittance: Remittance) -> None:
        claims_paid = sum(c.paid_cents for c in remittance.claims)
        taken = sum(a.amount_cents for a in remittance.provider_adjustments)
        if claims_paid - taken != remittance.total_paid_cents:
            self.problems.append(
                f"The payment of {dollars(remittance.total_paid_cents)} does not match the"
                f" claims paid ({dollars(claims_paid)}) less provider adjustments"
                f" ({dollars(taken)})."
            )


def _gap_text(charge: int, paid: int, adjusted: int) -> str:
    return (
        f"charge {dollars(charge)} minus paid {dollars(paid)} is {dollars(charge - paid)},"
        f" but the adjustments add up to {dollars(adjusted)}."
    )


_CLP = frozenset({"CLP"})
_SVC = frozenset({"SVC"})
_EMPTY = Segment(("",), ":")


def _first_by_id(segments: Sequence[Segment]) -> dict[str, Segment]:
    found: dict[str, Segment] = {}
    for segment in segments:
        found.setdefault(segment.id, segment)
    return found


def _party(header: Sequence[Segment], code: str) -> dict[str, Segment]:
    """The 1000A (PR) or 1000B (PE) loop: its N1 and the segments up to the next N1,
    keyed by id (REF and PER keyed by id + qualifier too)."""
    found: dict[str, Segment] = {}
    for chunk in split_at(header, frozenset({"N1"}))[1:]:
        if chunk[0].get(1) == code:
            for segment in chunk:
                found.setdefault(segment.id, segment)
                found.setdefault(segment.id + segment.get(1), segment)
    return found


def _ref(loop: dict[str, Segment], qualifier: str) -> str | None:
    segment = loop.get("REF" + qualifier)
    return segment.get(2) or None if segment else None


def _reference(segments: Sequence[Segment], qualifier: str) -> str | None:
    return next((s.get(2) for s in segments if s.id == "REF" and s.get(1) == qualifier), None)


def _named_id(loop: dict[str, Segment], qualifier: str) -> str | None:
    n1 = loop.get("N1")
    return n1.get(4) or None if n1 is not None and n1.get(3) == qualifier else None


def _phone(loop: dict[str, Segment], function: str) -> str | None:
    per = loop.get("PER" + function)
    if per is None:
        return None
    for first in (3, 5, 7):
        if per.get(first) == "TE":
            return per.get(first + 1) or None
    return None


def _address(loop: dict[str, Segment]) -> Address | None:
    n3, n4 = loop.get("N3"), loop.get("N4")
    if n3 is None or n4 is None:
        return None
    return Address(n3.get(1), n4.get(1), n4.get(2), n4.get(3), n3.get(2) or None)


def _claim_remarks(claim_part: Sequence[Segment]) -> tuple[str, ...]:
    """RARC remark codes: MOA03..MOA07 (outpatient) or MIA05 and MIA20..MIA23."""
    codes: list[str] = []
    for segment in claim_part:
        if segment.id == "MOA":
            codes += [segment.get(i) for i in range(3, 8)]
        elif segment.id == "MIA":
            codes += [segment.get(i) for i in (5, 20, 21, 22, 23)]
    return tuple(c for c in codes if c)
