"""Importing the payer's answers to our claims: 999 acknowledgements (the clearinghouse
took our 837 batch in, or not), 277CA claim acknowledgements (the payer took each claim
into adjudication, or not) and 835 remittances (what it paid; claim_imports_835 posts it).

One unit of work per file: everything a file says is applied, or nothing. A file is
imported once (by its SHA-256); what cannot be applied goes to the biller's review list."""

from __future__ import annotations

import hashlib

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.interop.x12_835 import read_remittances
from app.interop.x12_ack import AckResult, ClaimOutcome, read_277ca, read_999
from app.interop.x12_ack import ClaimStatus as AckClaimStatus
from app.interop.x12_read import transaction_kind
from app.models import Claim, ClaimFile, ClaimFileKind, ClaimReviewItem, ClaimStatus
from app.services.audit_chain import AuditEntry
from app.services.claim_data import CATEGORY
from app.services.claim_import_data import ImportSummary, ReviewItemView
from app.services.claim_imports_835 import import_remittances
from app.services.claim_imports_run import MAX_REASON, ImportRun, cycle_collection_paused
from app.services.claims_lifecycle import can_move, move
from app.services.context import AppContext, UnitOfWork, requires
from app.services.errors import DomainError
from app.services.permissions import Permission

S = ClaimStatus
# ST01 -> the kind of file it is; 837s and anything else are not ours to import.
_KINDS = {
    "999": ClaimFileKind.ACK_999,
    "277": ClaimFileKind.ACK_277CA,
    "835": ClaimFileKind.REMIT_835,
}
# Our 837P batches hold one transaction set (x12_envelope numbers it 0001) in one
# functional group whose GS06 is the interchange number (x12_837p.write_837p).
OUR_837_SET = "0001"


class ClaimImportService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @requires(Permission.MANAGE_CLAIMS)
    def import_file(self, data: bytes, name: str) -> ImportSummary:
        kind = _kind(data, name)
        digest = hashlib.sha256(data).hexdigest()
        with self.ctx.unit_of_work() as uow:
            session = uow.session
            earlier = session.scalars(
                select(ClaimFile).where(ClaimFile.content_hash == digest)
            ).first()
            if earlier is not None:
                raise DomainError(
                    f"{name} was already imported (as {earlier.file_name} on "
                    f"{earlier.created_at:%m/%d/%Y}); nothing was changed."
                )
            actor = self.ctx.actor
            file = ClaimFile(
                kind=kind,
                file_name=name[:255],
                content_hash=digest,
                created_by_id=actor.user_id if actor else None,
                counts={},
                payment_keys=[],
            )
            session.add(file)
            session.flush()
            run = ImportRun(uow, file)
            with cycle_collection_paused():
                if kind is ClaimFileKind.ACK_999:
                    for result in read_999(data):
                        _apply_999(run, result)
                elif kind is ClaimFileKind.ACK_277CA:
                    for status in read_277ca(data):
                        _apply_277(run, status)
                else:
                    import_remittances(run, read_remittances(data))
                file.claims_count = len(run.claim_ids)
                file.counts = dict(run.counts)
                session.flush()
            uow.audit(
                AuditEntry("create", CATEGORY, entity_id=file.id, detail=f"import {kind}: {name}")
            )
            return ImportSummary(
                file_id=file.id,
                kind=kind,
                file_name=file.file_name,
                claim_ids=tuple(run.claim_ids),
                counts=dict(run.counts),
                paid_cents=run.paid_cents,
                adjusted_cents=run.adjusted_cents,
                patient_cents=run.patient_cents,
                secondary_cents=run.secondary_cents,
                reversed_cents=run.reversed_cents,
                review=tuple(review_view(item, file) for item in run.review_items),
                problems=tuple(run.problems),
                skipped_payments=tuple(run.skipped_payments),
            )

    @requires(Permission.MANAGE_CLAIMS)
    def review_items(self, include_resolved: bool = False) -> list[ReviewItemView]:
        """The review list, oldest first: what imports could not apply by themselves."""
        with self.ctx.unit_of_work() as uow:
            query = (
                select(ClaimReviewItem, ClaimFile)
                .join(ClaimFile, ClaimFile.id == ClaimReviewItem.claim_file_id)
                .where(ClaimReviewItem.deleted_at.is_(None))
                .order_by(ClaimReviewItem.created_at, ClaimReviewItem.id)
            )
            if not include_resolved:
                query = query.where(ClaimReviewItem.resolved_at.is_(None))
            rows = uow.session.execute(query).all()
            _audit_review_read(uow.session, uow, [item for item, _ in rows])
            return [review_view(item, file) for item, file in rows]


def _kind(data: bytes, name: str) -> ClaimFileKind:
    try:
        set_id = transaction_kind(data)
    except ValueError as exc:
        raise DomainError(f"{name} is not an X12 file Stethos can read: {exc}") from exc
    kind = _KINDS.get(set_id)
    if kind is None:
        raise DomainError(
            f"{name} is an X12 {set_id} file; Stethos imports 999, 277CA and 835 files only."
        )
    return kind


# -- 999 --------------------------------------------------------------------------------


