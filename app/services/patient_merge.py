"""Merging a duplicate patient record into the one that stays, and undoing it.

Every row that points at the duplicate (phones, coverages, and whatever later modules add:
appointments, encounters, charges...) is found through the foreign keys in the schema, moved
to the survivor, and listed in the merge record so that undo moves exactly those rows back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Column, Table, select, update

from app.models import Base, Coverage, Patient, PatientMerge, PatientPhone, PatientStatus
from app.services.audit_chain import AuditEntry
from app.services.bus import PatientsChanged
from app.services.context import AppContext, UnitOfWork, requires
from app.services.errors import DomainError, NotFound
from app.services.patients import practice_today
from app.services.permissions import Permission

# References that describe the merge itself rather than belong to the patient.
_NOT_MOVED = {("patient", "merged_into_id"), ("patient_merge", "survivor_id"),
              ("patient_merge", "duplicate_id")}  # fmt: skip


@dataclass(frozen=True)
class MergeResult:
    merge_id: str
    survivor_id: str
    duplicate_id: str
    rows_moved: int
    needs_review: tuple[str, ...]  # things a person should look at after the merge


@dataclass(frozen=True)
class MergeView:
    id: str
    survivor_id: str
    duplicate_id: str
    merged_at: datetime
    reason: str | None
    rows_moved: int
    undone_at: datetime | None


def patient_references() -> list[tuple[Table, Column[str]]]:
    """Every (table, column) in the schema with a foreign key to patient.id."""
    found = []
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if (table.name, column.name) in _NOT_MOVED:
                continue
            if any(fk.column.table.name == "patient" for fk in column.foreign_keys):
                found.append((table, column))
    return found


class PatientMergeService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @requires(Permission.MERGE_PATIENTS)
    def merge(self, survivor_id: str, duplicate_id: str, reason: str = "") -> MergeResult:
        if survivor_id == duplicate_id:
            raise DomainError("Choose two different records to merge.")
        with self.ctx.unit_of_work() as uow:
            survivor = self._active(uow, survivor_id, "record to keep")
            duplicate = self._active(uow, duplicate_id, "duplicate record")
            moved: list[list[str]] = []
            for table, column in patient_references():
                id_column = table.c.id
                ids = list(uow.session.scalars(select(id_column).where(column == duplicate_id)))
                if not ids:
                    continue
                self._point(uow, table, column, ids, survivor_id)
                moved += [[table.name, column.name, row_id] for row_id in ids]
            record = PatientMerge(
                survivor_id=survivor_id,
                duplicate_id=duplicate_id,
                moved_rows=moved,
                duplicate_status=duplicate.status.value,
                merged_by=self._actor_id(),
                reason=reason.strip() or None,
            )
            duplicate.status = PatientStatus.MERGED
            duplicate.merged_into_id = survivor.id
            uow.session.add(record)
            uow.session.flush()
            for patient_id in (survivor_id, duplicate_id):
                uow.audit(
                    AuditEntry("merge", "demographics", patient_id=patient_id, entity_id=record.id)
                )
            uow.notify(PatientsChanged((survivor_id, duplicate_id)))
            review = self._review_after_merge(uow, survivor_id)
            return MergeResult(record.id, survivor_id, duplicate_id, len(moved), review)

    @requires(Permission.MERGE_PATIENTS)
    def undo(self, merge_id: str) -> None:
        with self.ctx.unit_of_work() as uow:
            record = uow.session.get(PatientMerge, merge_id)
            if record is None:
                raise NotFound("That merge does not exist.")
            if record.undone_at is not None:
                raise DomainError("This merge was already undone.")
            duplicate = uow.session.get(Patient, record.duplicate_id)
            if duplicate is None or duplicate.merged_into_id != record.survivor_id:
                raise DomainError("The duplicate record changed since the merge; undo it first.")
            survivor = uow.session.get(Patient, record.survivor_id)
            if survivor is not None and survivor.status is PatientStatus.MERGED:
                raise DomainError(
                    "The record kept by this merge was later merged into another; "
                    "undo that merge first."
                )
            tables = {table.name: table for table in Base.metadata.sorted_tables}
            by_column: dict[tuple[str, str], list[str]] = {}
            for table_name, column_name, row_id in record.moved_rows:
                by_column.setdefault((table_name, column_name), []).append(row_id)
            for (table_name, column_name), ids in by_column.items():
                table = tables[table_name]
                column = table.c[column_name]
                still_here = list(
                    uow.session.scalars(
                        select(table.c.id).where(table.c.id.in_(ids), column == record.survivor_id)
                    )
                )
                self._point(uow, table, column, still_here, record.duplicate_id)
            duplicate.status = PatientStatus(record.duplicate_status)
            duplicate.merged_into_id = None
            record.undone_at = self.ctx.clock.now()
            record.undone_by = self._actor_id()
            for patient_id in (record.survivor_id, record.duplicate_id):
                uow.audit(
                    AuditEntry(
                        "unmerge", "demographics", patient_id=patient_id, entity_id=record.id
                    )
                )
            uow.notify(PatientsChanged((record.survivor_id, record.duplicate_id)))

    @requires(Permission.VIEW_PATIENTS)
    def merges_for(self, patient_id: str) -> list[MergeView]:
        with self.ctx.unit_of_work() as uow:
            records = uow.session.scalars(
                select(PatientMerge)
                .where(
                    (PatientMerge.survivor_id == patient_id)
                    | (PatientMerge.duplicate_id == patient_id)
                )
                .order_by(PatientMerge.created_at.desc())
            )
            views = [
                MergeView(
                    r.id,
                    r.survivor_id,
                    r.duplicate_id,
                    r.created_at,
                    r.reason,
                    len(r.moved_rows),
                    r.undone_at,
                )
                for r in records
            ]
            uow.audit(AuditEntry("read", "merge_history", patient_id=patient_id))
            return views

    # -- helpers -----------------------------------------------------------------------

    def _active(self, uow: UnitOfWork, patient_id: str, what: str) -> Patient:
        patient = uow.session.get(Patient, patient_id)
        if patient is None or patient.deleted_at is not None:
            raise NotFound(f"The {what} does not exist.")
        if patient.status is PatientStatus.MERGED:
            raise DomainError(f"The {what} was itself merged into another record.")
        return patient

    def _point(
        self, uow: UnitOfWork, table: Table, column: Column[str], ids: list[str], target: str
    ) -> None:
        """Re-point rows through the ORM so versions, timestamps and the sync outbox follow."""
        mapper = next((m for m in Base.registry.mappers if m.local_table is table), None)
        if mapper is None:  # a plain table without a model: update it directly
            uow.session.execute(
                update(table).where(table.c.id.in_(ids)).values({column.name: target})
            )
            return
        for row_id in ids:
            obj = uow.session.get(mapper.class_, row_id)
            setattr(obj, mapper.get_property_by_column(column).key, target)
        uow.session.flush()

    def _review_after_merge(self, uow: UnitOfWork, survivor_id: str) -> tuple[str, ...]:
        today = practice_today(uow.session, self.ctx.clock.now())
        active = [
            c
            for c in uow.session.scalars(
                select(Coverage).where(
                    Coverage.patient_id == survivor_id, Coverage.deleted_at.is_(None)
                )
            )
            if c.terminated_on is None or c.terminated_on >= today
        ]
        notes = []
        priorities = [c.priority for c in active]
        if len(priorities) != len(set(priorities)):
            notes.append("Two active coverages now share a priority: review the insurance.")
        numbers = list(
            uow.session.scalars(
                select(PatientPhone.number).where(
                    PatientPhone.patient_id == survivor_id, PatientPhone.deleted_at.is_(None)
                )
            )
        )
        if len(numbers) != len(set(numbers)):
            notes.append("The same phone number is now listed twice: remove the repeat.")
        survivor = uow.session.get(Patient, survivor_id)
        if survivor is not None and survivor.guarantor_patient_id == survivor_id:
            notes.append("The guarantor was the duplicate record: choose the guarantor again.")
        return tuple(notes)

    def _actor_id(self) -> str:
        assert self.ctx.actor is not None
        return self.ctx.actor.user_id
