"""The small dialogs of the Scheduling set-up: a room's name, and a holiday (a day the whole
practice is closed). Enter saves, Esc closes; a refusal stays in the dialog."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from app.services.errors import DomainError
from app.services.schedule_data import RoomView
from app.services.schedule_setup import ScheduleSetupService
from app.ui.patients.fields import text_field
from app.ui.schedule.schedule_dialog import ScheduleDialog
from app.ui.schedule.schedule_widgets import DayField, weekday_label
from app.ui.session import DesktopSession
from app.ui.widgets import form_layout, form_row, inline_row, text_label


class RoomDialog(ScheduleDialog):
    saved = Signal(object)  # RoomView

    def __init__(
        self, session: DesktopSession, room: RoomView | None = None, parent: QWidget | None = None
    ) -> None:
        title = self.tr("Rename room") if room else self.tr("Add a room")
        ok = self.tr("Save room") if room else self.tr("Add room")
        super().__init__(session, title, ok, parent)
        self.setMinimumWidth(420)
        self.room = room
        self.name = text_field(self.tr("Room name"), self.tr("e.g. Exam 4"), 100)
        if room is not None:
            self.name.setText(room.name)
            self.name.selectAll()
        form = form_layout()
        form_row(form, self.tr("&Name"), self.name)
        self.content.addLayout(form)
        self.name.setFocus()

    def submit(self) -> None:
        service = ScheduleSetupService(self.session.ctx)
        if self.room is None:
            self.run(service.save_room, self.name.text(), done=self._done)
        else:
            self.run(
                service.save_room,
                self.name.text(),
                self.room.location_id,
                self.room.id,
                done=self._done,
            )

    def _done(self, room: RoomView) -> None:
        self.saved.emit(room)
        self.accept()


class HolidayDialog(ScheduleDialog):
    saved = Signal(object)  # BlockView

    def __init__(
        self, session: DesktopSession, suggested: date, parent: QWidget | None = None
    ) -> None:
        super().__init__(session, self.tr("Add a holiday"), self.tr("Add holiday"), parent)
        self.setMinimumWidth(460)
        self.day = DayField(self.tr("Date"))
        self.day.set_date(suggested)
        self.weekday = weekday_label()
        self.day.textChanged.connect(self._show_weekday)
        self.name = text_field(self.tr("Holiday name"), self.tr("e.g. Independence Day"), 200)
        form = form_layout()
        form_row(form, self.tr("&Date"), inline_row(self.day, self.weekday), self.day)
        form_row(form, self.tr("&Name"), self.name)
        self.content.addLayout(form)
        self.content.addWidget(
            text_label(
                self.tr(
                    "The whole practice is closed that day: nobody can be booked. Visits "
                    "already booked stay; move them first."
                ),
                "hint",
            )
        )
        self._show_weekday()
        self.day.selectAll()
        self.day.setFocus()

    def _show_weekday(self) -> None:
        self.weekday.setText(self.day.weekday())

    def submit(self) -> None:
        try:
            day = self.day.date_value()
            if day is None:
                raise DomainError(self.tr("Enter the date of the holiday."))
        except DomainError as error:
            self.refuse(error)
            return
        service = ScheduleSetupService(self.session.ctx)
        self.run(service.add_holiday, day, self.name.text(), done=self._done)

    def _done(self, block: object) -> None:
        self.saved.emit(block)
        self.accept()
