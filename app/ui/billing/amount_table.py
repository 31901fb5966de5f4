"""Small tables of money for the billing reports: a label column, then amounts
right-aligned so the digits line up; totals bold, notes (percentages) small and muted.
The tables are short, so they are as tall as their rows and never scroll."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QAbstractScrollArea, QHeaderView, QTableView, QWidget

from app.services.ledger_data import money
from app.ui.table_model import Index, ListTableModel
from app.ui.tables import style_row_table

_MUTED = QColor("#56626d")
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
MONEY_COLUMN_WIDTH = 118


@dataclass(frozen=True)
class AmountLine:
    id: str
    label: str
    amounts: tuple[int | str, ...]  # cents, or text shown as it is ("42%")
    total: bool = False
    note: bool = False


class AmountTableModel(ListTableModel[AmountLine]):
    def set_lines(self, lines: Sequence[AmountLine]) -> None:
        self._set_rows(lines)

    def clear(self) -> None:
        self._set_rows([])

    def cell_text(self, item: AmountLine, column: int) -> str:
        if column == 0:
            return item.label
        value = item.amounts[column - 1]
        return value if isinstance(value, str) else money(value)

    def cell_ink(self, item: AmountLine, column: int) -> QColor | None:
        return _MUTED if item.note else None

    def cell_alignment(self, column: int) -> int | None:
        return _LEFT if column == 0 else _RIGHT

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.FontRole:
            item = self.row_at(index.row()) if index.isValid() else None
            if item is not None and (item.total or item.note):
                font = QFont()
                font.setBold(item.total)
                if item.note:
                    font.setPointSizeF(font.pointSizeF() * 0.85)
                return font
            return None
        return super().data(index, role)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT if section == 0 else _RIGHT
        return super().headerData(section, orientation, role)


class AmountTable(QTableView):
    """A view of an `AmountTableModel` exactly as tall as its rows."""

    def __init__(
        self,
        headers: Sequence[str],
        accessible_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.amounts = AmountTableModel(headers, self)
        self.setModel(self.amounts)
        style_row_table(self, accessible_name)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        # Amounts take at least the usual width and grow for a large practice's totals
        # ($161,272.92 in bold) rather than being cut short.
        header.setMinimumSectionSize(MONEY_COLUMN_WIDTH)
        for column in range(1, len(headers)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustIgnored)
        self.amounts.modelReset.connect(self._fit_height)
        self._fit_height()

    def set_lines(self, lines: Sequence[AmountLine]) -> None:
        self.amounts.set_lines(lines)

    def texts(self) -> list[list[str]]:
        """What each row shows, cell by cell (as a screen reader reads it)."""
        model = self.amounts
        return [
            [model.cell_text(line, c) for c in range(model.columnCount())]
            for line in (model.row_at(r) for r in range(model.rowCount()))
            if line is not None
        ]

    def _fit_height(self) -> None:
        rows = max(self.amounts.rowCount(), 1)
        height = (
            self.horizontalHeader().sizeHint().height()
            + rows * self.verticalHeader().defaultSectionSize()
        )
        self.setFixedHeight(height + 2 * self.frameWidth() + 2)
