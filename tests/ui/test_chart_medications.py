"""The chart's Medications tab (issue #5): adding a medication; stopping one with a date
and a reason (refused without a reason); stopped medications follow active ones, muted;
entered in error; lock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.models import MedicationStatus
from app.services.medications import MedicationInput, MedicationService
from app.ui.chart.medications_tab import AddMedicationDialog, MedicationsTab, StopMedicationDialog
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


def test_add_a_medication_from_the_keyboard(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("nkim")  # a nurse reconciles the list at intake
    (patient_id,) = register_patients(session.ctx, 1)
    tab = show_tab(qtbot, session, MedicationsTab, patient_id)
    assert tab.facts.stack.currentWidget() is tab.facts.empty

    tab.facts.table.setFocus()
    qtbot.keyClick(tab.facts.table, Qt.Key.Key_M, CTRL_SHIFT)
    dialog = opened_child(qtbot, tab, AddMedicationDialog)
    qtbot.keyClicks(dialog.name, "Metformin 500 mg tablet")
    qtbot.keyClicks(dialog.sig, "1 tablet by mouth twice daily")
    qtbot.keyClicks(dialog.started, "04/02/2019")
    qtbot.keyClicks(dialog.prescriber, "Dr. Alvarez (outside)")
    qtbot.keyClicks(dialog.rxnorm, "860975")
    with qtbot.waitSignal(tab.chart_changed), qtbot.waitSignal(tab.loaded, timeout=5000):
        qtbot.keyClick(dialog.rxnorm, Qt.Key.Key_Return)
    assert rows(tab.model) == [
        [
            "Metformin 500 mg tablet",
            "1 tablet by mouth twice daily",
            "Apr 2, 2019",
            "Dr. Alvarez (outside)",
            "Active",
        ]
    ]
    assert "RxNorm 860975" in tab.facts.detail.text()
    (saved,) = MedicationService(session.ctx).for_patient(patient_id)
    assert saved.rxnorm_code == "860975" and saved.started_on == date(2019, 4, 2)


def test_a_refused_medication_keeps_the_dialog_and_saves_nothing(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("drpatel")
    (patient_id,) = register_patients(session.ctx, 1)
    tab = show_tab(qtbot, session, MedicationsTab, patient_id)
    click(qtbot, tab, "Add medication")
    dialog = opened_child(qtbot, tab, AddMedicationDialog)
    qtbot.keyClicks(dialog.name, "Lisinopril 10 mg tablet")
    qtbot.keyClicks(dialog.rxnorm, "lisinopril")
    click(qtbot, dialog, "Save")
    qtbot.waitUntil(lambda: "An RxNorm code is a number" in dialog.message.text())
    assert dialog.isVisible() and dialog.name.text() == "Lisinopril 10 mg tablet"
    assert MedicationService(session.ctx).for_patient(patient_id) == []


def test_stop_a_medication_with_a_date_and_a_reason(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("drpatel")
    (patient_id,) = register_patients(session.ctx, 1)
    service = MedicationService(session.ctx)
    service.add(
        patient_id, MedicationInput("Amoxicillin 500 mg capsule", started_on=date(2025, 12, 20))
    )
    service.add(patient_id, MedicationInput("Lisinopril 10 mg tablet"))
    tab = show_tab(qtbot, session, MedicationsTab, patient_id)
    assert [r[0] for r in rows(tab.model)] == [
        "Amoxicillin 500 mg capsule",
        "Lisinopril 10 mg tablet",
    ]

    select(tab.facts, "Amoxicillin 500 mg capsule")
    click(qtbot, tab, "Stop")
    dialog = opened_child(qtbot, tab, StopMedicationDialog)
    assert dialog.stopped_on.text() == "01/05/2026"  # the practice's today
    click(qtbot, dialog, "Stop medication")
    assert "Say why" in dialog.message.text()  # the reason is required
    dialog.stopped_on.setText("01/02/2026")
    qtbot.keyClicks(dialog.reason, "Course finished")
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        click(qtbot, dialog, "Stop medication")

    assert [r[0] for r in rows(tab.model)] == [
        "Lisinopril 10 mg tablet",
        "Amoxicillin 500 mg capsule",
    ]
    assert rows(tab.model)[1][4] == "Stopped Jan 2, 2026"
    assert [row_look(tab.model, 0), row_look(tab.model, 1)] == ["plain", "muted"]
    assert "Course finished" in tab.facts.detail.text()
    assert not tab.facts.status_button.isEnabled()  # type: ignore[union-attr]  # stopped once
    stopped = service.for_patient(patient_id)[1]
    assert stopped.status is MedicationStatus.STOPPED and stopped.stopped_on == date(2026, 1, 2)


def test_entered_in_error_and_lock(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("drpatel")
    (patient_id,) = register_patients(session.ctx, 1)
    MedicationService(session.ctx).add(patient_id, MedicationInput("Warfarin 5 mg tablet"))
    tab = show_tab(qtbot, session, MedicationsTab, patient_id)
    mark_entered_in_error(qtbot, tab, tab.facts, "Warfarin 5 mg tablet", "Another patient's")
    assert row_look(tab.model, 0) == "struck" and rows(tab.model)[0][4] == "Entered in error"

    tab.clear_sensitive()
    assert tab.model.rowCount() == 0 and tab.facts.detail.text() == ""
    assert not tab.facts.empty.isVisible()  # no patient: no claim that there is nothing
