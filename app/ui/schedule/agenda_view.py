"""The agenda's table: rows of appointments; Up/Down choose, Enter opens the actions, and
the page's keys (days, views, status letters) pass through to the page."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from app.services.schedule_data import AppointmentView
from app.ui.schedule.agenda_model import COLUMNS, PATIENT, AgendaModel

_OWN_KEYS = {
    Qt.Key.Key_Up,
    Qt.Key.Key_Down,
    Qt.Key.Key_Home,
    Qt.Key.Key_End,
    Qt.Key.Key_Tab,
    Qt.Key.Key_Backtab,
}


class AgendaTable(QTableView):
    activated_appointment = Signal(object, QPoint)  # AppointmentView, global position

    def __init__(self, model: AgendaModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.agenda = model
        self.setModel(model)
        self.setAccessibleName(self.tr("Agenda"))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(30)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for column in range(len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PATIENT, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(90)
        self.doubleClicked.connect(lambda index: self._open(index.row()))

    def selected(self) -> AppointmentView | None:
        rows = self.selectionModel().selectedRows()
        return self.agenda.appointment_at(rows[0].row()) if rows else None

    def select(self, appointment_id: str | None) -> None:
        row = self.agenda.row_of(appointment_id) if appointment_id else None
        if row is None:
            self.clearSelection()
            return
        self.selectRow(row)
        self.scrollTo(self.agenda.index(row, 0))

    def _open(self, row: int) -> None:
        appt = self.agenda.appointment_at(row)
        if appt is None:
            return
        rect = self.visualRect(self.agenda.index(row, PATIENT))
        self.activated_appointment.emit(appt, self.viewport().mapToGlobal(rect.bottomLeft()))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            rows = self.selectionModel().selectedRows()
            if rows:
                self._open(rows[0].row())
            return
        if key in _OWN_KEYS:
            super().keyPressEvent(event)
        else:
            event.ignore()  # the page's keys
