"""What the schedule dialogs share besides widgets: times typed the way the desk says them,
day labels, and the choices a booking offers (loaded once on the worker)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QCoreApplication

from app.models import PartOfDay
from app.services.context import AppContext
from app.services.errors import DomainError
from app.services.practice import PracticeInfo
from app.services.schedule_data import AppointmentTypeView, ProviderView, RoomView
from app.services.schedule_rules import to_wall
from app.services.schedule_setup import ScheduleSetupService
from app.services.settings import SLOT_MINUTES, SettingsService

_TIME = re.compile(r"^(\d{1,2})(?:[:.]?(\d{2}))?\s*([ap])?\.?\s*m?\.?$", re.IGNORECASE)


def _tr(text: str) -> str:
    return QCoreApplication.translate("ScheduleFields", text)


# --- words and formats ------------------------------------------------------------------


def time_text(value: time | datetime) -> str:
    """9:05 AM, as a US front desk says it."""
    return f"{value:%I:%M %p}".lstrip("0")


def day_text(value: date) -> str:
    """Tue Mar 31 (the year only when it is not this one is left to the caller)."""
    return f"{value:%a %b} {value.day}"


def long_day_text(value: date) -> str:
    """Tuesday, March 31, 2026."""
    return f"{value:%A, %B} {value.day}, {value.year}"


def moment_text(value: datetime) -> str:
    """Mon Jan 12, 10:00 AM."""
    return f"{day_text(value.date())}, {time_text(value)}"


def days_text(first: date, last: date) -> str:
    """Jan 5 – Feb 4 (one day alone when they are the same)."""
    first_text = f"{first:%b} {first.day}"
    return first_text if first == last else f"{first_text} – {last:%b} {last.day}"


def span_text(start: datetime, end: datetime) -> str:
    """Mon Jan 5 · 10:00 – 10:20 AM."""
    first, last = time_text(start), time_text(end)
    if first[-2:] == last[-2:]:
        first = first[:-3]
    return f"{day_text(start.date())} · {first} – {last}"


def part_of_day_label(part: PartOfDay, *, short: bool = False) -> str:
    if short:
        return {
            PartOfDay.ANY: _tr("Any time"),
            PartOfDay.MORNING: _tr("Mornings"),
            PartOfDay.AFTERNOON: _tr("Afternoons"),
            PartOfDay.EVENING: _tr("Evenings"),
        }.get(part, str(part))
    return {
        PartOfDay.ANY: _tr("Any time of day"),
        PartOfDay.MORNING: _tr("Morning (before noon)"),
        PartOfDay.AFTERNOON: _tr("Afternoon (noon – 5 PM)"),
        PartOfDay.EVENING: _tr("Evening (after 5 PM)"),
    }.get(part, str(part))


def parse_time(text: str) -> time:
    """ "9", "9:05", "905", "9:05 am", "2p", "14:30" → a time. Hours 1–6 with no AM/PM are
    afternoon: nobody books a 3 AM visit."""
    raw = text.strip().replace(" ", "")
    match = _TIME.match(raw)
    if not match:
        raise DomainError(
            _tr("The time “{text}” is not a time. Type it like 9:15 AM.").format(text=text)
        )
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    meridiem = (match.group(3) or "").lower()
    if meridiem:
        if not 1 <= hour <= 12:
            raise DomainError(_tr("The time “{text}” is not a time.").format(text=text))
        hour = hour % 12 + (12 if meridiem == "p" else 0)
    elif 1 <= hour <= 6:
        hour += 12
    if hour > 23 or minute > 59:
        raise DomainError(_tr("The time “{text}” is not a time.").format(text=text))
    return time(hour, minute)


def rounded_up(moment: datetime, step_minutes: int) -> datetime:
    """The next start on the grid at or after `moment`."""
    midnight = datetime.combine(moment.date(), time())
    step = timedelta(minutes=step_minutes)
    steps = -(-(moment.replace(second=0, microsecond=0) - midnight) // step)
    return midnight + steps * step


# --- what a booking can choose from -----------------------------------------------------


@dataclass(frozen=True)
class BookingChoices:
    types: tuple[AppointmentTypeView, ...]
    providers: tuple[ProviderView, ...]
    rooms: tuple[RoomView, ...]
    slot_minutes: int
    now: datetime  # the practice's wall clock, naive
    today: date


def load_booking_choices(ctx: AppContext) -> BookingChoices:
    """On the worker: types, providers, rooms, the slot grid and the practice's today."""
    setup = ScheduleSetupService(ctx)
    summary = PracticeInfo(ctx).summary()
    return BookingChoices(
        types=tuple(setup.appointment_types()),
        providers=tuple(setup.providers()),
        rooms=tuple(room for room in setup.rooms() if room.active),
        slot_minutes=int(SettingsService(ctx).get(SLOT_MINUTES)),
        now=to_wall(ctx.clock.now(), summary.time_zone),
        today=summary.today,
    )
