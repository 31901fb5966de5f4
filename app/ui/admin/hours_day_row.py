"""One weekday of a provider's hours: works or not, where, from when to when, and an
optional break. A day set up elsewhere with several stretches is shown as it is and kept
unchanged, unless the person chooses to edit it as one stretch."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import time

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QWidget,
)

from app.services.errors import DomainError
from app.services.schedule_data import HoursInput, HoursView
from app.ui.admin.setup_snapshot import LocationChoice
from app.ui.schedule.schedule_fields import parse_time, time_text
from app.ui.schedule.schedule_widgets import TimeField, choice_combo, fill_combo
from app.ui.widgets import button, text_label


def _tr(text: str) -> str:
    return QCoreApplication.translate("HoursEditor", text)


def weekday_names() -> tuple[str, ...]:
    return tuple(
        _tr(day)
        for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
    )


@dataclass(frozen=True)
class DayState:
    """What a row holds, as typed (so an unsaved draft can be put back exactly)."""

    works: bool = False
    location_id: str | None = None
    starts: str = ""
    ends: str = ""
    has_break: bool = False
    break_starts: str = ""
    break_ends: str = ""
    kept: tuple[HoursView, ...] = ()  # several stretches, kept as they are


def state_of(stretches: Sequence[HoursView]) -> DayState:
    if not stretches:
        return DayState()
    if len(stretches) > 1:
        return DayState(works=True, location_id=stretches[0].location_id, kept=tuple(stretches))
    only = stretches[0]
    return DayState(
        works=True,
        location_id=only.location_id,
        starts=time_text(only.starts),
        ends=time_text(only.ends),
        has_break=only.break_starts is not None,
        break_starts=time_text(only.break_starts) if only.break_starts else "",
        break_ends=time_text(only.break_ends) if only.break_ends else "",
    )


class DayRow(QObject):
    """The widgets of one weekday, placed on `grid` at `row`."""

    edited = Signal()

    def __init__(self, weekday: int, grid: QGridLayout, row: int) -> None:
        super().__init__()
        self.weekday = weekday
        self.day = weekday_names()[weekday]
        self.kept: tuple[HoursView, ...] = ()
        day = self.day
        self.works = QCheckBox(day)
        self.works.setAccessibleName(_tr("{day} works").format(day=day))
        self.location = choice_combo(_tr("{day} location").format(day=day), 14)
        self.starts = _time(_tr("{day} starts").format(day=day))
        self.ends = _time(_tr("{day} ends").format(day=day))
        self.has_break = QCheckBox(_tr("Break"))
        self.has_break.setAccessibleName(_tr("{day} break").format(day=day))
        self.break_starts = _time(_tr("{day} break starts").format(day=day))
        self.break_ends = _time(_tr("{day} break ends").format(day=day))
        self.off = text_label(_tr("Not working"), "muted", wrap=False)
        self.off.setAccessibleName(_tr("{day} not working").format(day=day))
        self.kept_label = text_label("", None)
        self.kept_label.setAccessibleName(_tr("{day} stretches").format(day=day))
        self.unkeep = button(
            _tr("Edit as one stretch"),
            _tr("Edit {day} as one stretch").format(day=day),
            variant="link",
        )
        self.unkeep.clicked.connect(self._edit_as_one)
        self.fields: list[QComboBox | QCheckBox] = [
            self.starts,
            self.ends,
            self.has_break,
            self.break_starts,
            self.break_ends,
        ]
        grid.addWidget(self.works, row, 0)
        grid.addWidget(self.location, row, 1)
        for column, widget in enumerate(self.fields, start=2):
            grid.addWidget(widget, row, column)
        grid.addWidget(self.off, row, 2, 1, 5)
        self.kept_row = QWidget()
        kept_line = QHBoxLayout(self.kept_row)
        kept_line.setContentsMargins(0, 0, 0, 0)
        kept_line.setSpacing(8)
        kept_line.addWidget(self.kept_label, 1)
        kept_line.addWidget(self.unkeep)
        grid.addWidget(self.kept_row, row, 2, 1, 5)
        self.works.toggled.connect(self._works_toggled)
        self.has_break.toggled.connect(self._break_toggled)
        self.location.currentIndexChanged.connect(lambda _i: self.edited.emit())
        for field in (self.starts, self.ends, self.break_starts, self.break_ends):
            field.currentTextChanged.connect(lambda _t: self.edited.emit())
        self._show_parts()

    def focus_chain(self) -> list[QWidget]:
        """The row's widgets in the order Tab should visit them."""
        return [self.works, self.location, *self.fields, self.unkeep]

    # -- contents ------------------------------------------------------------------------

    def set_locations(self, locations: Sequence[LocationChoice]) -> None:
        fill_combo(self.location, [(choice.label, choice.id) for choice in locations])
        self._show_parts()

    def set_state(self, state: DayState) -> None:
        for widget in (self.works, self.has_break, self.location, *self.fields):
            widget.blockSignals(True)
        self.kept = state.kept
        self.works.setChecked(state.works)
        if state.location_id is not None and self.location.findData(state.location_id) >= 0:
            self.location.setCurrentIndex(self.location.findData(state.location_id))
        self.starts.setCurrentText(state.starts)
        self.ends.setCurrentText(state.ends)
        self.has_break.setChecked(state.has_break)
        self.break_starts.setCurrentText(state.break_starts)
        self.break_ends.setCurrentText(state.break_ends)
        self.kept_label.setText(_kept_text(state.kept))
        for widget in (self.works, self.has_break, self.location, *self.fields):
            widget.blockSignals(False)
        self._show_parts()

    def state(self) -> DayState:
        return DayState(
            works=self.works.isChecked(),
            location_id=self.location.currentData(),
            starts=self.starts.currentText().strip(),
            ends=self.ends.currentText().strip(),
            has_break=self.has_break.isChecked(),
            break_starts=self.break_starts.currentText().strip(),
            break_ends=self.break_ends.currentText().strip(),
            kept=self.kept,
        )

    def inputs(self, provider_id: str) -> list[HoursInput]:
        """The day as the service takes it; DomainError names the day and what is wrong."""
        if not self.works.isChecked():
            return []
        if self.kept:
            return _plain(self.kept)
        location = self.location.currentData()
        if location is None:
            raise DomainError(_tr("Choose where {day}'s hours are worked.").format(day=self.day))
        starts = self._time(self.starts, _tr("when {day} starts"))
        ends = self._time(self.ends, _tr("when {day} ends"))
        break_starts = break_ends = None
        if self.has_break.isChecked():
            break_starts = self._time(self.break_starts, _tr("when the {day} break starts"))
            break_ends = self._time(self.break_ends, _tr("when the {day} break ends"))
        return [
            HoursInput(provider_id, location, self.weekday, starts, ends, break_starts, break_ends)
        ]

    def _time(self, field: TimeField, what: str) -> time:
        text = field.currentText().strip()
        if not text:
            raise DomainError(_tr("Enter {what}.").format(what=what.format(day=self.day)))
        return parse_time(text)

    # -- showing the right parts ---------------------------------------------------------

    def _works_toggled(self, works: bool) -> None:
        if works and not self.starts.currentText().strip() and not self.kept:
            self.set_state(replace(self.state(), works=True, starts="8:00 AM", ends="5:00 PM"))
        self._show_parts()
        self.edited.emit()

    def _break_toggled(self, has_break: bool) -> None:
        if has_break and not self.break_starts.currentText().strip():
            for field, text in ((self.break_starts, "12:00 PM"), (self.break_ends, "1:00 PM")):
                field.blockSignals(True)
                field.setCurrentText(text)
                field.blockSignals(False)
        self._show_parts()
        self.edited.emit()

    def _edit_as_one(self) -> None:
        """From the first start to the last end, no break: the person shapes it from there."""
        first, last = self.kept[0], self.kept[-1]
        self.set_state(
            DayState(
                works=True,
                location_id=first.location_id,
                starts=time_text(first.starts),
                ends=time_text(last.ends),
            )
        )
        self.edited.emit()
        self.starts.setFocus()

    def _show_parts(self) -> None:
        works = self.works.isChecked()
        kept = works and bool(self.kept)
        editing = works and not kept
        # One location (the usual practice): nothing to choose, so the column is not shown.
        self.location.setVisible(works and self.location.count() > 1)
        self.location.setEnabled(editing)
        for field in self.fields:
            field.setVisible(editing)
        for field in (self.break_starts, self.break_ends):
            field.setVisible(editing and self.has_break.isChecked())
        self.off.setVisible(not works)
        self.kept_row.setVisible(kept)


def _time(accessible_name: str) -> TimeField:
    field = TimeField(accessible_name)
    field.setFixedWidth(118)
    line = field.lineEdit()
    assert line is not None
    line.setPlaceholderText("")
    return field


def _plain(stretches: Sequence[HoursView]) -> list[HoursInput]:
    return [
        HoursInput(
            k.provider_id, k.location_id, k.weekday, k.starts, k.ends, k.break_starts, k.break_ends
        )
        for k in stretches
    ]


def _kept_text(stretches: Sequence[HoursView]) -> str:
    spans = [f"{time_text(s.starts)} – {time_text(s.ends)}" for s in stretches]
    return _tr("{spans} (several stretches, kept as they are)").format(spans=", ".join(spans))


def make_header(grid: QGridLayout) -> list[QLabel]:
    titles = (
        _tr("Day"),
        _tr("Location"),
        _tr("Starts"),
        _tr("Ends"),
        "",
        _tr("Break starts"),
        _tr("Break ends"),
    )
    labels = []
    for column, title in enumerate(titles):
        label = text_label(title, "hint", wrap=False)
        grid.addWidget(label, 0, column)
        labels.append(label)
    return labels
