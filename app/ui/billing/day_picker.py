"""Which day a billing report is for: a date with a calendar, "Today", and (for the day's
close) arrows to the day before and after, also on Alt+Left / Alt+Right."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QWidget

from app.ui.resources import ICONS_DIR
from app.ui.widgets import button

# The theme styles line edits but not date edits; these match them.
DATE_STYLE = """
QDateEdit { background: #ffffff; border: 1px solid #c3cbd2; border-radius: 6px;
    padding: 6px 8px; min-height: 20px; }
QDateEdit:focus { border: 2px solid #1b6e8a; padding: 5px 7px; }
QDateEdit::drop-down { border: none; width: 26px; }
QDateEdit::down-arrow { image: url(@ICONS@/chevron-down.svg); width: 14px; height: 14px; }
"""


class DayPicker(QWidget):
    """`day_chosen` fires when the person picks another day (not when `set_day` is called)."""

    day_chosen = Signal(object)  # date

    def __init__(self, accessible_name: str, *, arrows: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.setStyleSheet(DATE_STYLE.replace("@ICONS@", ICONS_DIR.as_posix()))
        self._today: date | None = None
        self.date_edit = QDateEdit()
        self.date_edit.setAccessibleName(accessible_name)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("ddd MMM d, yyyy")
        self.date_edit.setMinimumWidth(150)
        self.date_edit.dateChanged.connect(self._edited)
        self.today_button = button(self.tr("Today"), self.tr("Today"))
        self.today_button.clicked.connect(self.go_today)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        if arrows:
            self.previous_button = button("‹", self.tr("Previous day"))
            self.previous_button.setToolTip(self.tr("The day before (Alt+Left)"))
            self.next_button = button("›", self.tr("Next day"))
            self.next_button.setToolTip(self.tr("The day after (Alt+Right)"))
            for nav, step in ((self.previous_button, -1), (self.next_button, 1)):
                nav.setFixedWidth(40)
                nav.clicked.connect(lambda _=False, s=step: self.step(s))
            row.addWidget(self.previous_button)
            row.addWidget(self.date_edit)
            row.addWidget(self.next_button)
        else:
            row.addWidget(self.date_edit)
        row.addWidget(self.today_button)

    @property
    def day(self) -> date:
        chosen = self.date_edit.date()
        return date(chosen.year(), chosen.month(), chosen.day())

    def set_day(self, day: date, today: date | None = None) -> None:
        """Show `day` (and remember the practice's `today`, for the Today button)."""
        if today is not None:
            self._today = today
        self.date_edit.blockSignals(True)
        self.date_edit.setDate(QDate(day.year, day.month, day.day))
        self.date_edit.blockSignals(False)

    def add_step_keys(self, host: QWidget) -> None:
        """Alt+Left / Alt+Right step a day anywhere on `host` (the report), not only here."""
        for keys, days in (("Alt+Left", -1), ("Alt+Right", 1)):
            shortcut = QShortcut(QKeySequence(keys), host)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda d=days: self.step(d))

    def step(self, days: int) -> None:
        self._choose(self.day + timedelta(days=days))

    def go_today(self) -> None:
        if self._today is not None:
            self._choose(self._today)

    def _choose(self, day: date) -> None:
        if day != self.day:
            self.set_day(day)
            self.day_chosen.emit(day)

    def _edited(self, chosen: QDate) -> None:
        self.day_chosen.emit(date(chosen.year(), chosen.month(), chosen.day()))
