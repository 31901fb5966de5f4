"""History: past medical and surgical, family, and social (smoking, alcohol, occupation)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.models import FamilyHistory, HistoryKind, PastHistory, SmokingStatus, SocialHistory
from app.services.chart_common import chart_patient, check_version
from app.services.chart_lists_data import (
    MAX_NOTE,
    EnteredInError,
    Struck,
    default_icd10_catalog,
    error_mark,
    icd10_code,
    optional_text,
    read_chart_facts,
    record_read,
    record_write,
    staff_names,
    strike_fact,
)
from app.services.context import AppContext, UnitOfWork, requires
from app.services.errors import ConcurrentChange, DomainError
from app.services.permissions import Permission
from app.terminology.icd10cm import Icd10Catalog

CATEGORY = "history"
MAX_AGE_AT_ONSET = 120

# Keys are stored (FamilyHistory.relative); labels are shown, in this order.
RELATIVES: dict[str, str] = {
    "mother": "Mother",
    "father": "Father",
    "sister": "Sister",
    "brother": "Brother",
    "daughter": "Daughter",
    "son": "Son",
    "maternal_grandmother": "Maternal grandmother",
    "maternal_grandfather": "Maternal grandfather",
    "paternal_grandmother": "Paternal grandmother",
    "paternal_grandfather": "Paternal grandfather",
    "aunt": "Aunt",
    "uncle": "Uncle",
    "other": "Other relative",
}

# The answers of LOINC 72166-2 as US Core words them.
SMOKING_LABELS: dict[SmokingStatus, str] = {
    SmokingStatus.NEVER: "Never smoker",
    SmokingStatus.FORMER: "Former smoker",
    SmokingStatus.CURRENT_EVERY_DAY: "Current every day smoker",
    SmokingStatus.CURRENT_SOME_DAYS: "Current some day smoker",
    SmokingStatus.CURRENT_UNKNOWN_FREQUENCY: "Current smoker, frequency unknown",
    SmokingStatus.UNKNOWN: "Unknown if ever smoked",
}
KIND_LABELS = {HistoryKind.MEDICAL: "Medical", HistoryKind.SURGICAL: "Surgical"}


@dataclass(frozen=True)
class PastHistoryInput:
    kind: HistoryKind
    description: str  # "Appendectomy"; may be left blank when a code is chosen
    icd10_code: str | None = None
    when_text: str | None = None  # "2015", "childhood", "Mar 2019"
    note: str | None = None


@dataclass(frozen=True)
class PastHistoryView(Struck):
    id: str
    version: int
    patient_id: str
    kind: HistoryKind
    description: str
    icd10_code: str | None
    when_text: str | None
    note: str | None
    recorded_at: datetime  # UTC
    entered_in_error: EnteredInError | None

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass(frozen=True)
class FamilyHistoryInput:
    relative: str  # a key of RELATIVES
    condition: str  # may be left blank when a code is chosen
    icd10_code: str | None = None
    age_at_onset: int | None = None
    deceased: bool = False
    note: str | None = None


@dataclass(frozen=True)
class FamilyHistoryView(Struck):
    id: str
    version: int
    patient_id: str
    relative: str
    condition: str
    icd10_code: str | None
    age_at_onset: int | None
    deceased: bool
    note: str | None
    recorded_at: datetime  # UTC
    entered_in_error: EnteredInError | None

    @property
    def relative_label(self) -> str:
        return RELATIVES.get(self.relative, self.relative)


@dataclass(frozen=True)
class SocialInput:
    smoking_status: SmokingStatus = SmokingStatus.UNKNOWN
    tobacco_note: str | None = None  # packs a day, years, quit date
    alcohol: str | None = None
    drugs: str | None = None
    occupation: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class SocialView:
    """The patient's social history; `id`/`version` are None until it is first saved."""

    patient_id: str
    id: str | None
    version: int | None
    smoking_status: SmokingStatus
    tobacco_note: str | None
    alcohol: str | None
    drugs: str | None
    occupation: str | None
    note: str | None
    updated_at: datetime | None  # UTC; None: never recorded

    @property
    def recorded(self) -> bool:
        return self.id is not None

    @property
    def smoking_label(self) -> str:
        return SMOKING_LABELS[self.smoking_status]


