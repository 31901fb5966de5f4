"""The agenda: the chosen providers' appointments for the next days, one row each, in time
order. The day is written on the first row of each day only, as a printed agenda does."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from app.services.schedule_data import AppointmentView
from app.ui.schedule.schedule_style import FADED, describe, status_colour, status_label, time_range

ID_ROLE = Qt.ItemDataRole.UserRole
COLUMNS = ("Day", "Time", "Patient", "Type", "Provider", "Room", "Status")
DAY, TIME, PATIENT, TYPE, PROVIDER, ROOM, STATUS = range(len(COLUMNS))

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


class AgendaModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[AppointmentView] = []

    def set_appointments(self, appointments: Sequence[AppointmentView]) -> None:
        self.beginResetModel()
        self._rows = sorted(appointments, key=lambda a: (a.wall_start, a.provider_name, a.id))
        self.endResetModel()

    def clear(self) -> None:
        self.set_appointments([])

    def appointment_at(self, row: int) -> AppointmentView | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, appointment_id: str) -> int | None:
        return next((i for i, a in enumerate(self._rows) if a.id == appointment_id), None)

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(COLUMNS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        appt = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(index.row(), column)
        if role == ID_ROLE:
            return appt.id
        if role == Qt.ItemDataRole.ToolTipRole:
            return describe(appt)
        if role == Qt.ItemDataRole.DecorationRole and column == TYPE:
            return QColor(appt.colour)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == STATUS:
                return status_colour(appt.status)
            if appt.status in FADED:
                return QColor("#8d99a4")
        if role == Qt.ItemDataRole.FontRole and column == DAY:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _text(self, row: int, column: int) -> str:
        appt = self._rows[row]
        if column == DAY:
            previous = self._rows[row - 1] if row else None
            if previous is not None and previous.wall_start.date() == appt.wall_start.date():
                return ""
            return f"{appt.wall_start:%a %b} {appt.wall_start.day}"
        return {
            TIME: time_range(appt.wall_start, appt.wall_end),
            PATIENT: appt.patient_name,
            TYPE: appt.type_name,
            PROVIDER: appt.provider_name,
            ROOM: appt.room_name or "",
            STATUS: status_label(appt.status),
        }[column]
