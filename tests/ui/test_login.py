"""Signing in: mistakes show a message and nothing crashes; the second factor appears only
when needed; each role sees only its sections; too many wrong unlocks sign the person out."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pyotp
import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton
from pytestqt.qtbot import QtBot

from app.models import Role
from app.services.clock import FakeClock
from app.services.context import AppContext
from app.services.demo import DemoPractice
from app.services.users import AccountService, NewUser, UserAdminService
from app.ui.account import ChangePasswordDialog
from app.ui.app import DesktopApp
from app.ui.login import LoginDialog
from app.ui.main_window import MainWindow
from app.ui.tasks import TaskRunner
from tests.conftest import DEMO_PASSWORD, FAST_KDF
from tests.ui.helpers import find_by_name


@pytest.fixture
def runner(qapp: object) -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.shutdown()


@pytest.fixture
def dialog(
    qtbot: QtBot, practice: DemoPractice, runner: TaskRunner, clock: FakeClock
) -> LoginDialog:
    login = LoginDialog(practice.paths, runner, clock, kdf=FAST_KDF)
    qtbot.addWidget(login)
    login.show()
    qtbot.waitExposed(login)
    return login


def attempt(qtbot: QtBot, login: LoginDialog, username: str, password: str) -> None:
    find_by_name(login, QLineEdit, "User name").setText(username)
    field = find_by_name(login, QLineEdit, "Password")
    field.setText(password)
    qtbot.keyClick(field, Qt.Key.Key_Return)  # Enter submits


def message(login: LoginDialog) -> QLabel:
    return find_by_name(login, QLabel, "Sign-in message", visible=False)


def test_a_wrong_password_shows_a_message(qtbot: QtBot, dialog: LoginDialog) -> None:
    attempt(qtbot, dialog, "frontdesk", "not the password at all")
    qtbot.waitUntil(lambda: message(dialog).isVisible(), timeout=10000)
    assert message(dialog).text() == "The user name or password is not correct."
    assert dialog.isVisible()
    assert find_by_name(dialog, QLineEdit, "Password").isEnabled()


def test_an_unknown_user_gets_the_same_message(qtbot: QtBot, dialog: LoginDialog) -> None:
    attempt(qtbot, dialog, "nobody", DEMO_PASSWORD)
    qtbot.waitUntil(lambda: message(dialog).isVisible(), timeout=10000)
    assert message(dialog).text() == "The user name or password is not correct."


def test_empty_fields_are_caught_before_any_work(qtbot: QtBot, dialog: LoginDialog) -> None:
    attempt(qtbot, dialog, "", "")
    assert message(dialog).isVisible()
    assert "user name and password" in message(dialog).text()


def test_the_right_password_signs_in(qtbot: QtBot, dialog: LoginDialog) -> None:
    with qtbot.waitSignal(dialog.signed_in, timeout=10000) as blocker:
        attempt(qtbot, dialog, "drpatel", DEMO_PASSWORD)
    ctx: AppContext = blocker.args[0]
    try:
        assert ctx.actor is not None and ctx.actor.username == "drpatel"
    finally:
        ctx.close()


def test_the_code_field_appears_only_for_a_second_factor(
    qtbot: QtBot, dialog: LoginDialog, admin: AppContext, clock: FakeClock
) -> None:
    account = AccountService(admin)
    setup = account.start_second_factor()
    account.confirm_second_factor(setup, pyotp.TOTP(setup.secret).at(clock.now()))
    code = find_by_name(dialog, QLineEdit, "Authenticator code", visible=False)
    assert not code.isVisible()

    attempt(qtbot, dialog, "admin", DEMO_PASSWORD)
    qtbot.waitUntil(code.isVisible, timeout=10000)
    assert "6-digit code" in message(dialog).text()

    code.setText(pyotp.TOTP(setup.secret).at(clock.now()))
    with qtbot.waitSignal(dialog.signed_in, timeout=10000) as blocker:
        qtbot.keyClick(code, Qt.Key.Key_Return)
    blocker.args[0].close()


@pytest.fixture
def desktop(practice: DemoPractice, clock: FakeClock, qapp: object) -> Iterator[DesktopApp]:
    app = DesktopApp(practice.paths, clock=clock, kdf=FAST_KDF)
    app.start()
    yield app
    app.shutdown()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # Qt deletes, not the GC


def sign_in(qtbot: QtBot, desktop: DesktopApp, username: str) -> MainWindow:
    assert desktop.login is not None
    attempt(qtbot, desktop.login, username, DEMO_PASSWORD)
    qtbot.waitUntil(lambda: desktop.main is not None, timeout=10000)
    assert desktop.main is not None
    return desktop.main


@pytest.mark.parametrize(
    ("username", "sections"),
    [
        ("admin", ["today", "schedule", "patients", "admin"]),
        ("frontdesk", ["today", "schedule", "patients", "billing"]),
        ("drpatel", ["today", "schedule", "patients", "chart", "billing"]),
        ("nkim", ["today", "schedule", "patients", "chart"]),
        ("billing", ["today", "patients", "billing"]),
    ],
)
def test_each_role_sees_only_its_sections(
    qtbot: QtBot, desktop: DesktopApp, username: str, sections: list[str]
) -> None:
    main = sign_in(qtbot, desktop, username)
    assert [s.key for s in main.sections] == sections
    assert len(main.rail.buttons) == len(sections)


def test_too_many_wrong_unlocks_sign_out(
    qtbot: QtBot, desktop: DesktopApp, clock: FakeClock
) -> None:
    main = sign_in(qtbot, desktop, "frontdesk")
    clock.advance(timedelta(minutes=11))
    main.monitor.check()
    assert main.locked
    unlock_message = find_by_name(main, QLabel, "Unlock message", visible=False)
    for attempt_number in range(5):
        assert desktop.main is main  # still locked, not yet signed out
        field = find_by_name(main, QLineEdit, "Password to unlock")
        field.setText(f"wrong guess number {attempt_number}")
        qtbot.keyClick(field, Qt.Key.Key_Return)
        assert main.lock_screen.busy.isVisible()  # checking the password off the UI thread
        qtbot.waitUntil(
            lambda: desktop.main is None or not main.lock_screen.busy.isVisible(), timeout=10000
        )
        if attempt_number < 4:
            assert unlock_message.text() == "The password is not correct."
    qtbot.waitUntil(lambda: desktop.main is None and desktop.login is not None, timeout=10000)
    assert desktop.login is not None
    assert "locked" in message(desktop.login).text()
    assert find_by_name(desktop.login, QLineEdit, "User name").text() == "frontdesk"


def test_sign_out_returns_to_the_login(qtbot: QtBot, desktop: DesktopApp) -> None:
    main = sign_in(qtbot, desktop, "admin")
    with qtbot.waitSignal(desktop.signed_out, timeout=5000):
        qtbot.mouseClick(main.sign_out_button, Qt.MouseButton.LeftButton)
    assert desktop.main is None
    assert desktop.login is not None and desktop.login.isVisible()


def test_keyboard_shortcuts_switch_sections_and_lock(qtbot: QtBot, desktop: DesktopApp) -> None:
    main = sign_in(qtbot, desktop, "admin")
    main.activateWindow()
    qtbot.waitActive(main)
    control = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(main, Qt.Key.Key_4, control)
    assert main.stack.currentIndex() == main.section_index("admin")
    qtbot.keyClick(main, Qt.Key.Key_1, control)
    assert main.stack.currentIndex() == main.section_index("today")
    qtbot.keyClick(main, Qt.Key.Key_L, control)
    assert main.locked
    qtbot.keyClick(main, Qt.Key.Key_4, control)  # sections stay shut while locked
    assert main.stack.currentIndex() == main.section_index("today")


def test_a_temporary_password_must_be_replaced(
    qtbot: QtBot, desktop: DesktopApp, admin: AppContext
) -> None:
    UserAdminService(admin).create_user(
        NewUser("jlee", "Jordan Lee", Role.RECEPTIONIST, "front desk welcome 7")
    )
    assert desktop.login is not None
    attempt(qtbot, desktop.login, "jlee", "front desk welcome 7")
    qtbot.waitUntil(lambda: desktop.main is not None, timeout=10000)
    main = desktop.main
    assert main is not None
    qtbot.waitUntil(
        lambda: any(d.isVisible() for d in main.findChildren(ChangePasswordDialog)), timeout=10000
    )
    dialog = main.findChildren(ChangePasswordDialog)[0]
    find_by_name(dialog, QLineEdit, "Current password").setText("front desk welcome 7")
    find_by_name(dialog, QLineEdit, "New password").setText("my own quiet harbour")
    find_by_name(dialog, QLineEdit, "Confirm new password").setText("my own quiet harbour")
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        qtbot.mouseClick(
            find_by_name(dialog, QPushButton, "Save password"), Qt.MouseButton.LeftButton
        )
    assert desktop.main is main  # still signed in
    assert not AccountService(main.session.ctx).must_change_password()
