"""Plain data for the chart's summary page and its timeline (frozen, no database)."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from app.models import (
    AllergyType,
    Criticality,
    EncounterStatus,
    EncounterType,
    NoteStatus,
    Severity,
    VitalFlag,
)
from app.services import vitals_catalog as catalog
from app.services.allergies import AllergyState  # the same three states as the banner


@dataclass(frozen=True)
class ProblemLine:
    id: str
    icd10_code: str
    description: str
    onset_on: date | None


@dataclass(frozen=True)
class AllergyLine:
    id: str
    substance: str
    type: AllergyType
    reaction: str | None
    severity: Severity | None
    criticality: Criticality | None

    @property
    def severe(self) -> bool:
        """Marked on the summary: a severe reaction, or a high risk of a life-threatening one."""
        return self.severity is Severity.SEVERE or self.criticality is Criticality.HIGH


@dataclass(frozen=True)
class AllergySummary:
    state: AllergyState
    allergies: tuple[AllergyLine, ...]  # severe ones first, then by substance
    no_known_recorded_at: datetime | None = None  # when "no known allergies" was stated

    @property
    def severe(self) -> tuple[AllergyLine, ...]:
        return tuple(line for line in self.allergies if line.severe)


@dataclass(frozen=True)
class MedicationLine:
    id: str
    name: str
    sig: str | None
    started_on: date | None


@dataclass(frozen=True)
class VitalReading:
    """One measurement, canonical value and UCUM unit as stored, plus the practice's display."""

    loinc_code: str
    label: str  # "Weight" ("LOINC 1234-5" for a code the catalog does not know)
    short: str  # "Wt", for one-line summaries
    value: float  # canonical unit
    unit: str  # canonical UCUM unit
    text: str  # in the practice's units: "182 lb", "98.6 °F", "128/82 mmHg" for blood pressure
    flag: VitalFlag


@dataclass(frozen=True)
class LastVitals:
    vitals_set_id: str
    taken_at: datetime  # UTC
    readings: tuple[VitalReading, ...]  # catalog order; blood pressure as one reading (systolic)


@dataclass(frozen=True)
class RecentVisit:
    encounter_id: str
    starts_at: datetime  # UTC
    type: EncounterType
    type_label: str
    provider_name: str
    reason: str | None
    status: EncounterStatus
    note_status: NoteStatus | None  # the visit's doctor's note (else its latest note); None: none


class DueKind(enum.StrEnum):
    VITALS = "vitals"  # no vitals in the past 12 months
    INFLUENZA = "influenza"  # no influenza vaccine recorded this season (from 6 months of age)
    UNSIGNED_NOTES = "unsigned_notes"  # drafts, or notes waiting for a co-signature


@dataclass(frozen=True)
class DueItem:
    kind: DueKind
    title: str  # "Influenza vaccine"
    detail: str  # "None recorded since Aug 1, 2025"


@dataclass(frozen=True)
class ChartSummary:
    patient_id: str
    today: date  # the practice's
    problems: tuple[ProblemLine, ...]  # active, by description
    allergies: AllergySummary
    medications: tuple[MedicationLine, ...]  # active, by name
    last_vitals: LastVitals | None
    recent_visits: tuple[RecentVisit, ...]  # newest first, at most RECENT_VISITS
    documents_awaiting_review: int
    due: tuple[DueItem, ...]


class TimelineKind(enum.StrEnum):
    ENCOUNTER = "encounter"
    NOTE_SIGNED = "note_signed"
    VITALS = "vitals"
    PROBLEM_ADDED = "problem_added"
    PROBLEM_RESOLVED = "problem_resolved"
    ALLERGY = "allergy"  # an allergy, or the "no known allergies" statement
    MEDICATION_STARTED = "medication_started"
    MEDICATION_STOPPED = "medication_stopped"
    IMMUNIZATION = "immunization"
    DOCUMENT = "document"


@dataclass(frozen=True, order=True)
class TimelineCursor:
    """Where a page of the timeline ended; pass it as `before` for the next page. Entries
    are ordered by (when, kind, item_id), newest first, so paging never skips a tie."""

    when: datetime
    kind: str
    item_id: str


@dataclass(frozen=True)
class TimelineEntry:
    kind: TimelineKind
    when: datetime  # UTC; a date-only fact sits at the start of its day in the practice zone
    date_only: bool  # show the date without a time
    title: str
    detail: str
    entered_in_error: bool
    item_id: str  # the id of the encounter, note, vitals set, problem, ... it stands for

    @property
    def id(self) -> str:
        """Unique in a timeline (a problem can appear twice: added, then resolved)."""
        return f"{self.kind.value}:{self.item_id}"

    @property
    def cursor(self) -> TimelineCursor:
        return TimelineCursor(self.when, self.kind.value, self.item_id)


BLOOD_PRESSURE = ("8480-6", "8462-4")  # LOINC systolic, diastolic
_F = catalog.VitalField
# The order clinicians read a set in: blood pressure first, then the rest.
_READING_RANK = {
    catalog.KINDS[field].loinc_code: rank
    for rank, field in enumerate((
        _F.SYSTOLIC, _F.DIASTOLIC, _F.PULSE, _F.TEMPERATURE, _F.RESPIRATORY_RATE, _F.SPO2,
        _F.PAIN, _F.WEIGHT, _F.HEIGHT, _F.BMI, _F.HEAD_CIRCUMFERENCE,
    ))
}  # fmt: skip


def vital_readings(
    observations: Iterable[tuple[str, float, str, VitalFlag]], system: str, age_years: float
) -> tuple[VitalReading, ...]:
    """One set's (loinc_code, value, unit, flag) rows as readings in the practice's units
    (`system`: "us" or "metric"), blood pressure first and as one "128/82 mmHg" reading."""
    found = {code: (value, unit, flag) for code, value, unit, flag in observations}
    if all(code in found for code in BLOOD_PRESSURE):
        (systolic, unit, high), (diastolic, _, low) = (found.pop(c) for c in BLOOD_PRESSURE)
        found[BLOOD_PRESSURE[0]] = (systolic, unit, catalog.worst_flag(high, low))
        pressure = f"{systolic:.0f}/{diastolic:.0f} mmHg"
    else:
        pressure = None
    readings = []
    for code in sorted(found, key=lambda c: (_READING_RANK.get(c, len(_READING_RANK)), c)):
        value, unit, flag = found[code]
        kind = catalog.BY_LOINC.get(code)
        if kind is None:
            label = f"LOINC {code}"
            readings.append(
                VitalReading(code, label, label, value, unit, f"{value:g} {unit}", flag)
            )
        elif code == BLOOD_PRESSURE[0] and pressure:
            readings.append(VitalReading(code, "Blood pressure", "BP", value, unit, pressure, flag))
        else:
            infant = age_years < catalog.INFANT_OUNCES_AGE
            text = catalog.format_with_unit(kind.field, value, system, infant=infant)
            readings.append(VitalReading(code, kind.label, kind.short, value, unit, text, flag))
    return tuple(readings)
