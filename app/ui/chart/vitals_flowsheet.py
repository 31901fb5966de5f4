"""The Vitals tab's flowsheet as a table model: one row per set (newest first), the time it
was taken, one column per measurement with its unit in the header, who took it and the note.
Out-of-range values are amber with ↑/↓, critical ones red and bold with ↑↑/↓↓; sets entered
in error are grey and struck through."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QWidget

from app.models import VitalFlag
from app.services.context import AppContext
from app.services.practice import PracticeInfo
from app.services.vitals import Flowsheet, FlowsheetRow, VitalsService
from app.ui.chart.vitals_chart import FLAG_INK, FLAG_MARK
from app.ui.table_model import Index, ListTableModel

ERROR_INK = QColor("#8d99a4")  # entered in error: grey, struck through
_FLAG_NAMES = {
    VitalFlag.LOW: "Low",
    VitalFlag.HIGH: "High",
    VitalFlag.CRITICAL_LOW: "Critically low",
    VitalFlag.CRITICAL_HIGH: "Critically high",
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("VitalsFlowsheet", text)


_SHORT_HEADERS = {  # the flowsheet is wide: short names, the full one in the header's tip
    "temperature": "Temp",
    "respiratory_rate": "Resp",
    "head_circumference": "Head circ.",
}


def when_text(row: FlowsheetRow) -> str:
    """ "Mar 14, 2025 9:05 AM" (practice time)."""
    at = row.taken_at
    return f"{at:%b} {at.day}, {at:%Y} {at.hour % 12 or 12}:{at:%M %p}"


@dataclass(frozen=True)
class SheetLine:
    """A flowsheet row as the table model holds it (rows are found by id)."""

    row: FlowsheetRow

    @property
    def id(self) -> str:
        return self.row.set_id


class FlowsheetModel(ListTableModel[SheetLine]):
    """Taken, one column per measurement (unit in the header), taken by, note."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__((), parent)
        self.keys: tuple[str, ...] = ()  # the flowsheet column of each measurement column
        self.tips: tuple[str, ...] = ()  # each header's full name

    def set_sheet(self, sheet: Flowsheet, rows: list[FlowsheetRow], hide: set[str]) -> None:
        columns = [c for c in sheet.columns if c.key not in hide]
        self.beginResetModel()
        short = [_tr(_SHORT_HEADERS.get(c.key, c.label)) for c in columns]
        self.headers = (
            _tr("Taken"),
            *(f"{name}\n{c.unit}" for name, c in zip(short, columns, strict=True)),
            _tr("Taken by"),
            _tr("Note"),
        )
        self.tips = ("", *(_tr(c.label) for c in columns), "", "")
        self.keys = tuple(c.key for c in columns)
        self._rows = [SheetLine(row) for row in rows]
        self.endResetModel()

    def clear(self) -> None:
        self.beginResetModel()
        self.headers, self.keys, self.tips, self._rows = (), (), (), []
        self.endResetModel()

    @property
    def note_column(self) -> int:
        return len(self.keys) + 2

    def key_at(self, column: int) -> str | None:
        return self.keys[column - 1] if 1 <= column <= len(self.keys) else None

    def column_of(self, key: str) -> int:
        return self.keys.index(key) + 1

    def rows(self) -> list[FlowsheetRow]:
        return [line.row for line in self._rows]

    def _flag(self, line: SheetLine, column: int) -> VitalFlag:
        key = self.key_at(column)
        cell = line.row.cell(key) if key else None
        return cell.flag if cell else VitalFlag.NORMAL

    def cell_text(self, item: SheetLine, column: int) -> str:
        row, key = item.row, self.key_at(column)
        if column == 0:
            return when_text(row)
        if key is not None:
            cell = row.cell(key)
            if cell is None:
                return ""
            mark = FLAG_MARK.get(cell.flag)
            return f"{cell.text} {mark}" if mark else cell.text
        if column == self.note_column - 1:
            return row.taken_by_name
        if row.in_error:
            return _tr("Entered in error: {reason}").format(reason=row.error_reason or "")
        return row.note or ""

    def cell_ink(self, item: SheetLine, column: int) -> QColor | None:
        if item.row.in_error:
            return ERROR_INK
        return FLAG_INK.get(self._flag(item, column))

    def cell_tip(self, item: SheetLine, column: int) -> str | None:
        flag = self._flag(item, column)
        if flag in _FLAG_NAMES and not item.row.in_error:
            return _tr(_FLAG_NAMES[flag])
        return self.details(item) or None

    def details(self, item: SheetLine) -> str:
        row = item.row
        text = _tr("Taken {when}").format(when=when_text(row))
        if row.taken_by_name:
            text += _tr(" by {name}").format(name=row.taken_by_name)
        if row.note:
            text += f" · {row.note}"
        if row.in_error:
            text += "\n" + _tr("Entered in error: {reason}").format(reason=row.error_reason or "")
        return text

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal:
            return self.tips[section] or None if section < len(self.tips) else None
        return super().headerData(section, orientation, role)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.FontRole and index.isValid():
            item = self.row_at(index.row())
            if item is None:
                return None
            critical = self._flag(item, index.column()) in (
                VitalFlag.CRITICAL_LOW,
                VitalFlag.CRITICAL_HIGH,
            )
            if not (item.row.in_error or critical):
                return None
            font = QFont()  # only what is set here overrides the table's font
            font.setStrikeOut(item.row.in_error)
            font.setBold(critical and not item.row.in_error)
            return font
        return super().data(index, role)


@dataclass(frozen=True)
class SheetPage:
    sheet: Flowsheet
    zone: str  # the practice's (the dialog's "taken at" is in it)


def load_sheet(ctx: AppContext, patient_id: str, limit: int, before: Any) -> SheetPage:
    """On the worker: a page of the flowsheet, and the practice's time zone."""
    sheet = VitalsService(ctx).flowsheet(patient_id, limit=limit, before=before)
    return SheetPage(sheet, PracticeInfo(ctx).summary().time_zone)
