"""The desktop app: first run or sign-in, then the main window; sign out returns to sign-in.

`run_desktop(data_dir)` is what the CLI calls. `DesktopApp` is the same flow without the
QApplication, so tests drive it with a FakeClock and a cheap KDF.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from app.services.clock import Clock, SystemClock
from app.ui.login import LoginDialog
from app.ui.resources import apply_theme
from app.ui.tasks import TaskRunner

# The main window and first run pull in the database layer (SQLAlchemy, Alembic): they are
# imported when needed, so the sign-in window shows first and the worker loads the rest.
if TYPE_CHECKING:
    from app.services.context import AppContext
    from app.storage.keyslots import KdfParams
    from app.storage.paths import PracticePaths
    from app.ui.first_run import FirstRunWindow
    from app.ui.main_window import MainWindow
    from app.ui.session import DesktopSession

BENCH_AUTOLOGIN_ENV = "STETHOS_BENCH_AUTOLOGIN"


def settle_heap() -> None:
    """What start-up loaded (modules, Qt wrappers, the main window) lives as long as the
    session: move it out of the garbage collector's reach, so the full collections a busy
    calendar read can set off walk only new objects instead of pausing the screen for a
    tenth of a second (measured by bench/schedule.py)."""
    gc.collect()
    gc.freeze()


class DesktopApp(QObject):
    """Owns the task runner and the session; moves between the windows."""

    login_shown = Signal(object)  # LoginDialog
    password_accepted = Signal()
    main_window_shown = Signal(object)  # MainWindow
    signed_out = Signal()

    def __init__(
        self,
        paths: PracticePaths,
        *,
        clock: Clock | None = None,
        kdf: KdfParams | None = None,
    ) -> None:
        super().__init__()
        self.paths = paths
        self.clock = clock or SystemClock()
        self.kdf = kdf
        self.runner = TaskRunner(self)
        self.first_run: FirstRunWindow | None = None
        self.login: LoginDialog | None = None
        self.main: MainWindow | None = None
        self.session: DesktopSession | None = None
        self._practice_name = ""

    @property
    def practice_label(self) -> str:
        if self._practice_name:
            return self._practice_name
        return self.tr("Data folder “{name}”").format(name=self.paths.data_dir.name)

    def start(self) -> None:
        if self.paths.exists():
            self.show_login()
        else:
            self.show_first_run()

    def show_first_run(self) -> None:
        from app.ui.first_run import FirstRunWindow

        options = {} if self.kdf is None else {"kdf": self.kdf}
        self.first_run = FirstRunWindow(self.paths, self.runner, self.clock, **options)
        self.first_run.ready_to_sign_in.connect(self._first_run_done)
        self.first_run.show()

    def _first_run_done(self, username: str, practice_name: str) -> None:
        self._practice_name = practice_name
        self.show_login(username)  # shown before the first-run window closes
        if self.first_run is not None:
            self.first_run.close()
            self.first_run.deleteLater()
            self.first_run = None

    def show_login(self, username: str = "", reason: str = "") -> None:
        self.login = LoginDialog(
            self.paths,
            self.runner,
            self.clock,
            practice_label=self.practice_label,
            username=username,
            kdf=self.kdf,
        )
        self.login.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.login.signed_in.connect(self._signed_in)
        if reason:
            self.login.message.show_message(reason)
        self.login.show()
        self.login.raise_()
        self.login.activateWindow()
        self.login_shown.emit(self.login)

    def _signed_in(self, ctx: AppContext) -> None:
        self.password_accepted.emit()
        from app.services.users import AccountService
        from app.ui.main_window import MainWindow
        from app.ui.session import DesktopSession

        session = DesktopSession(ctx, self.runner, self.paths, self.practice_label)
        self.session = session
        self.main = MainWindow(session)
        self.main.sign_out_requested.connect(self.sign_out)
        self.main.show()
        self.main.start()
        QTimer.singleShot(0, settle_heap)  # once the window is up
        self.login = None
        self.main_window_shown.emit(self.main)
        task = session.run(AccountService(ctx).must_change_password, owner=self.main)
        task.succeeded.connect(self._maybe_ask_for_password)

    def _maybe_ask_for_password(self, must_change: bool) -> None:
        if not must_change or self.session is None or self.main is None:
            return
        from app.ui.account import ChangePasswordDialog

        dialog = ChangePasswordDialog(self.session, required=True, parent=self.main)
        dialog.rejected.connect(lambda: self.sign_out(""))
        dialog.open()

    def sign_out(self, reason: str = "") -> None:
        """Close the session (on the worker), clear the window, and ask who is next."""
        main, session = self.main, self.session
        if main is None or session is None:
            return
        actor = session.ctx.actor
        self.main = self.session = None
        main.shut_down()
        self.runner.cancel_all()
        self.runner.submit(session.ctx.close, name="sign_out")
        self.show_login(actor.username if actor and reason else "", reason)
        main.close()
        main.deleteLater()
        gc.unfreeze()  # the old window's objects may be collected; the next sign-in settles
        self.signed_out.emit()

    def shutdown(self) -> None:
        """At exit: close the session, stop the worker, and let Qt delete the windows."""
        session, self.session = self.session, None
        if self.main is not None:
            self.main.shut_down()
        if session is not None:
            self.runner.cancel_all()
            self.runner.submit(session.ctx.close, name="close_on_exit")
        self.runner.shutdown(wait=True)
        for window in (self.first_run, self.login, self.main):
            if window is not None and shiboken6.isValid(window):
                window.close()
                window.deleteLater()
        self.first_run = self.login = self.main = None


def configure_application(app: QApplication) -> None:
    app.setApplicationName("Stethos")
    app.setApplicationDisplayName("Stethos")
    app.setOrganizationName("Stethos")
    app.setOrganizationDomain("stethos.health")
    apply_theme(app)


def run_desktop(data_dir: Path, *, clock: Clock | None = None, kdf: KdfParams | None = None) -> int:
    """Start the desktop app on the practice in `data_dir`; returns the exit code."""
    if QApplication.instance() is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
        )
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    configure_application(app)
    from app.storage.paths import PracticePaths

    desktop = DesktopApp(PracticePaths(data_dir), clock=clock, kdf=kdf)
    autologin = os.environ.get(BENCH_AUTOLOGIN_ENV)
    if autologin:
        from app.ui.bench_hook import install_autologin

        install_autologin(desktop, autologin)
    desktop.start()
    try:
        return app.exec()
    finally:
        desktop.shutdown()
