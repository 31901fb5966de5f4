"""Booking from a patient (issue #4): the record lists the patient's appointments and
books with the patient already chosen."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from PySide6.QtWidgets import QLabel, QTableView
from pytestqt.qtbot import QtBot

from app.models.appointment import AppointmentStatus as S
from app.services.appointments import AppointmentService
from app.services.clock import FakeClock
from app.ui.patients.appointments_panel import (
    PatientAppointmentsModel,
    upcoming_and_recent,
)
from app.ui.patients.record_view import PatientRecordView
from app.ui.schedule.booking_dialog import BookingDialog
from app.ui.session import DesktopSession
from tests.ui.helpers import book_visit, click, find_by_name, opened_child, register_patient
from tests.ui.test_schedule_grid import appt

TUESDAY_10 = datetime(2026, 1, 6, 10, 0)  # the day after the FakeClock's Monday


def _record_with_visits(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession], clock: FakeClock, user: str
) -> tuple[PatientRecordView, str]:
    session = session_for(user)
    ctx = session.ctx
    patient = register_patient(ctx, "Ana", "Lopez", date(1980, 2, 3))
    earlier = book_visit(ctx, patient, "Priya Patel", "Follow-up", datetime(2026, 1, 5, 9, 0))
    AppointmentService(ctx).set_status(earlier.id, earlier.version, S.ARRIVED)
    book_visit(ctx, patient, "Priya Patel", "Follow-up", TUESDAY_10)
    clock.advance(timedelta(hours=3))  # Monday 11:00 in Chicago: the 9:00 visit is past
    view = PatientRecordView(session)
    qtbot.addWidget(view)
    view.resize(1100, 900)
    view.show()
    with qtbot.waitSignal(view.shown, timeout=10000):
        view.open_patient(patient)
    table = find_by_name(view, QTableView, "Appointments")
    qtbot.waitUntil(lambda: table.model().rowCount() == 2, timeout=10000)
    return view, patient


def test_the_record_lists_upcoming_visits_first_then_recent_ones(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession], clock: FakeClock
) -> None:
    view, _patient = _record_with_visits(qtbot, session_for, clock, "frontdesk")
    model = view.appointments.model
    rows = [model.row_at(r) for r in range(model.rowCount())]
    texts = [[model.cell_text(row, c) for c in range(4)] for row in rows if row is not None]
    assert texts[0][0].startswith("Tue Jan 6, 2026 · 10:00")
    assert [row[3] for row in texts] == ["Booked", "Arrived"]


def test_booking_from_the_record_opens_the_booking_screen_for_that_patient(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession], clock: FakeClock
) -> None:
    view, _patient = _record_with_visits(qtbot, session_for, clock, "frontdesk")
    click(qtbot, view, "Book appointment")
    dialog = opened_child(qtbot, view, BookingDialog)
    qtbot.waitUntil(
        lambda: "Lopez, Ana" in " ".join(label.text() for label in dialog.findChildren(QLabel))
    )
    dialog.reject()


def test_roles_that_do_not_schedule_see_no_appointments(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    view = PatientRecordView(session_for("billing"))
    qtbot.addWidget(view)
    assert not view.appointments.allowed
    assert view.appointments.isHidden()


def test_the_model_orders_ahead_soonest_first_and_keeps_three_past_visits() -> None:
    now = datetime(2026, 1, 5, 17, 0, tzinfo=UTC)
    base = appt("base", TUESDAY_10)
    visits = [
        replace(base, id=f"v{i}", starts_at=now + timedelta(days=d), status=status)
        for i, (d, status) in enumerate(
            [
                (-30, S.CHECKED_OUT),
                (-20, S.NO_SHOW),
                (-10, S.CHECKED_OUT),
                (-5, S.CANCELLED),
                (7, S.BOOKED),
                (2, S.CONFIRMED),
                (3, S.CANCELLED),
            ]
        )
    ]
    ordered = [v.id for v in upcoming_and_recent(visits, now)]
    assert ordered == ["v5", "v4", "v3", "v2", "v1"]
    model = PatientAppointmentsModel()
    model.set_appointments(visits, now)
    assert model.rowCount() == 5
