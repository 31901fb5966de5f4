"""Ask which visits of a recurring series an edit applies to.

`ask_scope` blocks (a modal QMessageBox run with exec) and returns a Scope, or None when
dismissed. Tests drive it like the conflict prompt: a timer finds
`QApplication.activeModalWidget()` (accessible name "Recurring appointment") and clicks
"This visit only", "This and following", "All upcoming" or "Cancel".
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from app.services.schedule_data import Scope
from app.ui.widgets import box_button, message_box, pressed_name

DIALOG_NAME = "Recurring appointment"
SCOPE_BUTTONS = {
    Scope.THIS: "This visit only",
    Scope.FOLLOWING: "This and following",
    Scope.ALL: "All upcoming",
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("ScopePrompt", text)


def scope_box(parent: QWidget | None, action: str) -> QMessageBox:
    """`action` is what is being done, as a verb: "Move", "Cancel", "Change the length of"."""
    box = message_box(
        parent,
        QMessageBox.Icon.Question,
        _tr(DIALOG_NAME),
        _tr("{action} which visits?").format(action=action),
        _tr(
            "This visit is part of a series. Change only this one, this one and the ones "
            "after it, or every upcoming visit of the series."
        ),
    )
    for scope, text in SCOPE_BUTTONS.items():
        choice = box_button(box, _tr(text), object_name=_object_name(scope))
        if scope is Scope.THIS:
            box.setDefaultButton(choice)
    box.setEscapeButton(box_button(box, QMessageBox.StandardButton.Cancel, _tr("Cancel")))
    return box


def ask_scope(parent: QWidget, action: str) -> Scope | None:
    """This visit, this and following, or all upcoming; None when the user backs out."""
    pressed = pressed_name(scope_box(parent, action))
    return next((scope for scope in Scope if pressed == _object_name(scope)), None)


def _object_name(scope: Scope) -> str:
    return f"scope-{scope.value}"
