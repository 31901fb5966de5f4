"""The schedule dialogs as the front desk uses them (issue #4), on a real encrypted practice:
booking (single, recurring, into a taken time with and without the right to double-book),
checking in, cancelling and offering the freed time to the waitlist, finding a free slot,
and keeping the waitlist. It is Monday Jan 5 2026, 8:00 AM in Chicago."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import pytest
import shiboken6
from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QTableView,
    QTableWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.models import AppointmentStatus
from app.services.appointments import AppointmentService
from app.services.clock import FakeClock
from app.services.context import AppContext
from app.services.demo import DemoPractice
from app.services.insurance import CoverageInput, CoverageService, PayerInput, PayerService
from app.services.schedule_data import AppointmentView, BookingInput
from app.services.waitlist import WaitlistInput, WaitlistService
from app.ui.app import DesktopApp
from app.ui.schedule.booking_dialog import BookingDialog
from app.ui.schedule.cancel_dialog import CancelDialog
from app.ui.schedule.check_in_dialog import CheckInDialog
from app.ui.schedule.find_slot_dialog import FindSlotDialog
from app.ui.schedule.waitlist_dialog import WaitlistDialog
from app.ui.schedule.waitlist_entry_dialog import WaitlistEntryDialog
from app.ui.session import DesktopSession
from tests.conftest import FAST_KDF
from tests.ui.helpers import (
    answer_prompt,
    book_visit,
    caught,
    cell,
    click,
    find_by_name,
    opened_child,
    register_patient,
    schedule_ids,
)
from tests.ui.test_patients_flow import sign_in
from tests.ui.test_patients_lock import every_text

Login = Callable[[str], AppContext]
S = AppointmentStatus
CONTROL = Qt.KeyboardModifier.ControlModifier


# --- set-up -----------------------------------------------------------------------------


@pytest.fixture
def desk(login: Login) -> AppContext:
    """The front desk's context for setting things up and checking the database."""
    return login("frontdesk")


@pytest.fixture
def window(qtbot: QtBot) -> QWidget:
    """Stands in for the main window the dialogs open over (they delete themselves on close)."""
    host = QWidget()
    qtbot.addWidget(host)
    return host


def gone(widget: QWidget) -> bool:
    return not shiboken6.isValid(widget) or not widget.isVisible()


def shown(qtbot: QtBot, dialog: QWidget) -> None:
    dialog.show()
    qtbot.waitExposed(dialog)


def choose(root: QWidget, name: str, text: str) -> None:
    combo = find_by_name(root, QComboBox, name)
    index = combo.findText(text)
    assert index >= 0, f"{text!r} is not a choice of {name}"
    combo.setCurrentIndex(index)


def type_into(qtbot: QtBot, root: QWidget, name: str, text: str) -> None:
    edit = find_by_name(root, QLineEdit, name)
    edit.selectAll()
    qtbot.keyClicks(edit, text)


def pick_patient(qtbot: QtBot, dialog: QWidget, search: str, name: str) -> None:
    """Search, wait for the list, Enter: the chosen patient is shown by name."""
    box = find_by_name(dialog, QLineEdit, "Patient")
    box.setFocus()
    qtbot.keyClicks(box, search)
    results = find_by_name(dialog, QTableView, "Patient results", visible=False)
    qtbot.waitUntil(lambda: results.isVisible() and results.model().rowCount() > 0, timeout=10000)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    chosen = find_by_name(dialog, QLabel, "Chosen patient")
    assert chosen.text() == name


def opened_booking(
    qtbot: QtBot, window: QWidget, session: DesktopSession, **kwargs: object
) -> BookingDialog:
    dialog = BookingDialog(session, parent=window, **kwargs)  # type: ignore[arg-type]
    shown(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.choices is not None, timeout=10000)
    if "patient_id" in kwargs:
        qtbot.waitUntil(lambda: dialog.patient.patient_id == kwargs["patient_id"], timeout=10000)
    return dialog


def a_taken_ten_oclock(desk: AppContext) -> tuple[str, str]:
    """Ana Lopez booked with Priya Patel at 10:00 today, and Ben Marsh, who wants that time."""
    first = register_patient(desk, "Ana", "Lopez", date(1980, 2, 2))
    second = register_patient(desk, "Ben", "Marsh", date(1979, 6, 6))
    book_visit(desk, first, "Priya Patel", "Follow-up", datetime(2026, 1, 5, 10, 0))
    return first, second


