"""The chart's Vitals tab (issue #5): recording a set through the dialog (BMI worked out,
never typed), refusals that keep what was typed, flagged values marked, entered in error
struck through, older sets a page at a time, the trend and growth charts' data, lock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from app.models import SexAtBirth, VitalFlag
from app.services.patient_data import PatientInput
from app.services.patients import PatientService
from app.services.vitals import VitalsInput, VitalsService
from app.ui.chart.reason_dialog import ReasonDialog
from app.ui.chart.vitals_chart import FLAG_INK, XAxis
from app.ui.chart.vitals_dialog import VitalsDialog
from app.ui.chart.vitals_flowsheet import ERROR_INK
from app.ui.chart.vitals_plots import ADULT_CHOICES, choices_for
from app.ui.chart.vitals_tab import VitalsTab
from app.ui.session import DesktopSession
from tests.ui.helpers import click, find_all, find_by_name, opened_child, register_patients

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
CENTILE_LABELS = ["3rd", "10th", "25th", "50th", "75th", "90th", "97th"]
Sessions = Callable[[str], DesktopSession]


def show_tab(qtbot: QtBot, session: DesktopSession, patient_id: str) -> VitalsTab:
    """The tab on screen (its window active, so its shortcut works) with the patient loaded."""
    tab = VitalsTab(session)
    qtbot.addWidget(tab)
    tab.resize(1200, 800)
    tab.show()
    qtbot.waitExposed(tab)
    with qtbot.waitActive(tab):
        tab.activateWindow()
    with qtbot.waitSignal(tab.loaded, timeout=15000):
        tab.show_patient(PatientService(session.ctx).get(patient_id))
    return tab


def cell(tab: VitalsTab, row: int, key: str) -> str:
    """The flowsheet's cell of measurement `key` ("bp", "weight", ...) as shown."""
    return str(tab.model.index(row, tab.model.column_of(key)).data())


def look(tab: VitalsTab, row: int, key: str) -> tuple[object, QFont | None]:
    index = tab.model.index(row, tab.model.column_of(key))
    return index.data(Qt.ItemDataRole.ForegroundRole), index.data(Qt.ItemDataRole.FontRole)


def edit(dialog: VitalsDialog, name: str) -> QLineEdit:
    return find_by_name(dialog, QLineEdit, name)


def open_dialog(qtbot: QtBot, tab: VitalsTab) -> VitalsDialog:
    tab.table.setFocus()
    qtbot.keyClick(tab.table, Qt.Key.Key_V, CTRL_SHIFT)
    return opened_child(qtbot, tab, VitalsDialog)


def record(session: DesktopSession, patient_id: str, days_ago: int, **values: float) -> None:
    clock_now = session.ctx.clock.now()
    taken = clock_now - timedelta(days=days_ago)
    VitalsService(session.ctx).record(patient_id, VitalsInput(values, taken_at=taken))


def test_record_a_set_through_the_dialog_with_its_bmi_worked_out(
    qtbot: QtBot, session_for: Sessions
) -> None:
    session = session_for("nkim")
    (patient_id,) = register_patients(session.ctx, 1)
    tab = show_tab(qtbot, session, patient_id)
    assert tab.stack.currentWidget() is tab.empty

    dialog = open_dialog(qtbot, tab)
    assert find_all(dialog, QLineEdit, "Head circumference") == []  # an adult
    assert find_all(dialog, QLineEdit, "BMI") == []  # worked out, not typed
    bmi = find_by_name(dialog, QLabel, "BMI")
    assert bmi.text() == "—"
    qtbot.keyClicks(edit(dialog, "Systolic BP"), "118")
    qtbot.keyClicks(edit(dialog, "Diastolic BP"), "76")
    qtbot.keyClicks(edit(dialog, "Weight"), "180")
    assert bmi.text() == "—"
    qtbot.keyClicks(edit(dialog, "Height"), "70")
    assert bmi.text() == "25.8"  # 81.6 kg / (1.778 m)²
    qtbot.keyClicks(edit(dialog, "Note"), "seated, left arm")
    with qtbot.waitSignal(tab.chart_changed), qtbot.waitSignal(tab.loaded, timeout=10000):
        qtbot.keyClick(edit(dialog, "Height"), Qt.Key.Key_Return)  # Enter saves

    assert tab.model.rowCount() == 1
    assert [cell(tab, 0, key) for key in ("bp", "weight", "height", "bmi")] == [
        "118/76",
        "180",
        "70",
        "25.8",
    ]
    assert tab.model.index(0, tab.model.note_column).data() == "seated, left arm"
    assert look(tab, 0, "bmi") == (None, None)  # not flagged, not struck
    (saved,) = VitalsService(session.ctx).flowsheet(patient_id).rows
    assert saved.cell("bmi").text == "25.8"  # type: ignore[union-attr]
    assert tab.table.currentIndex().row() == 0  # the new set is chosen
    # The weight chart (an adult's first) shows it.
    assert tab.current_choice() == ADULT_CHOICES[0]
    (series,) = tab.chart.data.series  # type: ignore[union-attr]
    assert [point.y for point in series.points] == [180]


