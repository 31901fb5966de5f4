"""Plain data going into and out of the patient services (safe across threads)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.models import PatientStatus, PhoneKind, SexAtBirth


@dataclass(frozen=True)
class PhoneInput:
    number: str
    kind: PhoneKind = PhoneKind.MOBILE


@dataclass(frozen=True)
class ContactInput:
    name: str
    relationship: str
    phone: str


@dataclass(frozen=True)
class PatientInput:
    """What the registration form collects. Text fields are trimmed; blanks become None."""

    first_name: str
    last_name: str
    date_of_birth: date | str
    sex_at_birth: SexAtBirth
    middle_name: str | None = None
    suffix: str | None = None
    preferred_name: str | None = None
    gender_identity: str | None = None
    pronouns: str | None = None
    phones: tuple[PhoneInput, ...] = ()
    email: str | None = None
    address_line1: str | None = None
    address_line2: str | None = None
    city: str | None = None
    state: str | None = None
    postal_code: str | None = None
    preferred_language: str | None = None
    race: str | None = None
    ethnicity: str | None = None
    consent_sms: bool = False
    consent_email: bool = False
    consent_voicemail: bool = False
    emergency_contacts: tuple[ContactInput, ...] = ()
    guarantor_patient_id: str | None = None
    guarantor_name: str | None = None
    guarantor_relationship: str | None = None
    guarantor_phone: str | None = None


@dataclass(frozen=True)
class PhoneView:
    kind: PhoneKind
    number: str  # E.164
    display: str  # (312) 555-0123


@dataclass(frozen=True)
class ContactView:
    name: str
    relationship: str
    phone: str


@dataclass(frozen=True)
class PatientRecord:
    id: str
    version: int
    mrn: str
    first_name: str
    middle_name: str | None
    last_name: str
    suffix: str | None
    preferred_name: str | None
    date_of_birth: date
    age: str
    sex_at_birth: SexAtBirth
    gender_identity: str | None
    pronouns: str | None
    email: str | None
    address_line1: str | None
    address_line2: str | None
    city: str | None
    state: str | None
    postal_code: str | None
    preferred_language: str | None
    race: str | None
    ethnicity: str | None
    status: PatientStatus
    deceased_on: date | None
    consent_sms: bool
    consent_email: bool
    consent_voicemail: bool
    guarantor_patient_id: str | None
    guarantor_name: str | None
    guarantor_relationship: str | None
    guarantor_phone: str | None
    merged_into_id: str | None
    phones: tuple[PhoneView, ...] = field(default=())
    contacts: tuple[ContactView, ...] = field(default=())

    @property
    def display_name(self) -> str:
        """ "Last, First M." with the preferred name in quotes when it differs."""
        middle = f" {self.middle_name[0]}." if self.middle_name else ""
        suffix = f" {self.suffix}" if self.suffix else ""
        preferred = (
            f" “{self.preferred_name}”"
            if self.preferred_name and self.preferred_name != self.first_name
            else ""
        )
        return f"{self.last_name}{suffix}, {self.first_name}{middle}{preferred}"

    @property
    def primary_phone(self) -> str | None:
        return self.phones[0].display if self.phones else None
