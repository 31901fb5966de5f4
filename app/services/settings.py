"""Practice settings (auto-lock delay, ...), typed through one table of defaults."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Setting
from app.services.audit_chain import AuditEntry
from app.services.bus import SettingsChanged
from app.services.context import AppContext, UnitOfWork, requires
from app.services.errors import DomainError
from app.services.patients import practice_today
from app.services.permissions import Permission

AUTO_LOCK_MINUTES = "auto_lock_minutes"
LATE_CANCEL_HOURS = "late_cancel_hours"  # cancelling closer than this to the visit is "late"
SLOT_MINUTES = "slot_minutes"  # the grid free slots are offered on
VITALS_UNITS = "vitals_units"  # "us" (lb, in, °F) or "metric" (kg, cm, °C) on vitals screens
VITALS_UNIT_SYSTEMS = ("us", "metric")
# The first day of service billed here (ISO date, or None): visits before it were billed in
# the practice's previous system, so the biller's "visits to bill" leaves them out.
BILLING_STARTS_ON = "billing_starts_on"

DEFAULTS: dict[str, Any] = {
    AUTO_LOCK_MINUTES: 10,
    LATE_CANCEL_HOURS: 24,
    SLOT_MINUTES: 15,
    VITALS_UNITS: "us",
    BILLING_STARTS_ON: None,
}


def read_setting(session: Session, key: str) -> Any:
    """A setting's value inside a unit of work that is already open."""
    row = session.scalar(select(Setting).where(Setting.key == key))
    return DEFAULTS[key] if row is None else row.value


def billing_starts_on(session: Session) -> date | None:
    """The first day of service billed in Stethos (None: every visit is billed here)."""
    stored = read_setting(session, BILLING_STARTS_ON)
    return date.fromisoformat(stored) if stored else None


class SettingsService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def get(self, key: str) -> Any:
        if key not in DEFAULTS:
            raise KeyError(key)
        with self.ctx.unit_of_work() as uow:
            return read_setting(uow.session, key)

    def auto_lock_minutes(self) -> int:
        return int(self.get(AUTO_LOCK_MINUTES))

    @requires(Permission.MANAGE_SETTINGS)
    def set_auto_lock_minutes(self, minutes: int) -> None:
        if not 1 <= minutes <= 120:
            raise DomainError("Auto-lock must be between 1 and 120 minutes.")
        self._set(AUTO_LOCK_MINUTES, minutes)

    @requires(Permission.MANAGE_SETTINGS)
    def set_vitals_units(self, units: str) -> None:
        if units not in VITALS_UNIT_SYSTEMS:
            raise DomainError("Vitals units are either US (lb, in, °F) or metric (kg, cm, °C).")
        self._set(VITALS_UNITS, units)

    def billing_starts_on(self) -> date | None:
        with self.ctx.unit_of_work() as uow:
            return billing_starts_on(uow.session)

    @requires(Permission.MANAGE_SETTINGS)
    def set_billing_starts_on(self, day: date | None) -> None:
        """Bill visits from `day` on (None: all of them). Not a future day: the visits
        between today and then would wait unseen."""
        with self.ctx.unit_of_work() as uow:
            today = practice_today(uow.session, self.ctx.clock.now())
            if day is not None and day > today:
                raise DomainError(
                    "The first day to bill in Stethos cannot be in the future; "
                    f"choose {today:%B} {today.day}, {today.year} or earlier."
                )
            store_setting(uow, BILLING_STARTS_ON, day.isoformat() if day else None)

    def _set(self, key: str, value: Any) -> None:
        with self.ctx.unit_of_work() as uow:
            store_setting(uow, key, value)


def store_setting(uow: UnitOfWork, key: str, value: Any) -> None:
    """Write a setting inside a unit of work (the caller checked who may)."""
    row = uow.session.scalar(select(Setting).where(Setting.key == key))
    if row is None:
        row = Setting(key=key, value=value)
        uow.session.add(row)
    else:
        row.value = value
    uow.session.flush()
    uow.audit(AuditEntry("update", "setting", entity_id=row.id, detail=key))
    uow.notify(SettingsChanged((key,)))
