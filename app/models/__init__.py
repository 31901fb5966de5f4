"""All models, imported here so the metadata is complete wherever `app.models` is used."""

from app.models.audit import AuditEvent
from app.models.base import Base, SyncMixin
from app.models.device import Device, LocalState, Setting
from app.models.outbox import SyncOutbox
from app.models.practice import Location, Practice
from app.models.user import Role, User

__all__ = [
    "AuditEvent",
    "Base",
    "Device",
    "LocalState",
    "Location",
    "Practice",
    "Role",
    "Setting",
    "SyncMixin",
    "SyncOutbox",
    "User",
]
