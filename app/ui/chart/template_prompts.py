"""The two questions the template and snippet editors ask: may unsaved changes go, and
should this be retired. Both answer True only when the user says yes."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from app.ui.widgets import box_button, message_box, pressed_name


def _tr(text: str) -> str:
    return QCoreApplication.translate("TemplatePrompts", text)


def _ask(
    parent: QWidget, icon: QMessageBox.Icon, title: str, text: str, details: str, yes: str, no: str
) -> bool:
    box = message_box(parent, icon, title, text, details)
    box_button(box, yes, role=QMessageBox.ButtonRole.DestructiveRole, object_name="yes")
    box_button(box, no, role=QMessageBox.ButtonRole.RejectRole)
    return pressed_name(box) == "yes"


def discard_changes(parent: QWidget, question: str) -> bool:
    """Ask whether unsaved changes may go: Discard changes (True) or Keep editing."""
    return _ask(
        parent,
        QMessageBox.Icon.Warning,
        _tr("Discard changes"),
        question,
        _tr("They have not been saved."),
        _tr("Discard changes"),
        _tr("Keep editing"),
    )


def confirm_retire(parent: QWidget, title: str, question: str, details: str) -> bool:
    """`title` ("Retire template") is also the yes button; "Keep it" is no."""
    return _ask(parent, QMessageBox.Icon.Question, title, question, details, title, _tr("Keep it"))