def _apply_999(run: ImportRun, result: AckResult) -> None:
    """The 999 answers one of our 837 batches (by its group control number): accepted sets
    move their submitted claims to accepted, rejected ones to rejected with the errors."""
    session = run.uow.session
    batch = _batch(session, result.group_control_number)
    label = f"batch group {result.group_control_number}"
    if batch is None or (result.transaction_control_number or OUR_837_SET) != OUR_837_SET:
        run.review(
            f"The 999 answers {label}, set {result.transaction_control_number or '-'}, "
            "which Stethos did not send (or no longer has)."
        )
        return
    claims = session.scalars(
        select(Claim)
        .where(Claim.claim_file_id == batch.id, Claim.status == S.SUBMITTED)
        .order_by(Claim.control_number)
    ).all()
    for claim in claims:
        if result.accepted:
            noted = "; ".join(result.error_texts)
            note = f"999: {batch.file_name} accepted" + (f" with notes: {noted}" if noted else "")
            move(run.uow, claim, S.ACCEPTED, note[:MAX_REASON])
            run.touched(claim, "accepted")
        else:
            mine = [
                e.message for e in result.errors if e.claim_control_number == claim.control_number
            ]
            general = [e.message for e in result.errors if e.claim_control_number is None]
            why = (
                "; ".join(mine + general)
                or f"the clearinghouse rejected the batch (code {result.code})"
            )
            reason = f"999 rejected {batch.file_name}: {why}"[:MAX_REASON]
            move(run.uow, claim, S.REJECTED, reason)
            claim.denial_reason = reason
            claim.denial_codes = [f"999-{result.code}"] if result.code else []
            run.touched(claim, "rejected")


def _batch(session: Session, group_control_number: str) -> ClaimFile | None:
    if not group_control_number.isdigit():
        return None
    # Interchange numbers start over after 999,999,999: the newest batch is the one meant.
    return session.scalars(
        select(ClaimFile)
        .where(
            ClaimFile.kind == ClaimFileKind.CLAIMS_837P,
            ClaimFile.interchange_number == int(group_control_number),
        )
        .order_by(ClaimFile.created_at.desc())
        .limit(1)
    ).first()


# -- 277CA ------------------------------------------------------------------------------


def _apply_277(run: ImportRun, status: AckClaimStatus) -> None:
    """A2/A5 accept the claim (keeping the payer's claim number, REF*1K); a rejecting
    category (A3, A4, A6, A7, A8, on the claim or a line) rejects it with the words."""
    session = run.uow.session
    claim = session.scalars(
        select(Claim).where(
            Claim.control_number == status.patient_control_number, Claim.deleted_at.is_(None)
        )
    ).first()
    words = "; ".join(status.texts)
    if claim is None:
        run.review(
            f"The 277CA reports on claim {status.patient_control_number}, which Stethos does not "
            f"have ({words}).",
            control_number=status.patient_control_number[:50],
        )
        return
    outcome = status.outcome
    if outcome is ClaimOutcome.ACCEPTED:
        if status.payer_claim_number:
            claim.payer_claim_number = status.payer_claim_number[:50]
        if claim.status is S.ACCEPTED:
            run.touched(claim, "accepted")
        elif can_move(claim, S.ACCEPTED):
            move(run.uow, claim, S.ACCEPTED, f"277CA: {words}"[:MAX_REASON])
            run.touched(claim, "accepted")
        else:
            run.touched(claim, "unchanged")
    elif outcome is ClaimOutcome.REJECTED:
        if not can_move(claim, S.REJECTED):
            run.review(
                f"The payer rejected claim {claim.control_number} ({words}), but it is "
                f"{claim.status.value.replace('_', ' ')} in Stethos; check with the payer.",
                claim=claim,
            )
            return
        reason = f"277CA: {words}"[:MAX_REASON]
        move(run.uow, claim, S.REJECTED, reason)
        claim.denial_reason = reason
        claim.denial_codes = sorted(
            {f"{s.category_code}:{s.status_code}" for s in status.statuses if s.outcome is outcome}
            | {f"{s.category_code}:{s.status_code}" for line in status.lines for s in line.statuses}
        )
        run.touched(claim, "rejected")
    else:  # received or forwarded: nothing to change yet
        run.counts["received"] += 1


# -- the review list ----------------------------------------------------------------------


def review_view(item: ClaimReviewItem, file: ClaimFile) -> ReviewItemView:
    return ReviewItemView(
        id=item.id,
        claim_file_id=item.claim_file_id,
        file_name=file.file_name,
        claim_id=item.claim_id,
        control_number=item.control_number,
        line_control=item.line_control,
        amount_cents=item.amount_cents,
        reason=item.reason,
        created_at=item.created_at,
        resolved_at=item.resolved_at,
    )


def _audit_review_read(session: Session, uow: UnitOfWork, items: list[ClaimReviewItem]) -> None:
    claim_ids = [i.claim_id for i in items if i.claim_id]
    patient_ids = sorted(
        set(session.scalars(select(Claim.patient_id).where(Claim.id.in_(claim_ids))))
    )
    for patient_id in patient_ids:
        uow.audit(AuditEntry("read", CATEGORY, patient_id=patient_id, detail="review list"))
    if not patient_ids:
        uow.audit(AuditEntry("read", CATEGORY, detail="review list"))