def fill_booking(
    qtbot: QtBot, dialog: BookingDialog, kind: str, provider: str, day: str, at: str
) -> None:
    choose(dialog, "Appointment type", kind)
    choose(dialog, "Provider", provider)
    type_into(qtbot, dialog, "Date", day)
    combo = find_by_name(dialog, QComboBox, "Start time")
    combo.setCurrentText(at)


# --- booking ----------------------------------------------------------------------------


def test_booking_from_the_keyboard_puts_the_visit_in_the_schedule(
    qtbot: QtBot,
    window: QWidget,
    session_for: Callable[[str], DesktopSession],
    desk: AppContext,
) -> None:
    patient = register_patient(desk, "Mina", "Okafor", date(1990, 5, 2))
    register_patient(desk, "Minnie", "Oakes", date(1972, 1, 9))
    dialog = opened_booking(qtbot, window, session_for("frontdesk"))
    booked: list[list[AppointmentView]] = caught(dialog.booked)

    # Search first; Enter picks the patient and moves on to the visit type.
    pick_patient(qtbot, dialog, "okafor", "Okafor, Mina")
    qtbot.waitUntil(lambda: dialog.type.hasFocus(), timeout=5000)

    # A type sets its length and narrows the providers to those who offer it.
    choose(dialog, "Appointment type", "Immunization")
    provider = find_by_name(dialog, QComboBox, "Provider")
    offered = [provider.itemText(i) for i in range(1, provider.count())]
    assert offered == ["Hannah Kim"]
    assert provider.currentText() == "Hannah Kim"
    assert find_by_name(dialog, QLineEdit, "Length (minutes)").text() == "15"
    choose(dialog, "Appointment type", "Follow-up")
    offered = [provider.itemText(i) for i in range(1, provider.count())]
    assert sorted(offered) == ["Daniel Okafor", "Priya Patel"]
    assert find_by_name(dialog, QLineEdit, "Length (minutes)").text() == "20"

    choose(dialog, "Provider", "Priya Patel")
    type_into(qtbot, dialog, "Date", "01/06/2026")
    assert find_by_name(dialog, QLabel, "Day of the week").text() == "Tuesday"
    find_by_name(dialog, QComboBox, "Start time").setCurrentText("10:10 am")  # any minute
    type_into(qtbot, dialog, "Length (minutes)", "30")
    assert find_by_name(dialog, QLabel, "Ends at").text() == "ends 10:40 AM"
    choose(dialog, "Room", "Exam 2")
    reason = find_by_name(dialog, QLineEdit, "Reason for visit")
    qtbot.keyClicks(reason, "Blood pressure recheck")
    qtbot.keyClick(reason, Qt.Key.Key_Return, CONTROL)  # Ctrl+Enter books
    assert not find_by_name(dialog, QAbstractButton, "Book").isEnabled()  # busy: no second go
    assert find_by_name(dialog, QWidget, "Working").isVisible()

    qtbot.waitUntil(lambda: bool(booked), timeout=10000)
    assert gone(dialog)
    saved = AppointmentService(desk).for_patient(patient)
    assert [(a.wall_start, a.minutes, a.provider_name, a.room_name) for a in saved] == [
        (datetime(2026, 1, 6, 10, 10), 30, "Priya Patel", "Exam 2")
    ]
    assert saved[0].reason == "Blood pressure recheck"
    assert saved[0].status is S.BOOKED
    assert [a.id for a in booked[0]] == [saved[0].id]


