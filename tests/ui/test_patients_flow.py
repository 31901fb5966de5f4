"""Acceptance (issue #3): the front desk searches, finds no one, registers the patient with
insurance; registering the same person again with a typo in the last name is caught as a
likely duplicate, and Open existing shows the record with its banner. Ctrl+K finds a patient
from anywhere."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.services.clock import FakeClock
from app.services.context import AppContext
from app.services.demo import DemoPractice
from app.services.demo_patients import seed_demo_patients
from app.services.patient_search import PatientSearch
from app.ui.app import DesktopApp
from app.ui.main_window import MainWindow
from app.ui.patients.duplicate_dialog import DuplicateWarningDialog
from app.ui.patients.register_dialog import RegisterPatientDialog
from tests.conftest import DEMO_PASSWORD, FAST_KDF
from tests.ui.helpers import find_by_name

CONTROL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def desktop(
    practice: DemoPractice, clock: FakeClock, admin: AppContext, qapp: object
) -> Iterator[DesktopApp]:
    seed_demo_patients(admin, 40, seed=5)  # a few neighbours, so the search has company
    app = DesktopApp(practice.paths, clock=clock, kdf=FAST_KDF)
    app.start()
    yield app
    app.shutdown()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def sign_in(qtbot: QtBot, desktop: DesktopApp, username: str) -> MainWindow:
    login = desktop.login
    assert login is not None
    find_by_name(login, QLineEdit, "User name").setText(username)
    password = find_by_name(login, QLineEdit, "Password")
    password.setText(DEMO_PASSWORD)
    qtbot.keyClick(password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desktop.main is not None, timeout=10000)
    assert desktop.main is not None
    qtbot.waitExposed(desktop.main)
    return desktop.main


def click(qtbot: QtBot, root: QWidget | None, name: str) -> None:
    target = find_by_name(root, QAbstractButton, name)
    assert target.isEnabled(), f"{name} is disabled"
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton)


def type_into(qtbot: QtBot, root: QWidget, name: str, text: str) -> QLineEdit:
    edit = find_by_name(root, QLineEdit, name)
    edit.clear()
    qtbot.keyClicks(edit, text)
    return edit


def choose(root: QWidget, name: str, text: str) -> None:
    combo = find_by_name(root, QComboBox, name)
    index = combo.findText(text, Qt.MatchFlag.MatchStartsWith)
    assert index >= 0, f"{text!r} is not a choice of {name}"
    combo.setCurrentIndex(index)


def open_dialog(qtbot: QtBot, main: MainWindow) -> RegisterPatientDialog:
    qtbot.waitUntil(
        lambda: any(d.isVisible() for d in main.findChildren(RegisterPatientDialog)), timeout=5000
    )
    dialog = next(d for d in main.findChildren(RegisterPatientDialog) if d.isVisible())
    qtbot.waitExposed(dialog)
    return dialog


def closed(dialog: QWidget) -> bool:
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def banner_name(main: MainWindow) -> str:
    return find_by_name(main, QLabel, "Patient name", visible=False).text()


def test_register_then_catch_the_duplicate_and_open_the_existing_record(
    qtbot: QtBot, desktop: DesktopApp
) -> None:
    main = sign_in(qtbot, desktop, "frontdesk")
    assert [s.key for s in main.sections] == ["today", "schedule", "patients", "billing"]

    # Search first: nobody by that name.
    with qtbot.waitActive(main):
        main.activateWindow()
    click(qtbot, main, "Patients section")
    box = find_by_name(main, QLineEdit, "Search patients")
    assert box.hasFocus()  # type straight away
    qtbot.waitUntil(
        lambda: find_by_name(main, QTableView, "Patients list").model().rowCount() == 40
    )
    qtbot.keyClicks(box, "Quellmalz")
    no_match = find_by_name(main, QLabel, "No match message", visible=False)
    qtbot.waitUntil(lambda: no_match.isVisible(), timeout=5000)
    assert no_match.text() == "No patient matches “Quellmalz”."

    # Register them, with insurance; the form starts with what was searched for.
    click(qtbot, main, "Register as a new patient")
    dialog = open_dialog(qtbot, main)
    assert find_by_name(dialog, QLineEdit, "Last name").text() == "Quellmalz"
    type_into(qtbot, dialog, "First name", "Theodora")
    type_into(qtbot, dialog, "Date of birth", "03/14/1985")
    assert "years old" in find_by_name(dialog, QLabel, "Age from date of birth").text()
    choose(dialog, "Sex at birth", "Female")
    type_into(qtbot, dialog, "Phone 1 number", "312-555-0199")
    type_into(qtbot, dialog, "E-mail", "theo.q@example.com")
    type_into(qtbot, dialog, "Address line 1", "18 Lake Shore Dr")
    type_into(qtbot, dialog, "City", "Chicago")
    type_into(qtbot, dialog, "State", "IL")
    find_by_name(dialog, QAbstractButton, "Consent to text messages").setChecked(True)
    status = find_by_name(dialog, QLabel, "Matches status")
    qtbot.waitUntil(lambda: status.text() == "No one registered matches so far.", timeout=5000)
    click(qtbot, dialog, "Next: insurance")
    choose(dialog, "Payer", "Lakeshore Health Plan")
    type_into(qtbot, dialog, "Member ID", "LKS 4455 6677")
    type_into(qtbot, dialog, "Group number", "g1200")
    type_into(qtbot, dialog, "Copay", "25")
    click(qtbot, dialog, "Save patient")
    qtbot.waitUntil(lambda: closed(dialog) or dialog.message.text() != "", timeout=10000)
    assert closed(dialog), dialog.message.text()
    qtbot.waitUntil(lambda: banner_name(main) == "Quellmalz, Theodora", timeout=10000)
    facts = find_by_name(main, QLabel, "Patient details").text()
    assert "DOB 03/14/1985" in facts and "(312) 555-0199" in facts
    coverages = find_by_name(main, QTableView, "Insurance coverages").model()
    assert coverages.rowCount() == 1
    assert coverages.index(0, 1).data() == "Lakeshore Health Plan"
    assert coverages.index(0, 2).data() == "LKS44556677"
    assert coverages.index(0, 6).data() == "$25.00"
    first = PatientSearch(main.session.ctx).search("Quellmalz")
    assert len(first) == 1

    # The same person again, one letter missing from the last name: Ctrl+N from the record.
    with qtbot.waitActive(main):
        main.activateWindow()
    qtbot.keyClick(main, Qt.Key.Key_N, CONTROL)
    dialog = open_dialog(qtbot, main)
    type_into(qtbot, dialog, "Last name", "Quellmaz")
    type_into(qtbot, dialog, "First name", "Theodora")
    type_into(qtbot, dialog, "Date of birth", "3/14/1985")
    match_name = "Open match 1: Quellmalz, Theodora"
    qtbot.waitUntil(lambda: bool(_find(dialog, match_name)), timeout=5000)
    assert (
        "Very likely the same person" in _find(dialog, match_name)[0].findChildren(QLabel)[2].text()
    )
    choose(dialog, "Sex at birth", "Female")
    click(qtbot, dialog, "Save patient")
    qtbot.waitUntil(lambda: bool(dialog.findChildren(DuplicateWarningDialog)), timeout=10000)
    warning = dialog.findChildren(DuplicateWarningDialog)[0]
    qtbot.waitExposed(warning)
    candidate = find_by_name(warning, QAbstractButton, "Candidate 1: Quellmalz, Theodora")
    assert candidate.isChecked()  # the best candidate comes first, already chosen
    texts = " ".join(label.text() for label in candidate.findChildren(QLabel))
    assert first[0].mrn in texts and "same date of birth" in texts
    click(qtbot, warning, "Open existing")

    qtbot.waitUntil(lambda: banner_name(main) == "Quellmalz, Theodora", timeout=10000)
    assert main.patients_page is not None
    assert main.patients_page.record.patient_id == first[0].id
    assert main.stack.currentIndex() == main.section_index("patients")
    assert len(PatientSearch(main.session.ctx).search("Quellma")) == 1  # not registered twice


def _find(root: QWidget, name: str) -> list[QAbstractButton]:
    return [
        b
        for b in root.findChildren(QAbstractButton)
        if b.accessibleName() == name and b.isVisible()
    ]


def test_ctrl_k_opens_a_patient_from_anywhere(qtbot: QtBot, desktop: DesktopApp) -> None:
    main = sign_in(qtbot, desktop, "frontdesk")
    with qtbot.waitActive(main):
        main.activateWindow()
    qtbot.keyClick(main, Qt.Key.Key_1, CONTROL)  # on Today
    hits = PatientSearch(main.session.ctx).search("smith") or PatientSearch(
        main.session.ctx
    ).search("a")
    wanted = hits[0]
    last_name = wanted.display_name.split(",")[0]

    qtbot.keyClick(main, Qt.Key.Key_K, CONTROL)
    popup = main.global_search
    assert popup is not None and popup.isVisible()
    box = find_by_name(popup, QLineEdit, "Search all patients")
    qtbot.keyClicks(box, last_name)
    qtbot.waitUntil(lambda: popup.search.model.rowCount() > 0, timeout=5000)
    row = next(
        r for r in range(popup.search.model.rowCount()) if popup.search.model.id_at(r) == wanted.id
    )
    for _ in range(row):
        qtbot.keyClick(box, Qt.Key.Key_Down)
    qtbot.keyClick(box, Qt.Key.Key_Return)

    assert not popup.isVisible()
    assert box.text() == ""  # the popup forgets what was typed
    assert main.stack.currentIndex() == main.section_index("patients")
    qtbot.waitUntil(lambda: find_by_name(main, QLabel, "Patient name").text() != "", timeout=10000)
    assert main.patients_page is not None
    assert main.patients_page.record.patient_id == wanted.id
    assert wanted.mrn in find_by_name(main, QLabel, "Patient details").text()

    # Esc closes it without opening anything.
    qtbot.keyClick(main, Qt.Key.Key_K, CONTROL)
    assert popup.isVisible()
    qtbot.keyClick(find_by_name(popup, QLineEdit, "Search all patients"), Qt.Key.Key_Escape)
    assert not popup.isVisible()