def test_an_impossible_weight_shows_the_message_and_saves_nothing(
    qtbot: QtBot, session_for: Sessions
) -> None:
    session = session_for("drpatel")
    (patient_id,) = register_patients(session.ctx, 1)
    tab = show_tab(qtbot, session, patient_id)
    dialog = open_dialog(qtbot, tab)
    qtbot.keyClicks(edit(dialog, "Pulse"), "seventy")
    click(qtbot, dialog, "Save")
    assert dialog.message.text() == "Enter pulse as a number."

    edit(dialog, "Pulse").clear()
    qtbot.keyClicks(edit(dialog, "Pulse"), "72")
    qtbot.keyClicks(edit(dialog, "Weight"), "2000")
    click(qtbot, dialog, "Save")
    qtbot.waitUntil(lambda: dialog.message.isVisible() and not dialog.busy.isVisible())
    assert dialog.message.text() == (
        "Weight 2,000 lb is not possible; check the number (expected 0.4 to 1,433 lb)."
    )
    assert dialog.isVisible()
    assert (edit(dialog, "Weight").text(), edit(dialog, "Pulse").text()) == ("2000", "72")
    assert VitalsService(session.ctx).flowsheet(patient_id).rows == ()
    assert tab.model.rowCount() == 0


def test_flagged_blood_pressures_are_marked_and_charted(
    qtbot: QtBot, session_for: Sessions
) -> None:
    session = session_for("drpatel")
    (patient_id,) = register_patients(session.ctx, 1)
    record(session, patient_id, 60, systolic=118, diastolic=76)
    record(session, patient_id, 30, systolic=150, diastolic=95)
    record(session, patient_id, 1, systolic=190, diastolic=125)
    tab = show_tab(qtbot, session, patient_id)

    assert [cell(tab, row, "bp") for row in range(3)] == ["190/125 ↑↑", "150/95 ↑", "118/76"]
    ink, font = look(tab, 0, "bp")
    assert ink == FLAG_INK[VitalFlag.CRITICAL_HIGH] and font is not None and font.bold()
    ink, font = look(tab, 1, "bp")
    assert ink == FLAG_INK[VitalFlag.HIGH] and font is None
    assert look(tab, 2, "bp") == (None, None)
    tip = tab.model.index(0, tab.model.column_of("bp")).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == "Critically high"

    with qtbot.waitSignal(tab.chart_shown, timeout=10000):
        tab.choose_chart("bp")
    data = tab.chart.data
    assert data is not None and data.x_axis is XAxis.TIME
    systolic, diastolic = data.series
    assert (systolic.label, diastolic.label) == ("Systolic", "Diastolic")
    assert [p.y for p in systolic.points] == [118, 150, 190]  # oldest first
    assert [p.y for p in diastolic.points] == [76, 95, 125]
    assert [p.flag for p in systolic.points][-1] is VitalFlag.CRITICAL_HIGH
    # The adult normal ranges (2017 ACC/AHA): systolic 90–130, diastolic 60–80.
    assert [(band.low, band.high) for band in data.bands] == [(90, 130), (60, 80)]
    assert tab.caption.text().startswith("Latest 190/125 mmHg")