def test_enter_walks_the_form_and_only_books_on_the_book_button(
    qtbot: QtBot,
    window: QWidget,
    session_for: Callable[[str], DesktopSession],
    desk: AppContext,
) -> None:
    patient = register_patient(desk, "Ruth", "Abel", date(1950, 3, 3))
    dialog = opened_booking(qtbot, window, session_for("frontdesk"), patient_id=patient)
    chosen = find_by_name(dialog, QLabel, "Chosen patient")
    qtbot.waitUntil(lambda: chosen.text() == "Abel, Ruth", timeout=10000)
    assert find_by_name(dialog, QAbstractButton, "Change patient").isVisible()
    qtbot.waitUntil(lambda: dialog.type.hasFocus(), timeout=5000)  # the first empty field
    choose(dialog, "Appointment type", "Annual physical")
    choose(dialog, "Provider", "Daniel Okafor")
    find_by_name(dialog, QComboBox, "Start time").setCurrentText("11:00 AM")

    visited = []
    for _step in range(12):
        focus = QApplication.focusWidget()
        assert focus is not None
        visited.append(focus.accessibleName())
        if visited[-1] == "Book":
            break
        qtbot.keyClick(focus, Qt.Key.Key_Return)
    assert (
        visited
        == [
            "Appointment type",
            "Provider",
            "Date",
            "Start time",
            "Length (minutes)",
            "Room",
            "Reason for visit",
            "Notes",
            "Repeats",
            "Book",
        ][: len(visited)]
    )
    assert visited[-1] == "Book"
    assert AppointmentService(desk).for_patient(patient) == []  # Enter on a field never books

    booked: list[list[AppointmentView]] = caught(dialog.booked)
    qtbot.keyClick(find_by_name(dialog, QAbstractButton, "Book"), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(booked), timeout=10000)
    saved = AppointmentService(desk).for_patient(patient)
    assert [(a.wall_start, a.minutes) for a in saved] == [(datetime(2026, 1, 5, 11, 0), 40)]


def test_a_refusal_is_shown_in_the_dialog_and_nothing_closes(
    qtbot: QtBot,
    window: QWidget,
    session_for: Callable[[str], DesktopSession],
    desk: AppContext,
) -> None:
    patient = register_patient(desk, "Ruth", "Abel", date(1950, 3, 3))
    dialog = opened_booking(qtbot, window, session_for("frontdesk"), patient_id=patient)
    qtbot.waitUntil(lambda: dialog.patient.patient_name == "Abel, Ruth", timeout=10000)
    click(qtbot, dialog, "Book")
    message = find_by_name(dialog, QLabel, "Dialog message")
    assert message.text() == "Choose the visit type."
    fill_booking(qtbot, dialog, "Follow-up", "Priya Patel", "01/02/2026", "9:00 AM")
    click(qtbot, dialog, "Book")
    qtbot.waitUntil(lambda: "That day has passed" in message.text(), timeout=10000)
    assert dialog.isVisible()
    assert find_by_name(dialog, QAbstractButton, "Book").isEnabled()
    assert AppointmentService(desk).for_patient(patient) == []


def test_a_recurring_booking_books_every_visit_the_summary_promised(
    qtbot: QtBot,
    window: QWidget,
    session_for: Callable[[str], DesktopSession],
    desk: AppContext,
) -> None:
    patient = register_patient(desk, "Tomas", "Reyes", date(1961, 8, 20))
    dialog = opened_booking(qtbot, window, session_for("frontdesk"), patient_id=patient)
    fill_booking(qtbot, dialog, "Follow-up", "Daniel Okafor", "01/05/2026", "2:30 PM")
    click(qtbot, dialog, "Repeats")
    weekdays = find_by_name(dialog, QWidget, "On weekdays")
    monday = find_by_name(weekdays, QCheckBox, "Mon")
    assert monday.isChecked()  # the chosen day's weekday
    find_by_name(weekdays, QCheckBox, "Thu").click()
    type_into(qtbot, dialog, "After N visits", "5")
    summary = find_by_name(dialog, QLabel, "Series summary")
    assert summary.text() == "5 visits, last on Mon Jan 19"

    booked: list[list[AppointmentView]] = caught(dialog.booked)
    click(qtbot, dialog, "Book")
    qtbot.waitUntil(lambda: bool(booked), timeout=10000)
    saved = sorted(AppointmentService(desk).for_patient(patient), key=lambda a: a.wall_start)
    assert [a.wall_start for a in saved] == [
        datetime(2026, 1, day, 14, 30) for day in (5, 8, 12, 15, 19)
    ]
    assert len({a.series_id for a in saved}) == 1 and saved[0].series_id is not None
    assert len(booked[0]) == 5


