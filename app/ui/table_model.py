"""The Qt model plumbing every read-only table shares, so each model only says what its
cells show.

`TableModel`: fixed columns and their translated headers. `ListTableModel`: rows from a
list of frozen views; a subclass answers `cell_text` (and, where it needs them,
`cell_tip`, `cell_ink`, `cell_alignment`), and the row's view rides on `ROW_ROLE`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Generic, Protocol, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

Index = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole  # the row's view
_ROOT = QModelIndex()
_TEXT_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole)


class TableModel(QAbstractTableModel):
    """Fixed columns: the column count and the headers. Headers are written in English and
    translated in `TR_CONTEXT` (the class name when empty)."""

    TR_CONTEXT = ""

    def __init__(self, headers: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.headers = tuple(headers)

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            context = self.TR_CONTEXT or type(self).__name__
            return QCoreApplication.translate(context, self.headers[section])
        return None


class HasId(Protocol):
    @property
    def id(self) -> str: ...


RowT = TypeVar("RowT", bound=HasId)


class ListTableModel(TableModel, Generic[RowT]):
    """A table over a list of views, one row each, replaced whole by `_set_rows`."""

    def __init__(self, headers: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(headers, parent)
        self._rows: list[RowT] = []

    def _set_rows(self, rows: Iterable[RowT]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> RowT | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, row_id: str) -> int | None:
        return next((row for row, item in enumerate(self._rows) if item.id == row_id), None)

    # -- what a subclass says about its cells ------------------------------------------------

    def cell_text(self, item: RowT, column: int) -> str:
        raise NotImplementedError

    def cell_tip(self, item: RowT, column: int) -> str | None:
        return None

    def cell_ink(self, item: RowT, column: int) -> QColor | None:
        """The text colour (None: the theme's)."""
        return None

    def cell_alignment(self, column: int) -> int | None:
        return None

    # -- Qt model API --------------------------------------------------------------------

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self.row_at(index.row()) if index.isValid() else None
        if item is None:
            return None
        column = index.column()
        if role in _TEXT_ROLES:
            return self.cell_text(item, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.cell_tip(item, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.cell_ink(item, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.cell_alignment(column)
        if role == ROW_ROLE:
            return item
        return None
