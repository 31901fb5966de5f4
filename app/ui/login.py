"""The sign-in dialog: user name, password, and the 6-digit code when the account has one."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLayout, QVBoxLayout, QWidget

from app.services.errors import SecondFactorRequired
from app.ui.tasks import TaskRunner, error_message
from app.ui.widgets import (
    BusyBar,
    MessageLabel,
    brand_header,
    button,
    card,
    form_layout,
    form_row,
    line_edit,
    text_label,
)

if TYPE_CHECKING:
    from app.services.clock import Clock
    from app.services.context import AppContext
    from app.storage.keyslots import KdfParams
    from app.storage.paths import PracticePaths

# Loaded on the worker thread while the person types, so the window appears sooner.
# The main window's services come too (pure Python), so after sign-in the UI thread only
# loads its own widget modules.
SIGN_IN_MODULES = (
    "app.services.auth",
    "app.services.users",
    "app.services.settings",
    "app.services.practice",
    "app.services.patients",
    "app.services.patient_search",
    "app.services.patient_list",
    "app.services.insurance",
    "app.services.patient_merge",
    "app.services.calendar",
    "app.services.appointments",
    "app.services.availability",
    "app.services.waitlist",
    "app.services.reminders",
)


WARM_UP_DELAY_MS = 150


def load_sign_in_modules() -> None:
    for name in SIGN_IN_MODULES:
        importlib.import_module(name)


def open_practice(
    paths: PracticePaths,
    username: str,
    password: str,
    code: str | None,
    clock: Clock,
    kdf: KdfParams | None,
) -> AppContext:
    """Runs on the worker: sign in, then load the main window's services here too, so the
    UI thread only has its own widget modules left to load."""
    from app.services.auth import sign_in

    if kdf is None:
        ctx = sign_in(paths, username, password, code, clock=clock)
    else:
        ctx = sign_in(paths, username, password, code, clock=clock, kdf=kdf)
    load_sign_in_modules()
    return ctx


class LoginDialog(QDialog):
    """Emits `signed_in(AppContext)` once the practice is open; Enter submits."""

    signed_in = Signal(object)

    def __init__(
        self,
        paths: PracticePaths,
        runner: TaskRunner,
        clock: Clock,
        *,
        practice_label: str = "",
        username: str = "",
        kdf: KdfParams | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._paths = paths
        self._runner = runner
        self._clock = clock
        self._kdf = kdf
        self.setWindowTitle(self.tr("Sign in — Stethos"))
        self.setObjectName("LoginDialog")

        self.username = line_edit(self.tr("User name"))
        self.username.setText(username)
        self.password = line_edit(self.tr("Password"), password=True)
        self.code = line_edit(self.tr("Authenticator code"), placeholder="123 456")
        self.code.setMaxLength(7)
        self.message = MessageLabel("error", self.tr("Sign-in message"))
        self.busy = BusyBar()
        self.submit_button = button(self.tr("Sign in"), self.tr("Sign in"), variant="primary")
        self.submit_button.setDefault(True)
        self.submit_button.clicked.connect(self.submit)

        frame, body = card(margins=30, spacing=14)
        frame.setMinimumWidth(440)
        body.addWidget(brand_header(self.tr("Sign in to Stethos"), practice_label))
        body.addSpacing(6)
        self._form = form_layout()
        form_row(self._form, self.tr("&User name"), self.username)
        form_row(self._form, self.tr("&Password"), self.password)
        form_row(self._form, self.tr("&Code"), self.code)
        self._form.setRowVisible(self.code, False)
        body.addLayout(self._form)
        body.addWidget(self.message)
        body.addWidget(self.busy)
        actions = QHBoxLayout()
        actions.addWidget(
            text_label(
                self.tr("Forgot your password? Your practice administrator can reset it."), "hint"
            ),
            1,
        )
        actions.addWidget(self.submit_button)
        body.addLayout(actions)

        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 24, 24, 24)
        outer.setSizeConstraint(
            QLayout.SizeConstraint.SetFixedSize
        )  # grows and shrinks with its content
        outer.addWidget(frame)
        (self.password if username else self.username).setFocus()
        self._warmed_up = False

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._warmed_up:
            # After the first paint: loading them sooner would compete with drawing the window.
            self._warmed_up = True
            QTimer.singleShot(WARM_UP_DELAY_MS, self._warm_up)

    def _warm_up(self) -> None:
        if not self.isVisible() or self.busy.isVisible():
            return  # closed already, or signing in (the sign-in itself loads what it needs)
        self._runner.submit(load_sign_in_modules, owner=self, name="load_sign_in_modules")

    def submit(self) -> None:
        username = self.username.text().strip()
        password = self.password.text()
        if not username or not password:
            self.message.show_message(self.tr("Enter your user name and password."))
            (self.password if username else self.username).setFocus()
            return
        code = self.code.text().replace(" ", "") if self._form.isRowVisible(self.code) else None
        self._set_busy(True)
        task = self._runner.submit(
            open_practice,
            self._paths,
            username,
            password,
            code or None,
            self._clock,
            self._kdf,
            owner=self,
            name="sign_in",
        )
        task.succeeded.connect(self._on_signed_in)
        task.failed.connect(self._on_failed)

    def _on_signed_in(self, ctx: AppContext) -> None:
        self._set_busy(False)
        self.password.clear()
        self.code.clear()
        self.signed_in.emit(ctx)
        self.accept()

    def _on_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        if isinstance(error, SecondFactorRequired):
            self._form.setRowVisible(self.code, True)
            self.message.setProperty("role", "notice")
            self._repolish()
            self.message.show_message(str(error))
            self.code.setFocus()
            return
        self.message.setProperty("role", "error")
        self._repolish()
        self.message.show_message(error_message(error))
        if self._form.isRowVisible(self.code) and self.code.text():
            self.code.selectAll()
            self.code.setFocus()
        else:
            self.password.selectAll()
            self.password.setFocus()

    def _repolish(self) -> None:
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.username, self.password, self.code, self.submit_button):
            widget.setEnabled(not busy)
        self.busy.setVisible(busy)
        self.submit_button.setDefault(True)  # disabling it while busy can drop the default
        self.submit_button.setText(self.tr("Signing in…") if busy else self.tr("Sign in"))
        if busy:
            self.message.clear_message()
