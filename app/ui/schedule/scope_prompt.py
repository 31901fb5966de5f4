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
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(_tr("Recurring appointment"))
    box.setAccessibleName(_tr(DIALOG_NAME))
    box.setText(_tr("{action} which visits?").format(action=action))
    box.setInformativeText(
        _tr(
            "This visit is part of a series. Change only this one, this one and the ones "
            "after it, or every upcoming visit of the series."
        )
    )
    for scope, text in SCOPE_BUTTONS.items():
        choice = box.addButton(_tr(text), QMessageBox.ButtonRole.AcceptRole)
        choice.setAccessibleName(_tr(text))
        choice.setObjectName(f"scope-{scope.value}")
        if scope is Scope.THIS:
            box.setDefaultButton(choice)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    cancel.setAccessibleName(_tr("Cancel"))
    box.setEscapeButton(cancel)
    return box


def ask_scope(parent: QWidget, action: str) -> Scope | None:
    """This visit, this and following, or all upcoming; None when the user backs out."""
    box = scope_box(parent, action)
    box.exec()
    clicked = box.clickedButton()
    name = clicked.objectName() if clicked is not None else ""
    box.deleteLater()
    for scope in Scope:
        if name == f"scope-{scope.value}":
            return scope
    return None
