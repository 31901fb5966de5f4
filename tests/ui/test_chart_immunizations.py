"""The chart's Immunizations tab (issue #5): recording a dose given here (vaccine found in
CVX by brand name, lot, expiry, site, route, dose) and one reported from elsewhere (where
older vaccines may be chosen); refusals; entered in error; lock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from app.services.immunizations import ImmunizationInput, ImmunizationService
from app.ui.chart.immunization_dialog import RecordDoseDialog
from app.ui.chart.immunizations_tab import ImmunizationsTab
from app.ui.session import DesktopSession
from tests.ui.chart_list_helpers import (
    mark_entered_in_error,
    row_look,
    rows,
    show_tab,
)
from tests.ui.helpers import click, find_by_name, opened_child, register_patients

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def open_dialog(qtbot: QtBot, tab: ImmunizationsTab) -> RecordDoseDialog:
    """Ctrl+Shift+I, once the vaccine list has come."""
    tab.facts.table.setFocus()
    qtbot.keyClick(tab.facts.table, Qt.Key.Key_I, CTRL_SHIFT)
    dialog = opened_child(qtbot, tab, RecordDoseDialog)
    qtbot.waitUntil(lambda: dialog.picker.model.rowCount() > 0)
    return dialog


def search(qtbot: QtBot, dialog: RecordDoseDialog, text: str) -> None:
    with qtbot.waitSignal(dialog.picker.searched, timeout=5000):
        qtbot.keyClicks(dialog.picker.box, text)


def test_record_a_dose_given_here(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("nkim")
    (patient_id,) = register_patients(session.ctx, 1)
    tab = show_tab(qtbot, session, ImmunizationsTab, patient_id)
    dialog = open_dialog(qtbot, tab)
    assert dialog.picker.highlighted() is None  # nothing typed: Enter picks nothing
    assert all(v.active for v in dialog.picker.model.items)  # given here: current vaccines

    search(qtbot, dialog, "Shingrix")
    qtbot.keyClick(dialog.picker.box, Qt.Key.Key_Return)
    assert dialog.picker.chosen is not None and dialog.picker.chosen.code == "187"
    assert dialog.given_on.text() == "01/05/2026"
    qtbot.keyClicks(dialog.lot, "AB12C")
    qtbot.keyClicks(dialog.expires, "06/30/2026")
    qtbot.keyClicks(dialog.site.lineEdit(), "Left deltoid")
    route = find_by_name(dialog, QComboBox, "Route")
    route.setCurrentIndex(route.findData("IM"))
    qtbot.keyClicks(dialog.dose, "0.5 mL")
    with qtbot.waitSignal(tab.chart_changed), qtbot.waitSignal(tab.loaded, timeout=5000):
        qtbot.keyClick(dialog.dose, Qt.Key.Key_Return)

    assert rows(tab.model) == [
        ["Jan 5, 2026", "zoster, recombinant", "187", "Here", "AB12C", "Left deltoid · IM",
         "0.5 mL"],
    ]  # fmt: skip
    assert "Given here by Hannah Kim" in tab.facts.detail.text()
    (saved,) = ImmunizationService(session.ctx).for_patient(patient_id)
    assert (saved.expires_on, saved.route, saved.given_here) == (date(2026, 6, 30), "IM", True)


def test_a_dose_reported_from_elsewhere_and_refusals(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("drpatel")
    (patient_id,) = register_patients(session.ctx, 1)
    tab = show_tab(qtbot, session, ImmunizationsTab, patient_id)
    dialog = open_dialog(qtbot, tab)
    click(qtbot, dialog, "Save")
    assert dialog.message.text() == "Choose the vaccine from the list."

    search(qtbot, dialog, "Tdap")
    qtbot.keyClick(dialog.picker.box, Qt.Key.Key_Return)
    click(qtbot, dialog, "Save")  # given here, without the lot
    qtbot.waitUntil(lambda: "lot number" in dialog.message.text())

    with qtbot.waitSignal(dialog.picker.searched, timeout=5000):
        click(qtbot, dialog, "Given elsewhere")  # older vaccines may be chosen now
    assert dialog.source.isVisible()
    dialog.given_on.setText("03/01/2020")
    qtbot.keyClicks(dialog.source, "CVS pharmacy")
    with qtbot.waitSignal(tab.loaded, timeout=5000):
        click(qtbot, dialog, "Save")
    assert rows(tab.model) == [["Mar 1, 2020", "Tdap", "115", "CVS pharmacy", "", "", ""]]
    assert "Reported: CVS pharmacy" in tab.facts.detail.text()


def test_entered_in_error_and_lock(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("drpatel")
    (patient_id,) = register_patients(session.ctx, 1)
    service = ImmunizationService(session.ctx)
    service.record(patient_id, ImmunizationInput("115", date(2020, 3, 1), given_here=False))
    service.record(patient_id, ImmunizationInput("187", date(2025, 10, 1), lot_number="X1"))
    tab = show_tab(qtbot, session, ImmunizationsTab, patient_id)
    assert [r[1] for r in rows(tab.model)] == ["zoster, recombinant", "Tdap"]  # newest first

    mark_entered_in_error(qtbot, tab, tab.facts, "zoster, recombinant", "Charted twice")
    assert [r[1] for r in rows(tab.model)] == ["Tdap", "zoster, recombinant"]
    assert [row_look(tab.model, 0), row_look(tab.model, 1)] == ["plain", "struck"]

    tab.clear_sensitive()
    assert tab.model.rowCount() == 0 and tab.facts.detail.text() == ""
