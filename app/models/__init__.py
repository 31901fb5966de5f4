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
from app.models.counter import IdCounter
from app.models.device import Device, LocalState, Setting
from app.models.insurance import Coverage, Payer, SubscriberRelationship
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

__all__ = [
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
    "Coverage",
    "Device",
    "EmergencyContact",
    "IdCounter",
    "LocalState",
    "Location",
    "MessageStatus",
    "MessageTemplate",
    "OutboundMessage",
    "PartOfDay",
    "Patient",
    "PatientMerge",
    "PatientPhone",
    "PatientStatus",
    "Payer",
    "PhoneKind",
    "Practice",
    "Role",
    "Room",
    "Setting",
    "SexAtBirth",
    "SubscriberRelationship",
    "SurnameVariant",
    "SyncMixin",
    "SyncOutbox",
    "User",
    "WaitlistEntry",
    "WaitlistStatus",
    "WorkingHours",
]