def test_every_other_week_until_a_date(
    qtbot: QtBot,
    window: QWidget,
    session_for: Callable[[str], DesktopSession],
    desk: AppContext,
) -> None:
    patient = register_patient(desk, "Tomas", "Reyes", date(1961, 8, 20))
    dialog = opened_booking(qtbot, window, session_for("frontdesk"), patient_id=patient)
    fill_booking(qtbot, dialog, "Follow-up", "Priya Patel", "01/07/2026", "9:00 AM")
    click(qtbot, dialog, "Repeats")
    type_into(qtbot, dialog, "Every N weeks", "2")
    type_into(qtbot, dialog, "Ends on", "03/04/2026")
    assert find_by_name(dialog, QAbstractButton, "End on a date").isChecked()
    assert find_by_name(dialog, QLabel, "Series summary").text() == "5 visits, last on Wed Mar 4"
    type_into(qtbot, dialog, "Ends on", "01/06/2026")
    assert "must end after its first visit" in dialog.repeat.summary.text()
    click(qtbot, dialog, "Book")
    assert "must end after its first visit" in dialog.message.text()
    assert AppointmentService(desk).for_patient(patient) == []


def test_booking_a_taken_time_without_double_book_rights_books_nothing(
    qtbot: QtBot,
    window: QWidget,
    session_for: Callable[[str], DesktopSession],
    desk: AppContext,
) -> None:
    _first, second = a_taken_ten_oclock(desk)
    dialog = opened_booking(qtbot, window, session_for("frontdesk"), patient_id=second)
    fill_booking(qtbot, dialog, "Follow-up", "Priya Patel", "01/05/2026", "10:10 AM")

    prompts = answer_prompt("Schedule conflict", "OK")
    click(qtbot, dialog, "Book")
    qtbot.waitUntil(lambda: bool(prompts), timeout=10000)
    assert prompts[0].buttons == ["OK"]  # no double-booking for the front desk
    reason = "Mon Jan 5 10:10 AM overlaps Priya Patel's 10:00 AM appointment with Lopez, Ana."
    assert reason in prompts[0].text
    assert dialog.message.text() == reason  # and it stays in the dialog
    assert dialog.isVisible()
    assert AppointmentService(desk).for_patient(second) == []


def test_a_physician_may_double_book_when_they_choose_to(
    qtbot: QtBot,
    window: QWidget,
    session_for: Callable[[str], DesktopSession],
    desk: AppContext,
) -> None:
    first, second = a_taken_ten_oclock(desk)
    dialog = opened_booking(
        qtbot,
        window,
        session_for("drpatel"),
        patient_id=second,
        wall_start=datetime(2026, 1, 5, 10, 0),
        provider_id=schedule_ids(desk)[1]["Priya Patel"],
    )
    assert find_by_name(dialog, QComboBox, "Start time").currentText() == "10:00 AM"
    choose(dialog, "Appointment type", "Sick visit")
    assert find_by_name(dialog, QComboBox, "Provider").currentText() == "Priya Patel"
    booked: list[list[AppointmentView]] = caught(dialog.booked)

    prompts = answer_prompt("Schedule conflict", "Double-book anyway")
    click(qtbot, dialog, "Book")
    qtbot.waitUntil(lambda: bool(booked), timeout=10000)
    assert prompts[0].buttons == ["Cancel", "Double-book anyway"]
    saved = AppointmentService(desk).for_patient(second)
    assert [(a.wall_start, a.type_name) for a in saved] == [
        (datetime(2026, 1, 5, 10, 0), "Sick visit")
    ]
    assert len(AppointmentService(desk).for_patient(first)) == 1


# --- checking in ------------------------------------------------------------------------


