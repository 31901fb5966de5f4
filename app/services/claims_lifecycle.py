"""The claim lifecycle: which status may follow which, and the one place a status changes
(recording who, when, from what to what and why, in the same transaction).

draft → ready → submitted → accepted or rejected → paid, partially paid or denied →
appealed / corrected / voided → closed. Acknowledgement and remittance imports move claims
through the same function, so every change is in the claim's history. A payer that
reverses its payment (835 CLP02 22) puts an adjudicated claim back to accepted: only the
reversal itself may take that step, never a person or a late acknowledgement."""

from __future__ import annotations

from app.models import Claim, ClaimEvent, ClaimStatus
from app.services.audit_chain import AuditEntry
from app.services.bus import ClaimsChanged
from app.services.claim_data import CATEGORY, STATUS_LABELS
from app.services.context import UnitOfWork
from app.services.errors import DomainError

S = ClaimStatus
_ADJUDICATED = (S.PAID, S.PARTIALLY_PAID, S.DENIED)

TRANSITIONS: dict[ClaimStatus, frozenset[ClaimStatus]] = {
    S.DRAFT: frozenset({S.READY, S.CLOSED}),
    S.READY: frozenset({S.DRAFT, S.SUBMITTED}),
    # An 835 may come before (or instead of) any acknowledgement.
    S.SUBMITTED: frozenset({S.ACCEPTED, S.REJECTED, *_ADJUDICATED}),
    S.ACCEPTED: frozenset({S.REJECTED, S.CORRECTED, S.VOIDED, *_ADJUDICATED}),
    # The payer never took a rejected claim in: it is fixed and sent again as it is.
    S.REJECTED: frozenset({S.DRAFT, S.CLOSED}),
    # ACCEPTED here is the payer reversing its payment (see REVERSALS).
    S.PAID: frozenset({S.ACCEPTED, S.CORRECTED, S.VOIDED, S.CLOSED}),
    S.PARTIALLY_PAID: frozenset({S.ACCEPTED, S.APPEALED, S.CORRECTED, S.VOIDED, S.CLOSED}),
    S.DENIED: frozenset({S.ACCEPTED, S.APPEALED, S.CORRECTED, S.VOIDED, S.CLOSED}),
    S.APPEALED: frozenset({*_ADJUDICATED, S.CLOSED}),
    S.CORRECTED: frozenset({S.CLOSED}),
    S.VOIDED: frozenset(),
    S.CLOSED: frozenset(),
}

# Steps only an 835 reversal takes ("payer reversed its payment"): the claim is back in
# adjudication, waiting for the payer's corrected payment.
REVERSALS = frozenset((status, S.ACCEPTED) for status in _ADJUDICATED)

# Claims that still stand for their charges with the payer (a new claim is not built).
LIVE = frozenset(set(S) - {S.VOIDED, S.CORRECTED})


def by_hand(status: ClaimStatus) -> frozenset[ClaimStatus]:
    """The statuses a person (or an acknowledgement) may move a claim in `status` to."""
    return frozenset(to for to in TRANSITIONS[status] if (status, to) not in REVERSALS)


def can_move(claim: Claim, to: ClaimStatus, *, reversal: bool = False) -> bool:
    if reversal:
        return (claim.status, to) in REVERSALS
    return to in by_hand(claim.status)


def refuse_move(claim: Claim, to: ClaimStatus, *, reversal: bool = False) -> None:
    if not can_move(claim, to, reversal=reversal):
        raise DomainError(
            f"Claim {claim.control_number} is {STATUS_LABELS[claim.status].lower()}; "
            f"it cannot be marked {STATUS_LABELS[to].lower()}."
        )


def move(
    uow: UnitOfWork,
    claim: Claim,
    to: ClaimStatus,
    note: str | None = None,
    *,
    reversal: bool = False,
) -> None:
    """Change the claim's status (refused if the lifecycle does not allow it), record the
    change in its history and the audit log, and announce it. `reversal` is the payer
    taking back its adjudication, the one way back from paid, partially paid or denied."""
    refuse_move(claim, to, reversal=reversal)
    record(uow, claim, to, note, from_status=claim.status)
    claim.status = to


def record(
    uow: UnitOfWork,
    claim: Claim,
    to: ClaimStatus,
    note: str | None,
    *,
    from_status: ClaimStatus | None,
) -> None:
    """The history row, audit event and notice of a status change (or of a new claim)."""
    if claim.id is None:
        uow.session.flush()  # a new claim gets its id
    actor = uow.ctx.actor
    uow.session.add(
        ClaimEvent(
            claim_id=claim.id,
            from_status=from_status,
            to_status=to,
            occurred_at=uow.ctx.clock.now(),
            user_id=actor.user_id if actor else None,
            note=note,
        )
    )
    action = "create" if from_status is None else "update"
    detail = f"{claim.control_number}: {from_status or 'new'} → {to}"
    uow.audit(
        AuditEntry(action, CATEGORY, patient_id=claim.patient_id, entity_id=claim.id, detail=detail)
    )
    uow.notify(ClaimsChanged((claim.id,)))
