"""Ask what to do when a booking or a move runs into something.

`confirm_double_book` blocks (a modal QMessageBox run with exec) and returns the answer.
Tests drive it by arming a timer before the action that finds the box with
`QApplication.activeModalWidget()` (accessible name "Schedule conflict") and clicks the
button named "Double-book anyway" or "OK" (see tests/ui/test_schedule_page.py
`answer_prompt`).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from app.services.appointment_rows import ScheduleConflict

DIALOG_NAME = "Schedule conflict"
DOUBLE_BOOK_BUTTON = "Double-book anyway"
OK_BUTTON = "OK"
CANCEL_BUTTON = "Cancel"


def _tr(text: str) -> str:
    return QCoreApplication.translate("ConflictPrompt", text)


def conflict_box(parent: QWidget | None, conflict: ScheduleConflict) -> QMessageBox:
    """The box itself, with every reason listed (built apart so it can be looked at)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(_tr("Schedule conflict"))
    box.setAccessibleName(_tr(DIALOG_NAME))
    box.setObjectName("ScheduleConflict")
    box.setText(_tr("This time is not free."))
    reasons = [c.message for c in conflict.conflicts] or [str(conflict)]
    details = "\n".join(f"• {reason}" for reason in reasons)
    if conflict.can_double_book:
        details += "\n\n" + _tr("You can double-book if the provider has agreed to it.")
    else:
        details += "\n\n" + _tr("Choose another time, or ask someone who may double-book.")
    box.setInformativeText(details)
    if conflict.can_double_book:
        anyway = box.addButton(_tr("Double-book anyway"), QMessageBox.ButtonRole.AcceptRole)
        anyway.setAccessibleName(_tr(DOUBLE_BOOK_BUTTON))
        anyway.setObjectName("DoubleBookAnyway")
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        cancel.setAccessibleName(_tr(CANCEL_BUTTON))
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
    else:
        ok = box.addButton(QMessageBox.StandardButton.Ok)
        ok.setAccessibleName(_tr(OK_BUTTON))
        box.setDefaultButton(ok)
        box.setEscapeButton(ok)
    return box


def confirm_double_book(parent: QWidget, conflict: ScheduleConflict) -> bool:
    """Show why the time is taken; True only when the user chose "Double-book anyway"."""
    box = conflict_box(parent, conflict)
    box.exec()
    clicked = box.clickedButton()
    chosen = clicked is not None and clicked.objectName() == "DoubleBookAnyway"
    box.deleteLater()
    return chosen
