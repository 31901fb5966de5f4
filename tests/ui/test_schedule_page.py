"""The Schedule page on a real encrypted practice (issue #4): visits in the right column at
the right time, drag to move (and the refusals), status steps from the menu and the keys,
check-in through its dialog, day/week/month/agenda, notices and locking.

Prompts run modally (exec); `answer_prompt` (tests/ui/helpers.py) arms a timer before the
action that finds the prompt with QApplication.activeModalWidget() and clicks a button by
its accessible name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QMenu,
)
from pytestqt.qtbot import QtBot

from app.models.appointment import AppointmentStatus
from app.services.appointments import AppointmentService
from app.services.clock import FakeClock
from app.services.context import AppContext
from app.services.schedule_data import AppointmentView, BookingInput, Recurrence
from app.services.schedule_setup import ScheduleSetupService
from app.ui.pdf_preview import PdfPreviewDialog
from app.ui.schedule.schedule_page import SchedulePage
from app.ui.schedule.schedule_toolbar import ViewMode
from app.ui.session import DesktopSession
from tests.ui.helpers import (
    answer_prompt,
    find_by_name,
    opened_child,
    register_patients,
    show_schedule_page,
)

S = AppointmentStatus
MONDAY = date(2026, 1, 5)  # the FakeClock's day: 8:00 AM in Chicago
LEFT = Qt.MouseButton.LeftButton
NO_KEYS = Qt.KeyboardModifier.NoModifier


def at(hour: int, minute: int = 0, day: date = MONDAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute)


@dataclass
class Desk:
    page: SchedulePage
    ctx: AppContext
    service: AppointmentService
    providers: dict[str, str]  # username → id
    types: dict[str, str]  # name → id
    patients: list[str]

    def book(
        self, patient: int, who: str, start: datetime, kind: str = "Follow-up"
    ) -> AppointmentView:
        data = BookingInput(self.patients[patient], self.providers[who], self.types[kind], start)
        return self.service.book(data)

    def column(self, who: str) -> int:
        provider = self.providers[who]
        return next(
            i for i, c in enumerate(self.page.grid.columns) if c.provider_ids == (provider,)
        )


@pytest.fixture
def open_desk(qtbot: QtBot, session_for: Callable[[str], DesktopSession]) -> Callable[..., Desk]:
    def make(username: str = "frontdesk", setup: Callable[[Desk], None] | None = None) -> Desk:
        session = session_for(username)
        ctx = session.ctx
        setup_service = ScheduleSetupService(ctx)
        by_name = {p.name: p.id for p in setup_service.providers()}
        providers = {
            "drpatel": next(i for n, i in by_name.items() if "Patel" in n),
            "drokafor": next(i for n, i in by_name.items() if "Okafor" in n),
            "nkim": next(i for n, i in by_name.items() if "Kim" in n),
        }
        types = {t.name: t.id for t in setup_service.appointment_types()}
        page = SchedulePage(session)
        desk = Desk(page, ctx, AppointmentService(ctx), providers, types, register_patients(ctx, 4))
        if setup is not None:
            setup(desk)
        show_schedule_page(qtbot, page)
        return desk

    return make


def drag(page: SchedulePage, start: QPoint, target: QPoint) -> None:
    viewport = page.grid.viewport()
    QTest.mousePress(viewport, LEFT, NO_KEYS, start)
    QTest.mouseMove(viewport, start + QPoint(0, 12))
    QTest.mouseMove(viewport, target)
    QTest.mouseRelease(viewport, LEFT, NO_KEYS, target)


def selected_status(desk: Desk) -> AppointmentStatus | None:
    chosen = desk.page.grid.selected()
    return chosen.status if chosen else None


def fresh(desk: Desk, appointment_id: str) -> AppointmentView:
    return desk.service.get(appointment_id)


def shown_in_grid(desk: Desk, appointment_id: str) -> AppointmentView | None:
    return next((a for a in desk.page.grid.appointments if a.id == appointment_id), None)


def book_while_open(qtbot: QtBot, desk: Desk, start: datetime) -> AppointmentView:
    """Book the first patient with Dr. Patel while the page is open: the visit shows once
    the change notice brings it in."""
    visit = desk.book(0, "drpatel", start)
    qtbot.waitUntil(lambda: shown_in_grid(desk, visit.id) is not None, timeout=5000)
    return visit


# -- what is where ---------------------------------------------------------------------


def test_booked_visits_show_in_their_provider_column_at_their_time(
    qtbot: QtBot, open_desk: Callable[..., Desk]
) -> None:
    booked: dict[str, AppointmentView] = {}

    def setup(desk: Desk) -> None:
        booked["patel"] = desk.book(0, "drpatel", at(10))
        booked["okafor"] = desk.book(1, "drokafor", at(10, 30), "New patient visit")
        booked["tomorrow"] = desk.book(2, "drpatel", at(10, day=MONDAY + timedelta(days=1)))

    desk = open_desk(setup=setup)
    grid = desk.page.grid
    assert [c.title for c in grid.columns] == ["Daniel Okafor", "Priya Patel", "Hannah Kim"]
    assert grid.column_of(booked["patel"].id) == desk.column("drpatel")
    assert grid.column_of(booked["okafor"].id) == desk.column("drokafor")
    assert grid.column_of(booked["tomorrow"].id) is None  # another day
    grid.reveal_time(at(10))
    rect = grid.block_rect(booked["okafor"].id)
    assert rect is not None
    top = grid.point_at(desk.column("drokafor"), at(10, 30))
    assert abs(rect.top() - top.y()) <= 2 and rect.left() < top.x() < rect.right()
    assert grid.appointment_at(rect.center()) == shown_in_grid(desk, booked["okafor"].id)
    lines = grid.texts_of(booked["okafor"].id)
    assert lines[0] == "Johnson, Marcus"
    assert "10:30–11:10 AM · New patient visit" in lines
    assert "New patient · Balance —" in lines
    assert desk.page.toolbar.range_label.text() == "Monday, January 5, 2026"
    assert desk.page.toolbar.summary_label.text() == "2 visits"


def test_the_day_view_says_who_the_patient_usually_sees_and_how_long_they_wait(
    qtbot: QtBot, open_desk: Callable[..., Desk], clock: FakeClock
) -> None:
    visits: dict[str, AppointmentView] = {}

    def setup(desk: Desk) -> None:
        first = desk.book(0, "drokafor", at(9))
        visits["arrived"] = desk.service.check_in(first.id, first.version, None)  # seen today
        visits["long"] = desk.book(0, "drpatel", at(11), "Annual physical")
        visits["short"] = desk.book(0, "drpatel", at(14))

    desk = open_desk(setup=setup)
    grid = desk.page.grid
    assert grid.texts_of(visits["long"].id) == [
        "Lopez, Ana",
        "11:00–11:40 AM · Annual physical",
        "Usually sees Daniel Okafor",
        "1 visit · Balance —",
    ]
    # A 20-minute visit has room for one line under the name: the warning wins it.
    assert grid.texts_of(visits["short"].id) == ["Lopez, Ana", "Usually sees Daniel Okafor"]
    clock.advance(timedelta(minutes=14))
    assert grid.texts_of(visits["arrived"].id) == ["Lopez, Ana", "Waiting 14 min"]


# -- moving ----------------------------------------------------------------------------


def test_dragging_a_visit_to_another_time_and_provider_saves_it(
    qtbot: QtBot, open_desk: Callable[..., Desk]
) -> None:
    desk = open_desk()
    visit = book_while_open(qtbot, desk, at(10))
    grid = desk.page.grid
    grid.reveal_time(at(10))
    patel = desk.column("drpatel")
    drag(desk.page, grid.point_at(patel, at(10, 5)), grid.point_at(patel, at(11, 35)))
    qtbot.waitUntil(lambda: fresh(desk, visit.id).wall_start == at(11, 30), timeout=5000)
    qtbot.waitUntil(lambda: not grid.pending, timeout=5000)
    rect = grid.block_rect(visit.id)
    assert rect is not None and abs(rect.top() - grid.point_at(patel, at(11, 30)).y()) <= 2

    okafor = desk.column("drokafor")
    drag(desk.page, grid.point_at(patel, at(11, 35)), grid.point_at(okafor, at(11, 35)))
    qtbot.waitUntil(
        lambda: fresh(desk, visit.id).provider_id == desk.providers["drokafor"], timeout=5000
    )
    assert fresh(desk, visit.id).wall_start == at(11, 30)
    qtbot.waitUntil(lambda: grid.column_of(visit.id) == okafor, timeout=5000)


def test_a_drop_onto_a_taken_slot_is_refused_with_the_reason_and_nothing_changes(
    qtbot: QtBot, open_desk: Callable[..., Desk]
) -> None:
    desk = open_desk()
    moving = desk.book(0, "drpatel", at(10))
    desk.book(1, "drpatel", at(11))
    grid = desk.page.grid
    qtbot.waitUntil(lambda: len(grid.appointments) == 2, timeout=5000)
    grid.reveal_time(at(10))
    patel = desk.column("drpatel")

    said = answer_prompt("Schedule conflict", "OK")  # the front desk may not double-book
    drag(desk.page, grid.point_at(patel, at(10, 5)), grid.point_at(patel, at(11, 5)))
    qtbot.waitUntil(lambda: bool(said), timeout=5000)
    assert "overlaps Priya Patel's 11:00 AM appointment with Johnson, Marcus" in said[0].text
    assert "ask someone who may double-book" in said[0].text  # no "Double-book anyway" here
    unchanged = fresh(desk, moving.id)
    assert (unchanged.wall_start, unchanged.version) == (at(10), moving.version)
    assert not grid.pending  # snapped back
    rect = grid.block_rect(moving.id)
    assert rect is not None and abs(rect.top() - grid.point_at(patel, at(10)).y()) <= 2


def test_a_physician_may_double_book_anyway(qtbot: QtBot, open_desk: Callable[..., Desk]) -> None:
    desk = open_desk("drpatel")
    moving = desk.book(0, "drpatel", at(10))
    other = desk.book(1, "drpatel", at(11))
    grid = desk.page.grid
    qtbot.waitUntil(lambda: len(grid.appointments) == 2, timeout=5000)
    grid.reveal_time(at(10))
    patel = desk.column("drpatel")
    said = answer_prompt("Schedule conflict", "Double-book anyway")
    drag(desk.page, grid.point_at(patel, at(10, 5)), grid.point_at(patel, at(11, 5)))
    qtbot.waitUntil(lambda: fresh(desk, moving.id).wall_start == at(11), timeout=5000)
    assert said
    qtbot.waitUntil(lambda: getattr(shown_in_grid(desk, moving.id), "wall_start", None) == at(11))
    first, second = grid.block_rect(moving.id), grid.block_rect(other.id)
    assert first is not None and second is not None
    assert first.right() < second.left() or second.right() < first.left()  # side by side


def test_moving_a_recurring_visit_asks_which_visits(
    qtbot: QtBot, open_desk: Callable[..., Desk]
) -> None:
    series: list[AppointmentView] = []

    def setup(desk: Desk) -> None:
        data = BookingInput(
            desk.patients[2], desk.providers["drpatel"], desk.types["Follow-up"], at(14)
        )
        series.extend(desk.service.book_series(data, Recurrence(count=3)))

    desk = open_desk(setup=setup)
    grid = desk.page.grid
    grid.reveal_time(at(14))
    patel = desk.column("drpatel")
    answer_prompt("Recurring appointment", "This visit only")
    drag(desk.page, grid.point_at(patel, at(14, 5)), grid.point_at(patel, at(15, 5)))
    qtbot.waitUntil(lambda: fresh(desk, series[0].id).wall_start == at(15), timeout=5000)
    assert fresh(desk, series[1].id).wall_start == at(14, day=MONDAY + timedelta(days=7))

    answer_prompt("Recurring appointment", "Cancel")
    qtbot.waitUntil(lambda: fresh(desk, series[0].id).version != series[0].version)
    qtbot.waitUntil(lambda: not grid.pending, timeout=5000)
    before = fresh(desk, series[0].id)
    drag(desk.page, grid.point_at(patel, at(15, 5)), grid.point_at(patel, at(16, 5)))
    qtbot.waitUntil(lambda: not grid.pending, timeout=5000)
    assert fresh(desk, series[0].id) == before  # dismissed: nothing moved


# -- status steps ----------------------------------------------------------------------


def menu_action(desk: Desk, visit: AppointmentView, key: str) -> QAction:
    shown = shown_in_grid(desk, visit.id)
    assert shown is not None
    menu = desk.page.show_menu(shown, QPoint(100, 100))
    return next(a for a in menu.actions() if a.objectName() == key)


def test_a_no_show_is_marked_from_the_page_once_the_time_has_passed(
    qtbot: QtBot, open_desk: Callable[..., Desk], clock: FakeClock
) -> None:
    desk = open_desk()
    visit = book_while_open(qtbot, desk, at(8, 30))
    grid = desk.page.grid
    assert not menu_action(desk, visit, "no_show").isEnabled()  # 8:00: not yet

    grid.select(visit.id)
    grid.setFocus()
    qtbot.keyClick(grid, Qt.Key.Key_N)  # too early: the page says why
    assert desk.page.message.text() == "Not before the appointment time."
    assert fresh(desk, visit.id).status is S.BOOKED

    clock.advance(timedelta(minutes=45))
    action = menu_action(desk, visit, "no_show")
    assert action.isEnabled()
    action.trigger()
    qtbot.waitUntil(lambda: fresh(desk, visit.id).status is S.NO_SHOW, timeout=5000)
    qtbot.waitUntil(lambda: getattr(shown_in_grid(desk, visit.id), "status", None) is S.NO_SHOW)
    assert desk.page.notice.text() == "Lopez, Ana: no-show."


def test_keys_confirm_and_check_in_opens_the_check_in_screen(
    qtbot: QtBot, open_desk: Callable[..., Desk]
) -> None:
    from app.ui.schedule.check_in_dialog import CheckInDialog

    desk = open_desk()
    visit = book_while_open(qtbot, desk, at(9))
    grid = desk.page.grid
    grid.setFocus()
    qtbot.keyClick(grid, Qt.Key.Key_Down)  # choose the first visit
    qtbot.keyClick(grid, Qt.Key.Key_C)
    qtbot.waitUntil(lambda: fresh(desk, visit.id).status is S.CONFIRMED, timeout=5000)
    qtbot.waitUntil(
        lambda: selected_status(desk) is S.CONFIRMED,
        timeout=5000,
    )
    qtbot.keyClick(grid, Qt.Key.Key_A)
    dialog = opened_child(qtbot, desk.page, CheckInDialog)
    find_by_name(dialog, QCheckBox, "Demographics and insurance confirmed").setChecked(True)
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=5000)
    dialog.ok_button.click()
    qtbot.waitUntil(lambda: fresh(desk, visit.id).status is S.ARRIVED, timeout=5000)
    qtbot.waitUntil(
        lambda: selected_status(desk) is S.ARRIVED,
        timeout=5000,
    )  # refreshed from the notice, the selection kept


# -- views and keys --------------------------------------------------------------------


def test_keys_move_between_days_weeks_and_views(
    qtbot: QtBot, open_desk: Callable[..., Desk]
) -> None:
    desk = open_desk()
    page, grid = desk.page, desk.page.grid
    grid.setFocus()

    def press(key: Qt.Key, modifiers: Qt.KeyboardModifier = NO_KEYS) -> None:
        with qtbot.waitSignal(page.shown, timeout=5000):
            qtbot.keyClick(QApplication.focusWidget(), key, modifiers)

    press(Qt.Key.Key_Right)
    assert page.day == MONDAY + timedelta(days=1)
    assert page.toolbar.range_label.text() == "Tuesday, January 6, 2026"
    press(Qt.Key.Key_PageDown)
    assert page.day == MONDAY + timedelta(days=8)
    press(Qt.Key.Key_T)
    assert page.day == MONDAY
    press(Qt.Key.Key_Left)
    assert page.day == MONDAY - timedelta(days=1)
    press(Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)  # week view
    assert page.view is ViewMode.WEEK
    press(Qt.Key.Key_Right)  # a week on
    assert page.day == MONDAY + timedelta(days=6)
    assert page.toolbar.range_label.text() == "Jan 5 – 11, 2026"
    press(Qt.Key.Key_1, Qt.KeyboardModifier.AltModifier)
    assert page.view is ViewMode.DAY and grid.hasFocus()


def test_the_week_view_shows_seven_days(qtbot: QtBot, open_desk: Callable[..., Desk]) -> None:
    wednesday: list[AppointmentView] = []

    def setup(desk: Desk) -> None:
        wednesday.append(desk.book(0, "drpatel", at(10, day=MONDAY + timedelta(days=2))))
        desk.book(1, "drokafor", at(10, day=MONDAY + timedelta(days=2)))

    desk = open_desk(setup=setup)
    with qtbot.waitSignal(desk.page.shown, timeout=5000):
        desk.page.set_view(ViewMode.WEEK)
    grid = desk.page.grid
    assert [c.day for c in grid.columns] == [MONDAY + timedelta(days=n) for n in range(7)]
    assert grid.column_of(wednesday[0].id) == 2
    assert grid.columns[2].subtitle == "2 visits"
    with qtbot.waitSignal(desk.page.shown, timeout=5000):
        desk.page.set_providers((desk.providers["drpatel"],))
    assert [a.id for a in grid.appointments] == [wednesday[0].id]
    assert desk.page.toolbar.provider_button.text().startswith("Priya Patel")


def test_the_month_view_counts_visits_and_opens_a_day(
    qtbot: QtBot, open_desk: Callable[..., Desk]
) -> None:
    def setup(desk: Desk) -> None:
        desk.book(0, "drpatel", at(9, day=date(2026, 1, 7)))
        desk.book(1, "drokafor", at(10, day=date(2026, 1, 7)))
        cancelled = desk.book(2, "drpatel", at(11, day=date(2026, 1, 7)))
        desk.service.cancel(cancelled.id, cancelled.version, "Feeling better")
        desk.book(3, "drpatel", at(9, day=date(2026, 1, 20)))

    desk = open_desk(setup=setup)
    page = desk.page
    with qtbot.waitSignal(page.shown, timeout=5000):
        page.set_view(ViewMode.MONTH)
    assert page.month.counts[date(2026, 1, 7)] == 2  # the cancelled visit is not counted
    assert page.month.counts[date(2026, 1, 20)] == 1
    assert page.toolbar.summary_label.text() == "3 visits"
    page.month.setFocus()
    qtbot.keyClick(page.month, Qt.Key.Key_Down)  # a week on, same month: no reload needed
    assert page.day == date(2026, 1, 12) and page.month.highlighted == date(2026, 1, 12)
    cell = page.month.cell_rect(date(2026, 1, 20))
    assert cell is not None
    with qtbot.waitSignal(page.shown, timeout=5000):
        QTest.mouseClick(page.month, LEFT, NO_KEYS, cell.center())
    assert page.view is ViewMode.DAY and page.day == date(2026, 1, 20)
    assert len(page.grid.appointments) == 1


def test_the_agenda_lists_the_next_days(qtbot: QtBot, open_desk: Callable[..., Desk]) -> None:
    def setup(desk: Desk) -> None:
        desk.book(0, "drpatel", at(9, day=MONDAY + timedelta(days=3)))
        desk.book(1, "drpatel", at(15))
        desk.book(2, "drokafor", at(9, day=MONDAY + timedelta(days=17)))  # beyond 14 days

    desk = open_desk(setup=setup)
    with qtbot.waitSignal(desk.page.shown, timeout=5000):
        desk.page.set_view(ViewMode.AGENDA)
    model = desk.page.agenda_model
    rows = [(model.index(r, 0).data(), model.index(r, 2).data()) for r in range(model.rowCount())]
    assert rows == [("Mon Jan 5", "Johnson, Marcus"), ("Thu Jan 8", "Lopez, Ana")]


# -- refresh and lock ------------------------------------------------------------------


def test_notices_refresh_the_day_and_locking_empties_it(
    qtbot: QtBot, open_desk: Callable[..., Desk]
) -> None:
    desk = open_desk()
    first = book_while_open(qtbot, desk, at(9))
    grid = desk.page.grid
    grid.select(first.id)
    scroll = grid.verticalScrollBar().value()
    desk.book(1, "drokafor", at(14))  # booked elsewhere: the notice brings it in
    qtbot.waitUntil(lambda: len(grid.appointments) == 2, timeout=5000)
    chosen = grid.selected()
    assert chosen is not None and chosen.id == first.id
    assert grid.verticalScrollBar().value() == scroll

    desk.page.clear_sensitive()
    assert grid.appointments == [] and desk.page.agenda_model.rowCount() == 0
    assert desk.page.toolbar.summary_label.text() == ""
    desk.book(2, "drpatel", at(14))  # while locked: nothing is fetched
    QTest.qWait(50)
    assert grid.appointments == []
    with qtbot.waitSignal(desk.page.shown, timeout=5000):
        desk.page.reload()
    assert len(grid.appointments) == 3 and desk.page.day == MONDAY


def test_double_click_on_free_time_books_there(
    qtbot: QtBot, open_desk: Callable[..., Desk]
) -> None:
    from app.ui.schedule.booking_dialog import BookingDialog

    desk = open_desk()
    grid = desk.page.grid
    grid.reveal_time(at(10))
    okafor = desk.column("drokafor")
    QTest.mouseDClick(grid.viewport(), LEFT, NO_KEYS, grid.point_at(okafor, at(10, 20)))
    dialog = opened_child(qtbot, desk.page, BookingDialog)
    provider = find_by_name(dialog, QComboBox, "Provider")
    qtbot.waitUntil(lambda: provider.currentData() == desk.providers["drokafor"], timeout=5000)
    assert "10:15" in find_by_name(dialog, QComboBox, "Start time").currentText()
    dialog.reject()


def test_reschedule_offers_free_times_and_delete_opens_the_cancel_screen(
    qtbot: QtBot, open_desk: Callable[..., Desk]
) -> None:
    from app.ui.schedule.cancel_dialog import CancelDialog

    desk = open_desk()
    visit = book_while_open(qtbot, desk, at(10))
    grid = desk.page.grid
    menu_action(desk, visit, "reschedule").trigger()
    qtbot.waitUntil(lambda: desk.page.desk.times_menu is not None, timeout=5000)
    times = desk.page.desk.times_menu
    assert times is not None
    offered = [a for a in times.actions() if a.objectName()]
    assert offered and all(a.isEnabled() for a in offered)
    chosen = datetime.fromisoformat(offered[0].objectName())
    offered[0].trigger()
    qtbot.waitUntil(lambda: fresh(desk, visit.id).status is S.RESCHEDULED, timeout=5000)
    new_id = fresh(desk, visit.id).rescheduled_to_id
    assert new_id is not None and fresh(desk, new_id).wall_start == chosen
    qtbot.waitUntil(lambda: shown_in_grid(desk, new_id) is not None, timeout=5000)
    assert shown_in_grid(desk, visit.id) is None  # the old one no longer holds the time

    grid.select(new_id)
    grid.setFocus()
    qtbot.keyClick(grid, Qt.Key.Key_Delete)
    dialog = opened_child(qtbot, desk.page, CancelDialog)
    assert dialog.appointment.id == new_id  # the selected visit, not the old one
    dialog.reject()


def test_print_day_previews_the_sheet_of_the_provider_shown_or_asks_whose(
    qtbot: QtBot, open_desk: Callable[..., Desk], tmp_path: Path
) -> None:
    desk = open_desk(setup=lambda d: d.book(0, "drpatel", at(9)))
    page = desk.page
    # All providers shown: a menu asks whose day; choosing Dr. Patel previews hers.
    page.print_day()
    menu = find_by_name(page, QMenu, "Print whose day")
    chosen = next(a for a in menu.actions() if "Patel" in a.text())
    chosen.trigger()
    qtbot.waitUntil(lambda: bool(page.findChildren(PdfPreviewDialog)), timeout=10000)
    (preview,) = page.findChildren(PdfPreviewDialog)
    preview.save_to(tmp_path / "day.pdf")
    qtbot.waitUntil(lambda: preview.saved_to is not None, timeout=10000)
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "day.pdf").pages)
    assert "Priya Patel" in text and "Lopez, Ana" in text
    preview.close()
