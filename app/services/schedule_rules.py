"""Scheduling rules with no database: statuses, wall time, parts of day, recurrence."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import WEEKLY, rrule, rrulestr, weekday

from app.models.appointment import AppointmentStatus, PartOfDay
from app.services.errors import DomainError
from app.services.schedule_data import Recurrence

S = AppointmentStatus

# Where each status may go next. Anything else is refused with a message that says why.
TRANSITIONS: dict[AppointmentStatus, frozenset[AppointmentStatus]] = {
    S.REQUESTED: frozenset({S.BOOKED, S.DECLINED}),
    S.BOOKED: frozenset({S.CONFIRMED, S.ARRIVED, S.NO_SHOW, S.CANCELLED, S.RESCHEDULED}),
    S.CONFIRMED: frozenset({S.ARRIVED, S.NO_SHOW, S.CANCELLED, S.RESCHEDULED}),
    S.ARRIVED: frozenset({S.ROOMED, S.WITH_PROVIDER, S.CHECKED_OUT, S.BOOKED}),
    S.ROOMED: frozenset({S.WITH_PROVIDER, S.CHECKED_OUT}),
    S.WITH_PROVIDER: frozenset({S.CHECKED_OUT}),
    # A patient marked as a no-show who turns up late can still be seen.
    S.NO_SHOW: frozenset({S.ARRIVED}),
    S.CHECKED_OUT: frozenset(),
    S.CANCELLED: frozenset(),
    S.RESCHEDULED: frozenset(),
    S.DECLINED: frozenset(),
}

# Statuses that hold the provider's time. A request is not booked yet; a cancelled,
# rescheduled, declined or missed visit leaves the slot free.
OCCUPYING = frozenset({S.BOOKED, S.CONFIRMED, S.ARRIVED, S.ROOMED, S.WITH_PROVIDER, S.CHECKED_OUT})
# Not yet happened: the ones a series edit or cancellation may still change.
UPCOMING = frozenset({S.REQUESTED, S.BOOKED, S.CONFIRMED})
# The patient came: these count as visits.
SEEN = frozenset({S.ARRIVED, S.ROOMED, S.WITH_PROVIDER, S.CHECKED_OUT})

STATUS_LABELS: dict[AppointmentStatus, str] = {
    S.REQUESTED: "Requested",
    S.BOOKED: "Booked",
    S.CONFIRMED: "Confirmed",
    S.ARRIVED: "Arrived",
    S.ROOMED: "Roomed",
    S.WITH_PROVIDER: "With provider",
    S.CHECKED_OUT: "Checked out",
    S.NO_SHOW: "No-show",
    S.CANCELLED: "Cancelled",
    S.RESCHEDULED: "Rescheduled",
    S.DECLINED: "Declined",
}

MAX_OCCURRENCES = 104  # two years of weekly visits
MAX_SERIES_DAYS = 2 * 366
MIN_MINUTES = 5
MAX_MINUTES = 8 * 60


def check_transition(current: AppointmentStatus, new: AppointmentStatus) -> None:
    if new not in TRANSITIONS[current]:
        raise DomainError(
            f"An appointment that is {STATUS_LABELS[current].lower()} "
            f"cannot be marked {STATUS_LABELS[new].lower()}."
        )


def to_utc(wall: datetime, zone: str) -> datetime:
    return wall.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def to_wall(instant: datetime, zone: str) -> datetime:
    return instant.astimezone(ZoneInfo(zone)).replace(tzinfo=None)


def check_minutes(minutes: int) -> None:
    if not MIN_MINUTES <= minutes <= MAX_MINUTES:
        raise DomainError(f"An appointment lasts from {MIN_MINUTES} minutes to 8 hours.")


def part_of_day_window(part: PartOfDay) -> tuple[time, time]:
    """The wall-clock window a slot must start in (an 11:45 visit counts as morning)."""
    return {
        PartOfDay.ANY: (time(0), time(23, 59)),
        PartOfDay.MORNING: (time(0), time(12)),
        PartOfDay.AFTERNOON: (time(12), time(17)),
        PartOfDay.EVENING: (time(17), time(23, 59)),
    }[part]


def recurrence_rule(recurrence: Recurrence, first: datetime) -> str:
    """The RFC 5545 RRULE text for a recurrence starting at wall time `first`."""
    if recurrence.interval_weeks < 1 or recurrence.interval_weeks > 52:
        raise DomainError("Repeat every 1 to 52 weeks.")
    if (recurrence.until is None) == (recurrence.count is None):
        raise DomainError("Say when the series ends: on a date or after a number of visits.")
    if recurrence.count is not None and not 2 <= recurrence.count <= MAX_OCCURRENCES:
        raise DomainError(f"A series has from 2 to {MAX_OCCURRENCES} visits.")
    if recurrence.until is not None:
        if recurrence.until <= first.date():
            raise DomainError("The series must end after its first visit.")
        if (recurrence.until - first.date()).days > MAX_SERIES_DAYS:
            raise DomainError("A series may run for up to two years; book a new one after that.")
    days = sorted(set(recurrence.weekdays)) or [first.weekday()]
    if any(not 0 <= day <= 6 for day in days):
        raise DomainError("Weekdays run from Monday (0) to Sunday (6).")
    rule = rrule(
        WEEKLY,
        dtstart=first,
        interval=recurrence.interval_weeks,
        byweekday=[weekday(day) for day in days],
        until=datetime.combine(recurrence.until, time(23, 59, 59)) if recurrence.until else None,
        count=recurrence.count,
    )
    # str(rrule) is "DTSTART:...\nRRULE:..."; the series keeps DTSTART in its own column.
    return str(rule).splitlines()[-1].removeprefix("RRULE:")


def occurrences(rule: str, first: datetime) -> list[datetime]:
    """Every wall start of a series (a bounded rule), in order."""
    starts = list(rrulestr(rule, dtstart=first))
    if len(starts) > MAX_OCCURRENCES:
        raise DomainError(f"A series has at most {MAX_OCCURRENCES} visits; end it sooner.")
    return starts


def truncate_rule(rule: str, first: datetime, before: datetime) -> str:
    """The same rule ending just before the occurrence at `before` (for a split)."""
    parts = [part for part in rule.split(";") if not part.startswith(("UNTIL=", "COUNT="))]
    parts.append(f"UNTIL={(before - timedelta(seconds=1)):%Y%m%dT%H%M%S}")
    return ";".join(parts)


def merge_intervals(
    intervals: Iterable[tuple[datetime, datetime]],
) -> list[tuple[datetime, datetime]]:
    merged: list[tuple[datetime, datetime]] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def subtract(
    free: list[tuple[datetime, datetime]], busy: Iterable[tuple[datetime, datetime]]
) -> list[tuple[datetime, datetime]]:
    """`free` intervals minus every `busy` interval (both in the same time base)."""
    result = free
    for busy_start, busy_end in merge_intervals(busy):
        next_result: list[tuple[datetime, datetime]] = []
        for start, end in result:
            if busy_end <= start or busy_start >= end:
                next_result.append((start, end))
                continue
            if start < busy_start:
                next_result.append((start, busy_start))
            if busy_end < end:
                next_result.append((busy_end, end))
        result = next_result
    return result


def days_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
