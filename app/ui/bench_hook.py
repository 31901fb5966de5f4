"""Start-up timing for bench/startup.py (only loaded when STETHOS_BENCH_AUTOLOGIN is set).

Prints `STETHOS_BENCH <event> <unix time>` lines: login_shown once the sign-in window has
been shown and painted, password_accepted when sign-in returns, main_shown once the main
window has been shown and painted; then signs in as the given user and quits.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QWidget

if TYPE_CHECKING:  # type names only: importing them would slow the start being measured
    from app.ui.app import DesktopApp
    from app.ui.login import LoginDialog
    from app.ui.main_window import MainWindow


def stamp(event: str) -> None:
    print(f"STETHOS_BENCH {event} {time.time():.6f}", flush=True)


def _after_paint(widget: QWidget, then: Callable[[], None]) -> None:
    """Run `then` once the event loop has shown and painted `widget`."""
    widget.repaint()
    QTimer.singleShot(0, then)


def install_autologin(desktop: DesktopApp, credentials: str) -> None:
    username, _, password = credentials.partition(":")

    def on_login(dialog: LoginDialog) -> None:
        def submit() -> None:
            stamp("login_shown")
            dialog.username.setText(username)
            dialog.password.setText(password)
            dialog.submit()

        _after_paint(dialog, submit)

    def on_main(window: MainWindow) -> None:
        def done() -> None:
            stamp("main_shown")
            QApplication.quit()

        _after_paint(window, done)

    desktop.login_shown.connect(on_login)
    desktop.password_accepted.connect(lambda: stamp("password_accepted"))
    desktop.main_window_shown.connect(on_main)
