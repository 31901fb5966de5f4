"""What the chart list tab tests share: a tab on screen for a patient, the rows as read,
how a row looks, and marking a row entered in error through the shared dialog."""

from __future__ import annotations

from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QAbstractButton, QPlainTextEdit
from pytestqt.qtbot import QtBot

from app.services.patients import PatientService
from app.ui.chart.fact_table import ERROR_INK, PAST_INK, FactTableModel
from app.ui.chart.list_tab import FactList, FactsTab
from app.ui.chart.reason_dialog import ReasonDialog
from app.ui.session import DesktopSession
from tests.ui.helpers import click, find_by_name, opened_child

T = TypeVar("T", bound=FactsTab)


def show_tab(qtbot: QtBot, session: DesktopSession, kind: type[T], patient_id: str) -> T:
    """The tab on screen (its window active, so its shortcuts work) with the patient loaded."""
    tab = kind(session)
    qtbot.addWidget(tab)
    tab.resize(1200, 700)
    tab.show()
    qtbot.waitExposed(tab)
    with qtbot.waitActive(tab):
        tab.activateWindow()
    record = PatientService(session.ctx).get(patient_id)
    with qtbot.waitSignal(tab.loaded, timeout=10000):
        tab.show_patient(record)
    return tab


def rows(model: FactTableModel[Any]) -> list[list[str]]:
    return [
        [str(model.index(row, column).data()) for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def row_look(model: FactTableModel[Any], row: int) -> str:
    """ "struck" (entered in error), "muted" (resolved, inactive, stopped), "alert" or
    "plain", as read from the model's ink and font."""
    index = model.index(row, 0)
    ink = index.data(Qt.ItemDataRole.ForegroundRole)
    font = index.data(Qt.ItemDataRole.FontRole)
    assert font is None or isinstance(font, QFont)
    if font is not None and font.strikeOut():
        assert ink == ERROR_INK
        return "struck"
    if font is not None and font.italic():
        assert ink == PAST_INK
        return "muted"
    if font is not None and font.bold():
        assert isinstance(ink, QColor) and index.data(Qt.ItemDataRole.BackgroundRole)
        return "alert"
    assert ink is None and font is None
    return "plain"


def select(facts: FactList, text: str) -> int:
    """Choose the row whose cells include `text`; its row number."""
    row = next(i for i, cells in enumerate(rows(facts.model)) if text in cells)
    facts.table.selectRow(row)
    return row


def mark_entered_in_error(
    qtbot: QtBot, tab: FactsTab, facts: FactList, text: str, reason: str
) -> None:
    """Strike the row showing `text` through, as a person does: button, reason, confirm."""
    select(facts, text)
    with qtbot.waitSignal(tab.chart_changed, timeout=5000):
        qtbot.mouseClick(facts.error_button, Qt.MouseButton.LeftButton)
        dialog = opened_child(qtbot, tab, ReasonDialog)
        qtbot.keyClicks(find_by_name(dialog, QPlainTextEdit, "Reason"), reason)
        with qtbot.waitSignal(tab.loaded, timeout=5000):
            click(qtbot, dialog, "Mark entered in error")
    assert not facts.error_button.isEnabled()  # the struck row stays chosen
    assert reason in facts.detail.text()


def button_named(tab: FactsTab, name: str) -> QAbstractButton:
    return find_by_name(tab, QAbstractButton, name)
