"""The payers' and the clearinghouse's answers to the demo's claims, as X12 bytes: 835
remittances (paid, partly paid with CO-45 and PR-2, denied, a line Stethos never sent), a
999 and a 277CA. demo_claims imports some of them itself and leaves the rest in the inbox.

Amounts come from the claims' own documents (what the 837P said), so the files match the
claims the way a payer's would. Made-up data, but patient names are still PHI-shaped: the
caller writes them owner-only."""

from __future__ import annotations

import random
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from app.interop import claim_document as doc
from app.interop.claim_document import Adjustment
from app.interop.x12_835 import ClaimPayment, LinePayment, Remittance
from app.interop.x12_835_write import write_835
from app.interop.x12_ack_write import (
    Acknowledgement277,
    ClaimAcknowledgement,
    write_277ca,
    write_999_accepted,
)
from app.interop.x12_envelope import Envelope

ALLOWED_SHARE = (0.62, 0.82)  # what payers allow of a charge (CO-45 takes the rest)
# The 837's SBR09 as the 835's CLP06 (its own code list: commercial plans report their plan
# type, 12 = PPO; Medicare B, Medicaid and HMO keep their codes).
_CLP06 = {"CI": "12", "BL": "12", "MB": "MB", "MC": "MC", "HM": "HM"}


@dataclass(frozen=True)
class Answer:
    """What the payer says about one claim."""

    claim: doc.Claim
    outcome: str  # "paid", "coinsurance", "denied", "unmatched_line"
    codes: tuple[str, ...] = ()  # for a denial: the CARC and RARC, e.g. ("16", "N290")


@dataclass(frozen=True)
class Parties:
    """Who the files are from and to."""

    practice_name: str
    practice_npi: str
    tax_id: str
    submitter_id: str  # ours, ISA08 of what we receive
    clearinghouse_id: str


def payer_claim_number(claim: doc.Claim) -> str:
    """The number the payer files the claim under (same in the 277CA and the 835)."""
    return f"{claim.payer.payer_id[:2]}{claim.control_number.replace('-', '')}"


def envelope(parties: Parties, sender: str, number: int, at: datetime) -> Envelope:
    return Envelope(sender[:15], parties.submitter_id, number, at, production=True)


def remittance_file(
    answers: Sequence[Answer],
    parties: Parties,
    *,
    trace_prefix: str,
    paid_on: date,
    number: int,
    at: datetime,
    rng: random.Random,
) -> bytes:
    """One 835 with one remittance (check) per payer of `answers`."""
    by_payer: dict[str, list[Answer]] = {}
    for answer in answers:
        by_payer.setdefault(answer.claim.payer.payer_id, []).append(answer)
    remittances = []
    for index, (payer_id, group) in enumerate(sorted(by_payer.items()), start=1):
        payer = group[0].claim.payer
        claims = tuple(_claim_payment(a, rng) for a in group)
        remittances.append(
            Remittance(
                payer_name=payer.name.upper(),
                payer_id=payer_id,
                originator_id=f"1{zlib.crc32(payer_id.encode()) % 10**9:09d}",  # TRN03: 1 + a TIN
                payee_name=parties.practice_name.upper(),
                payee_npi=parties.practice_npi,
                payee_tax_id=parties.tax_id,
                trace_number=f"{trace_prefix}{index:02d}",
                payment_method="CHK",
                total_paid_cents=sum(c.paid_cents for c in claims),
                paid_on=paid_on,
                claims=claims,
                provider_adjustments=(),
                payer_address=payer.address or doc.Address("PO BOX 1000", "CHICAGO", "IL", "60601"),
                payer_phone="8005550199",
            )
        )
    return write_835(remittances, envelope(parties, "PAYERS", number, at))


def _claim_payment(answer: Answer, rng: random.Random) -> ClaimPayment:
    claim = answer.claim
    lines: list[LinePayment] = []
    for index, line in enumerate(claim.lines):
        charge = line.charge_cents
        allowed = round(charge * rng.uniform(*ALLOWED_SHARE))
        adjustments = [Adjustment("CO", "45", charge - allowed)]
        share = 0
        if answer.outcome == "coinsurance":
            share = round(allowed * 0.2)
            adjustments.append(Adjustment("PR", "2", share))
        control = line.line_control_number
        if answer.outcome == "denied":
            allowed, adjustments = 0, [Adjustment("CO", answer.codes[0], charge)]
        elif answer.outcome == "unmatched_line" and index == len(claim.lines) - 1:
            control = f"{control}X"  # a line number Stethos never sent: the review list
        lines.append(
            LinePayment(
                procedure_code=line.procedure_code,
                modifiers=tuple(line.modifiers),
                charge_cents=charge,
                paid_cents=allowed - share,
                units=Decimal(line.units),
                line_control_number=control,
                service_on=line.service_on,
                adjustments=tuple(adjustments),
                remark_codes=answer.codes[1:] if answer.outcome == "denied" else (),
                allowed_cents=allowed or None,
            )
        )
    paid = sum(x.paid_cents for x in lines)
    person = claim.patient.person if claim.patient else claim.subscriber.person
    return ClaimPayment(
        patient_control_number=claim.control_number,
        status_code="4" if answer.outcome == "denied" else "1",
        charge_cents=sum(x.charge_cents for x in lines),
        paid_cents=paid,
        payer_claim_number=payer_claim_number(claim),
        patient_responsibility_cents=sum(
            a.amount_cents for x in lines for a in x.adjustments if a.group_code == "PR"
        ),
        filing_indicator=_CLP06.get(claim.subscriber.filing_indicator or "", "ZZ"),
        patient_last_name=person.last_name.upper(),
        patient_first_name=person.first_name.upper(),
        member_id=claim.subscriber.member_id,
        lines=tuple(lines),
    )


def batch_accepted_999(
    parties: Parties, group_control_number: int, number: int, at: datetime
) -> bytes:
    """The clearinghouse's 999: our batch (GS06 = its interchange number) is accepted."""
    sender = envelope(parties, parties.clearinghouse_id, number, at)
    return write_999_accepted(str(group_control_number), ["0001"], sender)


def claims_277ca(
    claims: Sequence[doc.Claim],
    rejected: dict[str, str],
    parties: Parties,
    *,
    batch_reference: str,
    on: date,
    number: int,
    at: datetime,
) -> bytes:
    """The payers' 277CA (sent on by the clearinghouse): each claim accepted into
    adjudication with its payer claim number, or rejected (`rejected`: control number →
    the payer's words)."""
    acknowledgements = []
    for claim in claims:
        person = claim.patient.person if claim.patient else claim.subscriber.person
        words = rejected.get(claim.control_number)
        acknowledgements.append(
            ClaimAcknowledgement(
                control_number=claim.control_number,
                patient_last_name=person.last_name.upper(),
                patient_first_name=person.first_name.upper(),
                member_id=claim.subscriber.member_id,
                charge_cents=sum(line.charge_cents for line in claim.lines),
                service_on=min(line.service_on for line in claim.lines),
                category="A7" if words else "A2",
                status="21" if words else "20",  # 21: missing or invalid information
                payer_claim_number=None if words else payer_claim_number(claim),
                free_text=words or "",
            )
        )
    ack = Acknowledgement277(
        payer_name="CLAIMS CLEARING HOUSE",
        payer_id=parties.clearinghouse_id,
        provider_name=parties.practice_name.upper(),
        provider_npi=parties.practice_npi,
        submitter_id=parties.submitter_id,
        batch_reference=batch_reference,
        on=on,
        claims=acknowledgements,
    )
    return write_277ca(ack, envelope(parties, parties.clearinghouse_id, number, at))