def test_entered_in_error_strikes_the_set_through(qtbot: QtBot, session_for: Sessions) -> None:
    session = session_for("drpatel")
    (patient_id,) = register_patients(session.ctx, 1)
    record(session, patient_id, 10, weight=150.0, pulse=70)
    record(session, patient_id, 1, weight=15.0, pulse=72)  # a typo: 15 lb for an adult
    tab = show_tab(qtbot, session, patient_id)
    tab.table.selectRow(0)
    assert tab.error_button.isEnabled()

    with qtbot.waitSignal(tab.chart_changed, timeout=5000):
        click(qtbot, tab, "Mark vitals entered in error")
        dialog = opened_child(qtbot, tab, ReasonDialog)
        qtbot.keyClicks(find_by_name(dialog, QPlainTextEdit, "Reason"), "Meant 150 lb")
        with qtbot.waitSignal(tab.loaded, timeout=10000):
            click(qtbot, dialog, "Mark entered in error")

    assert tab.model.rowCount() == 2  # the set stays, struck through
    ink, font = look(tab, 0, "weight")
    assert ink == ERROR_INK and font is not None and font.strikeOut()
    assert look(tab, 1, "weight") == (None, None)
    assert tab.model.index(0, tab.model.note_column).data() == "Entered in error: Meant 150 lb"
    assert tab.table.currentIndex().row() == 0 and not tab.error_button.isEnabled()
    assert "Meant 150 lb" in tab.detail.text()
    (series,) = tab.chart.data.series  # type: ignore[union-attr]
    assert [p.y for p in series.points] == [150]  # the chart leaves it out
    assert VitalsService(session.ctx).flowsheet(patient_id).rows[0].in_error


def test_older_sets_come_a_page_at_a_time(qtbot: QtBot, session_for: Sessions) -> None:
    session = session_for("nkim")
    (patient_id,) = register_patients(session.ctx, 1)
    for days_ago, pulse in ((30, 61), (20, 62), (10, 63)):
        record(session, patient_id, days_ago, pulse=pulse)
    tab = VitalsTab(session)
    tab.page_size = 2
    qtbot.addWidget(tab)
    tab.show()
    with qtbot.waitSignal(tab.loaded, timeout=15000):
        tab.show_patient(PatientService(session.ctx).get(patient_id))
    assert [cell(tab, row, "pulse") for row in range(tab.model.rowCount())] == ["63", "62"]
    assert tab.older_button.isVisible()

    click(qtbot, tab, "Show older")
    qtbot.waitUntil(lambda: tab.model.rowCount() == 3)
    assert cell(tab, 2, "pulse") == "61"
    assert not tab.older_button.isVisible()


def test_lock_empties_the_tab(qtbot: QtBot, session_for: Sessions) -> None:
    session = session_for("drpatel")
    (patient_id,) = register_patients(session.ctx, 1)
    record(session, patient_id, 3, weight=160.0, height=66.0, systolic=122, diastolic=78)
    tab = show_tab(qtbot, session, patient_id)
    tab.table.selectRow(0)
    assert tab.chart.data is not None and tab.detail.text() and tab.caption.text()
    dialog = open_dialog(qtbot, tab)
    qtbot.keyClicks(edit(dialog, "Weight"), "161")

    tab.clear_sensitive()

    assert tab.patient is None and tab.sheet is None
    assert (tab.model.rowCount(), tab.model.columnCount()) == (0, 0)
    assert tab.stack.currentWidget() is tab.empty
    assert tab.chart.data is None and tab.chart_choice.count() == 0
    assert tab.detail.text() == "" and tab.caption.text() == ""
    assert not tab.error_button.isEnabled() and not tab.older_button.isVisible()
    qtbot.waitUntil(lambda: not dialog.isVisible())  # nothing typed stays on screen


def _register_child(session: DesktopSession, born: date) -> str:
    data = PatientInput("Leo", "Ortiz", born, SexAtBirth.MALE, guarantor_name="Rosa Ortiz")
    return PatientService(session.ctx).register(data, confirm_not_duplicate=True).id


