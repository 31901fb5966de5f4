"""Asking why: "entered in error", stopping a medication, resolving with a note. The reason
stays in the chart, so the dialog will not go on without one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from app.ui.patients.dialogs import PatientDialog
from app.ui.session import DesktopSession
from app.ui.widgets import text_label


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReasonDialog", text)


class ReasonDialog(PatientDialog):
    """Runs `action(reason)` on the worker; closes when it succeeds."""

    def __init__(
        self,
        session: DesktopSession,
        title: str,
        explanation: str,
        ok_text: str,
        action: Callable[[str], Any],
        parent: QWidget | None = None,
        *,
        placeholder: str = "",
        missing: str = "",
    ) -> None:
        super().__init__(session, title, ok_text, parent)
        self.action = action
        self.missing = missing or self.tr("Say why: the reason stays in the chart.")
        self.content.addWidget(text_label(explanation, "muted"))
        self.reason = QPlainTextEdit()
        self.reason.setAccessibleName(self.tr("Reason"))
        self.reason.setPlaceholderText(placeholder or self.tr("Why (kept in the chart)"))
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(90)
        self.content.addWidget(self.reason)
        self.resize(460, self.sizeHint().height())

    def submit(self) -> None:
        text = self.reason.toPlainText().strip()
        if not text:
            self.message.show_message(self.missing)
            self.reason.setFocus()
            return
        self.run(self.action, text, done=lambda _result: self.accept())


def entered_in_error_dialog(
    session: DesktopSession, what: str, action: Callable[[str], Any], parent: QWidget | None
) -> ReasonDialog:
    """The same question for every clinical fact recorded by mistake."""
    return ReasonDialog(
        session,
        _tr("Mark entered in error"),
        _tr(
            "The {what} stays in the chart, struck through, with your name, the time and "
            "the reason. Use this only for something recorded by mistake."
        ).format(what=what),
        _tr("Mark entered in error"),
        action,
        parent,
        placeholder=_tr("e.g. recorded on the wrong patient"),
    )