def test_check_in_needs_the_details_confirmed_and_keeps_the_copay(
    qtbot: QtBot,
    window: QWidget,
    session_for: Callable[[str], DesktopSession],
    desk: AppContext,
) -> None:
    patient = register_patient(desk, "Grace", "Hopper", date(1946, 12, 9))
    payer = PayerService(desk).add_payer(PayerInput("Blue Cross Blue Shield of Illinois", "BCBSIL"))
    CoverageService(desk).add(
        patient,
        CoverageInput(payer.id, 1, "XOF123456789", effective_on=date(2025, 1, 1), copay_cents=2500),
    )
    appt = book_visit(desk, patient, "Priya Patel", "Follow-up", datetime(2026, 1, 5, 9, 0))
    dialog = CheckInDialog(session_for("frontdesk"), appt, parent=window)
    checked: list[AppointmentView] = caught(dialog.checked_in)
    shown(qtbot, dialog)
    payer_label = find_by_name(dialog, QLabel, "Primary payer")
    qtbot.waitUntil(
        lambda: payer_label.text() == "Blue Cross Blue Shield of Illinois", timeout=10000
    )
    assert find_by_name(dialog, QLabel, "Member ID").text() == "XOF123456789"
    assert find_by_name(dialog, QLabel, "In force").text() == "Yes, since 01/01/2025"
    assert find_by_name(dialog, QLabel, "Name").text() == "Hopper, Grace"
    assert find_by_name(dialog, QLabel, "Phone").text() == "(312) 555-0142"
    copay = find_by_name(dialog, QLineEdit, "Copay due")
    assert copay.text() == "25.00"  # from the primary coverage

    check_in = find_by_name(dialog, QAbstractButton, "Check in")
    assert not check_in.isEnabled()
    copay.selectAll()
    qtbot.keyClicks(copay, "30")
    confirmed = find_by_name(dialog, QCheckBox, "Demographics and insurance confirmed")
    confirmed.click()
    assert check_in.isEnabled()
    qtbot.mouseClick(check_in, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(checked), timeout=10000)

    saved = AppointmentService(desk).get(appt.id)
    assert saved.status is S.ARRIVED
    assert saved.copay_due_cents == 3000
    assert saved.arrived_at is not None
    assert gone(dialog)


def test_check_in_for_a_self_pay_patient_on_another_day_is_refused_in_place(
    qtbot: QtBot,
    window: QWidget,
    session_for: Callable[[str], DesktopSession],
    desk: AppContext,
) -> None:
    patient = register_patient(desk, "Grace", "Hopper", date(1946, 12, 9))
    appt = book_visit(desk, patient, "Priya Patel", "Follow-up", datetime(2026, 1, 6, 9, 0))
    dialog = CheckInDialog(session_for("frontdesk"), appt, parent=window)
    shown(qtbot, dialog)
    payer_label = find_by_name(dialog, QLabel, "Primary payer")
    qtbot.waitUntil(lambda: payer_label.text() == "None on file — self-pay", timeout=10000)
    assert find_by_name(dialog, QAbstractButton, "Add insurance").text() == "Add insurance…"
    assert find_by_name(dialog, QLineEdit, "Copay due").text() == ""
    click(qtbot, dialog, "Demographics and insurance confirmed")
    click(qtbot, dialog, "Check in")
    qtbot.waitUntil(lambda: "not today" in dialog.message.text(), timeout=10000)
    assert dialog.isVisible()
    assert AppointmentService(desk).get(appt.id).status is S.BOOKED


# --- cancelling and the waitlist --------------------------------------------------------


def test_cancelling_needs_a_reason_then_offers_the_time_to_the_waitlist(
    qtbot: QtBot,
    window: QWidget,
    session_for: Callable[[str], DesktopSession],
    desk: AppContext,
) -> None:
    leaving = register_patient(desk, "Ana", "Lopez", date(1980, 2, 2))
    waiting = register_patient(desk, "Ben", "Marsh", date(1979, 6, 6))
    types, _providers = schedule_ids(desk)
    appt = book_visit(desk, leaving, "Priya Patel", "Follow-up", datetime(2026, 1, 5, 15, 0))
    WaitlistService(desk).add(
        WaitlistInput(waiting, types["Follow-up"], date(2026, 1, 5), date(2026, 2, 5))
    )
    dialog = CancelDialog(session_for("frontdesk"), appt, parent=window)
    cancelled: list[list[AppointmentView]] = caught(dialog.cancelled)
    shown(qtbot, dialog)

    click(qtbot, dialog, "Cancel appointment")
    assert dialog.message.text() == "Say why the appointment is cancelled."
    assert AppointmentService(desk).get(appt.id).status is S.BOOKED
    find_by_name(dialog, QComboBox, "Reason").setCurrentText("Patient is ill")
    click(qtbot, dialog, "Cancel appointment")

    offers = find_by_name(dialog, QTableWidget, "Waitlist offers", visible=False)
    qtbot.waitUntil(lambda: offers.isVisible() and offers.rowCount() == 1, timeout=10000)
    assert cancelled and cancelled[0][0].status is S.CANCELLED
    old = AppointmentService(desk).get(appt.id)
    assert (old.status, old.cancel_reason, old.late_cancel) == (S.CANCELLED, "Patient is ill", True)
    assert cell(offers, 0, 0) == "Marsh, Ben"
    outcome = find_by_name(dialog, QLabel, "Cancellation outcome")
    assert outcome.text() == "Appointment cancelled. Recorded as a late cancellation."
    offer = find_by_name(dialog, QAbstractButton, "Offer this slot")
    assert offer.text() == "Offer this slot to Marsh, Ben"
    qtbot.mouseClick(offer, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: "is booked" in outcome.text(), timeout=10000)
    assert outcome.text() == "Marsh, Ben is booked for Mon Jan 5 · 3:00 – 3:20 PM with Priya Patel."
    saved = AppointmentService(desk).for_patient(waiting)
    assert [(a.wall_start, a.provider_name, a.status) for a in saved] == [
        (datetime(2026, 1, 5, 15, 0), "Priya Patel", S.BOOKED)
    ]
    assert WaitlistService(desk).entries() == []
    click(qtbot, dialog, "Done")
    assert gone(dialog)


