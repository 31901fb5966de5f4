"""Acceptance: first run → create a practice → sign in → Admin adds a user → the screen locks
after inactivity (users cleared) → unlock with the password → the users are back."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.services.clock import FakeClock
from app.storage.database import PracticePaths
from app.ui.app import DesktopApp
from app.ui.main_window import MainWindow
from tests.conftest import FAST_KDF
from tests.ui.helpers import find_by_name

ADMIN_PASSWORD = "maple syrup morning 42"
RECOVERY_CODE = re.compile(r"^[A-Z2-9]{5}(-[A-Z2-9]{5}){5}$")


@pytest.fixture
def desktop(tmp_path: Path, clock: FakeClock, qapp: object) -> Iterator[DesktopApp]:
    app = DesktopApp(PracticePaths(tmp_path / "practice"), clock=clock, kdf=FAST_KDF)
    yield app
    app.shutdown()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)  # Qt deletes, not the GC


def type_into(qtbot: QtBot, root: QWidget, name: str, text: str) -> QLineEdit:
    edit = find_by_name(root, QLineEdit, name)
    edit.clear()
    qtbot.keyClicks(edit, text)
    return edit


def click(qtbot: QtBot, root: QWidget, name: str) -> None:
    target = find_by_name(root, QAbstractButton, name)
    assert target.isEnabled(), f"{name} is disabled"
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton)


def create_practice(qtbot: QtBot, desktop: DesktopApp) -> str:
    desktop.start()
    first = desktop.first_run
    assert first is not None
    qtbot.waitExposed(first)
    click(qtbot, first, "Create a practice")
    type_into(qtbot, first, "Practice name", "Lakeside Pediatrics")
    zone = find_by_name(first, QComboBox, "Time zone")
    assert zone.currentText()  # defaults to this machine's zone
    zone.setCurrentText("America/Chicago")
    type_into(qtbot, first, "Your full name", "Jordan Lee")
    type_into(qtbot, first, "Your user name", "jlee")
    type_into(qtbot, first, "Password", ADMIN_PASSWORD)
    type_into(qtbot, first, "Confirm password", ADMIN_PASSWORD)
    click(qtbot, first, "Create practice")

    code_label = find_by_name(first, QLabel, "Recovery code", visible=False)
    qtbot.waitUntil(lambda: code_label.isVisible() and bool(code_label.text()), timeout=15000)
    code = code_label.text()
    assert RECOVERY_CODE.match(code)
    proceed = find_by_name(first, QPushButton, "Continue to sign in")
    assert not proceed.isEnabled()  # not before the code is confirmed as stored
    find_by_name(first, QCheckBox, "I have stored the recovery code safely").setChecked(True)
    click(qtbot, first, "Continue to sign in")
    assert code_label.text() == ""  # shown once
    return code


def sign_in(qtbot: QtBot, desktop: DesktopApp, password: str) -> MainWindow:
    login = desktop.login
    assert login is not None
    qtbot.waitExposed(login)
    assert find_by_name(login, QLineEdit, "User name").text() == "jlee"
    field = type_into(qtbot, login, "Password", password)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desktop.main is not None, timeout=15000)
    assert desktop.main is not None
    return desktop.main


def test_first_run_to_locked_and_back(qtbot: QtBot, desktop: DesktopApp, clock: FakeClock) -> None:
    create_practice(qtbot, desktop)
    main = sign_in(qtbot, desktop, ADMIN_PASSWORD)
    qtbot.waitExposed(main)
    assert [s.key for s in main.sections] == ["today", "schedule", "patients", "admin"]
    assert "Jordan Lee" in find_by_name(main, QLabel, "Signed-in user").text()
    assert find_by_name(main, QLabel, "Practice").text() == "Lakeside Pediatrics"

    # Admin → Users: the administrator is listed; add a receptionist.
    click(qtbot, main, "Admin section")
    table = find_by_name(main, QTableView, "Users list")
    qtbot.waitUntil(lambda: table.model().rowCount() == 1, timeout=10000)
    click(qtbot, main, "Add user")
    dialog = next(w for w in main.findChildren(QWidget) if w.windowTitle() == "Add a user")
    qtbot.waitExposed(dialog)
    type_into(qtbot, dialog, "Full name", "Luis Romero")
    type_into(qtbot, dialog, "User name", "lromero")
    assert not find_by_name(dialog, QLineEdit, "NPI", visible=False).isVisible()
    type_into(qtbot, dialog, "Temporary password", "front desk welcome 7")
    type_into(qtbot, dialog, "Confirm temporary password", "front desk welcome 7")
    click(qtbot, dialog, "Add user")
    qtbot.waitUntil(lambda: table.model().rowCount() == 2, timeout=10000)
    names = {table.model().index(r, 0).data() for r in range(2)}
    assert names == {"Jordan Lee", "Luis Romero"}

    # Nine minutes idle: still open. Past ten: locked, and the users are gone from the widgets.
    clock.advance(timedelta(minutes=9))
    assert not main.monitor.check()
    clock.advance(timedelta(minutes=2))
    assert main.monitor.check()
    assert main.locked
    assert main.lock_screen.isVisible()
    assert not table.isVisible()
    assert table.model().rowCount() == 0

    # Unlock with the password: the list comes back.
    unlock = type_into(qtbot, main, "Password to unlock", ADMIN_PASSWORD)
    qtbot.keyClick(unlock, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not main.locked, timeout=10000)
    qtbot.waitUntil(lambda: table.isVisible() and table.model().rowCount() == 2, timeout=10000)


def test_activity_postpones_the_lock(qtbot: QtBot, desktop: DesktopApp, clock: FakeClock) -> None:
    create_practice(qtbot, desktop)
    main = sign_in(qtbot, desktop, ADMIN_PASSWORD)
    qtbot.waitExposed(main)
    clock.advance(timedelta(minutes=8))
    qtbot.mouseMove(main.rail.buttons[0])
    qtbot.keyClick(main.rail.buttons[0], Qt.Key.Key_Shift)
    clock.advance(timedelta(minutes=8))
    assert not main.monitor.check()
    assert not main.locked
    click(qtbot, main, "Admin section")
    click(qtbot, main, "Add user")
    dialog = next(w for w in main.findChildren(QWidget) if w.windowTitle() == "Add a user")
    qtbot.waitExposed(dialog)
    type_into(qtbot, dialog, "Full name", "Half Typed")
    clock.advance(timedelta(minutes=11))
    assert main.monitor.check()
    assert main.locked
    assert not dialog.isVisible()  # dialogs close with the lock: nothing readable above it
