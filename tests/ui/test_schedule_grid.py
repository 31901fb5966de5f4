"""The calendar's pieces on their own: lanes, shading, the hours shown, the agenda model,
which actions are allowed when, and the time grid's geometry, drag and keys (fed with
appointment views directly, no database)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.models.appointment import AppointmentStatus
from app.services.schedule_data import AppointmentView, Unavailable
from app.ui.schedule.agenda_model import DAY, PATIENT, STATUS, TIME, AgendaModel
from app.ui.schedule.appointment_menu import BY_KEY, allowed_keys, why_not
from app.ui.schedule.grid_geometry import (
    GridColumn,
    Shade,
    assign_lanes,
    open_window,
    place,
    shade_table,
    shading,
)
from app.ui.schedule.schedule_columns import day_columns, range_title, week_columns
from app.ui.schedule.time_grid import TimeGrid

S = AppointmentStatus
DAY_ONE = date(2026, 1, 5)  # a Monday
NOW = datetime(2026, 1, 5, 14, 0, tzinfo=UTC)  # 8:00 AM in Chicago


def appt(
    ident: str,
    start: datetime,
    minutes: int = 20,
    *,
    provider: str = "patel",
    status: AppointmentStatus = S.BOOKED,
    room: str | None = None,
    name: str = "Lopez, Ana",
) -> AppointmentView:
    return AppointmentView(
        id=ident,
        version=1,
        patient_id=f"patient-{ident}",
        patient_name=name,
        mrn="A-1",
        provider_id=provider,
        provider_name=provider.title(),
        location_id="main",
        room_id=room,
        room_name=room,
        type_id="follow-up",
        type_name="Follow-up",
        colour="#2E9E6A",
        wall_start=start,
        wall_end=start + timedelta(minutes=minutes),
        starts_at=start.replace(tzinfo=UTC) + timedelta(hours=6),
        ends_at=start.replace(tzinfo=UTC) + timedelta(hours=6, minutes=minutes),
        minutes=minutes,
        status=status,
        status_changed_at=NOW,
        arrived_at=None,
        reason=None,
        notes=None,
        series_id=None,
        detached=False,
        copay_due_cents=None,
        cancel_reason=None,
        late_cancel=False,
        rescheduled_to_id=None,
    )


def at(hour: int, minute: int = 0, day: date = DAY_ONE) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute)


# -- layout without widgets ------------------------------------------------------------


def test_overlapping_visits_share_the_width_and_others_take_it_all() -> None:
    spans = [(600, 620), (600, 640), (610, 630), (700, 720), (720, 740)]
    assert assign_lanes(spans) == [(0, 3), (1, 3), (2, 3), (0, 1), (0, 1)]
    # A lane frees up once its visit ends, inside the same cluster.
    assert assign_lanes([(0, 30), (10, 20), (20, 40)]) == [(0, 2), (1, 2), (1, 2)]


def test_visits_land_in_their_provider_and_day_column() -> None:
    columns = [
        GridColumn(DAY_ONE, "Patel", ("patel",)),
        GridColumn(DAY_ONE, "Okafor", ("okafor",)),
    ]
    placed = place(
        columns,
        [
            appt("a", at(9), provider="okafor"),
            appt("b", at(9), provider="patel"),
            appt("c", at(9, 10), provider="patel"),
            appt("other-day", at(9, day=DAY_ONE + timedelta(days=1))),
        ],
    )
    found = {p.appointment.id: (p.column, p.lane, p.lanes, p.start) for p in placed}
    assert found == {"a": (1, 0, 1, 540), "b": (0, 0, 2, 540), "c": (0, 1, 2, 550)}


def test_a_column_shades_only_when_none_of_its_providers_is_free() -> None:
    spans = [
        Unavailable("patel", at(0), at(8), "off", "Not working"),
        Unavailable("patel", at(12), at(13), "break", "Break"),
        Unavailable("patel", at(17), at(0, day=DAY_ONE + timedelta(days=1)), "off", "Not working"),
        Unavailable("kim", at(0), at(9), "off", "Not working"),
        Unavailable("kim", at(12, 30), at(13, 30), "block", "Staff meeting"),
        Unavailable("kim", at(16), at(0, day=DAY_ONE + timedelta(days=1)), "off", "Not working"),
    ]
    table = shade_table(spans)
    patel = shading(GridColumn(DAY_ONE, "Patel", ("patel",)), table)
    assert patel[1] == Shade(720, 780, "break", "Break")
    both = shading(GridColumn(DAY_ONE, "Mon", ("patel", "kim")), table)
    # Before 8 nobody works; 12:30–1 both are away (the block names it); after 5 nobody.
    assert both == [
        Shade(0, 480, "off", "Not working"),
        Shade(750, 780, "block", "Staff meeting"),
        Shade(1020, 1440, "off", "Not working"),
    ]
    # Someone without hours set up is free all day: nothing is shaded.
    assert shading(GridColumn(DAY_ONE, "Mon", ("patel", "new")), table) == []
    # Overlapping reasons of one provider become one run, the stronger reason on top.
    closed = Unavailable(
        "patel", at(0), at(0, day=DAY_ONE + timedelta(days=1)), "holiday", "Closed"
    )
    assert shading(GridColumn(DAY_ONE, "Patel", ("patel",)), shade_table([*spans, closed])) == [
        Shade(0, 1440, "holiday", "Closed")
    ]


def test_the_hours_shown_widen_to_early_visits_and_working_time() -> None:
    column = GridColumn(DAY_ONE, "Patel", ("patel",))
    assert open_window([], [[]]) == (0, 1440)  # no hours set up: the whole day is open
    closed = [Shade(0, 480, "off", ""), Shade(1020, 1440, "off", "")]
    assert open_window([], [closed]) == (7 * 60, 19 * 60)
    early = place([column], [appt("x", at(6, 30)), appt("y", at(19, 10), 30)])
    assert open_window(early, [closed]) == (6 * 60, 20 * 60)


def test_day_columns_by_room_keep_visits_without_a_room() -> None:
    from app.services.schedule_data import ProviderView, RoomView

    providers = [ProviderView("patel", "Priya Patel")]
    rooms = [RoomView("r1", "Exam 1", "main", True), RoomView("r2", "Old", "main", False)]
    visits = [appt("a", at(9), room="r1"), appt("b", at(10))]
    by_provider = day_columns(DAY_ONE, providers, visits)
    assert [(c.title, c.subtitle) for c in by_provider] == [("Priya Patel", "2 visits")]
    by_room = day_columns(DAY_ONE, providers, visits, rooms=rooms, by_room=True)
    assert [(c.title, c.room_id) for c in by_room] == [("Exam 1", "r1"), ("No room", "")]
    week = week_columns(DAY_ONE, ["patel"], visits)
    assert [c.title for c in week] == [
        "Mon 5",
        "Tue 6",
        "Wed 7",
        "Thu 8",
        "Fri 9",
        "Sat 10",
        "Sun 11",
    ]
    assert range_title("week", date(2026, 1, 29)) == "Jan 26 – Feb 1, 2026"
    assert range_title("day", DAY_ONE) == "Monday, January 5, 2026"


# -- the agenda and the actions --------------------------------------------------------


def test_the_agenda_lists_visits_in_time_order_with_the_day_once() -> None:
    model = AgendaModel()
    tuesday = DAY_ONE + timedelta(days=1)
    model.set_appointments(
        [
            appt("late", at(11), name="Kim, Grace"),
            appt("next-day", at(9, day=tuesday), name="Park, Helen", status=S.CONFIRMED),
            appt("early", at(8, 40), name="Lopez, Ana", status=S.NO_SHOW),
        ]
    )
    rows = [
        [model.index(row, column).data() for column in (DAY, TIME, PATIENT, STATUS)]
        for row in range(model.rowCount())
    ]
    assert rows == [
        ["Mon Jan 5", "8:40–9:00 AM", "Lopez, Ana", "No-show"],
        ["", "11:00–11:20 AM", "Kim, Grace", "Booked"],
        ["Tue Jan 6", "9:00–9:20 AM", "Park, Helen", "Confirmed"],
    ]
    last = model.appointment_at(2)
    assert last is not None and last.id == "next-day"
    assert model.row_of("late") == 1
    model.clear()
    assert model.rowCount() == 0


def test_actions_follow_the_status_rules_and_the_clock() -> None:
    now = at(8)
    later_today = appt("v", at(9))
    assert allowed_keys(later_today, now) == {
        "confirm",
        "check_in",
        "reschedule",
        "cancel",
        "open_patient",
    }
    assert why_not(BY_KEY["no_show"], later_today, now) == "Not before the appointment time."
    assert "no_show" in allowed_keys(later_today, at(9, 5))
    tomorrow = appt("t", at(9, day=DAY_ONE + timedelta(days=1)))
    assert why_not(BY_KEY["check_in"], tomorrow, now) == (
        "Patients check in on the day of their visit."
    )
    arrived = appt("a", at(9), status=S.ARRIVED)
    assert allowed_keys(arrived, at(9)) == {
        "roomed",
        "with_provider",
        "check_out",
        "undo_arrival",
        "open_patient",
    }
    done = appt("d", at(9), status=S.CHECKED_OUT)
    assert allowed_keys(done, at(10)) == {"open_patient"}


# -- the grid widget -------------------------------------------------------------------


@pytest.fixture
def grid(qtbot: QtBot) -> Iterator[TimeGrid]:
    widget = TimeGrid()
    qtbot.addWidget(widget)
    widget.set_clock(lambda: NOW, "America/Chicago")
    widget.resize(900, 700)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget


def selected_id(grid: TimeGrid) -> str | None:
    chosen = grid.selected()
    return chosen.id if chosen else None


def two_providers() -> list[GridColumn]:
    return [GridColumn(DAY_ONE, "Patel", ("patel",)), GridColumn(DAY_ONE, "Okafor", ("okafor",))]


def test_blocks_sit_at_their_time_and_hit_testing_finds_them(grid: TimeGrid) -> None:
    visits = [appt("a", at(10)), appt("b", at(10, 10)), appt("c", at(11), provider="okafor")]
    grid.set_content(two_providers(), visits, [])
    grid.reveal_time(at(10))
    a, b = grid.block_rect("a"), grid.block_rect("b")
    assert a is not None and b is not None
    assert abs(a.top() - grid.point_at(0, at(10)).y()) <= 2
    assert a.right() < b.left()  # double-booked: side by side
    assert grid.appointment_at(a.center()) == visits[0]
    assert grid.column_of("c") == 1
    slot = grid.slot_at(grid.point_at(1, at(9, 30)) + QPoint(0, 2))
    assert slot is not None and slot[0].provider_ids == ("okafor",) and slot[1] == at(9, 30)
    assert "Lopez, Ana" in grid.texts_of("a")[0]


def test_dragging_snaps_to_five_minutes_and_may_change_the_provider(
    qtbot: QtBot, grid: TimeGrid
) -> None:
    grid.set_content(two_providers(), [appt("a", at(10), 30)], [])
    grid.reveal_time(at(10))
    left = Qt.MouseButton.LeftButton
    start = grid.point_at(0, at(10, 10))
    target = grid.point_at(1, at(10, 48))  # 38 minutes later: snaps to 40
    with qtbot.waitSignal(grid.move_requested) as moved:
        QTest.mousePress(grid.viewport(), left, Qt.KeyboardModifier.NoModifier, start)
        QTest.mouseMove(grid.viewport(), start + QPoint(0, 20))
        QTest.mouseMove(grid.viewport(), target)
        assert grid.pending is False
        QTest.mouseRelease(grid.viewport(), left, Qt.KeyboardModifier.NoModifier, target)
    view, wall_start, minutes, provider = moved.args
    assert (view.id, wall_start, minutes, provider) == ("a", at(10, 40), None, "okafor")
    assert grid.pending  # the ghost waits for the answer
    grid.cancel_pending()
    assert not grid.pending


def test_dragging_the_bottom_edge_changes_the_length(qtbot: QtBot, grid: TimeGrid) -> None:
    grid.set_content(two_providers(), [appt("a", at(10), 30)], [])
    grid.reveal_time(at(10))
    rect = grid.block_rect("a")
    assert rect is not None
    edge = QPoint(rect.center().x(), rect.bottom() - 2)
    target = edge + QPoint(0, round(15 * 1.6))  # 15 minutes longer
    left = Qt.MouseButton.LeftButton
    with qtbot.waitSignal(grid.move_requested) as moved:
        QTest.mousePress(grid.viewport(), left, Qt.KeyboardModifier.NoModifier, edge)
        QTest.mouseMove(grid.viewport(), target)
        QTest.mouseRelease(grid.viewport(), left, Qt.KeyboardModifier.NoModifier, target)
    _view, wall_start, minutes, provider = moved.args
    assert (wall_start, minutes, provider) == (at(10), 45, None)


def test_finished_visits_do_not_move_and_room_columns_keep_the_provider(
    qtbot: QtBot, grid: TimeGrid
) -> None:
    rooms = [
        GridColumn(DAY_ONE, "Exam 1", ("patel", "okafor"), room_id="r1", by_room=True),
        GridColumn(DAY_ONE, "Exam 2", ("patel", "okafor"), room_id="r2", by_room=True),
    ]
    visits = [appt("done", at(9), status=S.CHECKED_OUT, room="r1"), appt("b", at(10), room="r1")]
    grid.set_content(rooms, visits, [])
    grid.reveal_time(at(9))
    left = Qt.MouseButton.LeftButton
    moves: list[tuple[object, ...]] = []
    grid.move_requested.connect(lambda *args: moves.append(args))
    start, target = grid.point_at(0, at(9, 5)), grid.point_at(1, at(11, 5))
    QTest.mousePress(grid.viewport(), left, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(grid.viewport(), target)
    QTest.mouseRelease(grid.viewport(), left, Qt.KeyboardModifier.NoModifier, target)
    assert moves == []  # a checked-out visit stays where it happened
    start, target = grid.point_at(0, at(10, 5)), grid.point_at(1, at(11, 5))
    QTest.mousePress(grid.viewport(), left, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(grid.viewport(), target)
    QTest.mouseRelease(grid.viewport(), left, Qt.KeyboardModifier.NoModifier, target)
    assert [(m[1], m[3]) for m in moves] == [(at(11), None)]  # same room column, same provider


def test_up_and_down_walk_the_visits_in_time_order(qtbot: QtBot, grid: TimeGrid) -> None:
    visits = [appt("late", at(11)), appt("early", at(9), provider="okafor"), appt("mid", at(10))]
    grid.set_content(two_providers(), visits, [])
    grid.setFocus()
    chosen: list[str | None] = []
    grid.selection_changed.connect(lambda a: chosen.append(a.id if a else None))
    for _ in range(4):
        qtbot.keyClick(grid, Qt.Key.Key_Down)
    qtbot.keyClick(grid, Qt.Key.Key_Up)
    assert chosen == ["early", "mid", "late", "mid"]
    with qtbot.waitSignal(grid.activated) as opened:
        qtbot.keyClick(grid, Qt.Key.Key_Return)
    assert opened.args[0].id == "mid"
    # New data keeps the selection while the visit is still there.
    grid.set_content(two_providers(), visits[:1] + visits[2:], [])
    assert selected_id(grid) == "mid"
    grid.set_content(two_providers(), visits[:1], [])
    assert grid.selected() is None