def test_cancelling_a_series_from_this_visit_on(
    qtbot: QtBot,
    window: QWidget,
    session_for: Callable[[str], DesktopSession],
    desk: AppContext,
) -> None:
    from app.services.schedule_data import Recurrence

    patient = register_patient(desk, "Tomas", "Reyes", date(1961, 8, 20))
    types, providers = schedule_ids(desk)
    series = AppointmentService(desk).book_series(
        BookingInput(
            patient, providers["Priya Patel"], types["Follow-up"], datetime(2026, 1, 7, 9)
        ),
        Recurrence(count=4),
    )
    dialog = CancelDialog(session_for("frontdesk"), series[1], parent=window)
    shown(qtbot, dialog)
    click(qtbot, dialog, "This and following")
    find_by_name(dialog, QComboBox, "Reason").setCurrentText("Moving away")
    cancelled: list[list[AppointmentView]] = caught(dialog.cancelled)
    click(qtbot, dialog, "Cancel appointment")
    qtbot.waitUntil(lambda: bool(cancelled), timeout=10000)
    qtbot.waitUntil(lambda: gone(dialog), timeout=10000)  # nobody waiting: it closes
    statuses = {a.wall_start.day: a.status for a in AppointmentService(desk).for_patient(patient)}
    assert statuses == {7: S.BOOKED, 14: S.CANCELLED, 21: S.CANCELLED, 28: S.CANCELLED}


# --- finding a slot ---------------------------------------------------------------------


def test_find_slot_lists_free_times_and_books_the_chosen_one(
    qtbot: QtBot,
    window: QWidget,
    session_for: Callable[[str], DesktopSession],
    desk: AppContext,
) -> None:
    patient = register_patient(desk, "Iris", "Chen", date(1999, 4, 1))
    other = register_patient(desk, "Otto", "Lind", date(1998, 9, 9))
    book_visit(desk, other, "Hannah Kim", "Immunization", datetime(2026, 1, 5, 8, 30))
    dialog = FindSlotDialog(session_for("frontdesk"), patient_id=patient, parent=window)
    booked: list[list[AppointmentView]] = caught(dialog.booked)
    shown(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.choices is not None, timeout=10000)
    assert find_by_name(dialog, QLabel, "Booking for").text() == "For Chen, Iris"
    choose(dialog, "Appointment type", "Immunization")
    providers = find_by_name(dialog, QWidget, "Providers")
    assert [box.text() for box in providers.findChildren(QCheckBox)] == ["Hannah Kim"]

    results = find_by_name(dialog, QTableWidget, "Available slots")
    qtbot.waitUntil(lambda: results.rowCount() > 0, timeout=10000)
    first = [cell(results, 0, column) for column in range(3)]
    assert first == ["Mon Jan 5", "8:45 AM", "Hannah Kim"]  # 8:30 is taken
    click(qtbot, dialog, "Book")

    booking = opened_child(qtbot, dialog, BookingDialog)
    qtbot.waitUntil(
        lambda: booking.choices is not None and booking.patient.patient_name == "Chen, Iris",
        timeout=10000,
    )
    assert booking.type.currentText() == "Immunization"
    assert booking.provider.currentText() == "Hannah Kim"
    assert booking.start.currentText() == "8:45 AM"
    click(qtbot, booking, "Book")
    qtbot.waitUntil(lambda: bool(booked), timeout=10000)
    saved = AppointmentService(desk).for_patient(patient)
    assert [(a.wall_start, a.provider_name, a.type_name) for a in saved] == [
        (datetime(2026, 1, 5, 8, 45), "Hannah Kim", "Immunization")
    ]
    assert gone(dialog)


