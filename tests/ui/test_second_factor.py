"""Turning on 2-step sign-in from the desktop, then signing in with a code."""

from __future__ import annotations

from collections.abc import Iterator

import pyotp
import pytest
from pytestqt.qtbot import QtBot

from app.services.auth import sign_in
from app.services.clock import FakeClock
from app.services.context import AppContext
from app.services.demo import DemoPractice
from app.services.errors import SecondFactorRequired
from app.ui.account import ChangePasswordDialog
from app.ui.main_window import MainWindow
from app.ui.second_factor import SecondFactorDialog, grouped
from app.ui.session import DesktopSession
from app.ui.tasks import TaskRunner
from app.ui.widgets import MessageLabel
from tests.conftest import DEMO_PASSWORD, FAST_KDF
from tests.ui.helpers import find_by_name


@pytest.fixture
def session(qapp: object, admin: AppContext, practice: DemoPractice) -> Iterator[DesktopSession]:
    runner = TaskRunner()
    yield DesktopSession(admin, runner, practice.paths, "Riverside")
    runner.shutdown()


def _open(qtbot: QtBot, session: DesktopSession) -> SecondFactorDialog:
    dialog = SecondFactorDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.setup is not None, timeout=5000)
    return dialog


def test_a_wrong_code_is_refused_and_nothing_changes(
    qtbot: QtBot, session: DesktopSession, practice: DemoPractice, clock: FakeClock
) -> None:
    dialog = _open(qtbot, session)
    assert dialog.secret.text() == grouped(dialog.setup.secret)  # type: ignore[union-attr]
    assert not dialog.qr.pixmap().isNull()
    find_by_name(dialog, type(dialog.code), "6-digit code").setText("000000")
    dialog.ok_button.click()
    message = dialog.message
    qtbot.waitUntil(lambda: bool(message.text()), timeout=5000)
    assert find_by_name(dialog, MessageLabel, "2-step sign-in message") is message
    assert "does not match" in message.text()
    sign_in(practice.paths, "admin", DEMO_PASSWORD, clock=clock, kdf=FAST_KDF).close()


def test_a_right_code_turns_it_on_for_the_next_sign_in(
    qtbot: QtBot, session: DesktopSession, practice: DemoPractice, clock: FakeClock
) -> None:
    dialog = _open(qtbot, session)
    assert dialog.setup is not None
    totp = pyotp.TOTP(dialog.setup.secret)
    dialog.code.setText(totp.at(clock.now()))
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        dialog.ok_button.click()
    with pytest.raises(SecondFactorRequired):
        sign_in(practice.paths, "admin", DEMO_PASSWORD, clock=clock, kdf=FAST_KDF)
    ctx = sign_in(practice.paths, "admin", DEMO_PASSWORD, totp.at(clock.now()), clock=clock)
    ctx.close()


def test_locking_clears_the_secret(qtbot: QtBot, session: DesktopSession) -> None:
    dialog = _open(qtbot, session)
    dialog.clear_sensitive()
    assert dialog.setup is None and dialog.secret.text() == "" and not dialog.isVisible()


def test_the_account_menu_offers_password_and_two_step_setup(
    qtbot: QtBot, session: DesktopSession
) -> None:
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    labels = [action.text() for action in window.account_menu.actions()]
    assert labels == ["Change password…", "Set up 2-step sign-in…"]
    window.account_menu.actions()[1].trigger()
    dialog = next(d for d in window.findChildren(SecondFactorDialog) if d.isVisible())
    qtbot.waitUntil(lambda: dialog.setup is not None, timeout=5000)
    dialog.reject()
    window.account_menu.actions()[0].trigger()
    assert any(d.isVisible() for d in window.findChildren(ChangePasswordDialog))