class HistoryService:
    def __init__(self, ctx: AppContext, catalog: Icd10Catalog | None = None) -> None:
        self.ctx = ctx
        self._catalog = catalog

    # -- past medical and surgical ---------------------------------------------------

    @requires(Permission.EDIT_CHART)
    def add_past(self, patient_id: str, data: PastHistoryInput) -> PastHistoryView:
        code, description = self._coded(data.icd10_code, data.description, 300, "description")
        when_text = optional_text(data.when_text, 40, "when")
        note = optional_text(data.note, MAX_NOTE, "note")
        with self.ctx.unit_of_work() as uow:
            chart_patient(uow.session, patient_id)
            entry = PastHistory(
                patient_id=patient_id,
                kind=data.kind,
                description=description,
                icd10_code=code,
                when_text=when_text,
                note=note,
            )
            uow.session.add(entry)
            record_write(uow, "create", CATEGORY, entry, f"past {data.kind.value}")
            return _past_view(entry, {})

    @requires(Permission.EDIT_CHART)
    def mark_past_entered_in_error(
        self, entry_id: str, reason: str, expected_version: int | None = None
    ) -> PastHistoryView:
        with self.ctx.unit_of_work() as uow:
            entry = strike_fact(
                uow,
                PastHistory,
                entry_id,
                "history entry",
                reason,
                expected_version,
                CATEGORY,
                lambda past: f"past {past.kind.value}",
            )
            return _past_view(entry, staff_names(uow.session, [entry.error_by_id]))

    @requires(Permission.VIEW_CHART)
    def past_history(self, patient_id: str) -> list[PastHistoryView]:
        """Medical, then surgical, newest recorded first; entries in error last."""
        with self.ctx.unit_of_work() as uow:
            rows, names = read_chart_facts(uow, PastHistory, patient_id, CATEGORY)
            views = [_past_view(r, names) for r in rows]
        kinds = list(HistoryKind)
        return sorted(
            views,
            key=lambda v: (v.in_error, kinds.index(v.kind), -v.recorded_at.timestamp()),
        )

    # -- family ----------------------------------------------------------------------

    @requires(Permission.EDIT_CHART)
    def add_family(self, patient_id: str, data: FamilyHistoryInput) -> FamilyHistoryView:
        if data.relative not in RELATIVES:
            raise DomainError("Choose the relative from the list.")
        code, condition = self._coded(data.icd10_code, data.condition, 300, "condition")
        age = data.age_at_onset
        if age is not None and not 0 <= age <= MAX_AGE_AT_ONSET:
            raise DomainError(f"Age at onset is between 0 and {MAX_AGE_AT_ONSET} years.")
        note = optional_text(data.note, MAX_NOTE, "note")
        with self.ctx.unit_of_work() as uow:
            chart_patient(uow.session, patient_id)
            entry = FamilyHistory(
                patient_id=patient_id,
                relative=data.relative,
                condition=condition,
                icd10_code=code,
                age_at_onset=age,
                deceased=data.deceased,
                note=note,
            )
            uow.session.add(entry)
            record_write(uow, "create", CATEGORY, entry, "family")
            return _family_view(entry, {})

    @requires(Permission.EDIT_CHART)
    def mark_family_entered_in_error(
        self, entry_id: str, reason: str, expected_version: int | None = None
    ) -> FamilyHistoryView:
        with self.ctx.unit_of_work() as uow:
            entry = strike_fact(
                uow,
                FamilyHistory,
                entry_id,
                "family history entry",
                reason,
                expected_version,
                CATEGORY,
                "family",
            )
            return _family_view(entry, staff_names(uow.session, [entry.error_by_id]))

    @requires(Permission.VIEW_CHART)
    def family_history(self, patient_id: str) -> list[FamilyHistoryView]:
        """By relative in the order of RELATIVES; entries in error last."""
        with self.ctx.unit_of_work() as uow:
            rows, names = read_chart_facts(uow, FamilyHistory, patient_id, CATEGORY)
            views = [_family_view(r, names) for r in rows]
        order = list(RELATIVES)
        return sorted(
            views,
            key=lambda v: (
                v.in_error,
                order.index(v.relative) if v.relative in RELATIVES else len(order),
                v.recorded_at,
            ),
        )

    # -- social ----------------------------------------------------------------------

    @requires(Permission.VIEW_CHART)
    def social(self, patient_id: str) -> SocialView:
        with self.ctx.unit_of_work() as uow:
            chart_patient(uow.session, patient_id)
            row = self._social_row(uow, patient_id)
            record_read(uow, CATEGORY, patient_id)
            return _social_view(patient_id, row)

    @requires(Permission.EDIT_CHART)
    def save_social(
        self, patient_id: str, data: SocialInput, expected_version: int | None
    ) -> SocialView:
        """Save the answers; the first save creates the record (pass expected_version None,
        as the view read before it says)."""
        values = {
            "smoking_status": data.smoking_status,
            "tobacco_note": optional_text(data.tobacco_note, 300, "tobacco note"),
            "alcohol": optional_text(data.alcohol, 300, "alcohol use"),
            "drugs": optional_text(data.drugs, 300, "drug use"),
            "occupation": optional_text(data.occupation, 200, "occupation"),
            "note": optional_text(data.note, MAX_NOTE, "note"),
        }
        with self.ctx.unit_of_work() as uow:
            chart_patient(uow.session, patient_id)
            row = self._social_row(uow, patient_id)
            if row is None:
                row = SocialHistory(patient_id=patient_id, **values)
                uow.session.add(row)
                action = "create"
            else:
                if expected_version is None:
                    raise ConcurrentChange(
                        "Someone else recorded this social history first; reload it and "
                        "make your change again."
                    )
                check_version(row, expected_version, "social history")
                for field, value in values.items():
                    setattr(row, field, value)
                action = "update"
            record_write(uow, action, CATEGORY, row, "social")
            return _social_view(patient_id, row)

    # -- helpers ---------------------------------------------------------------------

    @property
    def _codes(self) -> Icd10Catalog:
        if self._catalog is None:
            self._catalog = default_icd10_catalog()
        return self._catalog

    def _coded(self, code: str | None, text: str, limit: int, what: str) -> tuple[str | None, str]:
        """An optional ICD-10-CM code (checked) and the text, which defaults to the code's."""
        typed = optional_text(text, limit, what)
        if code is None or not code.strip():
            if typed is None:
                raise DomainError(f"Enter the {what}.")
            return None, typed
        found = icd10_code(self._codes, code)
        return found.code, typed or found.description[:limit]

    @staticmethod
    def _social_row(uow: UnitOfWork, patient_id: str) -> SocialHistory | None:
        return uow.session.scalar(
            select(SocialHistory).where(
                SocialHistory.patient_id == patient_id, SocialHistory.deleted_at.is_(None)
            )
        )


