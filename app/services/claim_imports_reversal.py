"""An 835 reversal (CLP02 22): the payer takes back its earlier payment of a claim. Every
ledger line earlier remittances posted for the claim is reversed, the payer's adjudication
of its lines no longer stands, and the claim goes back to accepted (in adjudication,
ready for the corrected payment that usually follows) through the lifecycle, so the step
is in its history. A secondary claim already sent with that payment goes to review."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select

from app.interop.x12_835 import ClaimPayment
from app.models import Charge, Claim, ClaimLine, ClaimStatus, EntryKind, LedgerEntry
from app.models import Responsibility as Side
from app.services.claim_adjudication import reverse_adjudications
from app.services.claim_imports_run import ERA, ImportRun
from app.services.claim_secondary import secondary_claims
from app.services.claims_lifecycle import move
from app.services.ledger_data import MAX_REASON as MAX_LEDGER_REASON
from app.services.ledger_posting import ROWID, Posting, live_entries, side_balances

S = ClaimStatus
ADJUDICATED = frozenset({S.PAID, S.PARTIALLY_PAID, S.DENIED})


def reverse_claim(
    run: ImportRun,
    claim: Claim,
    payment: ClaimPayment,
    *,
    trace_number: str,
    posting: Callable[[], Posting],
    note: str,
) -> None:
    """Reverse the claim's remittance postings; `posting` gives the patient's posting
    (asked only once the reversal goes ahead), `note` the claim history's words."""
    session = run.uow.session
    if claim.status not in ADJUDICATED:
        run.review(
            f"The payer reversed its payment of claim {claim.control_number}, but the claim "
            f"is {claim.status.value.replace('_', ' ')}; nothing was reversed.",
            claim=claim,
            amount_cents=payment.paid_cents,
        )
        return
    entries = _posted_for(run, claim)
    taken_back = {e.charge_id: 0 for e in entries if e.charge_id}
    for e in entries:
        if e.kind is EntryKind.TRANSFER and e.responsibility is Side.PATIENT and e.charge_id:
            taken_back[e.charge_id] += e.amount_cents
    for charge_id, cents in taken_back.items():
        if cents > side_balances(session, charge_id)[Side.PATIENT]:
            run.review(
                f"The payer reversed claim {claim.control_number}, but the patient has "
                "already paid part of what it had moved to them; reverse it by hand.",
                claim=claim,
                amount_cents=payment.paid_cents,
            )
            return
    ledger = posting()
    why = f"{ERA} {trace_number} reversed claim {claim.control_number}"
    for entry in entries:
        charge = session.get(Charge, entry.charge_id) if entry.charge_id else None
        ledger.reversal(entry, why[:MAX_LEDGER_REASON], charge)
        if entry.kind is EntryKind.PAYMENT:
            run.reversed_cents -= entry.amount_cents
    reverse_adjudications(session, claim, run.uow.ctx.clock.now())
    move(run.uow, claim, S.ACCEPTED, note, reversal=True)
    run.touched(claim, "reversed")
    for secondary in secondary_claims(session, claim):
        if secondary.status not in (S.DRAFT, S.READY):  # else the scrubber stops it
            run.review(
                f"The payer reversed its payment of claim {claim.control_number}; "
                f"secondary claim {secondary.control_number} reports that payment and was "
                "already sent: correct or void it once the primary payer pays again.",
                claim=secondary,
            )


def _posted_for(run: ImportRun, claim: Claim) -> list[LedgerEntry]:
    session = run.uow.session
    charge_ids = session.scalars(
        select(ClaimLine.charge_id).where(ClaimLine.claim_id == claim.id)
    ).all()
    on_charges = session.scalars(
        select(LedgerEntry).where(LedgerEntry.charge_id.in_(charge_ids)).order_by(ROWID)
    ).all()
    mark = f" claim {claim.control_number}:"
    return [
        e
        for e in live_entries(on_charges)
        if (e.reason or "").startswith(ERA + " ") and mark in (e.reason or "")
    ]
