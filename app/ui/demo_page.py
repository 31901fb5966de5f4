"""Opening the demo practice: choose one password for every demo account, then meet the staff."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.services.demo import DEMO_PRACTICE_NAME, DemoUser
from app.services.errors import DomainError
from app.services.passwords import check_password
from app.ui.labels import role_label
from app.ui.resources import monospace_font
from app.ui.widgets import MessageLabel, button, form_layout, form_row, line_edit, text_label


class DemoPasswordForm(QWidget):
    """Emits `submitted(password)` once the password passes the practice's rules."""

    submitted = Signal(str)

    def __init__(self, data_folder: str) -> None:
        super().__init__()
        self.password = line_edit(self.tr("Demo password"), password=True)
        self.confirm = line_edit(self.tr("Confirm demo password"), password=True)
        self.message = MessageLabel("error", self.tr("Demo message"))
        form = form_layout()
        form_row(form, self.tr("&Password"), self.password)
        form_row(form, self.tr("C&onfirm password"), self.confirm)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(text_label(self.tr("Open the demo practice"), "heading"))
        layout.addWidget(
            text_label(
                self.tr(
                    "“{name}” comes with one account for each role (administrator, "
                    "physicians, nurse, front desk, billing). Choose one password for all of "
                    "them; you will sign in with it in a moment."
                ).format(name=DEMO_PRACTICE_NAME)
            )
        )
        layout.addLayout(form)
        layout.addWidget(
            text_label(
                self.tr(
                    "The demo is stored in this data folder: {folder}. Set up your real "
                    "practice in a different data folder."
                ).format(folder=data_folder),
                "hint",
            )
        )
        layout.addWidget(self.message)
        for edit in (self.password, self.confirm):
            edit.returnPressed.connect(self.submit)

    def submit(self) -> None:
        password = self.password.text()
        try:
            check_password(password)
        except DomainError as exc:
            self.message.show_message(str(exc))
            self.password.setFocus()
            return
        if password != self.confirm.text():
            self.message.show_message(self.tr("The two passwords are not the same."))
            self.confirm.setFocus()
            return
        self.message.clear_message()
        self.submitted.emit(password)


class DemoReadyPage(QWidget):
    """Lists the demo accounts; `continued` goes on to sign in."""

    continued = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._grid = QGridLayout()
        self._grid.setHorizontalSpacing(24)
        self._grid.setVerticalSpacing(8)
        self.continue_button = button(
            self.tr("Continue to sign in"), self.tr("Continue to sign in"), variant="primary"
        )
        self.continue_button.clicked.connect(self.continued)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(text_label(self.tr("The demo practice is ready"), "heading"))
        layout.addWidget(
            text_label(
                self.tr(
                    "Sign in as any of these people with the password you just chose. Each "
                    "sees what their role allows."
                )
            )
        )
        layout.addLayout(self._grid)
        layout.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.continue_button)
        layout.addLayout(row)

    def show_users(self, users: Sequence[DemoUser]) -> None:
        headers = (self.tr("User name"), self.tr("Name"), self.tr("Role"))
        for column, header in enumerate(headers):
            label = text_label(header, "muted")
            label.setStyleSheet("font-weight: 600;")
            self._grid.addWidget(label, 0, column)
        for row, user in enumerate(users, start=1):
            username = QLabel(user.username)
            username.setFont(monospace_font(10.5))
            username.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            name = user.display_name + (f", {user.credentials}" if user.credentials else "")
            self._grid.addWidget(username, row, 0)
            self._grid.addWidget(QLabel(name), row, 1)
            self._grid.addWidget(QLabel(role_label(user.role)), row, 2)
        self._grid.setColumnStretch(2, 1)
        self.continue_button.setFocus()
