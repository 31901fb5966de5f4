"""The chart's Problems tab (issue #5): a diagnosis found in ICD-10-CM by typing and put on
the list from the keyboard; refusals keep the dialog open and save nothing; resolved
problems go after active ones, muted; entered in error strikes the row; lock empties it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.models import ProblemStatus
from app.services.patients import PatientService
from app.services.problems import ProblemInput, ProblemService
from app.ui.chart.problem_dialogs import AddProblemDialog, UpdateProblemDialog
from app.ui.chart.problems_tab import ProblemsTab
from app.ui.session import DesktopSession
from tests.ui.chart_list_helpers import (
    mark_entered_in_error,
    row_look,
    rows,
    select,
    show_tab,
)
from tests.ui.helpers import click, opened_child, register_patients

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def test_add_a_problem_by_searching_icd10_from_the_keyboard(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("drpatel")
    (patient_id,) = register_patients(session.ctx, 1)
    tab = show_tab(qtbot, session, ProblemsTab, patient_id)
    assert tab.facts.stack.currentWidget() is tab.facts.empty

    tab.facts.table.setFocus()
    qtbot.keyClick(tab.facts.table, Qt.Key.Key_P, CTRL_SHIFT)  # Add problem…
    dialog = opened_child(qtbot, tab, AddProblemDialog)
    picker = dialog.picker
    qtbot.waitUntil(lambda: QApplication.focusWidget() is picker.box)
    with qtbot.waitSignal(picker.searched, timeout=5000):
        qtbot.keyClicks(picker.box, "type 2 diabetes")
    found = [picker.model.items[row] for row in range(picker.model.rowCount())]
    assert any(code.code == "E11.9" and code.billable for code in found)
    assert picker.model.index(1, 2).data() in ("✓ Billable", "Category")
    while getattr(picker.highlighted(), "code", None) != "E11.9":  # ↓ to it (usually first)
        qtbot.keyClick(picker.box, Qt.Key.Key_Down)
    qtbot.keyClick(picker.box, Qt.Key.Key_Return)  # chooses; does not save yet
    assert picker.chosen is not None and picker.chosen.code == "E11.9"
    assert dialog.isVisible() and "E11.9" in picker.chosen_label.text()
    assert QApplication.focusWidget() is dialog.onset  # onset is optional: Enter saves

    with qtbot.waitSignal(tab.chart_changed), qtbot.waitSignal(tab.loaded, timeout=5000):
        qtbot.keyClick(dialog.onset, Qt.Key.Key_Return)
    assert rows(tab.model) == [
        ["E11.9", "Type 2 diabetes mellitus without complications", "", "Active"]
    ]
    assert row_look(tab.model, 0) == "plain"
    assert tab.facts.current_id() == ProblemService(session.ctx).for_patient(patient_id)[0].id


def test_a_refused_problem_keeps_the_dialog_and_saves_nothing(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("nkim")  # a nurse records problems too
    (patient_id,) = register_patients(session.ctx, 1)
    ProblemService(session.ctx).add(patient_id, ProblemInput("I10"))
    tab = show_tab(qtbot, session, ProblemsTab, patient_id)

    click(qtbot, tab, "Add problem")
    dialog = opened_child(qtbot, tab, AddProblemDialog)
    click(qtbot, dialog, "Save")  # nothing chosen yet
    assert dialog.message.text() == "Choose the diagnosis from the search results."

    with qtbot.waitSignal(dialog.picker.searched, timeout=5000):
        qtbot.keyClicks(dialog.picker.box, "I10")
    qtbot.keyClick(dialog.picker.box, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.onset, "13/45/2020")
    click(qtbot, dialog, "Save")
    assert "not a date" in dialog.message.text()

    dialog.onset.clear()
    click(qtbot, dialog, "Save")
    qtbot.waitUntil(lambda: "already on the problem list" in dialog.message.text())
    assert dialog.isVisible() and dialog.picker.chosen is not None  # what was chosen stays
    assert len(ProblemService(session.ctx).for_patient(patient_id)) == 1


def test_resolved_problems_follow_active_ones_and_read_muted(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("drpatel")
    (patient_id,) = register_patients(session.ctx, 1)
    service = ProblemService(session.ctx)
    service.add(patient_id, ProblemInput("J06.9", date(2025, 12, 20)))
    service.add(patient_id, ProblemInput("I10", date(2015, 1, 1)))
    tab = show_tab(qtbot, session, ProblemsTab, patient_id)
    assert [r[0] for r in rows(tab.model)] == ["J06.9", "I10"]  # latest onset first

    select(tab.facts, "J06.9")
    click(qtbot, tab, "Change status")
    dialog = opened_child(qtbot, tab, UpdateProblemDialog)
    assert dialog.status() is ProblemStatus.RESOLVED  # what one usually comes here for
    qtbot.keyClicks(dialog.resolved, "01/02/2026")
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        click(qtbot, dialog, "Save")

    assert rows(tab.model) == [
        ["I10", "Essential (primary) hypertension", "Jan 1, 2015", "Active"],
        ["J06.9", "Acute upper respiratory infection, unspecified", "Dec 20, 2025",
         "Resolved Jan 2, 2026"],
    ]  # fmt: skip
    assert [row_look(tab.model, 0), row_look(tab.model, 1)] == ["plain", "muted"]
    assert tab.facts.current_id() == service.for_patient(patient_id)[1].id


def test_entered_in_error_strikes_the_problem_through(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("drpatel")
    (patient_id,) = register_patients(session.ctx, 1)
    service = ProblemService(session.ctx)
    service.add(patient_id, ProblemInput("E78.5"))
    service.add(patient_id, ProblemInput("I10"))
    tab = show_tab(qtbot, session, ProblemsTab, patient_id)

    mark_entered_in_error(qtbot, tab, tab.facts, "E78.5", "Recorded on the wrong patient")
    assert [r[0] for r in rows(tab.model)] == ["I10", "E78.5"]  # struck rows go last
    assert row_look(tab.model, 1) == "struck"
    assert rows(tab.model)[1][3] == "Entered in error"
    assert "Priya Patel" in tab.facts.detail.text()
    assert not tab.facts.status_button.isEnabled()  # type: ignore[union-attr]
    struck = service.for_patient(patient_id)[1]
    assert struck.entered_in_error is not None
    assert struck.entered_in_error.reason == "Recorded on the wrong patient"


def test_lock_empties_the_tab_and_a_late_answer_for_another_patient_is_dropped(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("drpatel")
    lopez, johnson = register_patients(session.ctx, 2)
    ProblemService(session.ctx).add(lopez, ProblemInput("I10"))
    ProblemService(session.ctx).add(johnson, ProblemInput("E11.9"))
    tab = show_tab(qtbot, session, ProblemsTab, lopez)
    select(tab.facts, "I10")
    assert tab.facts.detail.text()

    tab.clear_sensitive()
    assert tab.model.rowCount() == 0 and tab.patient is None
    assert tab.facts.detail.text() == "" and not tab.facts.error_button.isEnabled()

    records = PatientService(session.ctx)
    tab.show_patient(records.get(lopez))  # its answer comes too late to be shown
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        tab.show_patient(records.get(johnson))
    qtbot.wait(100)
    assert [r[0] for r in rows(tab.model)] == ["E11.9"]
