"""Make 835, 999 and 277CA files from a few simple arguments, so tests (and the demo and
bench) never need sample files from elsewhere.

835s go through the app's own writer (app/interop/x12_835_write.py); 999 and 277CA
files are only ever received, so their writers live here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from app.interop.claim_document import Address, Adjustment
from app.interop.x12_835 import ClaimPayment, LinePayment, ProviderAdjustment, Remittance
from app.interop.x12_835_write import write_835
from app.interop.x12_common import DEFAULT_SEPARATORS, format_amount, format_date
from app.interop.x12_envelope import Elements, Envelope, TransactionBody, interchange

SERVICE_DAY = date(2026, 2, 2)
PAID_DAY = date(2026, 3, 2)
PAYEE_NPI = "1234567893"  # passes the NPI Luhn check


def envelope(number: int = 1) -> Envelope:
    return Envelope("ACMEPAYER", "RIVERSIDE", number, datetime(2026, 3, 2, 9, 30))


# --- 835 ---------------------------------------------------------------------------------


def line_payment(
    code: str,
    charge_cents: int,
    paid_cents: int,
    *adjustments: Adjustment,
    control: str | None = None,
    modifiers: Sequence[str] = (),
    remark_codes: Sequence[str] = (),
) -> LinePayment:
    return LinePayment(
        procedure_code=code,
        modifiers=tuple(modifiers),
        charge_cents=charge_cents,
        paid_cents=paid_cents,
        line_control_number=control,
        service_on=SERVICE_DAY,
        adjustments=adjustments,
        remark_codes=tuple(remark_codes),
    )


def claim_payment(
    control_number: str,
    *lines: LinePayment,
    status: str = "1",
    adjustments: Sequence[Adjustment] = (),
    charge_cents: int | None = None,
    paid_cents: int | None = None,
    remark_codes: Sequence[str] = (),
) -> ClaimPayment:
    """A claim whose charge and paid amounts default to its lines' sums, and whose patient
    responsibility is its PR adjustments (as payers report it)."""
    claim = ClaimPayment(
        patient_control_number=control_number,
        status_code=status,
        charge_cents=sum(line.charge_cents for line in lines)
        if charge_cents is None
        else charge_cents,
        paid_cents=sum(line.paid_cents for line in lines) if paid_cents is None else paid_cents,
        payer_claim_number=f"PCN{control_number}",
        filing_indicator="12",
        patient_last_name="RIVERA",
        patient_first_name="ANA",
        member_id="XJH123456789",
        adjustments=tuple(adjustments),
        remark_codes=tuple(remark_codes),
        lines=lines,
    )
    responsibility = sum(a.amount_cents for a in claim.all_adjustments if a.group_code == "PR")
    return ClaimPayment(**{**claim.__dict__, "patient_responsibility_cents": responsibility})


def remittance(
    *claims: ClaimPayment,
    provider_adjustments: Sequence[ProviderAdjustment] = (),
    total_paid_cents: int | None = None,
    trace_number: str = "CHK100200",
    payment_method: str = "CHK",
) -> Remittance:
    """A check from Acme Health to Riverside; the total balances unless given."""
    balanced = sum(c.paid_cents for c in claims) - sum(a.amount_cents for a in provider_adjustments)
    return Remittance(
        payer_name="ACME HEALTH PLAN",
        payer_id="ACME1",
        originator_id="1234567890",
        payee_name="RIVERSIDE FAMILY MEDICINE",
        payee_npi=PAYEE_NPI,
        payee_tax_id="371234567",
        trace_number=trace_number,
        payment_method=payment_method,
        total_paid_cents=balanced if total_paid_cents is None else total_paid_cents,
        paid_on=PAID_DAY,
        claims=claims,
        provider_adjustments=tuple(provider_adjustments),
        payer_address=Address("PO BOX 1000", "SPRINGFIELD", "IL", "627010000"),
        payer_phone="8005550199",
    )


def provider_adjustment(
    reason: str, amount_cents: int, reference: str | None = None
) -> ProviderAdjustment:
    return ProviderAdjustment(PAYEE_NPI, date(2026, 12, 31), reason, amount_cents, reference)


def make_835(*remittances: Remittance, newline: bool = False, number: int = 1) -> bytes:
    return write_835(remittances, envelope(number), newline=newline)


# --- 999 ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ElementError:
    position: str  # IK401: "9" or "3:2" (element:component)
    element_number: str  # IK402: the data dictionary number (67 for NM109)
    code: str  # IK403
    bad_value: str = ""


@dataclass(frozen=True)
class SegmentError:
    segment_id: str
    position: int  # in the 837 transaction set, ST = 1
    loop: str  # IK303: the loop number without its letter ("2010")
    code: str = "8"  # IK304: 8 = has data element errors
    elements: Sequence[ElementError] = ()
    claim: str | None = None  # CTX*CLM01


@dataclass(frozen=True)
class SetAck:
    control_number: str  # the 837's ST02
    code: str = "A"  # IK501
    errors: Sequence[SegmentError] = ()
    set_codes: Sequence[str] = ()  # IK502..


def make_999(
    *sets: SetAck, group: str = "1", group_codes: Sequence[str] = (), newline: bool = False
) -> bytes:
    """A 999 answering one 837 functional group (our GS06 = `group`); group_codes
    (AK905..) with no sets makes a whole-group rejection."""
    accepted = sum(1 for s in sets if s.code in ("A", "E"))
    group_code = "A" if accepted == len(sets) else "R" if accepted == 0 else "P"
    if group_code == "A" and any(s.code == "E" for s in sets):
        group_code = "E"
    if group_codes and not sets:
        group_code = "R"
    body: list[Elements] = [["AK1", "HC", group, "005010X222A1"]]
    for ack in sets:
        body.append(["AK2", "837", ack.control_number, "005010X222A1"])
        for error in ack.errors:
            body.append(["IK3", error.segment_id, str(error.position), error.loop, error.code])
            if error.claim:
                body.append(["CTX", f"CLM01{DEFAULT_SEPARATORS.component}{error.claim}"])
            for element in error.elements:
                body.append(
                    [
                        "IK4",
                        element.position,
                        element.element_number,
                        element.code,
                        element.bad_value,
                    ]
                )
        body.append(["IK5", ack.code, *ack.set_codes])
    counts = [str(len(sets)), str(len(sets)), str(accepted)]
    body.append(["AK9", group_code, *counts, *group_codes])
    bodies = [TransactionBody("999", body)]
    return interchange(envelope(), "FA", "005010X231A1", bodies, newline=newline)


# --- 277CA -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LineAck:
    control_number: str  # our REF*6R, echoed as REF*FJ
    code: str
    charge_cents: int
    category: str = "A7"
    status: str = "454"


@dataclass(frozen=True)
class ClaimAck:
    control_number: str  # our CLM01
    category: str = "A2"
    status: str = "20"
    charge_cents: int = 12500
    payer_claim_number: str | None = None
    free_text: str = ""
    lines: Sequence[LineAck] = ()
    more: Sequence[tuple[str, str]] = ()  # further (category, status) pairs: STC10, STC11


def _stc(
    category: str,
    status: str,
    cents: int | None,
    extra: Sequence[tuple[str, str]] = (),
    text: str = "",
    *,
    dated: bool = True,
) -> Elements:
    """STC: status, date, action (WQ accepted, U rejected), amount (not on lines), then
    STC10/STC11 for more statuses and STC12 free text."""
    join = DEFAULT_SEPARATORS.component.join
    action = "U" if category in ("A3", "A4", "A6", "A7", "A8") else "WQ"
    more = [join([c, s]) for c, s in extra]
    tail = [*more, *[""] * (2 - len(more)), text] if (more or text) else []
    amount = format_amount(cents) if cents is not None else ""
    day = format_date(PAID_DAY) if dated else ""  # the provider level leaves STC02 out
    return ["STC", join([category, status, "PR"]), day, action, amount, *[""] * 5, *tail]


def make_277ca(*claims: ClaimAck, newline: bool = False) -> bytes:
    """A 277CA from Acme Health: source, receiver, one billing provider, one patient level
    per claim (each claim its own patient keeps it simple)."""
    day = format_date(PAID_DAY)
    total = sum(c.charge_cents for c in claims)
    rejected = [c for c in claims if c.category in ("A3", "A4", "A6", "A7", "A8")]
    body: list[Elements] = [
        ["BHT", "0085", "08", "277CA0001", day, "0930", "TH"],
        ["HL", "1", "", "20", "1"],
        ["NM1", "PR", "2", "ACME HEALTH PLAN", "", "", "", "", "PI", "ACME1"],
        ["TRN", "1", "277CA0001"],
        ["DTP", "050", "D8", day],
        ["DTP", "009", "D8", day],
        ["HL", "2", "1", "21", "1"],
        ["NM1", "41", "2", "RIVERSIDE FAMILY MEDICINE", "", "", "", "", "46", "RIVERSIDE"],
        ["TRN", "2", "BATCH1"],
        _stc("A1", "19", total),
        ["QTY", "90", str(len(claims) - len(rejected))],
        ["QTY", "AA", str(len(rejected))],
        ["AMT", "YU", format_amount(total - sum(c.charge_cents for c in rejected))],
        ["AMT", "YY", format_amount(sum(c.charge_cents for c in rejected))],
        ["HL", "3", "2", "19", "1"],
        ["NM1", "85", "2", "RIVERSIDE FAMILY MEDICINE", "", "", "", "", "XX", PAYEE_NPI],
        ["TRN", "1", "0"],
        _stc("A1", "19", total, dated=False),
    ]
    for number, claim in enumerate(claims, start=4):
        body += [
            ["HL", str(number), "3", "PT"],
            ["NM1", "QC", "1", "RIVERA", "ANA", "", "", "", "MI", "XJH123456789"],
            ["TRN", "2", claim.control_number],
            _stc(claim.category, claim.status, claim.charge_cents, claim.more, claim.free_text),
        ]
        if claim.payer_claim_number:
            body.append(["REF", "1K", claim.payer_claim_number])
        body.append(["DTP", "472", "D8", format_date(SERVICE_DAY)])
        for line in claim.lines:
            body += [
                [
                    "SVC",
                    f"HC{DEFAULT_SEPARATORS.component}{line.code}",
                    format_amount(line.charge_cents),
                ],
                _stc(line.category, line.status, None),
                ["REF", "FJ", line.control_number],
                ["DTP", "472", "D8", format_date(SERVICE_DAY)],
            ]
    bodies = [TransactionBody("277", body)]
    return interchange(envelope(), "HN", "005010X214", bodies, newline=newline)
