"""All models, imported here so the metadata is complete wherever `app.models` is used."""

from app.models.appointment import (
    Appointment,
    AppointmentSeries,
    AppointmentStatus,
    AppointmentStatusChange,
    PartOfDay,
    WaitlistEntry,
    WaitlistStatus,
)
from app.models.audit import AuditEvent
from app.models.base import Base, SyncMixin
from app.models.clinical_lists import (
    Allergy,
    AllergyCategory,
    AllergyStatus,
    AllergyType,
    Criticality,
    FamilyHistory,
    HistoryKind,
    Immunization,
    Medication,
    MedicationStatus,
    PastHistory,
    Problem,
    ProblemStatus,
    Severity,
    SmokingStatus,
    SocialHistory,
)
from app.models.counter import IdCounter
from app.models.device import Device, LocalState, Setting
from app.models.document import ClinicalDocument, DocumentCategory, DocumentContent
from app.models.encounter import Encounter, EncounterStatus, EncounterType
from app.models.insurance import Coverage, Payer, SubscriberRelationship
from app.models.note import (
    ClinicalNote,
    NoteAddendum,
    NoteKind,
    NoteSnippet,
    NoteStatus,
    NoteTemplate,
)
from app.models.outbox import SyncOutbox
from app.models.patient import (
    EmergencyContact,
    Patient,
    PatientMerge,
    PatientPhone,
    PatientStatus,
    PhoneKind,
    SexAtBirth,
)
from app.models.practice import Location, Practice
from app.models.reminder import Channel, MessageStatus, MessageTemplate, OutboundMessage
from app.models.schedule_setup import AppointmentType, BlockedTime, BlockKind, Room, WorkingHours
from app.models.search_index import SurnameVariant
from app.models.user import Role, User
from app.models.vitals import VitalFlag, VitalObservation, VitalsSet

__all__ = [
    "Allergy",
    "AllergyCategory",
    "AllergyStatus",
    "AllergyType",
    "Appointment",
    "AppointmentSeries",
    "AppointmentStatus",
    "AppointmentStatusChange",
    "AppointmentType",
    "AuditEvent",
    "Base",
    "BlockKind",
    "BlockedTime",
    "Channel",
    "ClinicalDocument",
    "ClinicalNote",
    "Coverage",
    "Criticality",
    "Device",
    "DocumentCategory",
    "DocumentContent",
    "EmergencyContact",
    "Encounter",
    "EncounterStatus",
    "EncounterType",
    "FamilyHistory",
    "HistoryKind",
    "IdCounter",
    "Immunization",
    "LocalState",
    "Location",
    "Medication",
    "MedicationStatus",
    "MessageStatus",
    "MessageTemplate",
    "NoteAddendum",
    "NoteKind",
    "NoteSnippet",
    "NoteStatus",
    "NoteTemplate",
    "OutboundMessage",
    "PartOfDay",
    "PastHistory",
    "Patient",
    "PatientMerge",
    "PatientPhone",
    "PatientStatus",
    "Payer",
    "PhoneKind",
    "Practice",
    "Problem",
    "ProblemStatus",
    "Role",
    "Room",
    "Setting",
    "Severity",
    "SexAtBirth",
    "SmokingStatus",
    "SocialHistory",
    "SubscriberRelationship",
    "SurnameVariant",
    "SyncMixin",
    "SyncOutbox",
    "User",
    "VitalFlag",
    "VitalObservation",
    "VitalsSet",
    "WaitlistEntry",
    "WaitlistStatus",
    "WorkingHours",
]
