"""Admin → Scheduling (issue #4) on a real encrypted practice: providers' weekly hours
(saved, refused, kept over the lock), appointment types, rooms, holidays that stop
bookings, and the front desk blocking time from the Schedule page. It is Monday Jan 5
2026, 8:00 AM in Chicago."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.services.appointment_rows import ScheduleConflict
from app.services.context import AppContext
from app.services.schedule_data import HoursView
from app.services.schedule_setup import AppointmentTypeInput, ScheduleSetupService
from app.ui.admin.admin_page import AdminPage
from app.ui.admin.appointment_type_dialog import AppointmentTypeDialog
from app.ui.admin.schedule_setup_panel import ScheduleSetupPanel
from app.ui.admin.setup_sections import ListSection
from app.ui.schedule.block_dialog import BlockTimeDialog
from app.ui.schedule.schedule_page import SchedulePage
from app.ui.session import DesktopSession
from tests.ui.helpers import (
    answer_prompt,
    book_visit,
    cell,
    click,
    find_by_name,
    register_patients,
    show_schedule_page,
)

Login = Callable[[str], AppContext]
MONDAY = date(2026, 1, 5)


@dataclass
class Admin:
    page: AdminPage
    panel: ScheduleSetupPanel
    ctx: AppContext
    setup: ScheduleSetupService
    providers: dict[str, str]  # last name → id


@pytest.fixture
def admin_page(qtbot: QtBot, session_for: Callable[[str], DesktopSession]) -> Admin:
    session = session_for("admin")
    page = AdminPage(session)
    qtbot.addWidget(page)
    page.resize(1180, 760)
    page.show()
    qtbot.waitExposed(page)
    page.reload()
    assert page.scheduling is None  # built when first shown
    tabs = find_by_name(page, QTabWidget, "Admin tabs")
    assert [tabs.tabText(i) for i in range(3)] == ["Users", "Practice", "Scheduling"]
    page.show_tab("Scheduling")
    panel = page.scheduling
    assert panel is not None
    qtbot.waitUntil(lambda: panel.hours.provider.count() > 0, timeout=10000)
    setup = ScheduleSetupService(session.ctx)
    providers = {p.name.split()[-1]: p.id for p in setup.providers()}
    return Admin(page, panel, session.ctx, setup, providers)


def set_time(root: QWidget, name: str, text: str) -> None:
    find_by_name(root, QComboBox, name).setCurrentText(text)


def week(hours: list[HoursView]) -> dict[int, tuple[time, time, time | None, time | None]]:
    return {h.weekday: (h.starts, h.ends, h.break_starts, h.break_ends) for h in hours}


def choose_provider(qtbot: QtBot, admin: Admin, last_name: str) -> None:
    combo = find_by_name(admin.panel, QComboBox, "Provider")
    combo.setCurrentIndex(combo.findData(admin.providers[last_name]))
    qtbot.waitUntil(lambda: admin.panel.hours.provider_id == admin.providers[last_name])


def opened_from(qtbot: QtBot, section: ListSection[Any], button: str) -> QDialog:
    """Press `button` of the section; the dialog it opens, once it shows."""
    click(qtbot, section, button)
    dialog = section.dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    return dialog


def book_patel(ctx: AppContext, patient_id: str, at: datetime) -> None:
    book_visit(ctx, patient_id, "Priya Patel", "Follow-up", at)


# --- providers' hours -------------------------------------------------------------------


def test_changing_a_providers_week_saves_it(qtbot: QtBot, admin_page: Admin) -> None:
    admin = admin_page
    choose_provider(qtbot, admin, "Patel")
    panel = admin.panel
    save = find_by_name(panel, QPushButton, "Save hours")
    assert not save.isEnabled()  # nothing changed yet
    assert find_by_name(panel, QComboBox, "Monday starts").currentText() == "8:00 AM"

    set_time(panel, "Monday ends", "3:00 PM")
    find_by_name(panel, QCheckBox, "Friday works").setChecked(False)
    saturday = find_by_name(panel, QCheckBox, "Saturday works")
    saturday.setChecked(True)
    set_time(panel, "Saturday starts", "9")  # typed the way the desk says it
    set_time(panel, "Saturday ends", "12:30 pm")
    assert not find_by_name(panel, QCheckBox, "Saturday break").isChecked()
    click(qtbot, panel, "Save hours")

    notice = find_by_name(panel, QLabel, "Hours saved", visible=False)
    qtbot.waitUntil(lambda: notice.text() == "Priya Patel's hours are saved.", timeout=5000)
    saved = week(admin.setup.hours(admin.providers["Patel"]))
    lunch = (time(12), time(13))
    assert saved == {
        0: (time(8), time(15), *lunch),
        1: (time(8), time(17), *lunch),
        2: (time(8), time(17), *lunch),
        3: (time(8), time(17), *lunch),
        5: (time(9), time(12, 30), None, None),
    }
    assert not save.isEnabled()
    # Other providers are untouched.
    assert week(admin.setup.hours(admin.providers["Kim"]))[4][0] == time(8, 30)


def test_refused_hours_show_the_reason_and_change_nothing(qtbot: QtBot, admin_page: Admin) -> None:
    admin = admin_page
    choose_provider(qtbot, admin, "Patel")
    panel = admin.panel
    before = admin.setup.hours(admin.providers["Patel"])
    set_time(panel, "Monday break starts", "7:00 AM")  # before the day starts at 8
    click(qtbot, panel, "Save hours")
    message = panel.hours.message
    qtbot.waitUntil(message.isVisible, timeout=5000)
    assert message.text() == "On Monday the break must fall inside the working hours."
    assert admin.setup.hours(admin.providers["Patel"]) == before
    # What was typed is still there, ready to fix.
    assert find_by_name(panel, QComboBox, "Monday break starts").currentText() == "7:00 AM"

    # A time that is not a time is caught before anything is sent.
    set_time(panel, "Tuesday ends", "25:00")
    click(qtbot, panel, "Save hours")
    assert message.text() == "The time “25:00” is not a time."
    assert admin.setup.hours(admin.providers["Patel"]) == before

    # Undo puts the saved week back.
    click(qtbot, panel, "Undo changes to hours")
    assert find_by_name(panel, QComboBox, "Monday break starts").currentText() == "12:00 PM"
    assert find_by_name(panel, QComboBox, "Tuesday ends").currentText() == "5:00 PM"
    assert not find_by_name(panel, QPushButton, "Save hours").isEnabled()


def test_unsaved_hours_survive_the_lock_and_switching_asks_first(
    qtbot: QtBot, admin_page: Admin
) -> None:
    admin = admin_page
    choose_provider(qtbot, admin, "Kim")
    panel = admin.panel
    set_time(panel, "Wednesday ends", "2:00 PM")
    admin.page.clear_sensitive()
    assert panel.hours.provider.count() == 0  # no staff names behind the lock
    assert panel.types.table.rowCount() == 0 and panel.blocks.table.rowCount() == 0
    with qtbot.waitSignal(panel.loaded, timeout=10000):
        admin.page.reload()
    assert panel.hours.provider.currentData() == admin.providers["Kim"]
    assert find_by_name(panel, QComboBox, "Wednesday ends").currentText() == "2:00 PM"
    assert find_by_name(panel, QPushButton, "Save hours").isEnabled()

    # Choosing someone else asks; "Keep editing" stays on the unsaved week.
    answer_prompt("Unsaved hours", "Keep editing")
    choose_other = panel.hours.provider
    choose_other.setCurrentIndex(choose_other.findData(admin.providers["Patel"]))
    assert panel.hours.provider_id == admin.providers["Kim"]
    assert choose_other.currentData() == admin.providers["Kim"]
    assert find_by_name(panel, QComboBox, "Wednesday ends").currentText() == "2:00 PM"
    answer_prompt("Unsaved hours", "Discard changes")
    choose_other.setCurrentIndex(choose_other.findData(admin.providers["Patel"]))
    assert panel.hours.provider_id == admin.providers["Patel"]
    assert week(admin.setup.hours(admin.providers["Kim"]))[2][1] == time(16, 30)


# --- appointment types and rooms --------------------------------------------------------


def test_adding_an_appointment_type_offered_by_chosen_providers(
    qtbot: QtBot, admin_page: Admin
) -> None:
    admin = admin_page
    panel = admin.panel
    panel.show_part(1)
    table = panel.types.table
    assert table.rowCount() == 5
    dialog = opened_from(qtbot, panel.types, "Add appointment type")
    find_by_name(dialog, QLineEdit, "Name").setText("Well-child visit")
    find_by_name(dialog, QLineEdit, "Default length (minutes)").setText("30")
    click(qtbot, dialog, "Choose colour")
    picker = find_by_name(dialog, QColorDialog, "Colour on the calendar")
    picker.setCurrentColor(QColor("#2a9d8f"))
    picker.accept()
    assert find_by_name(dialog, QLineEdit, "Colour").text() == "#2A9D8F"
    find_by_name(dialog, QCheckBox, "Every provider offers it").setChecked(False)
    find_by_name(dialog, QCheckBox, "Hannah Kim").setChecked(True)
    find_by_name(dialog, QCheckBox, "Daniel Okafor").setChecked(True)
    find_by_name(dialog, QCheckBox, "Only for new patients").setChecked(True)
    click(qtbot, dialog, "Add type")

    qtbot.waitUntil(lambda: table.rowCount() == 6, timeout=5000)
    added = next(t for t in admin.setup.appointment_types() if t.name == "Well-child visit")
    assert added.default_minutes == 30 and added.colour == "#2A9D8F"
    assert set(added.provider_ids) == {admin.providers["Kim"], admin.providers["Okafor"]}
    assert added.new_patients_only and added.active
    row = table.currentRow()
    assert cell(table, row, 0) == "Well-child visit"
    assert set(cell(table, row, 2).split(", ")) == {"Hannah Kim", "Daniel Okafor"}
    assert "Added Well-child visit." in panel.types.notice.text()


def test_editing_a_type_from_the_keyboard_keeps_its_version_check(
    qtbot: QtBot, admin_page: Admin
) -> None:
    admin = admin_page
    panel = admin.panel
    panel.show_part(1)
    table = panel.types.table
    row = next(r for r in range(table.rowCount()) if cell(table, r, 0) == "Sick visit")
    table.selectRow(row)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Return)
    dialog = panel.types.dialog
    assert isinstance(dialog, AppointmentTypeDialog)
    assert dialog.windowTitle() == "Edit appointment type"
    qtbot.waitExposed(dialog)
    # Meanwhile someone else changes the same type.
    sick = next(t for t in admin.setup.appointment_types() if t.name == "Sick visit")
    admin.setup.save_appointment_type(
        AppointmentTypeInput("Sick visit", 25, sick.colour, sick.provider_ids), sick.id
    )
    find_by_name(dialog, QLineEdit, "Default length (minutes)").setText("10")
    click(qtbot, dialog, "Save type")
    qtbot.waitUntil(lambda: "Someone else changed this type" in dialog.message.text())
    assert next(t for t in admin.setup.appointment_types() if t.id == sick.id).default_minutes == 25
    # Saving again is a decision, and now it goes through.
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        click(qtbot, dialog, "Save type")
    assert next(t for t in admin.setup.appointment_types() if t.id == sick.id).default_minutes == 10


def test_adding_and_renaming_rooms(qtbot: QtBot, admin_page: Admin) -> None:
    admin = admin_page
    panel = admin.panel
    panel.show_part(2)
    table = panel.rooms.table
    assert [cell(table, r, 0) for r in range(table.rowCount())][:2] == ["Exam 1", "Exam 2"]
    dialog = opened_from(qtbot, panel.rooms, "Add room")
    name = find_by_name(dialog, QLineEdit, "Room name")
    qtbot.keyClicks(name, "Exam 4")
    qtbot.keyClick(name, Qt.Key.Key_Return)  # Enter saves
    qtbot.waitUntil(lambda: table.rowCount() == 5, timeout=5000)
    assert "Exam 4" in {r.name for r in admin.setup.rooms()}
    assert cell(table, table.currentRow(), 0) == "Exam 4"

    # A change made elsewhere shows up by itself (the ScheduleSetupChanged notice).
    admin.setup.save_room("Lab draw")
    qtbot.waitUntil(lambda: table.rowCount() == 6, timeout=5000)


# --- holidays and blocked time ----------------------------------------------------------


def test_a_holiday_stops_bookings_that_day_until_it_is_removed(
    qtbot: QtBot, admin_page: Admin, login: Login
) -> None:
    admin = admin_page
    panel = admin.panel
    panel.show_part(3)
    table = panel.blocks.table
    before = table.rowCount()
    dialog = opened_from(qtbot, panel.blocks, "Add holiday")
    day = find_by_name(dialog, QLineEdit, "Date")
    day.setText("1/19/2026")
    find_by_name(dialog, QLineEdit, "Holiday name").setText("Martin Luther King Jr. Day")
    click(qtbot, dialog, "Add holiday")
    qtbot.waitUntil(lambda: table.rowCount() == before + 1, timeout=5000)
    row = table.currentRow()
    assert [cell(table, row, c) for c in range(4)] == [
        "Mon Jan 19 · all day",
        "Whole practice",
        "Holiday",
        "Martin Luther King Jr. Day",
    ]

    desk = login("frontdesk")
    patient = register_patients(desk, 1)[0]
    with pytest.raises(ScheduleConflict):
        book_patel(desk, patient, datetime(2026, 1, 19, 10))
    book_patel(desk, patient, datetime(2026, 1, 20, 10))  # the next day is open

    # Remove it (Delete on the list, then confirm): the day can be booked again.
    table.setFocus()
    answer_prompt("Remove blocked time", "Confirm remove")
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: table.rowCount() == before, timeout=5000)
    book_patel(desk, patient, datetime(2026, 1, 19, 10))


def test_front_desk_blocks_time_from_the_schedule_page(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("frontdesk")
    ctx = session.ctx
    setup = ScheduleSetupService(ctx)
    patel = next(p.id for p in setup.providers() if "Patel" in p.name)
    patient = register_patients(ctx, 1)[0]
    book_patel(ctx, patient, datetime(2026, 1, 5, 10, 20))
    page = show_schedule_page(qtbot, SchedulePage(session))

    click(qtbot, page, "Block time")
    dialog = page.desk.dialogs[-1]
    assert isinstance(dialog, BlockTimeDialog)
    qtbot.waitUntil(lambda: dialog.choices is not None, timeout=5000)
    provider = find_by_name(dialog, QComboBox, "Provider")
    provider.setCurrentIndex(provider.findData(patel))
    find_by_name(dialog, QLineEdit, "Date").setText("01/05/2026")
    set_time(dialog, "Start time", "10:00 AM")
    set_time(dialog, "End time", "11:00 AM")
    find_by_name(dialog, QComboBox, "Reason").setCurrentText("Staff meeting")
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    qtbot.waitUntil(lambda: page.notice.isVisible(), timeout=5000)
    assert page.notice.text() == (
        "Blocked Mon Jan 5 · 10:00 – 11:00 AM for Priya Patel. Still booked in that time, "
        "to move: Lopez, Ana (Mon Jan 5, 10:20 AM)."
    )
    blocks = [b for b in setup.blocks(MONDAY, MONDAY) if b.provider_id == patel]
    assert [(b.wall_start, b.wall_end, b.reason) for b in blocks] == [
        (datetime(2026, 1, 5, 10), datetime(2026, 1, 5, 11), "Staff meeting")
    ]
    # The calendar shades it, and nobody can be booked into it.
    qtbot.waitUntil(
        lambda: (
            page.data is not None
            and any(u.kind == "block" and u.provider_id == patel for u in page.data.unavailable)
        ),
        timeout=5000,
    )
    with pytest.raises(ScheduleConflict):
        book_patel(ctx, patient, datetime(2026, 1, 5, 10, 40))


def test_the_block_dialog_says_what_to_fix_and_keeps_what_was_typed(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("frontdesk")
    dialog = BlockTimeDialog(session, wall_start=datetime(2026, 1, 6, 14))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.choices is not None, timeout=5000)
    assert find_by_name(dialog, QLineEdit, "Date").text() == "01/06/2026"
    assert find_by_name(dialog, QComboBox, "Start time").currentText() == "2:00 PM"
    set_time(dialog, "End time", "1:00 PM")
    find_by_name(dialog, QComboBox, "Reason").setCurrentText("Training")
    click(qtbot, dialog, "Block time")
    assert dialog.message.text() == "The block must end after it starts (2:00 PM)."
    find_by_name(dialog, QComboBox, "Reason").setCurrentText("")
    set_time(dialog, "End time", "3:00 PM")
    click(qtbot, dialog, "Block time")
    qtbot.waitUntil(dialog.message.isVisible, timeout=5000)
    assert dialog.message.text() == "Say why the time is blocked; colleagues will see it."
    assert dialog.isVisible()
    assert ScheduleSetupService(session.ctx).blocks(date(2026, 1, 6), date(2026, 1, 6)) == []
