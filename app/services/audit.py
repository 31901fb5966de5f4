"""Reading and checking the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.models import AuditEvent
from app.services import audit_chain
from app.services.audit_chain import AuditEntry, ChainReport
from app.services.context import AppContext, requires
from app.services.permissions import Permission


@dataclass(frozen=True)
class AuditRow:
    seq: int
    occurred_at: datetime
    user_name: str | None
    patient_id: str | None
    action: str
    category: str
    outcome: str
    detail: str | None


class AuditService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @requires(Permission.VIEW_AUDIT_LOG)
    def recent(self, limit: int = 200) -> list[AuditRow]:
        with self.ctx.unit_of_work() as uow:
            events = uow.session.scalars(
                select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(limit)
            )
            rows = [
                AuditRow(
                    e.seq,
                    e.occurred_at,
                    e.user_name,
                    e.patient_id,
                    e.action,
                    e.category,
                    e.outcome,
                    e.detail,
                )
                for e in events
            ]
            uow.audit(AuditEntry("read", "audit_log", detail=f"recent {limit}"))
        return rows

    @requires(Permission.VERIFY_DATA)
    def verify_chain(self) -> ChainReport:
        with self.ctx.unit_of_work() as uow:
            report = audit_chain.verify(uow.session)
            outcome = "success" if report.ok else "failure"
            uow.audit(AuditEntry("verify", "audit_log", outcome=outcome, detail=report.summary()))
        return report
