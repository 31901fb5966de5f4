"""How appointments read and look everywhere on the calendar: status colours, time and
visit texts, the waiting clock. One place, so the grid, the agenda and the menus agree."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from app.models.appointment import AppointmentStatus
from app.services.schedule_data import AppointmentView
from app.services.schedule_rules import STATUS_LABELS

S = AppointmentStatus

# Calm, distinct, readable on white; red only for what went wrong.
STATUS_COLOURS: dict[AppointmentStatus, str] = {
    S.REQUESTED: "#8a6d1f",
    S.BOOKED: "#8d99a4",
    S.CONFIRMED: "#1b6e8a",
    S.ARRIVED: "#c27c0e",
    S.ROOMED: "#7b5ea7",
    S.WITH_PROVIDER: "#2e8b57",
    S.CHECKED_OUT: "#56626d",
    S.NO_SHOW: "#a8261d",
    S.CANCELLED: "#8d99a4",
    S.RESCHEDULED: "#8d99a4",
    S.DECLINED: "#8d99a4",
}
# Visits that no longer hold the time: drawn faded.
FADED = frozenset({S.CANCELLED, S.NO_SHOW, S.RESCHEDULED, S.DECLINED})
# The patient is in the building and waiting for the next step.
WAITING = frozenset({S.ARRIVED, S.ROOMED})

INK = QColor("#1d2630")
MUTED = QColor("#56626d")
WARNING = QColor("#9a5b00")
ALERT = QColor("#a8261d")


def _tr(text: str) -> str:
    return QCoreApplication.translate("Schedule", text)


def status_label(status: AppointmentStatus) -> str:
    return _tr(STATUS_LABELS[status])


def status_colour(status: AppointmentStatus) -> QColor:
    return QColor(STATUS_COLOURS[status])


def clock_text(wall: datetime, *, suffix: bool = True) -> str:
    """8:05 AM (or 8:05 without the AM/PM). Plain arithmetic: strftime is slow per block."""
    text = f"{(wall.hour % 12) or 12}:{wall.minute:02d}"
    return f"{text} {'AM' if wall.hour < 12 else 'PM'}" if suffix else text


def time_range(start: datetime, end: datetime) -> str:
    """8:00–8:20 AM, or 11:40 AM–12:20 PM across noon."""
    if (start.hour < 12) == (end.hour < 12):
        return f"{clock_text(start, suffix=False)}–{clock_text(end)}"
    return f"{clock_text(start)}–{clock_text(end)}"


def hour_text(hour: int) -> str:
    """8 AM, 12 PM."""
    suffix = "AM" if hour < 12 or hour == 24 else "PM"
    return f"{(hour % 12) or 12} {suffix}"


def visits_text(count: int | None) -> str:
    if count is None:
        return ""
    if count == 0:
        return _tr("New patient")
    return _tr("1 visit") if count == 1 else _tr("{n} visits").format(n=count)


def balance_text() -> str:
    """Balances come with billing; until then the place is kept, honestly empty."""
    return _tr("Balance —")


def usual_provider_text(appt: AppointmentView) -> str:
    if not appt.usual_provider_name:
        return ""
    return _tr("Usually sees {name}").format(name=appt.usual_provider_name)


def waiting_minutes(appt: AppointmentView, now: datetime) -> int | None:
    """Minutes since arrival, for patients still waiting (arrived or roomed)."""
    if appt.status not in WAITING or appt.arrived_at is None:
        return None
    return max(0, int((now - appt.arrived_at).total_seconds() // 60))


def waiting_text(appt: AppointmentView, now: datetime) -> str:
    minutes = waiting_minutes(appt, now)
    if minutes is None:
        return ""
    if minutes >= 60:
        return _tr("Waiting {h} h {m} min").format(h=minutes // 60, m=minutes % 60)
    return _tr("Waiting {n} min").format(n=minutes)


_TINTS: dict[tuple[str, float], QColor] = {}


def tint(colour: str | QColor, amount: float) -> QColor:
    """`colour` mixed with white: 0 = white, 1 = the colour itself (remembered: every
    block of a type asks for the same two tints)."""
    key = (colour if isinstance(colour, str) else colour.name(), amount)
    found = _TINTS.get(key)
    if found is None:
        found = _TINTS[key] = _mix(colour, amount)
    return found


def _mix(colour: str | QColor, amount: float) -> QColor:
    base = QColor(colour)
    if not base.isValid():
        base = QColor("#8d99a4")
    return QColor(
        round(255 + (base.red() - 255) * amount),
        round(255 + (base.green() - 255) * amount),
        round(255 + (base.blue() - 255) * amount),
    )


def describe(appt: AppointmentView) -> str:
    """One sentence for tooltips and screen readers."""
    parts = [
        appt.patient_name,
        f"{appt.wall_start:%a %b} {appt.wall_start.day}, "
        + time_range(appt.wall_start, appt.wall_end),
        appt.type_name,
        appt.provider_name,
        status_label(appt.status),
    ]
    if appt.room_name:
        parts.append(appt.room_name)
    return " · ".join(parts)


def tooltip(appt: AppointmentView) -> str:
    lines = [describe(appt)]
    for extra in (visits_text(appt.visit_count), usual_provider_text(appt), appt.reason or ""):
        if extra:
            lines.append(extra)
    if appt.is_recurring:
        lines.append(_tr("Part of a recurring series"))
    return "\n".join(lines)
