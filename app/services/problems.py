"""The problem list: diagnoses coded with ICD-10-CM, with onset, status and notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from app.models import Problem, ProblemStatus
from app.services.chart_common import chart_patient, check_version
from app.services.chart_lists_data import (
    MAX_NOTE,
    EnteredInError,
    Struck,
    chart_encounter,
    default_icd10_catalog,
    error_mark,
    find_fact,
    icd10_code,
    not_in_future,
    optional_text,
    read_chart_facts,
    record_write,
    refuse_if_in_error,
    staff_names,
    strike_fact,
    today,
)
from app.services.context import AppContext, UnitOfWork, requires
from app.services.errors import DomainError
from app.services.permissions import Permission
from app.terminology.code_sets import CodeSetUnavailable
from app.terminology.icd10cm import Icd10Catalog, Icd10Code

CATEGORY = "problem"
STATUS_LABELS = {
    ProblemStatus.ACTIVE: "Active",
    ProblemStatus.RESOLVED: "Resolved",
    ProblemStatus.INACTIVE: "Inactive",
}
MAX_SEARCH_RESULTS = 100


@dataclass(frozen=True)
class ProblemInput:
    icd10_code: str  # with or without its dot, any case: "E11.9", "e119"
    onset_on: date | None = None
    note: str | None = None
    encounter_id: str | None = None  # the visit it was diagnosed in, if any


@dataclass(frozen=True)
class ProblemChange:
    """The edit form: every field as it should be afterwards (pre-fill it from the view)."""

    status: ProblemStatus
    onset_on: date | None = None
    resolved_on: date | None = None  # resolving without a date means today
    note: str | None = None


@dataclass(frozen=True)
class ProblemView(Struck):
    id: str
    version: int
    patient_id: str
    icd10_code: str  # with its dot: "E11.9"
    description: str
    billable: bool | None  # None only when the code set is not installed on this computer
    status: ProblemStatus
    onset_on: date | None
    resolved_on: date | None
    note: str | None
    encounter_id: str | None
    recorded_at: datetime  # UTC
    entered_in_error: EnteredInError | None

    @property
    def is_active(self) -> bool:
        return self.status is ProblemStatus.ACTIVE and not self.in_error

    @property
    def status_label(self) -> str:
        return "Entered in error" if self.in_error else STATUS_LABELS[self.status]


class ProblemService:
    def __init__(self, ctx: AppContext, catalog: Icd10Catalog | None = None) -> None:
        self.ctx = ctx
        self._catalog = catalog

    @requires(Permission.VIEW_CHART)
    def search_codes(self, text: str, limit: int = 25) -> list[Icd10Code]:
        """ICD-10-CM codes by words or by code. Not audited: it names no patient."""
        return self._codes.search(text, max(0, min(limit, MAX_SEARCH_RESULTS)))

    @requires(Permission.EDIT_CHART)
    def add(self, patient_id: str, data: ProblemInput) -> ProblemView:
        """Put a diagnosis on the list. A category that is not billable may be chosen (it is
        shown as such); the description is the code set's, so the list reads the same
        everywhere."""
        code = icd10_code(self._codes, data.icd10_code)
        note = optional_text(data.note, MAX_NOTE, "note")
        with self.ctx.unit_of_work() as uow:
            chart_patient(uow.session, patient_id)
            not_in_future(data.onset_on, uow, "onset date")
            self._refuse_duplicate(uow, patient_id, code.code)
            problem = Problem(
                patient_id=patient_id,
                icd10_code=code.code,
                description=code.description,
                onset_on=data.onset_on,
                status=ProblemStatus.ACTIVE,
                note=note,
                encounter_id=chart_encounter(uow.session, data.encounter_id, patient_id),
            )
            uow.session.add(problem)
            record_write(uow, "create", CATEGORY, problem)
            return self._view(uow, problem)

    @requires(Permission.EDIT_CHART)
    def update(self, problem_id: str, change: ProblemChange, expected_version: int) -> ProblemView:
        """Change status (resolve with a date, reactivate, inactivate), onset or note."""
        note = optional_text(change.note, MAX_NOTE, "note")
        with self.ctx.unit_of_work() as uow:
            problem = find_fact(uow, Problem, problem_id, "problem")
            check_version(problem, expected_version, "problem")
            refuse_if_in_error(problem, "problem")
            not_in_future(change.onset_on, uow, "onset date")
            resolved_on = self._resolved_on(uow, change)
            if change.onset_on and resolved_on and resolved_on < change.onset_on:
                raise DomainError("A problem cannot be resolved before its onset.")
            reactivated = (
                change.status is ProblemStatus.ACTIVE and problem.status is not ProblemStatus.ACTIVE
            )
            if reactivated:
                self._refuse_duplicate(uow, problem.patient_id, problem.icd10_code)
            detail = (
                f"status {problem.status.value} → {change.status.value}"
                if change.status is not problem.status
                else None
            )
            problem.status = change.status
            problem.onset_on = change.onset_on
            problem.resolved_on = resolved_on
            problem.note = note
            record_write(uow, "update", CATEGORY, problem, detail)
            return self._view(uow, problem)

    @requires(Permission.EDIT_CHART)
    def mark_entered_in_error(
        self, problem_id: str, reason: str, expected_version: int | None = None
    ) -> ProblemView:
        """Strike a problem through (it stays on the list, with who, when and why)."""
        with self.ctx.unit_of_work() as uow:
            problem = strike_fact(
                uow, Problem, problem_id, "problem", reason, expected_version, CATEGORY
            )
            return self._view(uow, problem)

    @requires(Permission.VIEW_CHART)
    def for_patient(self, patient_id: str, include_inactive: bool = True) -> list[ProblemView]:
        """Active problems first (latest onset first), then resolved and inactive ones,
        then those entered in error; `include_inactive=False` gives the active ones only."""
        with self.ctx.unit_of_work() as uow:
            rows, names = read_chart_facts(uow, Problem, patient_id, CATEGORY)
            views = [self._view(uow, p, names) for p in rows]
        if not include_inactive:
            views = [v for v in views if v.is_active]
        return sorted(views, key=_list_order)

    # -- helpers ---------------------------------------------------------------------

    @property
    def _codes(self) -> Icd10Catalog:
        if self._catalog is None:
            self._catalog = default_icd10_catalog()
        return self._catalog

    def _billable(self, code: str) -> bool | None:
        try:
            return self._codes.is_billable(code)
        except CodeSetUnavailable:
            return None  # the list still shows; only the billable mark is unknown

    @staticmethod
    def _refuse_duplicate(uow: UnitOfWork, patient_id: str, code: str) -> None:
        clash = uow.session.scalar(
            select(Problem.description).where(
                Problem.patient_id == patient_id,
                Problem.icd10_code == code,
                Problem.status == ProblemStatus.ACTIVE,
                Problem.error_at.is_(None),
                Problem.deleted_at.is_(None),
            )
        )
        if clash is not None:
            raise DomainError(f"{code} {clash} is already on the problem list.")

    @staticmethod
    def _resolved_on(uow: UnitOfWork, change: ProblemChange) -> date | None:
        if change.status is not ProblemStatus.RESOLVED:
            return None  # reactivating or inactivating clears the resolution date
        resolved_on = change.resolved_on or today(uow)
        not_in_future(resolved_on, uow, "resolved date")
        return resolved_on

    def _view(
        self, uow: UnitOfWork, problem: Problem, names: dict[str, str] | None = None
    ) -> ProblemView:
        if names is None:
            names = staff_names(uow.session, [problem.error_by_id])
        return ProblemView(
            id=problem.id,
            version=problem.version,
            patient_id=problem.patient_id,
            icd10_code=problem.icd10_code,
            description=problem.description,
            billable=self._billable(problem.icd10_code),
            status=problem.status,
            onset_on=problem.onset_on,
            resolved_on=problem.resolved_on,
            note=problem.note,
            encounter_id=problem.encounter_id,
            recorded_at=problem.created_at,
            entered_in_error=error_mark(problem, names),
        )


_STATUS_RANK = {ProblemStatus.ACTIVE: 0, ProblemStatus.RESOLVED: 1, ProblemStatus.INACTIVE: 1}


def _list_order(view: ProblemView) -> tuple[int, int, float]:
    rank = 2 if view.in_error else _STATUS_RANK[view.status]
    # Latest onset first; unknown onsets after dated ones; then newest recorded first.
    onset = -view.onset_on.toordinal() if view.onset_on else 0
    return (rank, onset, -view.recorded_at.timestamp())
