"""What the front desk can do to an appointment, and when: the status actions with their
keys, each enabled only when the step is legal now (schedule_rules.TRANSITIONS, plus the
day and time rules the service enforces), and the context menu built from them."""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMenu, QWidget, QWidgetAction

from app.models.appointment import AppointmentStatus
from app.services.schedule_data import AppointmentView
from app.services.schedule_rules import TRANSITIONS, UPCOMING
from app.ui.schedule.schedule_style import describe, status_label, time_range

S = AppointmentStatus


@dataclass(frozen=True)
class AppointmentAction:
    key: str  # what the page dispatches on
    label: str
    shortcut: str  # shown in the menu; the page handles the key itself
    status: AppointmentStatus | None = None  # the status it sets, if it is a status step


def _tr(text: str) -> str:
    return QCoreApplication.translate("AppointmentMenu", text)


ACTIONS: tuple[AppointmentAction, ...] = (
    AppointmentAction("accept", _tr("Accept request"), "", S.BOOKED),
    AppointmentAction("decline", _tr("Decline request…"), ""),
    AppointmentAction("confirm", _tr("Confirm"), "C", S.CONFIRMED),
    AppointmentAction("check_in", _tr("Check in…"), "A", S.ARRIVED),
    AppointmentAction("roomed", _tr("Roomed"), "R", S.ROOMED),
    AppointmentAction("with_provider", _tr("With provider"), "W", S.WITH_PROVIDER),
    AppointmentAction("check_out", _tr("Check out"), "O", S.CHECKED_OUT),
    AppointmentAction("no_show", _tr("No-show"), "N", S.NO_SHOW),
    AppointmentAction("undo_arrival", _tr("Undo check-in"), "", S.BOOKED),
    AppointmentAction("reschedule", _tr("Reschedule…"), "S", S.RESCHEDULED),
    AppointmentAction("cancel", _tr("Cancel appointment…"), "Del"),
    AppointmentAction("open_patient", _tr("Open patient"), "P"),
)
BY_KEY = {action.key: action for action in ACTIONS}
# Keys the calendar reacts to when an appointment is selected.
SHORTCUT_KEYS = {action.shortcut: action.key for action in ACTIONS if action.shortcut}


def why_not(action: AppointmentAction, appt: AppointmentView, now_wall: datetime) -> str | None:
    """None when `action` may be done to `appt` now; else a short reason (a tooltip)."""
    status = appt.status
    if action.key == "open_patient":
        return None
    if action.key in ("accept", "decline"):
        return None if status is S.REQUESTED else _tr("Only for requested appointments.")
    if action.key == "cancel":
        return None if status in UPCOMING - {S.REQUESTED} else _tr("Only upcoming visits.")
    if action.key == "undo_arrival" and status is not S.ARRIVED:
        return _tr("Only for a patient marked as arrived.")
    assert action.status is not None
    if action.status not in TRANSITIONS[status]:
        return _tr("Not possible while the visit is {status}.").format(
            status=status_label(status).lower()
        )
    if action.status is S.ARRIVED and appt.wall_start.date() != now_wall.date():
        return _tr("Patients check in on the day of their visit.")
    if action.status is S.NO_SHOW and appt.wall_start > now_wall:
        return _tr("Not before the appointment time.")
    return None


_MENU_STYLE = """
QMenu { background: #ffffff; border: 1px solid #c3cbd2; padding: 4px; }
QMenu::item { padding: 6px 18px 6px 14px; border-radius: 4px; }
QMenu::item:selected { background: #e2eff3; color: #155a71; }
QMenu::item:disabled { color: #a9b2ba; }
QMenu::separator { height: 1px; background: #e3e7ea; margin: 4px 8px; }
QLabel#MenuHeading { padding: 6px 14px 4px 14px; }
"""


def _heading(appt: AppointmentView) -> QLabel:
    """Who and when, on top of the actions (so the right visit is acted on)."""
    when = f"{appt.wall_start:%a %b} {appt.wall_start.day}, " + time_range(
        appt.wall_start, appt.wall_end
    )
    details = " · ".join([when, appt.type_name, appt.provider_name, status_label(appt.status)])
    label = QLabel(
        f"<b>{html.escape(appt.patient_name)}</b><br>"
        f"<span style='color:#56626d'>{html.escape(details)}</span>"
    )
    label.setObjectName("MenuHeading")
    label.setAccessibleName(describe(appt))
    return label


def allowed_keys(appt: AppointmentView, now_wall: datetime) -> set[str]:
    return {a.key for a in ACTIONS if why_not(a, appt, now_wall) is None}


def appointment_menu(
    parent: QWidget,
    appt: AppointmentView,
    now_wall: datetime,
    run: Callable[[str, AppointmentView], None],
    *,
    can_open_patient: bool = True,
) -> QMenu:
    """The actions for one appointment; illegal ones shown but disabled, with the reason."""
    menu = QMenu(parent)
    menu.setAccessibleName(_tr("Appointment actions"))
    menu.setToolTipsVisible(True)
    menu.setStyleSheet(_MENU_STYLE)
    heading = QWidgetAction(menu)
    heading.setDefaultWidget(_heading(appt))
    heading.setEnabled(False)
    menu.addAction(heading)
    menu.addSeparator()
    groups = (
        ("accept", "decline"),
        ("confirm", "check_in", "roomed", "with_provider", "check_out"),
        ("reschedule", "no_show", "undo_arrival", "cancel"),
        ("open_patient",),
    )
    for group in groups:
        actions = [BY_KEY[key] for key in group]
        if group == ("accept", "decline") and appt.status is not S.REQUESTED:
            continue
        if group == ("open_patient",) and not can_open_patient:
            continue
        for action in actions:
            reason = why_not(action, appt, now_wall)
            if action.key == "undo_arrival" and reason is not None:
                continue  # only offered when it applies
            item = QAction(action.label, menu)
            item.setObjectName(action.key)
            if action.shortcut:
                item.setShortcut(QKeySequence(action.shortcut))
                item.setShortcutVisibleInContextMenu(True)
            item.setEnabled(reason is None)
            if reason:
                item.setToolTip(reason)
            item.triggered.connect(lambda _=False, key=action.key: run(key, appt))
            menu.addAction(item)
        menu.addSeparator()
    return menu
