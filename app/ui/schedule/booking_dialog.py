"""Book a visit from the keyboard: patient (search first), type, provider, day and time,
length, room, reason; optionally a weekly series. Enter moves on, Ctrl+Enter books.

The service decides what is free. When the time runs into something, the reasons are
shown; someone who may double-book is asked, and only an explicit yes books anyway."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QWidget

from app.services.appointment_rows import ScheduleConflict
from app.services.appointments import AppointmentService
from app.services.errors import DomainError
from app.services.schedule_data import (
    AppointmentTypeView,
    AppointmentView,
    BookingInput,
    Recurrence,
)
from app.services.schedule_rules import MAX_MINUTES, MIN_MINUTES
from app.ui.patients.fields import text_field
from app.ui.schedule.conflict_prompt import confirm_double_book
from app.ui.schedule.patient_field import PatientField
from app.ui.schedule.repeat_box import RepeatBox
from app.ui.schedule.schedule_dialog import ScheduleDialog
from app.ui.schedule.schedule_fields import (
    BookingChoices,
    load_booking_choices,
    rounded_up,
    time_text,
)
from app.ui.schedule.schedule_widgets import (
    DayField,
    NumberField,
    TimeField,
    choice_combo,
    fill_combo,
    weekday_label,
)
from app.ui.session import DesktopSession
from app.ui.widgets import form_layout, form_row, inline_row, text_label


class BookingDialog(ScheduleDialog):
    booked = Signal(object)  # list[AppointmentView]

    def __init__(
        self,
        session: DesktopSession,
        *,
        wall_start: datetime | None = None,
        provider_id: str | None = None,
        patient_id: str | None = None,
        type_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            session, self.tr("Book an appointment"), self.tr("Book"), parent, enter_moves_on=True
        )
        self.setMinimumWidth(760)
        self.choices: BookingChoices | None = None
        self._wanted = (wall_start, provider_id, type_id)
        self._booking: tuple[BookingInput, Recurrence | None] | None = None

        self.patient = PatientField(session, self.tr("Patient"))
        self.type = choice_combo(self.tr("Appointment type"), 22)
        self.provider = choice_combo(self.tr("Provider"), 22)
        self.day = DayField(self.tr("Date"))
        self.weekday = weekday_label()
        self.start = TimeField(self.tr("Start time"))
        self.start.setFixedWidth(130)
        self.minutes = NumberField(self.tr("Length (minutes)"), MIN_MINUTES, MAX_MINUTES, step=5)
        self.minutes.setValue(20)
        self.ends = text_label("", "muted", wrap=False)
        self.ends.setAccessibleName(self.tr("Ends at"))
        self.room = choice_combo(self.tr("Room"), 22)
        self.reason = text_field(
            self.tr("Reason for visit"), self.tr("In the patient's words: cough for a week"), 200
        )
        self.notes = text_field(self.tr("Notes"), self.tr("For the front desk (optional)"), 1000)
        self.repeat = RepeatBox()

        at = inline_row(self.start, self.tr("for"), self.minutes, self.tr("minutes"), 8, self.ends)
        form = form_layout()
        form_row(form, self.tr("Patient"), self.patient, self.patient.finder.box)
        form_row(form, self.tr("Visit type"), self.type)
        form_row(form, self.tr("Provider"), self.provider)
        form_row(form, self.tr("Date"), inline_row(self.day, self.weekday), self.day)
        form_row(form, self.tr("Time"), at, self.start)
        form_row(form, self.tr("Room"), self.room)
        form_row(form, self.tr("Reason for visit"), self.reason)
        form_row(form, self.tr("Notes"), self.notes)
        form.addRow("", self.repeat)
        self.content.addLayout(form)
        self.content.addStretch(1)

        self.patient.picked.connect(self._patient_picked)
        self.type.currentIndexChanged.connect(self._type_chosen)
        self.day.textChanged.connect(self._when_changed)
        self.start.currentTextChanged.connect(self._when_changed)
        self.minutes.valueChanged.connect(self._when_changed)
        # The last field leads to Book (then Cancel): Enter, Enter, … ends on Book.
        self.setTabOrder(self.repeat.until, self.ok_button)
        self.setTabOrder(self.ok_button, self.cancel_button)
        if patient_id:
            self.patient.load(patient_id)
        self.ok_button.setEnabled(False)  # until the choices are in
        task = self.session.run(load_booking_choices, self.session.ctx, owner=self)
        task.succeeded.connect(self._choices_loaded)
        task.failed.connect(self.failed)

    # -- filling in ----------------------------------------------------------------------

    def _choices_loaded(self, choices: BookingChoices) -> None:
        self.choices = choices
        wall_start, provider_id, type_id = self._wanted
        self.start.set_step(choices.slot_minutes)
        fill_combo(
            self.type,
            [(self.tr("Choose the visit type…"), None)] + [(t.name, t.id) for t in choices.types],
            keep=type_id,
        )
        self._fill_providers(keep=provider_id)
        fill_combo(
            self.room,
            [(self.tr("No room yet"), None)] + [(r.name, r.id) for r in choices.rooms],
        )
        start = wall_start or rounded_up(choices.now, choices.slot_minutes)
        self.day.set_date(start.date())
        self.start.set_time(start.time())
        self._type_chosen()
        self.ok_button.setEnabled(True)
        self._focus_first_empty()

    def _focus_first_empty(self) -> None:
        if self.patient.patient_id is None:
            self.patient.finder.box.setFocus()
        elif self.type.currentData() is None:
            self.type.setFocus()
        elif self.provider.currentData() is None:
            self.provider.setFocus()
        else:
            self.reason.setFocus()

    def _patient_picked(self) -> None:
        if self.choices is not None and self.isVisible():
            self._focus_first_empty()
        QTimer.singleShot(0, self.adjustSize)  # the search results have gone

    def chosen_type(self) -> AppointmentTypeView | None:
        if self.choices is None:
            return None
        return next((t for t in self.choices.types if t.id == self.type.currentData()), None)

    def _type_chosen(self) -> None:
        chosen = self.chosen_type()
        if chosen is not None:
            self.minutes.setValue(chosen.default_minutes)
        self._fill_providers()

    def _fill_providers(self, keep: str | None = None) -> None:
        """Only providers who offer the chosen type; when one does, they are chosen."""
        if self.choices is None:
            return
        chosen = self.chosen_type()
        offering = [
            (p.name, p.id)
            for p in self.choices.providers
            if chosen is None or chosen.offered_by(p.id)
        ]
        current = keep or self.provider.currentData()
        if len(offering) == 1:
            current = offering[0][1]
        fill_combo(self.provider, [(self.tr("Choose the provider…"), None), *offering], current)

    def first_start(self) -> datetime | None:
        try:
            day = self.day.date_value()
            start = self.start.time_value()
        except DomainError:
            return None
        return datetime.combine(day, start) if day else None

    def _when_changed(self) -> None:
        first = self.first_start()
        self.weekday.setText(f"{first:%A}" if first else "")
        try:
            end = first + timedelta(minutes=self.minutes.value()) if first else None
        except DomainError:
            end = None
        self.ends.setText(self.tr("ends {time}").format(time=time_text(end)) if end else "")
        self.repeat.set_first(first)

    # -- booking -------------------------------------------------------------------------

    def booking_input(self) -> BookingInput:
        """What was typed, checked for what the person can fix at once."""
        if self.patient.patient_id is None:
            raise DomainError(self.tr("Choose the patient: search by name, birth date or MRN."))
        if self.type.currentData() is None:
            raise DomainError(self.tr("Choose the visit type."))
        if self.provider.currentData() is None:
            raise DomainError(self.tr("Choose the provider."))
        day = self.day.date_value()
        if day is None:
            raise DomainError(self.tr("Enter the day of the visit."))
        return BookingInput(
            patient_id=self.patient.patient_id,
            provider_id=str(self.provider.currentData()),
            type_id=str(self.type.currentData()),
            wall_start=datetime.combine(day, self.start.time_value()),
            minutes=self.minutes.value(),
            room_id=self.room.currentData() or None,
            reason=self.reason.text(),
            notes=self.notes.text(),
        )

    def submit(self) -> None:
        try:
            data = self.booking_input()
            recurrence = self.repeat.recurrence()
            if recurrence is not None:
                self.repeat.starts()  # the same checks the service makes, said at once
        except DomainError as error:
            self.refuse(error)
            return
        self._booking = (data, recurrence)
        self._save(double_book=False)

    def _save(self, *, double_book: bool) -> None:
        assert self._booking is not None
        data, recurrence = self._booking
        service = AppointmentService(self.session.ctx)
        if recurrence is None:
            self.run(service.book, data, double_book=double_book, done=lambda v: self._done([v]))
        else:
            self.run(
                service.book_series, data, recurrence, double_book=double_book, done=self._done
            )

    def failed(self, error: BaseException) -> None:
        super().failed(error)  # the reasons stay in the dialog's message
        if isinstance(error, ScheduleConflict) and self._booking is not None:
            # Asked outside the task's delivery: the prompt runs an event loop of its own.
            QTimer.singleShot(0, lambda: self._ask_double_book(error))

    def _ask_double_book(self, conflict: ScheduleConflict) -> None:
        if self.isVisible() and confirm_double_book(self, conflict):
            self._save(double_book=True)

    def _done(self, views: list[AppointmentView]) -> None:
        self.booked.emit(views)
        self.accept()

    def done(self, result: int) -> None:
        self.patient.clear()
        self.reason.clear()
        self.notes.clear()
        super().done(result)
