"""Small widgets the schedule dialogs share: choice lists, numbers, days and times typed or
stepped from the keyboard, check lists, and read-only result tables."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QIntValidator, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from app.models import PartOfDay
from app.services.errors import DomainError
from app.ui.patients.fields import DateField, compact
from app.ui.schedule.schedule_fields import parse_time, part_of_day_label, time_text
from app.ui.tables import style_row_table
from app.ui.widgets import text_label

FIRST_LISTED_HOUR = 7  # the start-time list runs from 7:00 AM ...
LAST_LISTED_HOUR = 20  # ... to 7:45 PM; any other time can still be typed
T = TypeVar("T")
_DAY_STEPS = {Qt.Key.Key_Up: 1, Qt.Key.Key_Down: -1, Qt.Key.Key_PageUp: 7, Qt.Key.Key_PageDown: -7}


def _tr(text: str) -> str:
    return QCoreApplication.translate("ScheduleWidgets", text)


def choice_combo(accessible_name: str, characters: int = 16) -> QComboBox:
    combo = compact(QComboBox(), characters)
    combo.setAccessibleName(accessible_name)
    return combo


def fill_combo(
    combo: QComboBox, items: Sequence[tuple[str, object]], keep: object | None = None
) -> None:
    """Replace the choices, keeping `keep` (or the current choice) selected if it is still
    offered; otherwise the first choice."""
    wanted = keep if keep is not None else combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    for text, value in items:
        combo.addItem(text, value)
    index = combo.findData(wanted) if wanted is not None else -1
    combo.setCurrentIndex(max(0, index))
    combo.blockSignals(False)


class NumberField(QLineEdit):
    """A whole number: typed, or stepped with ↑/↓. (The theme draws line edits well; spin
    boxes' tiny arrow buttons are hard to aim at and the keys do the same.)"""

    valueChanged = Signal(int)

    def __init__(
        self, accessible_name: str, low: int, high: int, *, step: int = 1, width: int = 64
    ) -> None:
        super().__init__()
        self.setAccessibleName(accessible_name)
        self.low, self.high, self.step = low, high, step
        self._what = accessible_name.lower()
        self.setValidator(QIntValidator(0, high, self))
        self.setMaxLength(len(str(high)))
        self.setFixedWidth(width)
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.textChanged.connect(self._changed)

    def value(self) -> int:
        """The number, if it is within range; otherwise DomainError saying what is allowed."""
        text = self.text().strip()
        if not text.isdigit() or not self.low <= int(text) <= self.high:
            raise DomainError(
                _tr("Enter a number from {low} to {high} for {what}.").format(
                    low=self.low, high=self.high, what=self._what
                )
            )
        return int(text)

    def setValue(self, value: int) -> None:
        self.setText(str(max(self.low, min(self.high, value))))

    def _changed(self, text: str) -> None:
        if text.isdigit() and self.low <= int(text) <= self.high:
            self.valueChanged.emit(int(text))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        step = {Qt.Key.Key_Up: self.step, Qt.Key.Key_Down: -self.step}.get(Qt.Key(event.key()))
        if step is None:
            super().keyPressEvent(event)
            return
        current = int(self.text()) if self.text().isdigit() else self.low
        self.setValue(current + step)
        self.selectAll()


def part_of_day_combo() -> QComboBox:
    combo = choice_combo(_tr("Part of day"))
    for part in (PartOfDay.ANY, PartOfDay.MORNING, PartOfDay.AFTERNOON, PartOfDay.EVENING):
        combo.addItem(part_of_day_label(part), part.value)
    return combo


class DayField(DateField):
    """A date typed as the desk types it (3/14/2026), or stepped from the keyboard:
    ↑/↓ a day, Page Up/Page Down a week."""

    def __init__(self, accessible_name: str) -> None:
        super().__init__(accessible_name)
        self.setFixedWidth(130)
        self.setToolTip(_tr("↑/↓ a day · Page Up/Down a week"))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        step = _DAY_STEPS.get(Qt.Key(event.key()))
        if step is None:
            super().keyPressEvent(event)
            return
        try:
            current = self.date_value()
        except DomainError:
            current = None
        if current is not None:
            self.set_date(current + timedelta(days=step))

    def weekday(self) -> str:
        """The typed date's weekday ("Tuesday"), or "" while it is not a whole date."""
        try:
            day = self.date_value()
        except DomainError:
            day = None
        return f"{day:%A}" if day else ""


def weekday_label() -> QLabel:
    """Shown beside a typed date, so a slipped digit shows as the wrong day."""
    label = text_label("", "muted", wrap=False)
    label.setAccessibleName(_tr("Day of the week"))
    return label


class TimeField(QComboBox):
    """A start time: pick from the list (the practice's slot steps) or type any minute."""

    def __init__(self, accessible_name: str, step_minutes: int = 15) -> None:
        super().__init__()
        compact(self, 9)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setAccessibleName(accessible_name)
        line = self.lineEdit()
        assert line is not None
        line.setAccessibleName(accessible_name)
        line.setPlaceholderText(_tr("9:15 AM"))
        line.setMaxLength(12)
        self.setMaxVisibleItems(12)
        self.set_step(step_minutes)

    def set_step(self, minutes: int) -> None:
        current = self.currentText()
        self.blockSignals(True)
        self.clear()
        moment = datetime.combine(date.today(), time(FIRST_LISTED_HOUR))
        end = datetime.combine(date.today(), time(LAST_LISTED_HOUR))
        while moment < end:
            self.addItem(time_text(moment))
            moment += timedelta(minutes=max(5, minutes))
        self.setCurrentText(current)
        self.blockSignals(False)

    def time_value(self) -> time:
        if not self.currentText().strip():
            raise DomainError(_tr("Enter the start time."))
        return parse_time(self.currentText())

    def set_time(self, value: time) -> None:
        text = time_text(value)
        index = self.findText(text)
        if index >= 0:
            self.setCurrentIndex(index)
        else:
            self.setCurrentText(text)


class CheckList(QWidget):
    """A few named choices as check boxes in a grid (providers, weekdays)."""

    changed = Signal()

    def __init__(self, accessible_name: str, columns: int = 2) -> None:
        super().__init__()
        self.setAccessibleName(accessible_name)
        self.columns = columns
        self.boxes: list[tuple[QCheckBox, object]] = []
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 2, 0, 2)
        self.grid.setHorizontalSpacing(18)
        self.grid.setVerticalSpacing(8)

    def set_items(
        self, items: Sequence[tuple[str, object]], checked: Sequence[object] = ()
    ) -> None:
        for box, _value in self.boxes:
            self.grid.removeWidget(box)
            box.hide()
            box.setParent(None)  # gone from the list now, not at the next event loop
            box.deleteLater()
        self.boxes = []
        for position, (text, value) in enumerate(items):
            box = QCheckBox(text)
            box.setAccessibleName(text)
            box.setChecked(value in checked)
            box.toggled.connect(lambda _on: self.changed.emit())
            self.grid.addWidget(box, position // self.columns, position % self.columns)
            box.show()  # at once (the layout would only show it at the next event loop)
            self.boxes.append((box, value))

    def checked(self) -> list[object]:
        return [value for box, value in self.boxes if box.isChecked()]

    def set_checked(self, values: Sequence[object]) -> None:
        for box, value in self.boxes:
            box.blockSignals(True)
            box.setChecked(value in values)
            box.blockSignals(False)
        self.changed.emit()


class _RowDelegate(QStyledItemDelegate):
    """No dotted focus frame around one cell: the whole row is what is chosen."""

    def initStyleOption(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        option.state &= ~QStyle.StateFlag.State_HasFocus


def results_table(
    accessible_name: str, headers: Sequence[str], stretch_column: int = 0
) -> QTableWidget:
    """A read-only list of whole rows, in the look every table of the app shares;
    `stretch_column` takes the room left over."""
    table = QTableWidget(0, len(headers))
    table.setItemDelegate(_RowDelegate(table))
    table.setHorizontalHeaderLabels(list(headers))
    style_row_table(table, accessible_name, stretch_column)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return table


def set_rows(table: QTableWidget, rows: Sequence[tuple[Sequence[str], object]]) -> None:
    """Replace the rows; each row's value rides on its first cell (UserRole)."""
    table.clearSelection()
    table.setRowCount(len(rows))
    for row, (texts, value) in enumerate(rows):
        for column, text in enumerate(texts):
            item = QTableWidgetItem(text)
            item.setToolTip(text)  # a cut-off note can still be read
            if column == 0:
                item.setData(Qt.ItemDataRole.UserRole, value)
            table.setItem(row, column, item)
    if rows:
        table.selectRow(0)


def selected_value(table: QTableWidget) -> object | None:
    rows = table.selectionModel().selectedRows()
    if not rows:
        return None
    item = table.item(rows[0].row(), 0)
    return item.data(Qt.ItemDataRole.UserRole) if item is not None else None


def selected_row(table: QTableWidget, kind: type[T]) -> T | None:
    """The chosen row's value, if a row of `kind` is chosen."""
    value = selected_value(table)
    return value if isinstance(value, kind) else None
