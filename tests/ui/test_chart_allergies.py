"""The chart's Allergies tab (issue #5): recording an allergy with its reaction, severity,
criticality, category and type; "No known allergies" as an explicit statement; the line
that tells the three states apart; high-risk rows marked; inactive rows after active ones;
entered in error; lock."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from app.models import AllergyCategory, AllergyStatus, AllergyType, Criticality, Severity
from app.services.allergies import AllergyInput, AllergyService, AllergyState
from app.ui.chart.allergies_tab import AllergiesTab
from app.ui.chart.allergy_dialogs import AddAllergyDialog, UpdateAllergyDialog
from app.ui.session import DesktopSession
from tests.ui.chart_list_helpers import (
    button_named,
    mark_entered_in_error,
    row_look,
    rows,
    select,
    show_tab,
)
from tests.ui.helpers import answer_prompt, click, find_by_name, opened_child, register_patients

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def state_line(tab: AllergiesTab) -> str:
    return find_by_name(tab, QLabel, "Allergy status").text()


def choose(dialog: AddAllergyDialog | UpdateAllergyDialog, name: str, text: str) -> None:
    combo = find_by_name(dialog, QComboBox, name)
    combo.setCurrentIndex(combo.findText(text))
    assert combo.currentText() == text


def test_record_an_allergy_with_every_detail(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("drpatel")
    (patient_id,) = register_patients(session.ctx, 1)
    tab = show_tab(qtbot, session, AllergiesTab, patient_id)
    assert state_line(tab).startswith("Allergies not recorded")

    tab.facts.table.setFocus()
    qtbot.keyClick(tab.facts.table, Qt.Key.Key_A, CTRL_SHIFT)
    dialog = opened_child(qtbot, tab, AddAllergyDialog)
    qtbot.keyClicks(find_by_name(dialog, QLineEdit, "Substance"), "Penicillin")
    qtbot.keyClicks(find_by_name(dialog, QLineEdit, "Reaction"), "Anaphylaxis")
    choose(dialog, "Severity", "Severe")
    choose(dialog, "Criticality", "High")
    choose(dialog, "Category", "Medication")
    choose(dialog, "Type", "Allergy")
    with qtbot.waitSignal(tab.chart_changed), qtbot.waitSignal(tab.loaded, timeout=5000):
        qtbot.keyClick(dialog.substance, Qt.Key.Key_Return)  # Enter saves

    assert rows(tab.model) == [
        ["⚠ Penicillin", "Anaphylaxis", "Severe", "High", "Medication allergy", "Active"]
    ]
    assert row_look(tab.model, 0) == "alert"
    assert state_line(tab) == "Allergies: Penicillin"
    assert not button_named(tab, "No known allergies").isEnabled()
    (saved,) = AllergyService(session.ctx).for_patient(patient_id).entries
    assert (saved.category, saved.type) == (AllergyCategory.MEDICATION, AllergyType.ALLERGY)
    assert (saved.severity, saved.criticality) == (Severity.SEVERE, Criticality.HIGH)

    # An intolerance, moderate: listed, not marked.
    click(qtbot, tab, "Record allergy")
    dialog = opened_child(qtbot, tab, AddAllergyDialog)
    qtbot.keyClicks(dialog.substance, "Codeine")
    choose(dialog, "Type", "Intolerance")
    choose(dialog, "Severity", "Moderate")
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        click(qtbot, dialog, "Save")
    assert rows(tab.model)[1][0] == "Codeine" and row_look(tab.model, 1) == "plain"
    assert rows(tab.model)[1][4] == "Medication intolerance"


def test_a_refused_allergy_keeps_the_dialog_and_saves_nothing(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("nkim")
    (patient_id,) = register_patients(session.ctx, 1)
    tab = show_tab(qtbot, session, AllergiesTab, patient_id)
    click(qtbot, tab, "Record allergy")
    dialog = opened_child(qtbot, tab, AddAllergyDialog)
    qtbot.keyClicks(dialog.reaction, "Hives")
    click(qtbot, dialog, "Save")
    qtbot.waitUntil(lambda: dialog.message.text() == "Enter the substance.")
    assert dialog.isVisible() and dialog.reaction.text() == "Hives"

    qtbot.keyClicks(dialog.substance, "NKA")  # the statement has its own button
    click(qtbot, dialog, "Save")
    qtbot.waitUntil(lambda: "No known allergies" in dialog.message.text())
    assert AllergyService(session.ctx).for_patient(patient_id).entries == ()


def test_no_known_allergies_is_a_statement_an_allergy_then_replaces(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("drpatel")
    (patient_id,) = register_patients(session.ctx, 1)
    tab = show_tab(qtbot, session, AllergiesTab, patient_id)
    assert tab.facts.stack.currentWidget() is tab.facts.empty

    prompts = answer_prompt("No known allergies", "Record")
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        click(qtbot, tab, "No known allergies")
    assert "has no known allergies?" in prompts[0].text
    assert rows(tab.model) == [["No known allergies", "", "", "", "", "Active"]]
    assert state_line(tab).startswith("No known allergies")
    assert not button_named(tab, "No known allergies").isEnabled()
    assert not tab.facts.status_button.isEnabled()  # type: ignore[union-attr]
    assert AllergyService(session.ctx).for_patient(patient_id).state is AllergyState.NO_KNOWN

    click(qtbot, tab, "Record allergy")
    dialog = opened_child(qtbot, tab, AddAllergyDialog)
    qtbot.keyClicks(dialog.substance, "Peanut")
    choose(dialog, "Category", "Food")
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        click(qtbot, dialog, "Save")
    assert [r[0] for r in rows(tab.model)] == ["Peanut", "No known allergies"]
    assert rows(tab.model)[1][5] == "Inactive"
    assert [row_look(tab.model, 0), row_look(tab.model, 1)] == ["plain", "muted"]
    assert state_line(tab) == "Allergies: Peanut"


def test_inactivate_then_mark_entered_in_error(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("drpatel")
    (patient_id,) = register_patients(session.ctx, 1)
    service = AllergyService(session.ctx)
    service.add(patient_id, AllergyInput("Latex", AllergyCategory.ENVIRONMENT))
    service.add(patient_id, AllergyInput("Sulfa", reaction="Rash"))
    tab = show_tab(qtbot, session, AllergiesTab, patient_id)
    assert [r[0] for r in rows(tab.model)] == ["Latex", "Sulfa"]

    select(tab.facts, "Latex")
    click(qtbot, tab, "Change status")
    dialog = opened_child(qtbot, tab, UpdateAllergyDialog)
    assert dialog.status.currentText() == "Inactive"
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        click(qtbot, dialog, "Save")
    assert [r[0] for r in rows(tab.model)] == ["Sulfa", "Latex"]
    assert row_look(tab.model, 1) == "muted"
    assert service.for_patient(patient_id).entries[1].status is AllergyStatus.INACTIVE

    mark_entered_in_error(qtbot, tab, tab.facts, "Sulfa", "Another patient's allergy")
    assert [r[0] for r in rows(tab.model)] == ["Latex", "Sulfa"]
    assert row_look(tab.model, 1) == "struck"
    assert state_line(tab).startswith("Allergies not recorded")  # none stands now
    assert button_named(tab, "No known allergies").isEnabled()


def test_lock_empties_the_allergy_tab(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("drpatel")
    (patient_id,) = register_patients(session.ctx, 1)
    AllergyService(session.ctx).add(patient_id, AllergyInput("Penicillin"))
    tab = show_tab(qtbot, session, AllergiesTab, patient_id)
    select(tab.facts, "Penicillin")
    tab.clear_sensitive()
    assert tab.model.rowCount() == 0 and tab.facts.detail.text() == ""
    assert all(not line.text() for line in tab.state_lines.values())
    assert not button_named(tab, "No known allergies").isEnabled()
