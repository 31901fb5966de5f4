"""Reads the claims screens need beyond ClaimService: who can own a claim on the denial
worklist. MANAGE_CLAIMS like every claims use case, and audited."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.models import User
from app.services.audit_chain import AuditEntry
from app.services.claim_data import CATEGORY
from app.services.context import AppContext, requires
from app.services.permissions import Permission, role_allows


@dataclass(frozen=True)
class ClaimOwner:
    """Someone a denied claim can be handed to."""

    id: str
    name: str
    works_claims: bool  # their role may work claims (listed first)


class ClaimViewService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @requires(Permission.MANAGE_CLAIMS)
    def owners(self) -> list[ClaimOwner]:
        """Every active user, those who work claims first, then by name: a denial may wait
        on a physician (an addendum) as well as on a biller."""
        with self.ctx.unit_of_work() as uow:
            users = uow.session.scalars(
                select(User).where(User.deleted_at.is_(None), User.disabled_at.is_(None))
            )
            owners = [
                ClaimOwner(u.id, u.display_name, role_allows(u.role, Permission.MANAGE_CLAIMS))
                for u in users
            ]
            uow.audit(AuditEntry("read", CATEGORY, detail="claim owners"))
        return sorted(owners, key=lambda o: (not o.works_claims, o.name.casefold()))
