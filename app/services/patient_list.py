"""The Patients screen's list: every patient, loaded lazily.

The screen first asks for the ordered ids (cheap even for 100,000 patients), then for the
rows of the page the person is looking at. Each page read is audited like a search.
"""

from __future__ import annotations

from sqlalchemy import select

from app.models import Patient, PatientStatus
from app.services.audit_chain import AuditEntry
from app.services.context import AppContext, requires
from app.services.patient_search import HIT_COLUMNS, PatientFinder, PatientHit, searchable
from app.services.patients import practice_today
from app.services.permissions import Permission

PAGE_SIZE = 200


class PatientDirectory:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @requires(Permission.VIEW_PATIENTS)
    def ids(self, status: PatientStatus | None = PatientStatus.ACTIVE) -> list[str]:
        """Patient ids in name order (ids carry no PHI, so this is not audited)."""
        with self.ctx.unit_of_work() as uow:
            query = searchable(select(Patient.id)).order_by(
                Patient.last_key, Patient.first_key, Patient.date_of_birth
            )
            if status is not None:
                query = query.where(Patient.status == status)
            return list(uow.session.scalars(query))

    @requires(Permission.VIEW_PATIENTS)
    def rows(self, ids: list[str]) -> list[PatientHit]:
        """The rows for `ids` (at most PAGE_SIZE), in the order given."""
        ids = ids[:PAGE_SIZE]
        with self.ctx.unit_of_work() as uow:
            today = practice_today(uow.session, self.ctx.clock.now())
            finder = PatientFinder(uow.session, today, len(ids))
            found = uow.session.execute(select(*HIT_COLUMNS).where(Patient.id.in_(ids)))
            by_id = {row.id: row for row in found}
            hits = finder.hits([(by_id[i], "list") for i in ids if i in by_id])
            if hits:
                uow.audit(AuditEntry("list", "demographics", detail=f"{len(hits)} rows"))
            return hits
