"""“Repeats”: every N weeks on some weekdays, ending on a date or after N visits, with a
live line saying how many visits that makes and when the last one is. The line is worked
out here with the same pure rule the service books with, so what it says is what is booked."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.services.errors import DomainError
from app.services.schedule_data import Recurrence
from app.services.schedule_rules import MAX_OCCURRENCES, occurrences, recurrence_rule
from app.ui.schedule.schedule_fields import day_text
from app.ui.schedule.schedule_widgets import CheckList, DayField, NumberField
from app.ui.widgets import text_label

WEEKDAY_SHORT = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DEFAULT_VISITS = 6


class RepeatBox(QWidget):
    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.first: datetime | None = None
        self._weekdays_chosen = False  # once the person ticks days, the date stops choosing
        self.repeats = QCheckBox(self.tr("Repeats"))
        self.repeats.setAccessibleName(self.tr("Repeats"))
        self.repeats.toggled.connect(self._toggled)

        self.interval = NumberField(self.tr("Every N weeks"), 1, 52, width=52)
        self.interval.setValue(1)
        self.weekdays = CheckList(self.tr("On weekdays"), columns=7)
        self.weekdays.set_items([(self.tr(name), day) for day, name in enumerate(WEEKDAY_SHORT)])
        for box, _day in self.weekdays.boxes:
            box.clicked.connect(self._weekday_clicked)

        self.end_on_date = QRadioButton(self.tr("On"))
        self.end_on_date.setAccessibleName(self.tr("End on a date"))
        self.end_after = QRadioButton(self.tr("After"))
        self.end_after.setAccessibleName(self.tr("End after a number of visits"))
        ends = QButtonGroup(self)
        ends.addButton(self.end_on_date)
        ends.addButton(self.end_after)
        self.end_after.setChecked(True)
        self.until = DayField(self.tr("Ends on"))
        self.count = NumberField(self.tr("After N visits"), 2, MAX_OCCURRENCES, width=60)
        self.count.setValue(DEFAULT_VISITS)
        self.summary = text_label("", "hint")
        self.summary.setAccessibleName(self.tr("Series summary"))

        self.interval.textChanged.connect(self._update)
        self.weekdays.changed.connect(self._update)
        self.until.textEdited.connect(lambda _text: self.end_on_date.setChecked(True))
        self.count.textEdited.connect(lambda _text: self.end_after.setChecked(True))
        self.until.textChanged.connect(self._update)
        self.count.textChanged.connect(self._update)
        self.end_on_date.toggled.connect(self._update)

        self.details = QWidget()
        grid = QGridLayout(self.details)
        grid.setContentsMargins(26, 4, 0, 0)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(10)
        every = QHBoxLayout()
        every.setSpacing(8)
        every.addWidget(self.interval)
        every.addWidget(QLabel(self.tr("week(s)")))
        every.addStretch(1)
        grid.addWidget(_caption(self.tr("Every"), self.interval), 0, 0)
        grid.addLayout(every, 0, 1, 1, 4)
        grid.addWidget(_caption(self.tr("On"), self.weekdays), 1, 0)
        grid.addWidget(self.weekdays, 1, 1, 1, 4)
        grid.addWidget(QLabel(self.tr("Ends")), 2, 0)
        ending = QHBoxLayout()
        ending.setSpacing(8)
        ending.addWidget(self.end_after)
        ending.addWidget(self.count)
        ending.addWidget(QLabel(self.tr("visits")))
        ending.addSpacing(24)
        ending.addWidget(self.end_on_date)
        ending.addWidget(self.until)
        ending.addStretch(1)
        grid.addLayout(ending, 2, 1, 1, 4)
        grid.addWidget(self.summary, 3, 1, 1, 4)
        grid.setColumnStretch(4, 1)
        self.details.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.repeats)
        layout.addWidget(self.details)

    def set_first(self, first: datetime | None) -> None:
        """The first visit's wall start (None while the date or time is not valid)."""
        self.first = first
        if first is not None and not self._weekdays_chosen:
            self.weekdays.set_checked([first.weekday()])
        self._update()

    def recurrence(self) -> Recurrence | None:
        """What was chosen (None: a single visit). Raises DomainError with what to fix."""
        if not self.repeats.isChecked():
            return None
        if self.end_on_date.isChecked():
            until = self.until.date_value()
            if until is None:
                raise DomainError(self.tr("Enter the day the series ends."))
            return Recurrence(self.interval.value(), self._days(), until=until)
        return Recurrence(self.interval.value(), self._days(), count=self.count.value())

    def starts(self) -> list[datetime]:
        """Every visit the series would book, worked out with the service's own rule."""
        recurrence = self.recurrence()
        if recurrence is None or self.first is None:
            return []
        return occurrences(recurrence_rule(recurrence, self.first), self.first)

    def _days(self) -> tuple[int, ...]:
        return tuple(day for day in self.weekdays.checked() if isinstance(day, int))

    def _weekday_clicked(self) -> None:
        self._weekdays_chosen = True

    def _toggled(self, on: bool) -> None:
        self.details.setVisible(on)
        self._update()

    def _update(self) -> None:
        self.summary.setProperty("role", "hint")
        if not self.repeats.isChecked():
            self.summary.clear()
        elif self.first is None:
            self.summary.setText(self.tr("Choose the first visit's date and time."))
        else:
            try:
                starts = self.starts()
            except DomainError as error:
                self.summary.setProperty("role", "field-error")
                self.summary.setText(str(error))
            else:
                self.summary.setText(summary_text(starts))
        self.summary.style().unpolish(self.summary)
        self.summary.style().polish(self.summary)
        self.changed.emit()

    def set_until(self, value: date) -> None:
        self.until.set_date(value)
        self.end_on_date.setChecked(True)


def summary_text(starts: list[datetime]) -> str:
    """8 visits, last on Tue Mar 31."""
    if not starts:
        return ""
    return QCoreApplication.translate("RepeatBox", "{n} visits, last on {day}").format(
        n=len(starts), day=day_text(starts[-1].date())
    )


def _caption(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label
