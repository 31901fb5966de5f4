"""The signed-in person's own account: choosing a new password when a temporary one was set."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QHBoxLayout, QVBoxLayout, QWidget

from app.services.users import AccountService
from app.ui.session import DesktopSession
from app.ui.tasks import error_message
from app.ui.widgets import (
    BusyBar,
    MessageLabel,
    button,
    form_layout,
    form_row,
    line_edit,
    text_label,
)


class ChangePasswordDialog(QDialog):
    """Asks for the current password and a new one; accepted once the service agrees."""

    def __init__(
        self, session: DesktopSession, *, required: bool = False, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(self.tr("Choose your password"))
        self.setMinimumWidth(480)
        self.current = line_edit(self.tr("Current password"), password=True)
        self.new = line_edit(self.tr("New password"), password=True)
        self.confirm = line_edit(self.tr("Confirm new password"), password=True)
        self.message = MessageLabel("error", self.tr("Password message"))
        self.busy = BusyBar()
        self.ok_button = button(
            self.tr("Save password"), self.tr("Save password"), variant="primary"
        )
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self.submit)
        cancel_text = self.tr("Sign out") if required else self.tr("Cancel")
        cancel = button(cancel_text, cancel_text)
        cancel.clicked.connect(self.reject)

        form = form_layout()
        form_row(form, self.tr("&Current password"), self.current)
        form_row(form, self.tr("&New password"), self.new)
        form_row(form, self.tr("C&onfirm new password"), self.confirm)
        explanation = (
            self.tr(
                "Your administrator gave you a temporary password. Choose your own now: at "
                "least 10 characters; a short sentence is easy to remember and hard to guess."
            )
            if required
            else self.tr("At least 10 characters; a short sentence works well.")
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 22, 24, 20)
        layout.setSpacing(14)
        layout.addWidget(text_label(self.tr("Choose your password"), "heading"))
        layout.addWidget(text_label(explanation, "muted"))
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.busy)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(cancel)
        actions.addWidget(self.ok_button)
        layout.addLayout(actions)
        self.current.setFocus()

    def submit(self) -> None:
        if self.new.text() != self.confirm.text():
            self.message.show_message(self.tr("The two new passwords are not the same."))
            self.confirm.setFocus()
            return
        self.ok_button.setEnabled(False)
        self.busy.show()
        self.message.clear_message()
        service = AccountService(self.session.ctx)
        task = self.session.run(
            service.change_password, self.current.text(), self.new.text(), owner=self
        )
        task.succeeded.connect(lambda _: self.accept())
        task.failed.connect(self._failed)

    def _failed(self, error: BaseException) -> None:
        self.ok_button.setEnabled(True)
        self.ok_button.setDefault(True)
        self.busy.hide()
        self.message.show_message(error_message(error))
