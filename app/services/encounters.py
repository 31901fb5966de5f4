"""Encounters: the visits (or calls) that notes, vitals and later charges hang from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import (
    Appointment,
    AppointmentStatus,
    AppointmentType,
    ClinicalNote,
    Encounter,
    EncounterStatus,
    EncounterType,
    Location,
    NoteStatus,
    Role,
    User,
)
from app.services.audit_chain import AuditEntry
from app.services.bus import ChartChanged
from app.services.chart_common import chart_patient, required_reason
from app.services.context import AppContext, UnitOfWork, requires
from app.services.errors import DomainError, NotFound
from app.services.note_data import ENCOUNTER_TYPE_LABELS
from app.services.note_records import active_physician, staff_names
from app.services.permissions import Permission

CATEGORY = "encounter"
STATUS_LABELS = {
    EncounterStatus.OPEN: "Open",
    EncounterStatus.SIGNED: "Signed",
    EncounterStatus.ENTERED_IN_ERROR: "Entered in error",
}
# The patient is in the building (or was seen): only then is there a visit to document.
DOCUMENTABLE = frozenset(
    {
        AppointmentStatus.ARRIVED,
        AppointmentStatus.ROOMED,
        AppointmentStatus.WITH_PROVIDER,
        AppointmentStatus.CHECKED_OUT,
    }
)
MAX_REASON = 200
# A visit may be opened a little ahead of the clock (a laptop a few minutes behind).
FUTURE_SLACK = timedelta(minutes=5)
_TELEHEALTH_WORDS = ("telehealth", "video", "virtual")


@dataclass(frozen=True)
class EncounterInput:
    type: EncounterType
    provider_id: str  # an active physician
    location_id: str | None = None
    reason: str | None = None  # reason for visit, as the patient said it
    starts_at: datetime | None = None  # None: now


@dataclass(frozen=True)
class EncounterView:
    id: str
    version: int
    patient_id: str
    type: EncounterType
    provider_id: str
    provider_name: str
    location_id: str | None
    location_name: str | None
    appointment_id: str | None
    reason: str | None
    starts_at: datetime
    status: EncounterStatus
    signed_at: datetime | None
    signed_by_name: str | None
    error_reason: str | None
    note_count: int  # notes written in it (discarded drafts do not count)

    @property
    def type_label(self) -> str:
        return ENCOUNTER_TYPE_LABELS[self.type]

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def in_error(self) -> bool:
        return self.status is EncounterStatus.ENTERED_IN_ERROR


def encounter_views(session: Session, rows: list[Encounter]) -> list[EncounterView]:
    ids = [r.id for r in rows]
    counts: dict[str, int] = {}
    if ids:
        found = session.execute(
            select(ClinicalNote.encounter_id, func.count())
            .where(ClinicalNote.encounter_id.in_(ids), ClinicalNote.deleted_at.is_(None))
            .group_by(ClinicalNote.encounter_id)
        )
        counts = {str(encounter_id): int(count) for encounter_id, count in found}
    people = staff_names(session, [*(r.provider_id for r in rows), *(r.signed_by_id for r in rows)])
    location_ids = {r.location_id for r in rows if r.location_id}
    places = (
        dict(
            session.execute(
                select(Location.id, Location.name).where(Location.id.in_(location_ids))
            ).all()
        )
        if location_ids
        else {}
    )
    return [
        EncounterView(
            id=r.id,
            version=r.version,
            patient_id=r.patient_id,
            type=r.type,
            provider_id=r.provider_id,
            provider_name=people.get(r.provider_id, "?"),
            location_id=r.location_id,
            location_name=places.get(r.location_id) if r.location_id else None,
            appointment_id=r.appointment_id,
            reason=r.reason,
            starts_at=r.starts_at,
            status=r.status,
            signed_at=r.signed_at,
            signed_by_name=people.get(r.signed_by_id) if r.signed_by_id else None,
            error_reason=r.error_reason,
            note_count=counts.get(r.id, 0),
        )
        for r in rows
    ]


def load_encounter(session: Session, encounter_id: str) -> Encounter:
    encounter = session.get(Encounter, encounter_id)
    if encounter is None or encounter.deleted_at is not None:
        raise NotFound("That encounter does not exist.")
    return encounter


class EncounterService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @requires(Permission.EDIT_CHART)
    def open_for_appointment(
        self, appointment_id: str, encounter_type: EncounterType | None = None
    ) -> EncounterView:
        """The encounter of an arrived appointment, opened now if it has none yet (a second
        click opens the same one). Patient, provider, place and reason come from the
        booking; the type, unless given, is a nursing visit when the booked provider is not
        a physician, a telehealth visit for a telehealth/video/virtual appointment type,
        and otherwise an office visit."""
        with self.ctx.unit_of_work() as uow:
            appointment = uow.session.get(Appointment, appointment_id)
            if appointment is None or appointment.deleted_at is not None:
                raise NotFound("That appointment does not exist.")
            existing = uow.session.scalars(
                select(Encounter)
                .where(
                    Encounter.appointment_id == appointment.id,
                    Encounter.status != EncounterStatus.ENTERED_IN_ERROR,
                    Encounter.deleted_at.is_(None),
                )
                .order_by(Encounter.created_at)
            ).first()
            if existing is not None:
                uow.audit(self._entry("read", existing))
                return encounter_views(uow.session, [existing])[0]
            if appointment.status not in DOCUMENTABLE:
                raise DomainError(
                    "Check the patient in first: a visit is documented once the patient has "
                    "arrived."
                )
            chart_patient(uow.session, appointment.patient_id)
            encounter = Encounter(
                patient_id=appointment.patient_id,
                provider_id=appointment.provider_id,
                location_id=appointment.location_id,
                appointment_id=appointment.id,
                type=encounter_type or self._visit_type(uow.session, appointment),
                reason=appointment.reason,
                starts_at=appointment.arrived_at or appointment.starts_at,
                status=EncounterStatus.OPEN,
            )
            return self._opened(uow, encounter)

    @requires(Permission.EDIT_CHART)
    def open(self, patient_id: str, data: EncounterInput) -> EncounterView:
        """A visit with no appointment: a walk-in, a phone call, a telehealth visit."""
        now = self.ctx.clock.now()
        starts_at = data.starts_at or now
        if starts_at.tzinfo is None:
            raise ValueError("starts_at must be timezone-aware")
        if starts_at > now + FUTURE_SLACK:
            raise DomainError("An encounter cannot start in the future.")
        reason = " ".join((data.reason or "").split()) or None
        if reason and len(reason) > MAX_REASON:
            raise DomainError(f"Keep the reason for visit under {MAX_REASON} characters.")
        with self.ctx.unit_of_work() as uow:
            chart_patient(uow.session, patient_id)
            provider = active_physician(uow.session, data.provider_id, "encounter's provider")
            if data.location_id is not None:
                location = uow.session.get(Location, data.location_id)
                if location is None or location.deleted_at is not None:
                    raise DomainError("Choose one of the practice's locations.")
            encounter = Encounter(
                patient_id=patient_id,
                provider_id=provider.id,
                location_id=data.location_id,
                type=EncounterType(data.type),
                reason=reason,
                starts_at=starts_at,
                status=EncounterStatus.OPEN,
            )
            return self._opened(uow, encounter)

    @requires(Permission.VIEW_CHART)
    def get(self, encounter_id: str) -> EncounterView:
        with self.ctx.unit_of_work() as uow:
            encounter = load_encounter(uow.session, encounter_id)
            uow.audit(self._entry("read", encounter))
            return encounter_views(uow.session, [encounter])[0]

    @requires(Permission.VIEW_CHART)
    def for_patient(self, patient_id: str, limit: int = 100) -> list[EncounterView]:
        """The patient's encounters, latest first (those entered in error included, marked)."""
        with self.ctx.unit_of_work() as uow:
            chart_patient(uow.session, patient_id)
            rows = uow.session.scalars(
                select(Encounter)
                .where(Encounter.patient_id == patient_id, Encounter.deleted_at.is_(None))
                .order_by(Encounter.starts_at.desc(), Encounter.id.desc())
                .limit(max(1, limit))
            ).all()
            uow.audit(AuditEntry("read", CATEGORY, patient_id=patient_id, detail="list"))
            return encounter_views(uow.session, list(rows))

    @requires(Permission.EDIT_CHART)
    def mark_entered_in_error(self, encounter_id: str, reason: str) -> EncounterView:
        """Opened on the wrong patient or by mistake. Refused once a note in it is signed
        (mark that note entered in error first); its unsigned drafts are discarded with it."""
        why = required_reason(reason)
        with self.ctx.unit_of_work() as uow:
            encounter = load_encounter(uow.session, encounter_id)
            if encounter.status is EncounterStatus.ENTERED_IN_ERROR:
                raise DomainError("This encounter is already marked entered in error.")
            notes = uow.session.scalars(
                select(ClinicalNote).where(
                    ClinicalNote.encounter_id == encounter.id, ClinicalNote.deleted_at.is_(None)
                )
            ).all()
            if any(n.status in (NoteStatus.SIGNED, NoteStatus.AWAITING_COSIGN) for n in notes):
                raise DomainError(
                    "A note in this encounter is signed. Mark that note entered in error "
                    "first, then the encounter."
                )
            now = self.ctx.clock.now()
            for draft in (n for n in notes if n.status is NoteStatus.DRAFT):
                draft.deleted_at = now
                uow.audit(
                    AuditEntry(
                        "delete",
                        "note",
                        patient_id=draft.patient_id,
                        entity_id=draft.id,
                        detail="draft discarded with its encounter",
                    )
                )
            encounter.status = EncounterStatus.ENTERED_IN_ERROR
            encounter.error_reason = why
            uow.session.flush()
            uow.audit(self._entry("entered_in_error", encounter))
            uow.notify(ChartChanged((encounter.patient_id,)))
            return encounter_views(uow.session, [encounter])[0]

    # --- helpers -----------------------------------------------------------------------

    def _opened(self, uow: UnitOfWork, encounter: Encounter) -> EncounterView:
        uow.session.add(encounter)
        uow.session.flush()
        uow.audit(self._entry("create", encounter))
        uow.notify(ChartChanged((encounter.patient_id,)))
        return encounter_views(uow.session, [encounter])[0]

    @staticmethod
    def _entry(action: str, encounter: Encounter) -> AuditEntry:
        return AuditEntry(action, CATEGORY, patient_id=encounter.patient_id, entity_id=encounter.id)

    @staticmethod
    def _visit_type(session: Session, appointment: Appointment) -> EncounterType:
        provider = session.get(User, appointment.provider_id)
        if provider is not None and provider.role is not Role.PHYSICIAN:
            return EncounterType.NURSING_VISIT
        type_name = session.scalar(
            select(AppointmentType.name).where(AppointmentType.id == appointment.type_id)
        )
        if type_name and any(word in type_name.casefold() for word in _TELEHEALTH_WORDS):
            return EncounterType.TELEHEALTH
        return EncounterType.OFFICE_VISIT
