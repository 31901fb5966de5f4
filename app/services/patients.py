"""Registering and keeping patients' demographics: the receptionist's use cases."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from app.models import (
    EmergencyContact,
    Patient,
    PatientPhone,
    PatientStatus,
    PhoneKind,
    Practice,
)
from app.models.search_index import remember_surnames
from app.services.audit_chain import AuditEntry
from app.services.bus import PatientsChanged
from app.services.context import AppContext, UnitOfWork, requires
from app.services.errors import ConcurrentChange, DomainError, NotFound
from app.services.numbering import next_number
from app.services.patient_data import (
    ContactInput,
    ContactView,
    PatientInput,
    PatientRecord,
    PhoneInput,
    PhoneView,
)
from app.services.patient_keys import (
    age_label,
    age_on,
    display_phone,
    fold,
    national_digits_reversed,
    normalise_email,
    normalise_phone,
    parse_birth_date,
    sound_key,
)
from app.services.permissions import Permission

if TYPE_CHECKING:
    from app.services.patient_search import DuplicateCandidate

MRN_COUNTER = "mrn"
ADULT_AGE = 18
MAX_IMAGE_BYTES = 5 * 1024 * 1024
_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")


class PossibleDuplicate(DomainError):
    """Likely existing records; the caller shows them and may confirm to save anyway."""

    def __init__(self, candidates: list[DuplicateCandidate]) -> None:
        names = "; ".join(f"{c.hit.display_name} ({c.hit.mrn})" for c in candidates[:3])
        super().__init__(f"This patient may already be registered: {names}.")
        self.candidates = candidates


def practice_today(session: Session, now: datetime) -> date:
    zone = session.scalar(select(Practice.time_zone).limit(1)) or "UTC"
    return now.astimezone(ZoneInfo(zone)).date()


def check_image(data: bytes | None, what: str) -> bytes | None:
    if data is None:
        return None
    if len(data) > MAX_IMAGE_BYTES:
        raise DomainError(f"The {what} is larger than 5 MB; scan it at a lower resolution.")
    if not data.startswith(_IMAGE_MAGIC):
        raise DomainError(f"The {what} must be a JPEG or PNG image.")
    return data


def set_search_keys(patient: Patient) -> None:
    """Keep the folded and phonetic search columns in step with the names."""
    patient.last_key = fold(patient.last_name)
    patient.first_key = fold(patient.first_name)
    patient.preferred_key = fold(patient.preferred_name) or None
    patient.last_sound = sound_key(patient.last_name)


def new_phone(kind: PhoneKind, e164: str) -> PatientPhone:
    return PatientPhone(kind=kind, number=e164, digits_reversed=national_digits_reversed(e164))


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _touch(patient: Patient, now: datetime) -> None:
    """A changed phone or contact is a new version of the record, so stale edits are refused."""
    patient.updated_at = now
    flag_modified(patient, "updated_at")  # even when the clock has not moved


def to_record(patient: Patient, today: date) -> PatientRecord:
    return PatientRecord(
        id=patient.id,
        version=patient.version,
        mrn=patient.mrn,
        first_name=patient.first_name,
        middle_name=patient.middle_name,
        last_name=patient.last_name,
        suffix=patient.suffix,
        preferred_name=patient.preferred_name,
        date_of_birth=patient.date_of_birth,
        age=age_label(patient.date_of_birth, patient.deceased_on or today),
        sex_at_birth=patient.sex_at_birth,
        gender_identity=patient.gender_identity,
        pronouns=patient.pronouns,
        email=patient.email,
        address_line1=patient.address_line1,
        address_line2=patient.address_line2,
        city=patient.city,
        state=patient.state,
        postal_code=patient.postal_code,
        preferred_language=patient.preferred_language,
        race=patient.race,
        ethnicity=patient.ethnicity,
        status=patient.status,
        deceased_on=patient.deceased_on,
        consent_sms=patient.consent_sms,
        consent_email=patient.consent_email,
        consent_voicemail=patient.consent_voicemail,
        guarantor_patient_id=patient.guarantor_patient_id,
        guarantor_name=patient.guarantor_name,
        guarantor_relationship=patient.guarantor_relationship,
        guarantor_phone=patient.guarantor_phone,
        merged_into_id=patient.merged_into_id,
        phones=tuple(
            PhoneView(p.kind, p.number, display_phone(p.number))
            for p in patient.phones
            if p.deleted_at is None
        ),
        contacts=tuple(
            ContactView(c.name, c.relationship_to_patient, c.phone)
            for c in patient.contacts
            if c.deleted_at is None
        ),
    )


class PatientService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @requires(Permission.REGISTER_PATIENTS)
    def register(self, data: PatientInput, *, confirm_not_duplicate: bool = False) -> PatientRecord:
        """Save a new patient. Raises PossibleDuplicate unless the person confirmed."""
        from app.services.patient_search import likely_duplicates

        with self.ctx.unit_of_work() as uow:
            today = practice_today(uow.session, self.ctx.clock.now())
            clean = self._validated(uow, data, today)
            if not confirm_not_duplicate:
                candidates = likely_duplicates(
                    uow.session, clean, today, phones=[p.number for p in clean.phones]
                )
                if candidates:
                    raise PossibleDuplicate(candidates)
            patient = Patient(mrn=next_number(uow.session, self.ctx.device_id, MRN_COUNTER))
            self._apply(uow, patient, clean)
            uow.session.add(patient)
            uow.session.flush()
            uow.audit(AuditEntry("create", "demographics", patient_id=patient.id))
            uow.notify(PatientsChanged((patient.id,)))
            uow.session.refresh(patient)
            return to_record(patient, today)

    @requires(Permission.REGISTER_PATIENTS)
    def possible_duplicates(
        self, data: PatientInput, exclude_id: str | None = None
    ) -> list[DuplicateCandidate]:
        """Likely existing records for what the form holds so far (nothing is saved).

        Needs names and a date of birth; raises DomainError for what is still missing or
        wrong, so the form can keep showing plain name matches until then.
        """
        from app.services.patient_search import likely_duplicates

        with self.ctx.unit_of_work() as uow:
            today = practice_today(uow.session, self.ctx.clock.now())
            clean = self._validated(uow, data, today, patient_id=exclude_id, partial=True)
            candidates = likely_duplicates(
                uow.session,
                clean,
                today,
                phones=[p.number for p in clean.phones],
                exclude_id=exclude_id,
            )
            if candidates:
                uow.audit(
                    AuditEntry(
                        "search", "demographics", detail=f"{len(candidates)} possible duplicates"
                    )
                )
            return candidates

    @requires(Permission.REGISTER_PATIENTS)
    def update(self, patient_id: str, data: PatientInput, expected_version: int) -> PatientRecord:
        with self.ctx.unit_of_work() as uow:
            patient = self._get(uow, patient_id)
            if patient.version != expected_version:
                raise ConcurrentChange(
                    "Someone else changed this patient while you were editing. "
                    "Reload to see their change, then make yours again."
                )
            today = practice_today(uow.session, self.ctx.clock.now())
            clean = self._validated(uow, data, today, patient_id=patient_id)
            self._apply(uow, patient, clean)
            uow.session.flush()
            uow.audit(AuditEntry("update", "demographics", patient_id=patient.id))
            uow.notify(PatientsChanged((patient.id,)))
            uow.session.refresh(patient)
            return to_record(patient, today)

    @requires(Permission.VIEW_PATIENTS)
    def get(self, patient_id: str) -> PatientRecord:
        """One patient's record; every view is written to the audit log."""
        with self.ctx.unit_of_work() as uow:
            patient = self._get(uow, patient_id, allow_merged=True)
            uow.audit(AuditEntry("read", "demographics", patient_id=patient.id))
            return to_record(patient, practice_today(uow.session, self.ctx.clock.now()))

    @requires(Permission.REGISTER_PATIENTS)
    def set_status(
        self, patient_id: str, status: PatientStatus, deceased_on: date | None = None
    ) -> PatientRecord:
        if status is PatientStatus.MERGED:
            raise DomainError("Use Merge to fold a duplicate record into another.")
        with self.ctx.unit_of_work() as uow:
            patient = self._get(uow, patient_id)
            today = practice_today(uow.session, self.ctx.clock.now())
            if status is PatientStatus.DECEASED:
                if deceased_on is None:
                    raise DomainError("Enter the date of death.")
                if deceased_on > today or deceased_on < patient.date_of_birth:
                    raise DomainError("The date of death must be between birth and today.")
            patient.status = status
            patient.deceased_on = deceased_on if status is PatientStatus.DECEASED else None
            uow.audit(AuditEntry("update", "demographics", patient_id=patient.id, detail=status))
            uow.notify(PatientsChanged((patient.id,)))
            uow.session.flush()
            return to_record(patient, today)

    @requires(Permission.REGISTER_PATIENTS)
    def set_photo(self, patient_id: str, image: bytes | None) -> None:
        with self.ctx.unit_of_work() as uow:
            patient = self._get(uow, patient_id)
            patient.photo = check_image(image, "photo")
            uow.audit(AuditEntry("update", "photo", patient_id=patient.id))
            uow.notify(PatientsChanged((patient.id,)))

    @requires(Permission.VIEW_PATIENTS)
    def photo(self, patient_id: str) -> bytes | None:
        with self.ctx.unit_of_work() as uow:
            patient = self._get(uow, patient_id, allow_merged=True)
            uow.audit(AuditEntry("read", "photo", patient_id=patient.id))
            return patient.photo

    # -- helpers -----------------------------------------------------------------------

    def _get(self, uow: UnitOfWork, patient_id: str, allow_merged: bool = False) -> Patient:
        patient = uow.session.get(Patient, patient_id)
        if patient is None or patient.deleted_at is not None:
            raise NotFound("That patient record does not exist.")
        if patient.status is PatientStatus.MERGED and not allow_merged:
            raise DomainError("This record was merged into another; open that one instead.")
        return patient

    def _validated(
        self,
        uow: UnitOfWork,
        data: PatientInput,
        today: date,
        patient_id: str | None = None,
        *,
        partial: bool = False,
    ) -> PatientInput:
        """`data` cleaned and checked; `partial` skips the rules only a finished form meets."""
        first, last = _text(data.first_name), _text(data.last_name)
        if not first or not last:
            raise DomainError("Enter the patient's legal first and last name.")
        birth = data.date_of_birth
        if isinstance(birth, str):
            birth = parse_birth_date(birth, today)
        if birth > today:
            raise DomainError("The date of birth cannot be in the future.")
        if birth.year < 1900:
            raise DomainError("Check the date of birth: the year is before 1900.")
        phones = tuple(
            PhoneInput(normalise_phone(p.number), p.kind) for p in data.phones if p.number.strip()
        )
        contacts = tuple(
            ContactInput(
                c.name.strip(), c.relationship.strip() or "other", normalise_phone(c.phone)
            )
            for c in data.emergency_contacts
            if c.name.strip()
        )
        guarantor_id = data.guarantor_patient_id
        if guarantor_id == patient_id and guarantor_id is not None:
            raise DomainError("A patient cannot be their own guarantor.")
        if guarantor_id and uow.session.get(Patient, guarantor_id) is None:
            raise NotFound("The chosen guarantor is not a registered patient.")
        minor = age_on(birth, today) < ADULT_AGE
        if minor and not partial and not (guarantor_id or _text(data.guarantor_name)):
            raise DomainError("A patient under 18 needs a guarantor (parent or guardian).")
        state = _text(data.state)
        if state and len(state) != 2:
            raise DomainError("Use the two-letter state code (for example IL).")
        email = _text(data.email)
        guarantor_phone = _text(data.guarantor_phone)
        return replace(
            data,
            first_name=first,
            last_name=last,
            date_of_birth=birth,
            phones=phones,
            emergency_contacts=contacts,
            email=normalise_email(email) if email else None,
            state=state.upper() if state else None,
            guarantor_phone=normalise_phone(guarantor_phone) if guarantor_phone else None,
        )

    def _apply(self, uow: UnitOfWork, patient: Patient, data: PatientInput) -> None:
        for name in (
            "first_name", "last_name", "date_of_birth", "sex_at_birth", "consent_sms",
            "consent_email", "consent_voicemail", "guarantor_patient_id",
        ):  # fmt: skip
            setattr(patient, name, getattr(data, name))
        for name in (
            "middle_name", "suffix", "preferred_name", "gender_identity", "pronouns", "email",
            "address_line1", "address_line2", "city", "state", "postal_code",
            "preferred_language", "race", "ethnicity", "guarantor_name",
            "guarantor_relationship", "guarantor_phone",
        ):  # fmt: skip
            setattr(patient, name, _text(getattr(data, name)))
        set_search_keys(patient)
        remember_surnames(uow.session, [patient.last_key])
        self._replace_phones(uow, patient, data)
        self._replace_contacts(uow, patient, data)

    def _replace_phones(self, uow: UnitOfWork, patient: Patient, data: PatientInput) -> None:
        now = self.ctx.clock.now()
        wanted = [(p.kind, p.number) for p in data.phones]
        current = [p for p in patient.phones if p.deleted_at is None]
        if [(p.kind, p.number) for p in current] == wanted:
            return
        for phone in current:
            phone.deleted_at = now
        _touch(patient, now)
        for kind, number in wanted:
            patient.phones.append(new_phone(kind, number))

    def _replace_contacts(self, uow: UnitOfWork, patient: Patient, data: PatientInput) -> None:
        now = self.ctx.clock.now()
        wanted = [(c.name, c.relationship, c.phone) for c in data.emergency_contacts]
        current = [c for c in patient.contacts if c.deleted_at is None]
        if [(c.name, c.relationship_to_patient, c.phone) for c in current] == wanted:
            return
        for contact in current:
            contact.deleted_at = now
        _touch(patient, now)
        for name, relationship, phone in wanted:
            patient.contacts.append(
                EmergencyContact(name=name, relationship_to_patient=relationship, phone=phone)
            )
