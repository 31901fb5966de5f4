"""Allergies and intolerances, and "no known allergies" as an explicit statement.

A chart is in one of three states, which the patient banner must tell apart: allergies are
listed; someone asked and recorded "no known allergies"; or nobody has recorded anything
(which is not the same as having none).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from app.models import (
    Allergy,
    AllergyCategory,
    AllergyStatus,
    AllergyType,
    Criticality,
    Severity,
)
from app.services.chart_common import chart_patient, check_version
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

CATEGORY = "allergy"
NO_KNOWN_ALLERGIES = "No known allergies"
NOT_RECORDED = "Allergies not recorded"
STATUS_LABELS = {
    AllergyStatus.ACTIVE: "Active",
    AllergyStatus.INACTIVE: "Inactive",
    AllergyStatus.RESOLVED: "Resolved",
}


class AllergyState(enum.StrEnum):
    """What the banner shows."""

    LISTED = "listed"  # at least one active allergy
    NO_KNOWN = "no_known"  # "No known allergies" was recorded and still stands
    NOT_RECORDED = "not_recorded"  # nobody has recorded either


@dataclass(frozen=True)
class AllergyInput:
    substance: str  # "Penicillin", "Peanut", "Latex"
    category: AllergyCategory = AllergyCategory.MEDICATION
    type: AllergyType = AllergyType.ALLERGY
    reaction: str | None = None  # "hives", "anaphylaxis"
    severity: Severity | None = None
    criticality: Criticality | None = None
    onset_on: date | None = None
    note: str | None = None


@dataclass(frozen=True)
class AllergyChange:
    """The edit form: every editable field as it should be afterwards."""

    status: AllergyStatus
    reaction: str | None = None
    severity: Severity | None = None
    criticality: Criticality | None = None
    note: str | None = None


@dataclass(frozen=True)
class AllergyView(Struck):
    id: str
    version: int
    patient_id: str
    no_known: bool  # True: this row is the "No known allergies" statement itself
    substance: str
    category: AllergyCategory
    type: AllergyType
    reaction: str | None
    severity: Severity | None
    criticality: Criticality | None
    onset_on: date | None
    status: AllergyStatus
    note: str | None
    recorded_at: datetime  # UTC
    entered_in_error: EnteredInError | None

    @property
    def is_active(self) -> bool:
        return self.status is AllergyStatus.ACTIVE and not self.in_error

    @property
    def high_risk(self) -> bool:
        """Severe reactions or a high risk of a life-threatening one: show it loudly."""
        return (
            self.is_active
            and not self.no_known
            and (self.severity is Severity.SEVERE or self.criticality is Criticality.HIGH)
        )

    @property
    def status_label(self) -> str:
        return "Entered in error" if self.in_error else STATUS_LABELS[self.status]


@dataclass(frozen=True)
class AllergyList:
    """A patient's allergy record: every row (for the tab) and what the banner says."""

    patient_id: str
    entries: tuple[AllergyView, ...]  # active first, then inactive/resolved, then in error

    @property
    def active(self) -> tuple[AllergyView, ...]:
        """The allergies that stand (the "no known allergies" statement is not one)."""
        return tuple(e for e in self.entries if e.is_active and not e.no_known)

    @property
    def no_known_statement(self) -> AllergyView | None:
        return next((e for e in self.entries if e.is_active and e.no_known), None)

    @property
    def state(self) -> AllergyState:
        if self.active:
            return AllergyState.LISTED
        if self.no_known_statement is not None:
            return AllergyState.NO_KNOWN
        return AllergyState.NOT_RECORDED

    @property
    def has_high_risk(self) -> bool:
        return any(e.high_risk for e in self.active)

    @property
    def banner_text(self) -> str:
        """ "Penicillin, Peanut" / "No known allergies" / "Allergies not recorded"."""
        state = self.state
        if state is AllergyState.LISTED:
            return ", ".join(e.substance for e in self.active)
        return NO_KNOWN_ALLERGIES if state is AllergyState.NO_KNOWN else NOT_RECORDED


