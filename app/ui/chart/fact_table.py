"""The table model of a chart list (problems, allergies, medications, history,
immunizations): current rows as they are, resolved, inactive and stopped ones muted and
italic, rows entered in error grey and struck through, alerts red and bold on a wash, and
a line of details for the chosen row."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QWidget

from app.services.chart_lists_data import EnteredInError
from app.services.note_data import format_time
from app.ui.table_model import Index, ListTableModel

ERROR_INK = QColor("#8d99a4")  # entered in error: grey, struck through
PAST_INK = QColor("#56626d")  # resolved, inactive, stopped: muted, italic
ALERT_INK = QColor("#a12622")  # what must not be missed (a severe allergy)
ALERT_WASH = QColor("#fbeceb")


def _tr(text: str) -> str:
    return QCoreApplication.translate("FactTable", text)


class ChartFact(Protocol):
    """For typing only: a row of a chart list (every list service's view is one)."""

    @property
    def id(self) -> str: ...
    @property
    def in_error(self) -> bool: ...
    @property
    def entered_in_error(self) -> EnteredInError | None: ...


FactT = TypeVar("FactT", bound=ChartFact)


def error_text(mark: EnteredInError, zone: str) -> str:
    return _tr("Entered in error by {name}, {when}: {reason}").format(
        name=mark.by_name, when=format_time(mark.at, zone), reason=mark.reason
    )


def date_label(value: date | None) -> str:
    """ "Mar 14, 2024" (lists are read, not typed into)."""
    return f"{value:%b} {value.day}, {value:%Y}" if value else ""


class FactTableModel(ListTableModel[FactT]):
    """A subclass says what its cells show and which rows are current."""

    def __init__(self, headers: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(headers, parent)
        self.zone = "UTC"  # the practice's, for the times in the details

    def set_facts(self, rows: Sequence[FactT], zone: str) -> None:
        self.zone = zone
        self._set_rows(rows)

    def clear(self) -> None:
        self._set_rows([])

    # -- what a subclass may say -----------------------------------------------------------

    def is_current(self, item: FactT) -> bool:
        """False: resolved, inactive or stopped (shown muted)."""
        return True

    def is_alert(self, item: FactT) -> bool:
        """True: shown loudly (red, bold, on a red wash)."""
        return False

    def can_change(self, item: FactT) -> bool:
        """Whether the tab's status action applies to this row."""
        return not item.in_error

    def detail_parts(self, item: FactT) -> list[str]:
        """What the row's line under the table says (before an entered-in-error mark)."""
        return []

    # -- looks -----------------------------------------------------------------------------

    def details(self, item: FactT) -> str:
        parts = " · ".join(part for part in self.detail_parts(item) if part)
        if item.entered_in_error is not None:
            mark = error_text(item.entered_in_error, self.zone)
            return f"{parts}\n{mark}" if parts else mark
        return parts

    def cell_tip(self, item: FactT, column: int) -> str | None:
        return self.details(item) or None

    def cell_ink(self, item: FactT, column: int) -> QColor | None:
        if item.in_error:
            return ERROR_INK
        if not self.is_current(item):
            return PAST_INK
        return ALERT_INK if self.is_alert(item) else None

    def cell_font(self, item: FactT) -> QFont | None:
        if not (item.in_error or not self.is_current(item) or self.is_alert(item)):
            return None
        font = QFont()  # only what is set here overrides the table's font
        if item.in_error:
            font.setStrikeOut(True)
        elif not self.is_current(item):
            font.setItalic(True)
        else:
            font.setBold(True)
        return font

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role in (Qt.ItemDataRole.FontRole, Qt.ItemDataRole.BackgroundRole):
            item = self.row_at(index.row()) if index.isValid() else None
            if item is None:
                return None
            if role == Qt.ItemDataRole.FontRole:
                return self.cell_font(item)
            return ALERT_WASH if self.is_alert(item) and not item.in_error else None
        return super().data(index, role)
