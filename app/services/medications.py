"""The medication list: what the patient takes (prescribed here or elsewhere), and what was
stopped, when and why."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from app.models import Medication, MedicationStatus
from app.services.chart_common import chart_patient, check_version, required_reason
from app.services.chart_lists_data import (
    MAX_NOTE,
    EnteredInError,
    Struck,
    error_mark,
    find_fact,
    not_in_future,
    optional_text,
    read_chart_facts,
    record_write,
    refuse_if_in_error,
    required_text,
    same_words,
    staff_names,
    strike_fact,
)
from app.services.context import AppContext, UnitOfWork, requires
from app.services.errors import DomainError
from app.services.permissions import Permission

CATEGORY = "medication"
_RXNORM_CODE = re.compile(r"[0-9]{1,12}")  # an RxNorm concept id (RXCUI) is a number


@dataclass(frozen=True)
class MedicationInput:
    name: str  # drug, strength and form: "Metformin 500 mg tablet"
    sig: str | None = None  # how to take it: "1 tablet by mouth twice daily"
    started_on: date | None = None
    prescriber: str | None = None  # may be someone outside the practice
    rxnorm_code: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class MedicationView(Struck):
    id: str
    version: int
    patient_id: str
    name: str
    sig: str | None
    started_on: date | None
    prescriber: str | None
    rxnorm_code: str | None
    status: MedicationStatus
    stopped_on: date | None
    stop_reason: str | None
    note: str | None
    recorded_at: datetime  # UTC
    entered_in_error: EnteredInError | None

    @property
    def is_active(self) -> bool:
        return self.status is MedicationStatus.ACTIVE and not self.in_error

    @property
    def status_label(self) -> str:
        if self.in_error:
            return "Entered in error"
        return "Active" if self.status is MedicationStatus.ACTIVE else "Stopped"


class MedicationService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @requires(Permission.EDIT_CHART)
    def add(self, patient_id: str, data: MedicationInput) -> MedicationView:
        name = required_text(data.name, 200, "medication name and strength")
        sig = optional_text(data.sig, 300, "directions")
        prescriber = optional_text(data.prescriber, 200, "prescriber")
        note = optional_text(data.note, MAX_NOTE, "note")
        rxnorm = optional_text(data.rxnorm_code, 20, "RxNorm code")
        if rxnorm is not None and not _RXNORM_CODE.fullmatch(rxnorm):
            raise DomainError("An RxNorm code is a number (RXCUI), such as 860975.")
        with self.ctx.unit_of_work() as uow:
            chart_patient(uow.session, patient_id)
            not_in_future(data.started_on, uow, "start date")
            self._refuse_duplicate(uow, patient_id, name)
            medication = Medication(
                patient_id=patient_id,
                name=name,
                rxnorm_code=rxnorm,
                sig=sig,
                started_on=data.started_on,
                status=MedicationStatus.ACTIVE,
                prescriber=prescriber,
                note=note,
            )
            uow.session.add(medication)
            record_write(uow, "create", CATEGORY, medication)
            return _view(uow, medication)

    @requires(Permission.EDIT_CHART)
    def stop(
        self, medication_id: str, stopped_on: date, reason: str, expected_version: int
    ) -> MedicationView:
        """The patient no longer takes it: when, and why (the reason is required)."""
        why = required_reason(reason, "why it was stopped")
        if len(why) > 300:
            raise DomainError("Keep the reason for stopping under 300 characters.")
        with self.ctx.unit_of_work() as uow:
            medication = find_fact(uow, Medication, medication_id, "medication")
            check_version(medication, expected_version, "medication")
            refuse_if_in_error(medication, "medication")
            if medication.status is MedicationStatus.STOPPED:
                raise DomainError(f"{medication.name} was already stopped.")
            not_in_future(stopped_on, uow, "stop date")
            if medication.started_on and stopped_on < medication.started_on:
                raise DomainError("A medication cannot be stopped before it was started.")
            medication.status = MedicationStatus.STOPPED
            medication.stopped_on = stopped_on
            medication.stop_reason = why
            record_write(uow, "update", CATEGORY, medication, "stopped")
            return _view(uow, medication)

    @requires(Permission.EDIT_CHART)
    def mark_entered_in_error(
        self, medication_id: str, reason: str, expected_version: int | None = None
    ) -> MedicationView:
        with self.ctx.unit_of_work() as uow:
            medication = strike_fact(
                uow, Medication, medication_id, "medication", reason, expected_version, CATEGORY
            )
            return _view(uow, medication)

    @requires(Permission.VIEW_CHART)
    def for_patient(self, patient_id: str, include_stopped: bool = True) -> list[MedicationView]:
        """Active medications by name, then stopped ones (latest stop first), then those
        entered in error; `include_stopped=False` gives the active ones only."""
        with self.ctx.unit_of_work() as uow:
            rows, names = read_chart_facts(uow, Medication, patient_id, CATEGORY)
            views = [_view(uow, m, names) for m in rows]
        if not include_stopped:
            views = [v for v in views if v.is_active]
        return sorted(views, key=_list_order)

    @staticmethod
    def _refuse_duplicate(uow: UnitOfWork, patient_id: str, name: str) -> None:
        """The same drug and strength listed twice is a reconciliation slip."""
        wanted = same_words(name)
        active = uow.session.scalars(
            select(Medication.name).where(
                Medication.patient_id == patient_id,
                Medication.status == MedicationStatus.ACTIVE,
                Medication.error_at.is_(None),
                Medication.deleted_at.is_(None),
            )
        )
        for listed in active:
            if same_words(listed) == wanted:
                raise DomainError(f"{listed} is already on the medication list.")


def _view(
    uow: UnitOfWork, medication: Medication, names: dict[str, str] | None = None
) -> MedicationView:
    if names is None:
        names = staff_names(uow.session, [medication.error_by_id])
    return MedicationView(
        id=medication.id,
        version=medication.version,
        patient_id=medication.patient_id,
        name=medication.name,
        sig=medication.sig,
        started_on=medication.started_on,
        prescriber=medication.prescriber,
        rxnorm_code=medication.rxnorm_code,
        status=medication.status,
        stopped_on=medication.stopped_on,
        stop_reason=medication.stop_reason,
        note=medication.note,
        recorded_at=medication.created_at,
        entered_in_error=error_mark(medication, names),
    )


def _list_order(view: MedicationView) -> tuple[int, int, str]:
    rank = 2 if view.in_error else (0 if view.is_active else 1)
    stopped = -view.stopped_on.toordinal() if view.stopped_on else 0
    return (rank, stopped, same_words(view.name))