class AllergyService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @requires(Permission.EDIT_CHART)
    def add(self, patient_id: str, data: AllergyInput) -> AllergyView:
        """Record an allergy; a standing "no known allergies" is retired in the same step."""
        substance = required_text(data.substance, 200, "substance")
        if same_words(substance) in _NO_KNOWN_WORDS:
            raise DomainError('Use "No known allergies" to record that the patient has none.')
        reaction = optional_text(data.reaction, 300, "reaction")
        note = optional_text(data.note, MAX_NOTE, "note")
        with self.ctx.unit_of_work() as uow:
            chart_patient(uow.session, patient_id)
            not_in_future(data.onset_on, uow, "onset date")
            self._refuse_duplicate(uow, patient_id, substance)
            allergy = Allergy(
                patient_id=patient_id,
                no_known=False,
                substance=substance,
                category=data.category,
                type=data.type,
                reaction=reaction,
                severity=data.severity,
                criticality=data.criticality,
                onset_on=data.onset_on,
                status=AllergyStatus.ACTIVE,
                note=note,
            )
            uow.session.add(allergy)
            record_write(uow, "create", CATEGORY, allergy)
            self._retire_no_known(uow, patient_id)
            return self._view(uow, allergy)

    @requires(Permission.EDIT_CHART)
    def record_no_known_allergies(self, patient_id: str) -> AllergyView:
        """The patient was asked and has no known allergies (refused while any stands)."""
        with self.ctx.unit_of_work() as uow:
            chart_patient(uow.session, patient_id)
            standing = self._active(uow, patient_id)
            if any(not a.no_known for a in standing):
                raise DomainError(
                    "This patient has allergies on the list: inactivate them (or mark them "
                    'entered in error) before recording "No known allergies".'
                )
            if standing:
                raise DomainError('"No known allergies" is already recorded for this patient.')
            statement = Allergy(
                patient_id=patient_id,
                no_known=True,
                substance=NO_KNOWN_ALLERGIES,
                category=AllergyCategory.OTHER,
                type=AllergyType.ALLERGY,
                status=AllergyStatus.ACTIVE,
            )
            uow.session.add(statement)
            record_write(uow, "create", CATEGORY, statement, "no known allergies")
            return self._view(uow, statement)

    @requires(Permission.EDIT_CHART)
    def update(self, allergy_id: str, change: AllergyChange, expected_version: int) -> AllergyView:
        """Inactivate, resolve or reactivate an allergy; change reaction, severity, note."""
        reaction = optional_text(change.reaction, 300, "reaction")
        note = optional_text(change.note, MAX_NOTE, "note")
        with self.ctx.unit_of_work() as uow:
            allergy = find_fact(uow, Allergy, allergy_id, "allergy")
            check_version(allergy, expected_version, "allergy")
            refuse_if_in_error(allergy, "allergy")
            if allergy.no_known:
                raise DomainError(
                    'To change "No known allergies", record the allergy (it replaces the '
                    "statement) or mark the statement entered in error."
                )
            reactivated = (
                change.status is AllergyStatus.ACTIVE and allergy.status is not AllergyStatus.ACTIVE
            )
            if reactivated:
                self._refuse_duplicate(uow, allergy.patient_id, allergy.substance)
                self._retire_no_known(uow, allergy.patient_id)
            detail = (
                f"status {allergy.status.value} → {change.status.value}"
                if change.status is not allergy.status
                else None
            )
            allergy.status = change.status
            allergy.reaction = reaction
            allergy.severity = change.severity
            allergy.criticality = change.criticality
            allergy.note = note
            record_write(uow, "update", CATEGORY, allergy, detail)
            return self._view(uow, allergy)

    @requires(Permission.EDIT_CHART)
    def mark_entered_in_error(
        self, allergy_id: str, reason: str, expected_version: int | None = None
    ) -> AllergyView:
        with self.ctx.unit_of_work() as uow:
            allergy = strike_fact(
                uow, Allergy, allergy_id, "allergy", reason, expected_version, CATEGORY
            )
            return self._view(uow, allergy)

    @requires(Permission.VIEW_CHART)
    def for_patient(self, patient_id: str) -> AllergyList:
        with self.ctx.unit_of_work() as uow:
            rows, names = read_chart_facts(uow, Allergy, patient_id, CATEGORY)
            views = [self._view(uow, a, names) for a in rows]
        return AllergyList(patient_id, tuple(sorted(views, key=_list_order)))

    # -- helpers ---------------------------------------------------------------------

    @staticmethod
    def _active(uow: UnitOfWork, patient_id: str) -> list[Allergy]:
        return list(
            uow.session.scalars(
                select(Allergy).where(
                    Allergy.patient_id == patient_id,
                    Allergy.status == AllergyStatus.ACTIVE,
                    Allergy.error_at.is_(None),
                    Allergy.deleted_at.is_(None),
                )
            )
        )

    def _refuse_duplicate(self, uow: UnitOfWork, patient_id: str, substance: str) -> None:
        wanted = same_words(substance)
        for allergy in self._active(uow, patient_id):
            if not allergy.no_known and same_words(allergy.substance) == wanted:
                raise DomainError(f"{allergy.substance} is already on the allergy list.")

    def _retire_no_known(self, uow: UnitOfWork, patient_id: str) -> None:
        """An allergy now stands, so "no known allergies" no longer does."""
        for statement in self._active(uow, patient_id):
            if statement.no_known:
                statement.status = AllergyStatus.INACTIVE
                record_write(uow, "update", CATEGORY, statement, "no known allergies retired")

    @staticmethod
    def _view(
        uow: UnitOfWork, allergy: Allergy, names: dict[str, str] | None = None
    ) -> AllergyView:
        if names is None:
            names = staff_names(uow.session, [allergy.error_by_id])
        return AllergyView(
            id=allergy.id,
            version=allergy.version,
            patient_id=allergy.patient_id,
            no_known=allergy.no_known,
            substance=allergy.substance,
            category=allergy.category,
            type=allergy.type,
            reaction=allergy.reaction,
            severity=allergy.severity,
            criticality=allergy.criticality,
            onset_on=allergy.onset_on,
            status=allergy.status,
            note=allergy.note,
            recorded_at=allergy.created_at,
            entered_in_error=error_mark(allergy, names),
        )


# Typed as a substance, these mean the statement, which has its own button.
_NO_KNOWN_WORDS = {same_words(w) for w in (NO_KNOWN_ALLERGIES, "NKA", "none", "no known")}


def _list_order(view: AllergyView) -> tuple[int, int, str]:
    rank = 2 if view.in_error else (0 if view.is_active else 1)
    # High-risk allergies lead the active ones; then by name, as the banner reads them.
    return (rank, 0 if view.high_risk else 1, same_words(view.substance))
