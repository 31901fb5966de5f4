"""Dialogs of the Users page. Each runs its use case on the task runner and stays open with
the service's message when it refuses, so nothing typed is lost."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QDialog, QHBoxLayout, QVBoxLayout, QWidget

from app.models import Role
from app.services.users import NewUser, UserAdminService, UserSummary
from app.ui.labels import role_label
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

Call = tuple[Callable[..., Any], tuple[Any, ...]]


class ServiceDialog(QDialog):
    """A small form whose OK button runs one use case; `result_value` holds its answer."""

    def __init__(
        self, session: DesktopSession, title: str, ok_text: str, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.session = session
        self.service = UserAdminService(session.ctx)
        self.result_value: object = None
        self.form = form_layout()
        self.message = MessageLabel("error", self.tr("Dialog message"))
        self.busy = BusyBar()
        self.ok_button = button(ok_text, ok_text, variant="primary")
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self.submit)
        cancel = button(self.tr("Cancel"), self.tr("Cancel"))
        cancel.clicked.connect(self.reject)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(24, 22, 24, 20)
        self.body.setSpacing(14)
        self.body.addWidget(text_label(title, "heading"))
        self.body.addLayout(self.form)
        self._tail = QVBoxLayout()
        self._tail.addWidget(self.message)
        self._tail.addWidget(self.busy)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(cancel)
        actions.addWidget(self.ok_button)
        self._tail.addLayout(actions)
        self.body.addLayout(self._tail)

    def call(self) -> Call | None:
        """The use case to run, or None after showing why the form is not ready."""
        raise NotImplementedError

    def submit(self) -> None:
        call = self.call()
        if call is None:
            return
        fn, args = call
        self._set_busy(True)
        task = self.session.run(fn, *args, owner=self)
        task.succeeded.connect(self._succeeded)
        task.failed.connect(self._failed)

    def _succeeded(self, value: object) -> None:
        self._set_busy(False)
        self.result_value = value
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.message.show_message(error_message(error))

    def _set_busy(self, busy: bool) -> None:
        self.ok_button.setEnabled(not busy)
        self.ok_button.setDefault(True)  # disabling it while busy can drop the default
        self.busy.setVisible(busy)
        if busy:
            self.message.clear_message()


def role_combo(selected: Role | None = None) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(QCoreApplication.translate("UserDialogs", "Role"))
    for role in Role:
        combo.addItem(role_label(role), role)
    if selected is not None:
        combo.setCurrentIndex(combo.findData(selected))
    return combo


class AddUserDialog(ServiceDialog):
    def __init__(self, session: DesktopSession, parent: QWidget | None = None) -> None:
        super().__init__(session, self.tr("Add a user"), self.tr("Add user"), parent)
        self.display_name = line_edit(self.tr("Full name"))
        self.username = line_edit(self.tr("User name"), placeholder=self.tr("e.g. jlee"))
        self.role = role_combo(Role.RECEPTIONIST)
        self.credentials = line_edit(self.tr("Credentials"), placeholder=self.tr("e.g. MD, RN"))
        self.npi = line_edit(self.tr("NPI"), placeholder=self.tr("10 digits"))
        self.npi.setMaxLength(10)
        self.password = line_edit(self.tr("Temporary password"), password=True)
        self.confirm = line_edit(self.tr("Confirm temporary password"), password=True)
        form_row(self.form, self.tr("&Full name"), self.display_name)
        form_row(self.form, self.tr("&User name"), self.username)
        form_row(self.form, self.tr("&Role"), self.role)
        form_row(self.form, self.tr("&Credentials"), self.credentials)
        form_row(self.form, self.tr("&NPI"), self.npi)
        form_row(self.form, self.tr("&Temporary password"), self.password)
        form_row(self.form, self.tr("C&onfirm password"), self.confirm)
        self.body.insertWidget(
            2,
            text_label(
                self.tr("They choose their own password the first time they sign in."), "hint"
            ),
        )
        self.role.currentIndexChanged.connect(self._role_changed)
        self._role_changed()
        self.display_name.setFocus()

    def _role_changed(self) -> None:
        physician = self.role.currentData() == Role.PHYSICIAN
        self.form.setRowVisible(self.npi, physician)
        self.adjustSize()

    def call(self) -> Call | None:
        if self.password.text() != self.confirm.text():
            self.message.show_message(self.tr("The two passwords are not the same."))
            self.confirm.setFocus()
            return None
        role: Role = self.role.currentData()
        new = NewUser(
            username=self.username.text(),
            display_name=self.display_name.text(),
            role=role,
            password=self.password.text(),
            credentials=self.credentials.text().strip() or None,
            npi=(self.npi.text().strip() or None) if role == Role.PHYSICIAN else None,
        )
        return self.service.create_user, (new,)


class TemporaryPasswordDialog(ServiceDialog):
    """Reset a password, or enable a disabled account (which needs a fresh one)."""

    def __init__(
        self,
        session: DesktopSession,
        user: UserSummary,
        *,
        enabling: bool,
        parent: QWidget | None = None,
    ) -> None:
        title = self.tr("Enable {name}") if enabling else self.tr("Reset {name}'s password")
        ok = self.tr("Enable account") if enabling else self.tr("Reset password")
        super().__init__(session, title.format(name=user.display_name), ok, parent)
        self.user = user
        self.enabling = enabling
        self.password = line_edit(self.tr("Temporary password"), password=True)
        self.confirm = line_edit(self.tr("Confirm temporary password"), password=True)
        form_row(self.form, self.tr("&Temporary password"), self.password)
        form_row(self.form, self.tr("C&onfirm password"), self.confirm)
        note = self.tr(
            "Give {name} this password in person. They choose their own the next time they "
            "sign in; any 2-step sign-in is turned off and can be set up again."
        )
        self.body.insertWidget(1, text_label(note.format(name=user.display_name), "muted"))
        self.password.setFocus()

    def call(self) -> Call | None:
        if self.password.text() != self.confirm.text():
            self.message.show_message(self.tr("The two passwords are not the same."))
            self.confirm.setFocus()
            return None
        fn = self.service.enable_user if self.enabling else self.service.reset_password
        return fn, (self.user.id, self.password.text())


class ChangeRoleDialog(ServiceDialog):
    def __init__(
        self, session: DesktopSession, user: UserSummary, parent: QWidget | None = None
    ) -> None:
        title = self.tr("Change {name}'s role").format(name=user.display_name)
        super().__init__(session, title, self.tr("Change role"), parent)
        self.user = user
        self.role = role_combo(user.role)
        form_row(self.form, self.tr("&Role"), self.role)
        self.body.insertWidget(
            1,
            text_label(self.tr("The role decides which parts of Stethos they can use."), "muted"),
        )
        self.role.setFocus()

    def call(self) -> Call | None:
        return self.service.change_role, (self.user.id, self.role.currentData())
