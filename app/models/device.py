"""Machines that write to the practice record, and settings."""

from __future__ import annotations

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, SyncMixin


class Device(SyncMixin, Base):
    """One workstation or laptop. Its prefix keeps offline-made MRNs and numbers unique."""

    __tablename__ = "device"

    name: Mapped[str] = mapped_column(String(100))
    id_prefix: Mapped[str] = mapped_column(String(4), unique=True)


class LocalState(Base):
    """Facts about this copy of the database only (which device it is). Never synced."""

    __tablename__ = "local_state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class Setting(SyncMixin, Base):
    """A practice-wide setting; `value` is JSON so each setting keeps its own type."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(100), unique=True)
    value: Mapped[object] = mapped_column(JSON)
