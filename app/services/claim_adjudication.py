"""What an 835 posting keeps of the payer's adjudication, and the two rules that shape a
line before it is posted: claim-level adjustments spread over the lines, and a secondary
payer's "prior payer" adjustments left out of the ledger.

(005010X221A1 section 1.10.2 balancing: a line's charge less its CAS is its payment
(SVC02 - CAS = SVC03); a claim's payment is its lines' payments less the claim-level CAS
(CLP04 = sum of SVC03 - claim CAS, when every line is reported).)"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.interop.claim_document import Adjustment
from app.interop.x12_835 import ClaimPayment, LinePayment
from app.models import Claim, ClaimLine, ClaimLineAdjudication

# CARC 23: "The impact of prior payer(s) adjudication including payments and/or
# adjustments". On a secondary claim it is the part the primary already settled, posted
# with the primary's remittance: it says how the secondary got to its payment, it does not
# lower what insurance is owed a second time.
PRIOR_PAYER_REASON = "23"


def posted_adjustments(claim: Claim, line: LinePayment) -> tuple[Adjustment, ...]:
    """The line's adjustments that go on the ledger."""
    if claim.priority == 1:
        return line.adjustments
    return tuple(a for a in line.adjustments if a.reason_code != PRIOR_PAYER_REASON)


def spread_claim_adjustments(
    payment: ClaimPayment, lines: Sequence[LinePayment]
) -> list[LinePayment] | None:
    """The lines with the claim-level adjustments shared among them in proportion to their
    charge (whole cents, the remainder on the last line); each line's payment is lowered
    by its share, as the claim payment is. None when that does not fit, and the claim-level
    adjustments go to the review list as before: lines missing from the remittance (the
    claim does not balance on the lines it has), a negative adjustment, lines that charge
    nothing, or a share larger than the line's payment."""
    adjustments = payment.adjustments
    charged = sum(line.charge_cents for line in lines)
    if charged <= 0 or any(a.amount_cents < 0 for a in adjustments):
        return None
    claim_level = sum(a.amount_cents for a in adjustments)
    if payment.paid_cents != sum(line.paid_cents for line in lines) - claim_level:
        return None
    shares: list[list[Adjustment]] = [[] for _ in lines]
    for adjustment in adjustments:
        given = 0
        for index, line in enumerate(lines):
            if index == len(lines) - 1:
                cents = adjustment.amount_cents - given
            else:
                cents = adjustment.amount_cents * line.charge_cents // charged
            given += cents
            if cents:
                shares[index].append(replace(adjustment, amount_cents=cents))
    spread = []
    for line, share in zip(lines, shares, strict=True):
        cut = sum(a.amount_cents for a in share)
        if cut > line.paid_cents:
            return None
        spread.append(
            replace(
                line, paid_cents=line.paid_cents - cut, adjustments=line.adjustments + tuple(share)
            )
        )
    return spread


def record_adjudication(
    session: Session,
    claim_line: ClaimLine,
    line: LinePayment,
    *,
    claim_status_code: str,
    claim_file_id: str,
    trace_number: str,
    paid_on: date,
) -> None:
    """Keep what the payer said about the line (all of it, PR and prior-payer included),
    for the secondary claim that reports it."""
    session.add(
        ClaimLineAdjudication(
            claim_id=claim_line.claim_id,
            claim_line_id=claim_line.id,
            claim_file_id=claim_file_id,
            trace_number=trace_number[:50],
            claim_status_code=claim_status_code[:2],
            paid_cents=line.paid_cents,
            paid_on=paid_on,
            adjustments=[
                {"group": a.group_code, "reason": a.reason_code, "cents": a.amount_cents}
                for a in line.adjustments
            ],
        )
    )


def reverse_adjudications(session: Session, claim: Claim, now: datetime) -> None:
    """A reversal takes back everything the payer had said about the claim's lines."""
    rows = session.scalars(
        select(ClaimLineAdjudication).where(
            ClaimLineAdjudication.claim_id == claim.id,
            ClaimLineAdjudication.reversed_at.is_(None),
            ClaimLineAdjudication.deleted_at.is_(None),
        )
    )
    for row in rows:
        row.reversed_at = now
