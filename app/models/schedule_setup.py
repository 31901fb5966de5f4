"""What the schedule is built on: providers' hours, blocked time, rooms, appointment types."""

from __future__ import annotations

import enum
from datetime import datetime, time

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Time
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, SyncMixin, UtcDateTime, enum_column


class WorkingHours(SyncMixin, Base):
    """One provider's hours at one location on one weekday (0 = Monday), with an optional
    break. Times are local wall times in the practice's zone."""

    __tablename__ = "working_hours"

    provider_id: Mapped[str] = mapped_column(ForeignKey("user_account.id"), index=True)
    location_id: Mapped[str] = mapped_column(ForeignKey("location.id"))
    weekday: Mapped[int] = mapped_column(Integer)
    starts: Mapped[time] = mapped_column(Time)
    ends: Mapped[time] = mapped_column(Time)
    break_starts: Mapped[time | None] = mapped_column(Time)
    break_ends: Mapped[time | None] = mapped_column(Time)


class BlockKind(enum.StrEnum):
    BLOCK = "block"  # a meeting, a procedure morning, leave
    HOLIDAY = "holiday"  # the practice is closed


class BlockedTime(SyncMixin, Base):
    """Time nobody may be booked into. No provider means the whole practice (a holiday)."""

    __tablename__ = "blocked_time"
    __table_args__ = (Index("ix_blocked_time_range", "starts_at", "ends_at"),)

    provider_id: Mapped[str | None] = mapped_column(ForeignKey("user_account.id"))
    kind: Mapped[BlockKind] = mapped_column(enum_column(BlockKind))
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    reason: Mapped[str] = mapped_column(String(200))


class Room(SyncMixin, Base):
    __tablename__ = "room"

    location_id: Mapped[str] = mapped_column(ForeignKey("location.id"))
    name: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(default=True)


class AppointmentType(SyncMixin, Base):
    __tablename__ = "appointment_type"

    name: Mapped[str] = mapped_column(String(100))
    default_minutes: Mapped[int] = mapped_column(Integer)
    colour: Mapped[str] = mapped_column(String(7))  # "#RRGGBB"
    # Who offers it; empty means every provider.
    provider_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    new_patients_only: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