def test_the_waitlist_adds_and_removes_patients(
    qtbot: QtBot,
    window: QWidget,
    session_for: Callable[[str], DesktopSession],
    desk: AppContext,
) -> None:
    patient = register_patient(desk, "Nora", "Quinn", date(1988, 7, 7))
    later = book_visit(desk, patient, "Daniel Okafor", "Annual physical", datetime(2026, 2, 10, 14))
    dialog = WaitlistDialog(session_for("frontdesk"), parent=window)
    shown(qtbot, dialog)
    empty = find_by_name(dialog, QLabel, "Waitlist empty", visible=False)
    qtbot.waitUntil(empty.isVisible, timeout=10000)

    click(qtbot, dialog, "Add to waitlist")
    entry = opened_child(qtbot, dialog, WaitlistEntryDialog)
    pick_patient(qtbot, entry, "quinn", "Quinn, Nora")
    choose(entry, "Appointment type", "Annual physical")
    click(qtbot, entry, "Daniel Okafor")
    choose(entry, "Part of day", "Afternoon (noon – 5 PM)")
    current = find_by_name(entry, QComboBox, "Current appointment")
    qtbot.waitUntil(lambda: current.count() == 2, timeout=10000)
    current.setCurrentIndex(1)
    assert current.currentText().startswith("Tue Feb 10, 2:00 PM")
    type_into(qtbot, entry, "Notes", "Call her mobile")
    click(qtbot, entry, "Add to waitlist")

    table = find_by_name(dialog, QTableWidget, "Waiting patients", visible=False)
    qtbot.waitUntil(lambda: table.isVisible() and table.rowCount() == 1, timeout=10000)
    assert [cell(table, 0, c) for c in range(7)] == [
        "Quinn, Nora",
        "Annual physical",
        "Daniel Okafor",
        "Afternoons",
        "Jan 5 – Feb 4",
        "Tue Feb 10, 2:00 PM",
        "Call her mobile",
    ]
    [saved] = WaitlistService(desk).entries()
    assert saved.current_appointment_id == later.id

    click(qtbot, dialog, "Remove from waitlist")
    qtbot.waitUntil(empty.isVisible, timeout=10000)
    assert WaitlistService(desk).entries() == []


def test_locking_closes_the_dialogs_and_leaves_no_patient_behind(
    qtbot: QtBot, practice: DemoPractice, clock: FakeClock, desk: AppContext, qapp: object
) -> None:
    patient = register_patient(desk, "Ruth", "Abel", date(1950, 3, 3))
    appt = book_visit(desk, patient, "Priya Patel", "Follow-up", datetime(2026, 1, 5, 9, 0))
    desktop = DesktopApp(practice.paths, clock=clock, kdf=FAST_KDF)
    desktop.start()
    try:
        main = sign_in(qtbot, desktop, "frontdesk")
        booking = BookingDialog(main.session, patient_id=patient, parent=main)
        booking.show()
        qtbot.waitUntil(lambda: booking.patient.patient_name == "Abel, Ruth", timeout=10000)
        booking.reason.setText("Dizzy spells")
        check_in = CheckInDialog(main.session, appt, parent=main)
        check_in.show()
        name = find_by_name(check_in, QLabel, "Name")
        qtbot.waitUntil(lambda: name.text() == "Abel, Ruth", timeout=10000)

        main.lock()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        assert gone(booking) and gone(check_in)
        leftovers = [t for t in every_text(main) if "Abel" in t or "Dizzy" in t]
        assert leftovers == []
    finally:
        desktop.shutdown()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
