"""The chart's lists: problems, allergies, medications, history, immunizations."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, SyncMixin, enum_column
from app.models.clinical_base import EnteredInErrorMixin


class ProblemStatus(enum.StrEnum):
    ACTIVE = "active"
    RESOLVED = "resolved"
    INACTIVE = "inactive"


class Problem(EnteredInErrorMixin, SyncMixin, Base):
    __tablename__ = "problem"

    patient_id: Mapped[str] = mapped_column(ForeignKey("patient.id"), index=True)
    icd10_code: Mapped[str] = mapped_column(String(10))
    description: Mapped[str] = mapped_column(String(300))  # the code's text, kept as chosen
    onset_on: Mapped[date | None] = mapped_column()
    status: Mapped[ProblemStatus] = mapped_column(
        enum_column(ProblemStatus), default=ProblemStatus.ACTIVE
    )
    resolved_on: Mapped[date | None] = mapped_column()
    note: Mapped[str | None] = mapped_column(String(1000))
    encounter_id: Mapped[str | None] = mapped_column(ForeignKey("encounter.id"))


class AllergyCategory(enum.StrEnum):
    MEDICATION = "medication"
    FOOD = "food"
    ENVIRONMENT = "environment"
    OTHER = "other"


class AllergyType(enum.StrEnum):
    ALLERGY = "allergy"
    INTOLERANCE = "intolerance"


class Severity(enum.StrEnum):
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"


class Criticality(enum.StrEnum):
    """FHIR AllergyIntolerance.criticality: the risk of a future life-threatening reaction."""

    LOW = "low"
    HIGH = "high"
    UNABLE_TO_ASSESS = "unable-to-assess"


class AllergyStatus(enum.StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"
    RESOLVED = "resolved"


class Allergy(EnteredInErrorMixin, SyncMixin, Base):
    """One allergy or intolerance, or (no_known=True) the explicit "no known allergies"."""

    __tablename__ = "allergy"

    patient_id: Mapped[str] = mapped_column(ForeignKey("patient.id"), index=True)
    no_known: Mapped[bool] = mapped_column(default=False)
    substance: Mapped[str] = mapped_column(String(200))
    category: Mapped[AllergyCategory] = mapped_column(
        enum_column(AllergyCategory), default=AllergyCategory.MEDICATION
    )
    type: Mapped[AllergyType] = mapped_column(enum_column(AllergyType), default=AllergyType.ALLERGY)
    reaction: Mapped[str | None] = mapped_column(String(300))
    severity: Mapped[Severity | None] = mapped_column(enum_column(Severity))
    criticality: Mapped[Criticality | None] = mapped_column(enum_column(Criticality))
    onset_on: Mapped[date | None] = mapped_column()
    status: Mapped[AllergyStatus] = mapped_column(
        enum_column(AllergyStatus), default=AllergyStatus.ACTIVE
    )
    note: Mapped[str | None] = mapped_column(String(1000))


class MedicationStatus(enum.StrEnum):
    ACTIVE = "active"
    STOPPED = "stopped"


class Medication(EnteredInErrorMixin, SyncMixin, Base):
    __tablename__ = "medication"

    patient_id: Mapped[str] = mapped_column(ForeignKey("patient.id"), index=True)
    name: Mapped[str] = mapped_column(
        String(200)
    )  # drug and strength, e.g. "Metformin 500 mg tablet"
    rxnorm_code: Mapped[str | None] = mapped_column(String(20))
    sig: Mapped[str | None] = mapped_column(String(300))  # how to take it
    started_on: Mapped[date | None] = mapped_column()
    status: Mapped[MedicationStatus] = mapped_column(
        enum_column(MedicationStatus), default=MedicationStatus.ACTIVE
    )
    stopped_on: Mapped[date | None] = mapped_column()
    stop_reason: Mapped[str | None] = mapped_column(String(300))
    prescriber: Mapped[str | None] = mapped_column(String(200))  # may be outside the practice
    note: Mapped[str | None] = mapped_column(String(1000))


class HistoryKind(enum.StrEnum):
    MEDICAL = "medical"
    SURGICAL = "surgical"


class PastHistory(EnteredInErrorMixin, SyncMixin, Base):
    """Past medical or surgical history: what happened and roughly when."""

    __tablename__ = "past_history"

    patient_id: Mapped[str] = mapped_column(ForeignKey("patient.id"), index=True)
    kind: Mapped[HistoryKind] = mapped_column(enum_column(HistoryKind))
    description: Mapped[str] = mapped_column(String(300))
    icd10_code: Mapped[str | None] = mapped_column(String(10))
    when_text: Mapped[str | None] = mapped_column(String(40))  # "2015", "childhood", "Mar 2019"
    note: Mapped[str | None] = mapped_column(String(1000))


class FamilyHistory(EnteredInErrorMixin, SyncMixin, Base):
    __tablename__ = "family_history"

    patient_id: Mapped[str] = mapped_column(ForeignKey("patient.id"), index=True)
    relative: Mapped[str] = mapped_column(String(40))  # a key of services' RELATIVES
    condition: Mapped[str] = mapped_column(String(300))
    icd10_code: Mapped[str | None] = mapped_column(String(10))
    age_at_onset: Mapped[int | None] = mapped_column(Integer)
    deceased: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str | None] = mapped_column(String(1000))


class SmokingStatus(enum.StrEnum):
    """The answers of LOINC 72166-2 (tobacco smoking status), by their SNOMED CT meaning."""

    NEVER = "never"
    FORMER = "former"
    CURRENT_EVERY_DAY = "current_every_day"
    CURRENT_SOME_DAYS = "current_some_days"
    CURRENT_UNKNOWN_FREQUENCY = "current_unknown_frequency"
    UNKNOWN = "unknown"


class SocialHistory(SyncMixin, Base):
    """One editable record per patient (the latest answers; the audit keeps who changed it)."""

    __tablename__ = "social_history"

    patient_id: Mapped[str] = mapped_column(ForeignKey("patient.id"), unique=True)
    smoking_status: Mapped[SmokingStatus] = mapped_column(
        enum_column(SmokingStatus, length=30), default=SmokingStatus.UNKNOWN
    )
    tobacco_note: Mapped[str | None] = mapped_column(String(300))  # packs/day, quit date
    alcohol: Mapped[str | None] = mapped_column(String(300))
    drugs: Mapped[str | None] = mapped_column(String(300))
    occupation: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(String(1000))


class Immunization(EnteredInErrorMixin, SyncMixin, Base):
    __tablename__ = "immunization"

    patient_id: Mapped[str] = mapped_column(ForeignKey("patient.id"), index=True)
    cvx_code: Mapped[str] = mapped_column(String(4))
    vaccine: Mapped[str] = mapped_column(String(200))
    given_on: Mapped[date] = mapped_column()
    given_here: Mapped[bool] = mapped_column(default=True)  # False: reported (another clinic)
    source: Mapped[str | None] = mapped_column(String(200))  # where, when given elsewhere
    lot_number: Mapped[str | None] = mapped_column(String(40))
    expires_on: Mapped[date | None] = mapped_column()
    site: Mapped[str | None] = mapped_column(String(40))  # "left deltoid"
    route: Mapped[str | None] = mapped_column(String(20))  # "IM"
    dose: Mapped[str | None] = mapped_column(String(40))  # "0.5 mL"
    given_by_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))
    encounter_id: Mapped[str | None] = mapped_column(ForeignKey("encounter.id"))
    note: Mapped[str | None] = mapped_column(String(1000))
