"""Find the next free times for a visit type (and providers, part of day, dates) and book
one: Book opens the booking dialog with the time, provider, type and patient filled in."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from app.models import PartOfDay
from app.services.availability import AvailabilityService
from app.services.errors import DomainError
from app.services.patients import PatientService
from app.services.schedule_data import Slot, SlotSearch
from app.ui.schedule.booking_dialog import BookingDialog
from app.ui.schedule.schedule_dialog import ScheduleDialog
from app.ui.schedule.schedule_fields import (
    BookingChoices,
    day_text,
    load_booking_choices,
    time_text,
)
from app.ui.schedule.schedule_widgets import (
    CheckList,
    DayField,
    choice_combo,
    fill_combo,
    part_of_day_combo,
    results_table,
    selected_row,
    set_rows,
)
from app.ui.session import DesktopSession
from app.ui.widgets import button, form_layout, form_row, text_label

PAGE = 12  # slots asked for at a time; "More times" asks for the next page too
MAX_SLOTS = 48
SEARCH_PAUSE_MS = 300


class FindSlotDialog(ScheduleDialog):
    booked = Signal(object)  # list[AppointmentView]

    def __init__(
        self,
        session: DesktopSession,
        *,
        patient_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(session, self.tr("Find the next available time"), self.tr("Book"), parent)
        self.resize(900, 560)
        self.patient_id = patient_id
        self.choices: BookingChoices | None = None
        self.limit = PAGE
        self._asked = 0  # only the newest search's answer is shown
        self.ok_button.setToolTip(self.tr("Book the chosen time (Enter)"))

        self.for_patient = text_label("", "muted")
        self.for_patient.setAccessibleName(self.tr("Booking for"))
        self.for_patient.hide()
        self.type = choice_combo(self.tr("Appointment type"), 18)
        self.providers = CheckList(self.tr("Providers"), columns=1)
        self.providers_hint = text_label(self.tr("None ticked: anyone who offers it."), "hint")
        self.part = part_of_day_combo()
        self.first = DayField(self.tr("From"))
        self.last = DayField(self.tr("To"))
        self.last.setPlaceholderText(self.tr("90 days on"))
        self.results = results_table(
            self.tr("Available slots"),
            [self.tr("Day"), self.tr("Time"), self.tr("Provider")],
            stretch_column=2,
        )
        self.results.doubleClicked.connect(lambda _index: self.submit())
        self.results.itemSelectionChanged.connect(self._slot_chosen)
        self.status = text_label("", "hint")
        self.status.setAccessibleName(self.tr("Search status"))
        self.more_button = button(self.tr("More times"), self.tr("More times"), variant="link")
        self.more_button.clicked.connect(self.more)

        criteria = QWidget()
        criteria.setFixedWidth(330)
        form = form_layout()
        form.setContentsMargins(0, 0, 0, 0)
        criteria.setLayout(form)
        form_row(form, self.tr("Visit type"), self.type)
        providers = QWidget()
        column = QVBoxLayout(providers)
        column.setContentsMargins(0, 6, 0, 0)
        column.setSpacing(4)
        column.addWidget(self.providers)
        column.addWidget(self.providers_hint)
        form_row(form, self.tr("Providers"), providers, self.type)
        form_row(form, self.tr("Time of day"), self.part)
        form_row(form, self.tr("From"), self.first)
        form_row(form, self.tr("To"), self.last)
        found = QVBoxLayout()
        found.setSpacing(8)
        found.addWidget(self.results, 1)
        status_row = QHBoxLayout()
        status_row.addWidget(self.status, 1)
        status_row.addWidget(self.more_button)
        found.addLayout(status_row)
        row = QHBoxLayout()
        row.setSpacing(20)
        row.addWidget(criteria)
        row.addLayout(found, 1)
        self.content.addWidget(self.for_patient)
        self.content.addLayout(row, 1)

        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(SEARCH_PAUSE_MS)
        self._pause.timeout.connect(self.search)
        self.type.currentIndexChanged.connect(self._type_chosen)
        self.providers.changed.connect(self._criteria_changed)
        self.part.currentIndexChanged.connect(self._criteria_changed)
        self.first.textChanged.connect(self._criteria_changed)
        self.last.textChanged.connect(self._criteria_changed)
        self.allow(self.ok_button, False)
        self.more_button.hide()
        self.status.setText(self.tr("Choose the visit type to see free times."))
        if patient_id:
            task = self.session.run(PatientService(session.ctx).get, patient_id, owner=self)
            task.succeeded.connect(lambda record: self._show_patient(record.display_name))
        task = self.session.run(load_booking_choices, session.ctx, owner=self)
        task.succeeded.connect(self._choices_loaded)
        task.failed.connect(self.failed)

    def _show_patient(self, name: str) -> None:
        self.for_patient.setText(self.tr("For {name}").format(name=name))
        self.for_patient.show()

    def _choices_loaded(self, choices: BookingChoices) -> None:
        self.choices = choices
        fill_combo(
            self.type,
            [(self.tr("Choose the visit type…"), None)] + [(t.name, t.id) for t in choices.types],
        )
        self.first.set_date(choices.today)
        self._type_chosen()
        self.type.setFocus()

    def _type_chosen(self) -> None:
        """Offer only the providers who see this type."""
        if self.choices is None:
            return
        chosen = next((t for t in self.choices.types if t.id == self.type.currentData()), None)
        ticked = self.providers.checked()
        self.providers.set_items(
            [
                (p.name, p.id)
                for p in self.choices.providers
                if chosen is None or chosen.offered_by(p.id)
            ],
            ticked,
        )
        self._criteria_changed()

    def _criteria_changed(self) -> None:
        self.limit = PAGE
        self._pause.start()

    # -- searching -----------------------------------------------------------------------

    def slot_search(self) -> SlotSearch | None:
        """The search as chosen (None until a type is chosen); DomainError on a bad date."""
        type_id = self.type.currentData()
        if type_id is None:
            return None
        return SlotSearch(
            type_id=str(type_id),
            provider_ids=tuple(str(p) for p in self.providers.checked()),
            part_of_day=PartOfDay(self.part.currentData()),
            first_day=self.first.date_value(),
            last_day=self.last.date_value(),
            limit=self.limit,
        )

    def search(self) -> None:
        self._pause.stop()
        try:
            search = self.slot_search()
        except DomainError as error:
            self.status.setText(str(error))
            return
        if search is None:
            return
        self._asked += 1
        asked = self._asked
        self.status.setText(self.tr("Looking…"))
        task = self.session.run(
            AvailabilityService(self.session.ctx).find_next_available, search, owner=self
        )
        task.succeeded.connect(lambda slots: self._found(asked, slots))
        task.failed.connect(lambda error: self._search_failed(asked, error))

    def more(self) -> None:
        self.limit = min(MAX_SLOTS, self.limit + PAGE)
        self.search()

    def _found(self, asked: int, slots: list[Slot]) -> None:
        if asked != self._asked:
            return
        set_rows(
            self.results,
            [
                ((day_text(s.wall_start.date()), time_text(s.wall_start), s.provider_name), s)
                for s in slots
            ],
        )
        if slots:
            self.status.setText(
                self.tr("{n} free times · double-click or Enter to book").format(n=len(slots))
            )
        else:
            self.status.setText(self.tr("No free time fits. Widen the dates or the providers."))
        self.more_button.setVisible(len(slots) >= self.limit and self.limit < MAX_SLOTS)
        self._slot_chosen()

    def _search_failed(self, asked: int, error: BaseException) -> None:
        if asked == self._asked:
            set_rows(self.results, [])
            self.failed(error)
            self.status.setText("")

    def chosen_slot(self) -> Slot | None:
        return selected_row(self.results, Slot)

    def _slot_chosen(self) -> None:
        self.allow(self.ok_button, self.chosen_slot() is not None)

    # -- booking -------------------------------------------------------------------------

    def submit(self) -> None:
        slot = self.chosen_slot()
        if slot is None:
            return
        dialog = BookingDialog(
            self.session,
            wall_start=slot.wall_start,
            provider_id=slot.provider_id,
            patient_id=self.patient_id,
            type_id=str(self.type.currentData()),
            parent=self,
        )
        dialog.booked.connect(self._booked)
        dialog.open()

    def _booked(self, views: list[object]) -> None:
        self.booked.emit(views)
        self.accept()

    def done(self, result: int) -> None:
        self._pause.stop()
        self._asked += 1
        set_rows(self.results, [])
        self.for_patient.clear()
        super().done(result)
