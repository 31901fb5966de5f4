"""Put a patient on the waitlist: which visit, with whom, what time of day, which days, and
(if they already hold a later booking) which one a sooner slot would replace."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.models import PartOfDay
from app.services.appointments import AppointmentService
from app.services.errors import DomainError
from app.services.schedule_data import AppointmentView, WaitlistView
from app.services.schedule_rules import UPCOMING
from app.services.waitlist import WaitlistInput, WaitlistService
from app.ui.patients.fields import text_field
from app.ui.schedule.patient_field import PatientField
from app.ui.schedule.schedule_dialog import ScheduleDialog
from app.ui.schedule.schedule_fields import BookingChoices, moment_text
from app.ui.schedule.schedule_widgets import (
    CheckList,
    DayField,
    choice_combo,
    fill_combo,
    part_of_day_combo,
)
from app.ui.session import DesktopSession
from app.ui.widgets import form_layout, form_row, inline_row, text_label

DEFAULT_WINDOW_DAYS = 30


class WaitlistEntryDialog(ScheduleDialog):
    added = Signal(object)  # WaitlistView

    def __init__(
        self, session: DesktopSession, choices: BookingChoices, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            session,
            self.tr("Add to the waitlist"),
            self.tr("Add to waitlist"),
            parent,
            enter_moves_on=True,
        )
        self.setMinimumWidth(720)
        self.choices = choices
        self.patient = PatientField(session, self.tr("Patient"))
        self.type = choice_combo(self.tr("Appointment type"), 22)
        fill_combo(
            self.type,
            [(self.tr("Choose the visit type…"), None)] + [(t.name, t.id) for t in choices.types],
        )
        self.providers = CheckList(self.tr("Providers"), columns=2)
        self.part = part_of_day_combo()
        self.earliest = DayField(self.tr("Earliest day"))
        self.earliest.set_date(choices.today)
        self.latest = DayField(self.tr("Latest day"))
        self.latest.set_date(choices.today + timedelta(days=DEFAULT_WINDOW_DAYS))
        self.current = choice_combo(self.tr("Current appointment"), 22)
        self.notes = text_field(self.tr("Notes"), self.tr("Best number to call, days to avoid…"))

        providers = QWidget()
        column = QVBoxLayout(providers)
        column.setContentsMargins(0, 6, 0, 0)
        column.setSpacing(4)
        column.addWidget(self.providers)
        column.addWidget(text_label(self.tr("None ticked: anyone who offers it."), "hint"))
        day_row = inline_row(self.earliest, self.tr("to"), self.latest)
        form = form_layout()
        form_row(form, self.tr("Patient"), self.patient, self.patient.finder.box)
        form_row(form, self.tr("Visit type"), self.type)
        form_row(form, self.tr("Providers"), providers, self.type)
        form_row(form, self.tr("Time of day"), self.part)
        form_row(form, self.tr("Between"), day_row, self.earliest)
        form_row(form, self.tr("Booked now"), self.current)
        form_row(form, self.tr("Notes"), self.notes)
        self.content.addLayout(form)
        self.content.addStretch(1)

        self.type.currentIndexChanged.connect(self._type_chosen)
        self.patient.picked.connect(self._patient_picked)
        self.patient.cleared.connect(self._patient_cleared)
        self._type_chosen()
        self._patient_cleared()
        self.patient.finder.box.setFocus()

    def _type_chosen(self) -> None:
        chosen = next((t for t in self.choices.types if t.id == self.type.currentData()), None)
        self.providers.set_items(
            [
                (p.name, p.id)
                for p in self.choices.providers
                if chosen is None or chosen.offered_by(p.id)
            ],
            self.providers.checked(),
        )

    def _patient_cleared(self) -> None:
        fill_combo(self.current, [(self.tr("Nothing booked yet"), None)])

    def _patient_picked(self) -> None:
        """Their upcoming bookings: a sooner slot would replace the one chosen here."""
        self._patient_cleared()
        self.type.setFocus()
        QTimer.singleShot(0, self.adjustSize)  # the search results have gone
        if self.patient.patient_id is None:
            return
        task = self.session.run(
            AppointmentService(self.session.ctx).for_patient, self.patient.patient_id, owner=self
        )
        task.succeeded.connect(self._bookings_loaded)

    def _bookings_loaded(self, views: list[AppointmentView]) -> None:
        today = self.choices.today
        upcoming = sorted(
            (v for v in views if v.status in UPCOMING and v.wall_start.date() >= today),
            key=lambda v: v.wall_start,
        )
        fill_combo(
            self.current,
            [(self.tr("Nothing booked yet"), None)]
            + [
                (f"{moment_text(v.wall_start)} · {v.type_name} with {v.provider_name}", v.id)
                for v in upcoming
            ],
        )

    def waitlist_input(self) -> WaitlistInput:
        if self.patient.patient_id is None:
            raise DomainError(self.tr("Choose the patient: search by name, birth date or MRN."))
        if self.type.currentData() is None:
            raise DomainError(self.tr("Choose the visit type."))
        earliest = self.earliest.date_value()
        latest = self.latest.date_value()
        if earliest is None or latest is None:
            raise DomainError(self.tr("Enter the first and last days that would suit."))
        return WaitlistInput(
            patient_id=self.patient.patient_id,
            type_id=str(self.type.currentData()),
            earliest=earliest,
            latest=latest,
            provider_ids=tuple(str(p) for p in self.providers.checked()),
            part_of_day=PartOfDay(self.part.currentData()),
            current_appointment_id=self.current.currentData() or None,
            notes=self.notes.text(),
        )

    def submit(self) -> None:
        try:
            data = self.waitlist_input()
        except DomainError as error:
            self.refuse(error)
            return
        self.run(WaitlistService(self.session.ctx).add, data, done=self._added)

    def _added(self, view: WaitlistView) -> None:
        self.added.emit(view)
        self.accept()

    def done(self, result: int) -> None:
        self.patient.clear()
        self.notes.clear()
        self.current.clear()
        super().done(result)