def _past_view(entry: PastHistory, names: dict[str, str]) -> PastHistoryView:
    return PastHistoryView(
        id=entry.id,
        version=entry.version,
        patient_id=entry.patient_id,
        kind=entry.kind,
        description=entry.description,
        icd10_code=entry.icd10_code,
        when_text=entry.when_text,
        note=entry.note,
        recorded_at=entry.created_at,
        entered_in_error=error_mark(entry, names),
    )


def _family_view(entry: FamilyHistory, names: dict[str, str]) -> FamilyHistoryView:
    return FamilyHistoryView(
        id=entry.id,
        version=entry.version,
        patient_id=entry.patient_id,
        relative=entry.relative,
        condition=entry.condition,
        icd10_code=entry.icd10_code,
        age_at_onset=entry.age_at_onset,
        deceased=entry.deceased,
        note=entry.note,
        recorded_at=entry.created_at,
        entered_in_error=error_mark(entry, names),
    )


def _social_view(patient_id: str, row: SocialHistory | None) -> SocialView:
    if row is None:
        return SocialView(
            patient_id, None, None, SmokingStatus.UNKNOWN, None, None, None, None, None, None
        )
    return SocialView(
        patient_id=patient_id,
        id=row.id,
        version=row.version,
        smoking_status=row.smoking_status,
        tobacco_note=row.tobacco_note,
        alcohol=row.alcohol,
        drugs=row.drugs,
        occupation=row.occupation,
        note=row.note,
        updated_at=row.updated_at,
    )
