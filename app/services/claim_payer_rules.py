"""Each payer's claim rules as the setup screen lists them: how long after the service it
accepts a claim, and its kind (SBR09). ClaimSetupService.set_payer_claim_rules changes them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.models import Payer
from app.services.audit_chain import AuditEntry
from app.services.claims_setup import SETUP_CATEGORY
from app.services.context import AppContext, requires
from app.services.permissions import Permission


@dataclass(frozen=True)
class PayerClaimRules:
    id: str
    name: str
    payer_code: str
    timely_filing_days: int
    filing_indicator: str  # a key of claims_setup.FILING_INDICATORS


class PayerClaimRulesService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @requires(Permission.MANAGE_CLAIMS)
    def payers(self) -> list[PayerClaimRules]:
        with self.ctx.unit_of_work() as uow:
            rows = uow.session.scalars(
                select(Payer).where(Payer.deleted_at.is_(None)).order_by(Payer.name)
            )
            views = [
                PayerClaimRules(
                    p.id, p.name, p.payer_code, p.timely_filing_days, p.filing_indicator
                )
                for p in rows
            ]
            uow.audit(AuditEntry("read", SETUP_CATEGORY, detail="payer claim rules"))
            return views