def test_a_childs_growth_chart_has_centile_curves_and_the_childs_points(
    qtbot: QtBot, session_for: Sessions
) -> None:
    session = session_for("drpatel")
    born = date(2024, 7, 1)  # 18 months old on the test day
    patient_id = _register_child(session, born)
    visits = [  # days ago, weight (lb), length (in), head circumference (in)
        (490, 11.5, 22.8, 15.4),
        (370, 17.0, 26.0, 17.0),
        (185, 21.0, 29.0, 18.0),
        (2, 24.5, 31.8, 18.7),
    ]
    for days_ago, weight, length, head in visits:
        record(session, patient_id, days_ago, weight=weight, height=length, head_circumference=head)
    tab = show_tab(qtbot, session, patient_id)

    assert cell(tab, 0, "head_circumference") == "18.7"  # a column for a young child
    assert tab.current_choice() == choices_for(tab.age)[0]
    data = tab.chart.data
    assert data is not None and data.x_axis is XAxis.AGE and data.x_range == (0.0, 2.0)
    assert [curve.label for curve in data.curves] == CENTILE_LABELS
    for curve in data.curves:
        assert curve.points[0][0] == 0.0 and curve.points[-1][0] == 2.0
    third, median, ninety_seventh = (dict(data.curves[i].points) for i in (0, 3, 6))
    assert third[1.0] < median[1.0] < ninety_seventh[1.0]
    assert 21 < median[1.0] < 22.5  # a boy's median weight at 12 months, in pounds (WHO)
    (child,) = data.series
    assert [point.y for point in child.points] == [11.5, 17.0, 21.0, 24.5]
    ages = [point.x for point in child.points]
    assert ages == sorted(ages) and abs(ages[-1] - 1.5) < 0.02
    assert "centile" in child.points[-1].tip and "centile" in tab.caption.text()

    with qtbot.waitSignal(tab.chart_shown, timeout=10000):
        tab.choose_chart("growth-ofc-infant")
    data = tab.chart.data
    assert data is not None and data.x_range == (0.0, 3.0) and data.unit == "in"
    assert [curve.label for curve in data.curves] == CENTILE_LABELS
    assert [point.y for point in data.series[0].points] == [15.4, 17.0, 18.0, 18.7]


def test_chart_choices_follow_the_patients_age() -> None:
    keys = [choice.key for choice in choices_for(45)]
    assert keys == ["weight", "bmi", "bp", "pulse", "temperature", "spo2"]
    baby = [choice.key for choice in choices_for(0.5)]
    assert baby[:3] == ["growth-weight-infant", "growth-length-infant", "growth-ofc-infant"]
    assert "growth-bmi-child" not in baby  # BMI-for-age starts at 2 years
    school = [choice.key for choice in choices_for(9)]
    assert school[:3] == ["growth-weight-child", "growth-height-child", "growth-bmi-child"]
    assert not any(key.endswith("-infant") for key in school)
    assert "weight" not in school and "bp" in school  # weight is on the growth chart


def test_a_growth_chart_refusal_is_shown_in_the_chart(qtbot: QtBot, session_for: Sessions) -> None:
    session = session_for("drpatel")
    data = PatientInput("Sam", "Rivera", date(2022, 3, 1), SexAtBirth.UNKNOWN, guarantor_name="R")
    patient_id = PatientService(session.ctx).register(data, confirm_not_duplicate=True).id
    tab = show_tab(qtbot, session, patient_id)
    assert tab.chart.data is None
    assert tab.chart.message.startswith("Growth charts need the sex at birth")


def test_vitals_taken_at_rooming_belong_to_the_visit(qtbot: QtBot, session_for: Sessions) -> None:
    """A chart opened from today's arrived appointment records vitals in that visit."""
    from datetime import datetime

    from app.services.appointments import AppointmentService
    from app.services.encounters import EncounterService
    from tests.ui.helpers import book_visit

    session = session_for("nkim")
    (patient_id,) = register_patients(session.ctx, 1)
    visit = book_visit(session.ctx, patient_id, "Priya Patel", "Follow-up", datetime(2026, 1, 5, 9))
    AppointmentService(session.ctx).check_in(visit.id, visit.version, None)
    tab = show_tab(qtbot, session, patient_id)
    tab.appointment_id = visit.id
    dialog = open_dialog(qtbot, tab)
    qtbot.keyClicks(edit(dialog, "Pulse"), "72")
    with qtbot.waitSignal(tab.loaded, timeout=10000):
        qtbot.keyClick(edit(dialog, "Pulse"), Qt.Key.Key_Return)
    (encounter,) = EncounterService(session.ctx).for_patient(patient_id)
    assert encounter.appointment_id == visit.id
    latest = VitalsService(session.ctx).latest(patient_id)
    assert latest is not None and latest.encounter_id == encounter.id
