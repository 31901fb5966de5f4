"""Widgets the reminder screens share: read-only lists, and the switch between the log,
the templates and the gateways."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel, Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QPushButton, QTableView, QWidget

from app.ui.tables import style_row_table
from app.ui.widgets import button

# The theme has no "checked" push button; the section switch is a segmented control
# (drawn as the schedule's view switch is).
_SEGMENT_STYLE = """
QPushButton[segment] { border-radius: 0; padding: 7px 16px; }
QPushButton[segment]:focus { padding: 6px 15px; }
QPushButton[segment="first"] { border-top-left-radius: 6px; border-bottom-left-radius: 6px; }
QPushButton[segment="last"] { border-top-right-radius: 6px; border-bottom-right-radius: 6px; }
QPushButton[segment="only"] { border-radius: 6px; }
QPushButton[segment]:checked { background: #e2eff3; color: #155a71; border-color: #8fbccb; }
"""


def list_table(model: QAbstractItemModel, accessible_name: str, stretch: int) -> QTableView:
    """A read-only, row-selecting table in the app's list style; column `stretch` fills."""
    table = QTableView()
    table.setModel(model)
    style_row_table(table, accessible_name, stretch)
    table.horizontalHeader().setMinimumSectionSize(70)
    return table


class SegmentBar(QWidget):
    """Exclusive buttons side by side; `chosen(index)` when one is picked."""

    chosen = Signal(int)

    def __init__(self, labels: Sequence[tuple[str, str]]) -> None:
        """`labels`: (text with an &mnemonic, accessible name) for each segment."""
        super().__init__()
        self.setStyleSheet(_SEGMENT_STYLE)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: list[QPushButton] = []
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        last = len(labels) - 1
        for index, (text, name) in enumerate(labels):
            segment = button(text, name)
            segment.setCheckable(True)
            place = (
                "only"
                if last == 0
                else "first"
                if index == 0
                else "last"
                if index == last
                else "middle"
            )
            segment.setProperty("segment", place)
            segment.clicked.connect(lambda _=False, i=index: self.choose(i))
            self.group.addButton(segment, index)
            self.buttons.append(segment)
            row.addWidget(segment)
        row.addStretch(1)
        if self.buttons:
            self.buttons[0].setChecked(True)

    def choose(self, index: int) -> None:
        if 0 <= index < len(self.buttons):
            self.buttons[index].setChecked(True)
            self.chosen.emit(index)
