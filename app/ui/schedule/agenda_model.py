"""The agenda: the chosen providers' appointments for the next days, one row each, in time
order. The day is written on the first row of each day only, as a printed agenda does."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QColor, QFont

from app.services.schedule_data import AppointmentView
from app.ui.schedule.schedule_style import FADED, describe, status_colour, status_label, time_range
from app.ui.table_model import Index, ListTableModel

ID_ROLE = Qt.ItemDataRole.UserRole
COLUMNS = ("Day", "Time", "Patient", "Type", "Provider", "Room", "Status")
DAY, TIME, PATIENT, TYPE, PROVIDER, ROOM, STATUS = range(len(COLUMNS))


class AgendaModel(ListTableModel[AppointmentView]):
    """Answers its own `data`: the agenda's ID role carries the id, and its day column
    depends on the row before."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(COLUMNS, parent)

    def set_appointments(self, appointments: Sequence[AppointmentView]) -> None:
        self._set_rows(sorted(appointments, key=lambda a: (a.wall_start, a.provider_name, a.id)))

    def clear(self) -> None:
        self.set_appointments([])

    def appointment_at(self, row: int) -> AppointmentView | None:
        return self.row_at(row)

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
