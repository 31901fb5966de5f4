"""The Schedule page's keys (when the calendar has the focus): ←/→ previous/next day (week
in the week view), PageUp/PageDown previous/next week, T today, Ctrl+G jump to a date,
Alt+1…4 day, week, month, agenda; ↑/↓ choose an appointment, Enter its actions, and the
status letters of appointment_menu (A check in, N no-show, Delete cancel, …). Ctrl+B,
Ctrl+F, Ctrl+P and Ctrl+Shift+B press the toolbar's Book, Find a slot, Print and Block time.

The views take ↑/↓ and Enter themselves and pass the rest up to the page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication

from app.ui.schedule.appointment_menu import SHORTCUT_KEYS
from app.ui.schedule.schedule_toolbar import VIEW_KEYS, ViewMode

if TYPE_CHECKING:
    from app.ui.schedule.schedule_page import SchedulePage

_KEY_NAMES = {Qt.Key.Key_Delete: "Del", Qt.Key.Key_Backspace: "Del"}
_PLAIN = Qt.KeyboardModifier.KeypadModifier | Qt.KeyboardModifier.ShiftModifier


def add_shortcuts(page: SchedulePage) -> None:
    def add(keys: str, slot: Callable[[], object]) -> None:
        shortcut = QShortcut(QKeySequence(keys), page)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)

    bar = page.toolbar
    add("Ctrl+G", page.focus_date)
    add("Ctrl+B", bar.book_clicked.emit)
    add("Ctrl+F", bar.find_clicked.emit)
    add("Ctrl+P", bar.print_clicked.emit)
    add("Ctrl+Shift+B", bar.block_clicked.emit)
    for mode, keys in VIEW_KEYS.items():
        add(keys, partial(page.set_view, mode))


def page_key(page: SchedulePage, event: QKeyEvent) -> bool:
    """Keys the views leave alone: days, weeks, today, and the status letters. False when
    the key is not the page's."""
    if event.modifiers() & ~_PLAIN:
        return False
    key = Qt.Key(event.key())
    page_step = 7 if page.view is not ViewMode.MONTH else 28
    moves = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1}
    if key in moves:
        page.step(moves[key])
    elif key in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
        sign = -1 if key == Qt.Key.Key_PageUp else 1
        page.go_to((page.day or page.today()) + timedelta(days=sign * page_step))
    elif key == Qt.Key.Key_T:
        page.go_today()
    else:
        return _status_key(page, event)
    return True


def _status_key(page: SchedulePage, event: QKeyEvent) -> bool:
    focus = QApplication.focusWidget()
    in_view = focus is not None and (
        focus in (page.grid, page.agenda)
        or page.grid.isAncestorOf(focus)
        or page.agenda.isAncestorOf(focus)
    )
    name = _KEY_NAMES.get(Qt.Key(event.key()), event.text().upper())
    appt = page.selected()
    if not in_view or appt is None or name not in SHORTCUT_KEYS:
        return False
    page.run_action(SHORTCUT_KEYS[name], appt)
    return True
