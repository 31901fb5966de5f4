"""Ask what to do when a booking or a move runs into something.

`confirm_double_book` blocks (a modal QMessageBox run with exec) and returns the answer.
Tests drive it by arming a timer before the action that finds the box with
`QApplication.activeModalWidget()` (accessible name "Schedule conflict") and clicks the
button named "Double-book anyway" or "OK" (see `answer_prompt` in tests/ui/helpers.py).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from app.services.appointment_rows import ScheduleConflict
from app.ui.widgets import box_button, message_box, pressed_name

DIALOG_NAME = "Schedule conflict"
DOUBLE_BOOK_BUTTON = "Double-book anyway"
OK_BUTTON = "OK"
CANCEL_BUTTON = "Cancel"
_DOUBLE_BOOK = "DoubleBookAnyway"  # the button's object name


def _tr(text: str) -> str:
    return QCoreApplication.translate("ConflictPrompt", text)


def conflict_box(parent: QWidget | None, conflict: ScheduleConflict) -> QMessageBox:
    """The box itself, with every reason listed (built apart so it can be looked at)."""
    reasons = [c.message for c in conflict.conflicts] or [str(conflict)]
    details = "\n".join(f"• {reason}" for reason in reasons)
    if conflict.can_double_book:
        details += "\n\n" + _tr("You can double-book if the provider has agreed to it.")
    else:
        details += "\n\n" + _tr("Choose another time, or ask someone who may double-book.")
    box = message_box(
        parent, QMessageBox.Icon.Warning, _tr(DIALOG_NAME), _tr("This time is not free."), details
    )
    box.setObjectName("ScheduleConflict")
    if conflict.can_double_book:
        box_button(box, _tr(DOUBLE_BOOK_BUTTON), object_name=_DOUBLE_BOOK)
        closing = box_button(box, QMessageBox.StandardButton.Cancel, _tr(CANCEL_BUTTON))
    else:
        closing = box_button(box, QMessageBox.StandardButton.Ok, _tr(OK_BUTTON))
    box.setDefaultButton(closing)
    box.setEscapeButton(closing)
    return box


def confirm_double_book(parent: QWidget, conflict: ScheduleConflict) -> bool:
    """Show why the time is taken; True only when the user chose "Double-book anyway"."""
    return pressed_name(conflict_box(parent, conflict)) == _DOUBLE_BOOK
