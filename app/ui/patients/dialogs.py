"""The frame every patient dialog shares: a heading, the content, an inline message, a busy
bar and the buttons. Service calls run on the task runner; a refusal shows its message in
the dialog and keeps everything typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from app.services.errors import DomainError
from app.ui.session import DesktopSession
from app.ui.tasks import Task, error_message
from app.ui.widgets import BusyBar, MessageLabel, button, text_label


def settle_buttons(root: QWidget, default: QPushButton | None) -> None:
    """Enter presses `default` only: no other button (Remove, Add…) becomes default by focus."""
    for push in root.findChildren(QPushButton):
        push.setAutoDefault(False)
        push.setDefault(False)
    if default is not None:
        default.setAutoDefault(True)
        default.setDefault(True)


class PatientDialog(QDialog):
    def __init__(
        self,
        session: DesktopSession,
        title: str,
        ok_text: str,
        parent: QWidget | None = None,
        *,
        subtitle: str = "",
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.message = MessageLabel("error", self.tr("Dialog message"))
        self.busy = BusyBar()
        self.ok_button = button(ok_text, ok_text, variant="primary")
        self.ok_button.clicked.connect(self.submit)
        self.cancel_button = button(self.tr("Cancel"), self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.reject)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(24, 22, 24, 20)
        self.body.setSpacing(14)
        self.heading = text_label(title, "heading")
        self.body.addWidget(self.heading)
        if subtitle:
            self.body.addWidget(text_label(subtitle, "muted"))
        self.content = QVBoxLayout()
        self.content.setSpacing(12)
        self.body.addLayout(self.content, 1)
        self.body.addWidget(self.message)
        self.body.addWidget(self.busy)
        self.button_row = QHBoxLayout()
        self.button_row.setSpacing(8)
        self.button_row.addStretch(1)
        self.button_row.addWidget(self.cancel_button)
        self.button_row.addWidget(self.ok_button)
        self.body.addLayout(self.button_row)

    def showEvent(self, event: Any) -> None:
        settle_buttons(self, self.ok_button if self.ok_button.isVisible() else None)
        super().showEvent(event)

    def submit(self) -> None:
        """Override: check the form, then `self.run(...)`."""
        raise NotImplementedError

    def run(self, fn: Callable[..., Any], *args: Any, done: Callable[[Any], None]) -> Task:
        self.set_busy(True)
        task = self.session.run(fn, *args, owner=self)
        task.succeeded.connect(lambda value: self._succeeded(value, done))
        task.failed.connect(self.failed)
        return task

    def _succeeded(self, value: Any, done: Callable[[Any], None]) -> None:
        self.set_busy(False)
        done(value)

    def failed(self, error: BaseException) -> None:
        self.set_busy(False)
        self.message.show_message(error_message(error))

    def refuse(self, error: DomainError) -> None:
        self.message.show_message(str(error))

    def set_busy(self, busy: bool) -> None:
        self.ok_button.setEnabled(not busy)
        self.busy.setVisible(busy)
        if busy:
            self.message.clear_message()
