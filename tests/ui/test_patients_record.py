"""The patient record page: edit with the record's version, status, insurance (add, end,
remove, card pictures), photo, merge and undo; and registration's harder paths."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from app.models import PatientStatus, SexAtBirth
from app.services.context import AppContext
from app.services.demo import DemoPractice
from app.services.demo_patients import seed_demo_patients
from app.services.insurance import CoverageService
from app.services.patient_data import PatientInput, PhoneInput
from app.services.patients import PatientService
from app.ui.patients.card_images import CardImagesDialog
from app.ui.patients.edit_dialog import EditPatientDialog
from app.ui.patients.merge import MergeDialog
from app.ui.patients.patients_page import PatientsPage
from app.ui.patients.register_dialog import RegisterPatientDialog
from app.ui.patients.status_dialog import StatusDialog
from app.ui.session import DesktopSession
from app.ui.tasks import TaskRunner
from tests.ui.helpers import find_all, find_by_name

Login = Callable[[str], AppContext]


def person(first: str, last: str, born: date) -> PatientInput:
    return PatientInput(first, last, born, SexAtBirth.FEMALE, phones=(PhoneInput("312-555-0111"),))


@pytest.fixture
def page_for(
    qtbot: QtBot, login: Login, practice: DemoPractice
) -> Iterator[Callable[[str], PatientsPage]]:
    runners: list[TaskRunner] = []

    def make(username: str) -> PatientsPage:
        runner = TaskRunner()
        runners.append(runner)
        page = PatientsPage(DesktopSession(login(username), runner, practice.paths, "Riverside"))
        qtbot.addWidget(page)
        page.resize(1300, 860)
        page.show()
        page.reload()
        return page

    yield make
    for runner in runners:
        runner.shutdown()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def open_record(qtbot: QtBot, page: PatientsPage, patient_id: str) -> None:
    page.open_patient(patient_id)
    qtbot.waitUntil(
        lambda: page.record.file is not None and page.record.file.record.id == patient_id,
        timeout=10000,
    )


def dialog_of(qtbot: QtBot, root: QWidget, kind: type) -> object:
    qtbot.waitUntil(lambda: any(d.isVisible() for d in root.findChildren(kind)), timeout=5000)
    return next(d for d in root.findChildren(kind) if d.isVisible())


def gone(widget: QWidget) -> bool:
    return not shiboken6.isValid(widget) or not widget.isVisible()


def test_an_edit_made_meanwhile_is_not_overwritten(
    qtbot: QtBot, page_for: Callable[[str], PatientsPage], login: Login
) -> None:
    page = page_for("frontdesk")
    other_desk = PatientService(login("nkim"))
    record = other_desk.register(person("Mina", "Okafor", date(1990, 5, 2)))
    open_record(qtbot, page, record.id)
    page.record.edit()
    dialog = dialog_of(qtbot, page, EditPatientDialog)
    assert isinstance(dialog, EditPatientDialog)
    assert find_by_name(dialog, QLineEdit, "Last name").text() == "Okafor"
    other_desk.update(
        record.id,
        replace(person("Mina", "Okafor", date(1990, 5, 2)), email="mina@example.com"),
        record.version,
    )

    find_by_name(dialog, QLineEdit, "Preferred name").setText("Mimi")
    qtbot.mouseClick(
        find_by_name(dialog, QAbstractButton, "Save changes"), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: dialog.message.isVisible(), timeout=10000)
    assert "Someone else changed this patient" in dialog.message.text()
    assert find_by_name(dialog, QLineEdit, "Preferred name").text() == "Mimi"  # nothing lost
    qtbot.mouseClick(
        find_by_name(dialog, QAbstractButton, "Reload record"), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(
        lambda: find_by_name(dialog, QLineEdit, "E-mail").text() == "mina@example.com",
        timeout=10000,
    )
    find_by_name(dialog, QLineEdit, "Preferred name").setText("Mimi")
    qtbot.mouseClick(
        find_by_name(dialog, QAbstractButton, "Save changes"), Qt.MouseButton.LeftButton
    )
    preferred = find_by_name(page, QLabel, "Goes by", visible=False)
    qtbot.waitUntil(lambda: preferred.text() == "Goes by “Mimi”", timeout=10000)
    assert gone(dialog)


def test_status_insurance_and_card_pictures(
    qtbot: QtBot, page_for: Callable[[str], PatientsPage], admin: AppContext, tmp_path: Path
) -> None:
    seed_demo_patients(admin, 3, seed=9)  # the demo payers
    page = page_for("frontdesk")
    record = PatientService(admin).register(person("Rosa", "Villanueva", date(1950, 1, 9)))
    open_record(qtbot, page, record.id)
    assert find_by_name(page, QLabel, "No insurance").isVisible()

    # Add a coverage.
    qtbot.mouseClick(find_by_name(page, QAbstractButton, "Add coverage"), Qt.MouseButton.LeftButton)
    from app.ui.patients.coverage_dialogs import CoverageDialog, EndCoverageDialog

    add = dialog_of(qtbot, page, CoverageDialog)
    assert isinstance(add, CoverageDialog)
    qtbot.waitUntil(lambda: add.form.payer.count() > 1, timeout=5000)
    add.form.payer.setCurrentIndex(1)
    add.form.member_id.setText("zz 000 111")
    add.form.copay.setText("$30")
    add.form.effective.setText("1/1/2025")
    qtbot.mouseClick(add.ok_button, Qt.MouseButton.LeftButton)
    model = page.record.coverages.model
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=10000)
    assert model.index(0, 2).data() == "ZZ000111"
    assert model.index(0, 6).data() == "$30.00"

    # Card pictures: a PNG from a file, previewed, saved.
    picture = tmp_path / "card.png"
    image = QImage(420, 260, QImage.Format.Format_RGB32)
    image.fill(QColor("#2a6f97"))
    assert image.save(str(picture))
    qtbot.mouseClick(
        find_by_name(page, QAbstractButton, "Card pictures"), Qt.MouseButton.LeftButton
    )
    cards = dialog_of(qtbot, page, CardImagesDialog)
    assert isinstance(cards, CardImagesDialog)
    qtbot.waitUntil(lambda: cards.ok_button.isEnabled(), timeout=5000)
    cards.import_file("front", picture)
    assert (
        cards.previews["front"].pixmap() is not None
        and not cards.previews["front"].pixmap().isNull()
    )
    not_an_image = tmp_path / "notes.txt"
    not_an_image.write_text("hello")
    cards.import_file("back", not_an_image)
    assert "not a PNG or JPEG" in cards.message.text()
    qtbot.mouseClick(cards.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: model.index(0, 7).data() == "front", timeout=10000)
    coverage = model.coverage_at(0)
    assert coverage is not None
    assert CoverageService(admin).card_image(coverage.id, "front") == picture.read_bytes()

    # End it: the row stays, greyed, and can no longer be ended.
    qtbot.mouseClick(find_by_name(page, QAbstractButton, "End coverage"), Qt.MouseButton.LeftButton)
    end = dialog_of(qtbot, page, EndCoverageDialog)
    assert isinstance(end, EndCoverageDialog)
    end.last_day.setText("6/30/2025")
    qtbot.mouseClick(end.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: model.index(0, 5).data() == "ended 06/30/2025", timeout=10000)
    assert not find_by_name(page, QAbstractButton, "End coverage").isEnabled()

    # Deceased, with the date: the banner says so.
    page.record.change_status()
    status = dialog_of(qtbot, page, StatusDialog)
    assert isinstance(status, StatusDialog)
    status.choices[PatientStatus.DECEASED].setChecked(True)
    status.death_date.setText("2/3/2025")
    qtbot.mouseClick(status.ok_button, Qt.MouseButton.LeftButton)
    chip = find_by_name(page, QLabel, "Patient status", visible=False)
    qtbot.waitUntil(lambda: chip.text() == "DECEASED 02/03/2025", timeout=10000)
    assert chip.isVisible()
    assert page.record.banner.property("status") == "deceased"


def test_a_photo_shows_in_the_banner(
    qtbot: QtBot, page_for: Callable[[str], PatientsPage], admin: AppContext, tmp_path: Path
) -> None:
    page = page_for("frontdesk")
    record = PatientService(admin).register(person("Ivo", "Marsh", date(1977, 7, 7)))
    open_record(qtbot, page, record.id)
    assert not page.record.banner.avatar.has_photo
    photo = tmp_path / "face.jpg"
    image = QImage(120, 160, QImage.Format.Format_RGB32)
    image.fill(QColor("#c8a27a"))
    assert image.save(str(photo), "JPEG")
    page.record.import_photo(photo)
    qtbot.waitUntil(lambda: page.record.banner.avatar.has_photo, timeout=10000)


def test_merge_side_by_side_then_undo(
    qtbot: QtBot, page_for: Callable[[str], PatientsPage], admin: AppContext
) -> None:
    service = PatientService(admin)
    keep = service.register(person("Lena", "Hartmann", date(1962, 8, 1)))
    twin = service.register(person("Lena", "Hartman", date(1962, 8, 1)), confirm_not_duplicate=True)
    page = page_for("admin")
    open_record(qtbot, page, keep.id)
    assert find_by_name(page, QAbstractButton, "Merge with").isVisible()
    page.record.compare_with(twin.id)
    merge = dialog_of(qtbot, page, MergeDialog)
    assert isinstance(merge, MergeDialog)
    qtbot.waitUntil(lambda: merge.other is not None, timeout=5000)
    assert not merge.ok_button.isEnabled()  # a reason is needed
    merge.reason.setText("Registered twice; surname misspelt")
    assert merge.survivor_and_duplicate() == (keep.id, twin.id)
    qtbot.mouseClick(merge.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(page.record.file and page.record.file.merges), timeout=10000)
    assert page.record.history.isVisible()
    assert page.record.notice.text().startswith("Merged.")
    assert service.get(twin.id).status is PatientStatus.MERGED

    entry = page.record.file.merges[0]
    page.record.history.undo(entry)
    qtbot.waitUntil(
        lambda: bool(page.record.file and page.record.file.merges[0].merge.undone_at), timeout=10000
    )
    assert service.get(twin.id).status is PatientStatus.ACTIVE
    assert not [
        b
        for b in page.record.history.findChildren(QAbstractButton)
        if b.accessibleName() == "Undo merge" and b.isVisible()
    ]


def test_insurance_refused_after_the_patient_is_saved_is_fixed_in_place(
    qtbot: QtBot, page_for: Callable[[str], PatientsPage], admin: AppContext
) -> None:
    seed_demo_patients(admin, 2, seed=4)
    page = page_for("frontdesk")
    dialog = page.register("Brandt, Kaia")
    assert isinstance(dialog, RegisterPatientDialog)
    dialog.form.birth.setText("11/30/2012")  # a minor: a guarantor is needed
    dialog.form.sex.setCurrentIndex(1)
    assert find_by_name(dialog, QLabel, "Guarantor required", visible=False).isVisibleTo(dialog)
    dialog.next_step()
    assert "guarantor" in dialog.message.text()
    assert dialog.steps.currentIndex() == 0
    dialog.form.guarantor.name.setText("Jonas Brandt")
    dialog.form.guarantor.relationship.setCurrentText("Father")
    dialog.form.guarantor.phone.setText("(773) 555-0140")
    dialog.next_step()
    assert dialog.steps.currentIndex() == 1
    qtbot.waitUntil(lambda: dialog.coverage.payer.count() > 1, timeout=5000)
    dialog.coverage.payer.setCurrentIndex(1)
    dialog.coverage.member_id.setText("#?")  # the service refuses this member ID
    dialog.coverage.relationship.setCurrentIndex(2)  # child
    dialog.coverage.subscriber_first.setText("Jonas")
    dialog.coverage.subscriber_last.setText("Brandt")
    dialog.submit()
    qtbot.waitUntil(lambda: dialog.saved is not None, timeout=10000)
    assert "is registered" in dialog.message.text() and "member ID" in dialog.message.text()
    assert dialog.ok_button.text() == "Save insurance"
    assert not dialog.form.isEnabled()
    dialog.coverage.member_id.setText("HLM 777 000")
    dialog.submit()
    qtbot.waitUntil(lambda: gone(dialog), timeout=10000)
    qtbot.waitUntil(lambda: page.record.coverages.model.rowCount() == 1, timeout=10000)
    assert page.record.file is not None
    assert page.record.file.record.guarantor_name == "Jonas Brandt"
    assert page.record.coverages.model.index(0, 4).data() == "Jonas Brandt (Child)"


def unnamed_controls(root: QWidget) -> list[str]:
    """Interactive widgets without an accessible name (Qt's own parts of combos, headers and
    line edits aside)."""
    from PySide6.QtWidgets import QAbstractItemView, QComboBox, QHeaderView, QTableView

    found = []
    for widget in root.findChildren(QWidget):
        if not isinstance(widget, QLineEdit | QComboBox | QAbstractButton | QAbstractItemView):
            continue
        parent = widget.parentWidget()
        inside_qt_part = isinstance(widget, QHeaderView) or isinstance(
            parent, QLineEdit | QTableView
        )
        while parent is not None and not inside_qt_part:
            inside_qt_part = isinstance(parent, QComboBox)
            parent = parent.parentWidget()
        if not inside_qt_part and not widget.accessibleName():
            found.append(f"{type(widget).__name__} {getattr(widget, 'text', str)()!r}")
    return found


def test_every_control_has_an_accessible_name(
    qtbot: QtBot, page_for: Callable[[str], PatientsPage], admin: AppContext
) -> None:
    seed_demo_patients(admin, 5, seed=2)
    page = page_for("admin")
    dialog = page.register("Ames, Noor")
    assert dialog is not None
    dialog.form.phones.add_row()
    dialog.form.contacts.add_row()
    assert unnamed_controls(dialog) == []
    dialog.reject()
    record = PatientService(admin).register(person("Noor", "Ames", date(1999, 9, 9)))
    open_record(qtbot, page, record.id)
    assert unnamed_controls(page) == []


def test_one_click_on_a_match_opens_that_patient_instead(
    qtbot: QtBot, page_for: Callable[[str], PatientsPage], admin: AppContext
) -> None:
    existing = PatientService(admin).register(person("Odile", "Fournier", date(1971, 4, 4)))
    page = page_for("frontdesk")
    dialog = page.register("fournier")
    assert dialog is not None
    qtbot.waitExposed(dialog)
    name = "Open match 1: Fournier, Odile"
    # A name match already; its card shows once the list has been laid out.
    qtbot.waitUntil(lambda: len(find_all(dialog, QAbstractButton, name)) == 1, timeout=5000)
    card = find_by_name(dialog, QAbstractButton, name)
    assert "Name starts the same" in " ".join(label.text() for label in card.findChildren(QLabel))
    qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.record.file is not None, timeout=10000)
    assert page.record.patient_id == existing.id
    assert gone(dialog)


def test_a_registered_patient_can_be_picked_as_guarantor(
    qtbot: QtBot, page_for: Callable[[str], PatientsPage], admin: AppContext
) -> None:
    parent = PatientService(admin).register(person("Greta", "Lindqvist", date(1980, 2, 2)))
    page = page_for("frontdesk")
    dialog = page.register("Lindqvist, Elin")
    assert dialog is not None
    dialog.form.birth.setText("6/1/2019")
    dialog.form.sex.setCurrentIndex(1)
    qtbot.mouseClick(
        find_by_name(dialog, QAbstractButton, "Pick guarantor from patients"),
        Qt.MouseButton.LeftButton,
    )
    from app.ui.patients.picker import PatientPickerDialog

    picker = dialog_of(qtbot, dialog, PatientPickerDialog)
    assert isinstance(picker, PatientPickerDialog)
    box = find_by_name(picker, QLineEdit, "Find patient")
    qtbot.keyClicks(box, "lindqvist, gr")
    qtbot.waitUntil(lambda: picker.finder.model.rowCount() == 1, timeout=5000)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert gone(picker)
    chosen = find_by_name(dialog, QLabel, "Guarantor patient")
    assert "Lindqvist, Greta" in chosen.text()
    dialog.form.guarantor.relationship.setCurrentText("Mother")
    dialog.submit()  # self-pay: no insurance chosen
    qtbot.waitUntil(lambda: page.record.file is not None, timeout=10000)
    assert page.record.file is not None
    assert page.record.file.record.guarantor_patient_id == parent.id
    assert "Lindqvist, Greta (Mother)" in find_by_name(page, QLabel, "Guarantor").text()
