"""Closing items on the biller's review list: what an imported file could not apply by
itself (an unknown claim, a line that does not match) is handled by hand, and the biller
says what they did. The note goes to the audit trail; a resolved item stays resolved."""

from __future__ import annotations

from app.models import Claim, ClaimFile, ClaimReviewItem
from app.services.audit_chain import AuditEntry
from app.services.bus import ClaimsChanged
from app.services.claim_data import CATEGORY, note_text
from app.services.claim_import_data import ReviewItemView
from app.services.claim_imports import review_view
from app.services.context import AppContext, requires
from app.services.errors import DomainError, NotFound
from app.services.permissions import Permission


class ClaimReviewService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @requires(Permission.MANAGE_CLAIMS)
    def resolve(self, item_id: str, note: str) -> ReviewItemView:
        """Mark the item handled, with what was done ("posted by hand", "payer's error,
        called them"): the note is required, so the trail says why it left the list."""
        text = note_text(
            note, required="Say what you did about it, e.g. posted by hand, or called the payer."
        )
        with self.ctx.unit_of_work() as uow:
            session = uow.session
            item = session.get(ClaimReviewItem, item_id)
            if item is None or item.deleted_at is not None:
                raise NotFound("That review item does not exist.")
            if item.resolved_at is not None:
                raise DomainError(
                    f"This item was already resolved on {item.resolved_at:%m/%d/%Y}; "
                    "nothing was changed."
                )
            actor = self.ctx.actor
            item.resolved_at = self.ctx.clock.now()
            item.resolved_by_id = actor.user_id if actor else None
            session.flush()
            claim = session.get(Claim, item.claim_id) if item.claim_id else None
            uow.audit(
                AuditEntry(
                    "update",
                    CATEGORY,
                    patient_id=claim.patient_id if claim else None,
                    entity_id=item.id,
                    detail=f"review item resolved: {text}",
                )
            )
            uow.notify(ClaimsChanged((claim.id,) if claim else ()))
            file = session.get(ClaimFile, item.claim_file_id)
            assert file is not None  # the item's file is a foreign key, never deleted
            return review_view(item, file)
