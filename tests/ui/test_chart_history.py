"""The chart's History tab (issue #5): past medical and surgical history (typed, or coded
from ICD-10-CM), family history, the social history form; entered in error; lock."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from app.models import HistoryKind, SmokingStatus
from app.services.histories import FamilyHistoryInput, HistoryService
from app.ui.chart.history_dialogs import AddFamilyHistoryDialog, AddPastHistoryDialog
from app.ui.chart.history_tab import HistoryTab
from app.ui.session import DesktopSession
from tests.ui.chart_list_helpers import (
    mark_entered_in_error,
    row_look,
    rows,
    show_tab,
)
from tests.ui.helpers import click, find_by_name, opened_child, register_patients

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def test_past_history_typed_or_coded(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("drpatel")
    (patient_id,) = register_patients(session.ctx, 1)
    tab = show_tab(qtbot, session, HistoryTab, patient_id)
    assert tab.past.stack.currentWidget() is tab.past.empty

    # A surgery, as words: the ICD-10-CM matches are offered, none is taken.
    tab.past.table.setFocus()
    qtbot.keyClick(tab.past.table, Qt.Key.Key_H, CTRL_SHIFT)
    dialog = opened_child(qtbot, tab, AddPastHistoryDialog)
    click(qtbot, dialog, "Surgical")
    with qtbot.waitSignal(dialog.picker.searched, timeout=5000):
        qtbot.keyClicks(dialog.picker.box, "Appendectomy")
    assert dialog.picker.highlighted() is None  # Enter would not pick a code
    qtbot.keyClicks(dialog.when, "2004")
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        qtbot.keyClick(dialog.when, Qt.Key.Key_Return)
    assert rows(tab.past.model) == [["Surgical", "Appendectomy", "", "2004"]]

    # A condition coded from the list: ↓ to the first match, Enter takes it.
    click(qtbot, tab, "Add past history")
    dialog = opened_child(qtbot, tab, AddPastHistoryDialog)
    with qtbot.waitSignal(dialog.picker.searched, timeout=5000):
        qtbot.keyClicks(dialog.picker.box, "asthma")
    qtbot.keyClick(dialog.picker.box, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.picker.box, Qt.Key.Key_Return)
    code = dialog.picker.chosen
    assert code is not None and code.code.startswith("J45")
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        click(qtbot, dialog, "Save")
    assert rows(tab.past.model)[0] == ["Medical", code.description, code.code, ""]
    kinds = [v.kind for v in HistoryService(session.ctx).past_history(patient_id)]
    assert kinds == [HistoryKind.MEDICAL, HistoryKind.SURGICAL]


def test_family_history_and_a_refusal(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("nkim")
    (patient_id,) = register_patients(session.ctx, 1)
    tab = show_tab(qtbot, session, HistoryTab, patient_id)
    tab.family.table.setFocus()
    qtbot.keyClick(tab.family.table, Qt.Key.Key_F, CTRL_SHIFT)
    dialog = opened_child(qtbot, tab, AddFamilyHistoryDialog)
    qtbot.keyClicks(dialog.picker.box, "Type 2 diabetes")
    click(qtbot, dialog, "Save")
    assert dialog.message.text() == "Choose the relative."

    relative = find_by_name(dialog, QComboBox, "Relative")
    relative.setCurrentIndex(relative.findText("Mother"))
    qtbot.keyClicks(dialog.age, "152")
    click(qtbot, dialog, "Save")
    qtbot.waitUntil(lambda: dialog.message.text() == "Age at onset is between 0 and 120 years.")
    assert HistoryService(session.ctx).family_history(patient_id) == []
    dialog.age.setText("52")
    click(qtbot, dialog, "Deceased")
    with qtbot.waitSignal(tab.chart_changed), qtbot.waitSignal(tab.loaded, timeout=5000):
        click(qtbot, dialog, "Save")
    assert rows(tab.family.model) == [["Mother", "Type 2 diabetes", "", "52", "Deceased"]]
    (saved,) = HistoryService(session.ctx).family_history(patient_id)
    assert (saved.relative, saved.age_at_onset, saved.deceased) == ("mother", 52, True)


def test_social_history_saves_as_a_whole(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("drpatel")
    (patient_id,) = register_patients(session.ctx, 1)
    tab = show_tab(qtbot, session, HistoryTab, patient_id)
    social = tab.social
    assert social.updated.text() == "Not recorded yet."
    smoking = find_by_name(tab, QComboBox, "Smoking status")
    smoking.setCurrentIndex(smoking.findText("Former smoker"))
    qtbot.keyClicks(social.tobacco, "Quit 2010, 10 pack-years")
    qtbot.keyClicks(social.occupation, "Teacher")
    with qtbot.waitSignal(tab.chart_changed), qtbot.waitSignal(tab.loaded, timeout=5000):
        qtbot.keyClick(social.occupation, Qt.Key.Key_Return)  # Enter saves

    saved = HistoryService(session.ctx).social(patient_id)
    assert saved.smoking_status is SmokingStatus.FORMER
    assert (saved.tobacco_note, saved.occupation, saved.alcohol) == (
        "Quit 2010, 10 pack-years",
        "Teacher",
        None,
    )
    assert social.updated.text().startswith("Updated ")
    assert not social.dirty

    qtbot.keyClicks(social.alcohol, "2 drinks a week")
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        click(qtbot, tab, "Save social history")
    assert HistoryService(session.ctx).social(patient_id).alcohol == "2 drinks a week"
    assert social.alcohol.text() == "2 drinks a week"


def test_entered_in_error_and_lock(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("drpatel")
    (patient_id,) = register_patients(session.ctx, 1)
    service = HistoryService(session.ctx)
    service.add_family(patient_id, FamilyHistoryInput("father", "Myocardial infarction"))
    service.add_family(patient_id, FamilyHistoryInput("mother", "Breast cancer", age_at_onset=48))
    tab = show_tab(qtbot, session, HistoryTab, patient_id)
    assert [r[0] for r in rows(tab.family.model)] == ["Mother", "Father"]

    mark_entered_in_error(qtbot, tab, tab.family, "Mother", "Was the maternal aunt")
    assert [r[0] for r in rows(tab.family.model)] == ["Father", "Mother"]
    assert row_look(tab.family.model, 1) == "struck"

    qtbot.keyClicks(tab.social.occupation, "Teacher")  # typed, not saved
    tab.clear_sensitive()
    assert tab.family.model.rowCount() == 0 and tab.past.model.rowCount() == 0
    assert tab.family.detail.text() == ""
    assert tab.social.occupation.text() == "" and tab.social.updated.text() == ""
    assert not tab.social.dirty
