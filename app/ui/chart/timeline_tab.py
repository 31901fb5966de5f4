"""Everything in the chart in time order, newest first: visits, signed notes, vitals, problems,
allergies, medications, immunizations and documents. Pages of 200; "Show older" for more."""

from __future__ import annotations

from enum import IntEnum
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QHBoxLayout, QTableView, QVBoxLayout, QWidget

from app.services.chart import ChartService
from app.services.chart_data import TimelineCursor, TimelineEntry, TimelineKind
from app.services.context import AppContext
from app.services.practice import PracticeInfo
from app.ui.chart.chart_tab import ChartTab
from app.ui.session import DesktopSession
from app.ui.table_model import Index, ListTableModel
from app.ui.tables import style_row_table
from app.ui.tasks import error_message
from app.ui.widgets import MessageLabel, button

PAGE = 200
_ERROR_INK = QColor("#8d99a4")
_KIND_LABELS = {
    TimelineKind.ENCOUNTER: "Visit",
    TimelineKind.NOTE_SIGNED: "Note",
    TimelineKind.VITALS: "Vitals",
    TimelineKind.PROBLEM_ADDED: "Problem",
    TimelineKind.PROBLEM_RESOLVED: "Problem resolved",
    TimelineKind.ALLERGY: "Allergy",
    TimelineKind.MEDICATION_STARTED: "Medication",
    TimelineKind.MEDICATION_STOPPED: "Medication stopped",
    TimelineKind.IMMUNIZATION: "Immunization",
    TimelineKind.DOCUMENT: "Document",
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("TimelineTab", text)


def load_timeline(
    ctx: AppContext, patient_id: str, before: TimelineCursor | None
) -> tuple[list[TimelineEntry], str]:
    zone = PracticeInfo(ctx).summary().time_zone
    return ChartService(ctx).timeline(patient_id, PAGE, before), zone


class TimelineColumn(IntEnum):
    WHEN = 0
    KIND = 1
    TITLE = 2
    DETAIL = 3


class TimelineModel(ListTableModel[TimelineEntry]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(("When", "What", "", "Details"), parent)
        self.zone = ZoneInfo("UTC")
        self._struck = QFont()
        self._struck.setStrikeOut(True)

    def set_entries(self, entries: list[TimelineEntry], zone: str, *, more: bool) -> None:
        self.zone = ZoneInfo(zone)
        self._set_rows([*self._rows, *entries] if more else entries)

    @property
    def entries(self) -> list[TimelineEntry]:
        return self._rows

    def clear(self) -> None:
        self._set_rows([])

    def cell_text(self, item: TimelineEntry, column: int) -> str:
        if column == TimelineColumn.WHEN:
            local = item.when.astimezone(self.zone)
            day = f"{local:%b} {local.day}, {local.year}"
            return day if item.date_only else f"{day} {local:%I:%M %p}".replace(" 0", " ")
        if column == TimelineColumn.KIND:
            return _tr(_KIND_LABELS[item.kind])
        if column == TimelineColumn.TITLE:
            return item.title
        return item.detail

    def cell_tip(self, item: TimelineEntry, column: int) -> str | None:
        return _tr("Entered in error") if item.entered_in_error else None

    def cell_ink(self, item: TimelineEntry, column: int) -> QColor | None:
        return _ERROR_INK if item.entered_in_error else None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.FontRole and index.isValid():
            item = self.row_at(index.row())
            return self._struck if item is not None and item.entered_in_error else None
        return super().data(index, role)


class TimelineTab(ChartTab):
    title = "Timeline"

    def __init__(self, session: DesktopSession) -> None:
        super().__init__(session)
        self._generation = 0
        self.model = TimelineModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        style_row_table(self.table, self.tr("Timeline"), stretch_column=TimelineColumn.DETAIL)
        self.more_button = button(self.tr("Show older"), self.tr("Show older entries"))
        self.more_button.clicked.connect(self.load_older)
        self.more_button.hide()
        self.message = MessageLabel()
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.more_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 12, 20, 12)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

    def reload(self) -> None:
        self._fetch(None)

    def load_older(self) -> None:
        entries = self.model.entries
        if entries:
            self._fetch(entries[-1].cursor)

    def _fetch(self, before: TimelineCursor | None) -> None:
        if self.patient is None:
            return
        self._generation += 1
        generation = self._generation
        task = self.session.run(
            load_timeline, self.session.ctx, self.patient.id, before, owner=self
        )
        task.succeeded.connect(
            lambda found: self._shown(found[0], found[1], before is not None, generation)
        )
        task.failed.connect(lambda error: self._failed(error, generation))

    def _shown(self, entries: list[TimelineEntry], zone: str, more: bool, generation: int) -> None:
        if generation != self._generation:
            return
        self.message.clear_message()
        self.model.set_entries(entries, zone, more=more)
        self.more_button.setVisible(len(entries) == PAGE)
        self.loaded.emit()

    def _failed(self, error: BaseException, generation: int) -> None:
        if generation == self._generation:
            self.message.show_message(error_message(error))

    def clear_sensitive(self) -> None:
        super().clear_sensitive()
        self._generation += 1
        self.model.clear()
        self.more_button.hide()
        self.message.clear_message()
