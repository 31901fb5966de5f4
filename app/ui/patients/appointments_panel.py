"""The record's appointments: what is coming and the last few visits, and booking from
the patient (the visit type, provider and time are chosen in the booking screen)."""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QTableView, QWidget

from app.models.appointment import AppointmentStatus
from app.services.appointments import AppointmentService
from app.services.bus import AppointmentsChanged
from app.services.permissions import Permission
from app.services.schedule_data import AppointmentView
from app.services.schedule_rules import UPCOMING
from app.ui.notices import NoticeBridge
from app.ui.schedule.schedule_style import clock_text, status_label
from app.ui.session import DesktopSession
from app.ui.table_model import ListTableModel
from app.ui.tables import style_row_table
from app.ui.tasks import error_message
from app.ui.widgets import MessageLabel, button, card, text_label

RECENT_VISITS = 3  # past visits shown under the upcoming ones
_PAST_INK = QColor("#6b7785")


class AppointmentColumn(IntEnum):
    WHEN = 0
    PROVIDER = 1
    TYPE = 2
    STATUS = 3


def _tr(text: str) -> str:
    return QCoreApplication.translate("PatientAppointments", text)


def upcoming_and_recent(
    appointments: list[AppointmentView], now: datetime
) -> list[AppointmentView]:
    """Every upcoming visit, soonest first, then the last few that have passed."""
    ahead = [a for a in appointments if a.starts_at >= now and a.status in UPCOMING]
    past = [a for a in appointments if a.starts_at < now]
    ahead.sort(key=lambda a: a.starts_at)
    past.sort(key=lambda a: a.starts_at, reverse=True)
    return ahead + past[:RECENT_VISITS]


class PatientAppointmentsModel(ListTableModel[AppointmentView]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(("When", "Provider", "Visit type", "Status"), parent)
        self.now: datetime | None = None

    def set_appointments(self, appointments: list[AppointmentView], now: datetime) -> None:
        self.now = now
        self._set_rows(upcoming_and_recent(appointments, now))

    def clear(self) -> None:
        self._set_rows([])

    def cell_text(self, item: AppointmentView, column: int) -> str:
        start = item.wall_start
        return {
            AppointmentColumn.WHEN: f"{start:%a %b} {start.day}, {start.year} · "
            + clock_text(start),
            AppointmentColumn.PROVIDER: item.provider_name,
            AppointmentColumn.TYPE: item.type_name,
            AppointmentColumn.STATUS: status_label(item.status),
        }[AppointmentColumn(column)]

    def cell_ink(self, item: AppointmentView, column: int) -> QColor | None:
        past = self.now is not None and item.starts_at < self.now
        return _PAST_INK if past or item.status is AppointmentStatus.CANCELLED else None


class AppointmentsPanel(QWidget):
    """Shown to those who schedule. `show_patient` loads; `clear` forgets."""

    def __init__(self, session: DesktopSession) -> None:
        super().__init__()
        self.session = session
        actor = session.ctx.actor
        self.allowed = bool(actor and actor.can(Permission.SCHEDULE))
        self.patient_id: str | None = None
        self._generation = 0
        self.model = PatientAppointmentsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        style_row_table(self.table, self.tr("Appointments"), AppointmentColumn.WHEN)
        self.table.setMinimumHeight(34 * 3 + 36)
        self.empty = text_label(self.tr("No appointments booked."), "muted")
        self.empty.setAccessibleName(self.tr("No appointments"))
        self.message = MessageLabel("error", self.tr("Appointments message"))
        self.book_button = button(
            self.tr("Book appointment…"), self.tr("Book appointment"), icon_name="plus"
        )
        self.book_button.clicked.connect(self.book)
        self.find_button = button(
            self.tr("Next available…"), self.tr("Find next available"), icon_name="search"
        )
        self.find_button.clicked.connect(self.find_slot)
        frame, body = card(margins=20, spacing=12)
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(text_label(self.tr("Appointments"), "heading"), 1)
        top.addWidget(self.find_button)
        top.addWidget(self.book_button)
        body.addLayout(top)
        body.addWidget(self.message)
        body.addWidget(self.table)
        body.addWidget(self.empty)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(frame)
        self._notices = NoticeBridge(session.ctx.bus, AppointmentsChanged, parent=self)
        self._notices.received.connect(lambda _notice: self.reload())
        self.setVisible(self.allowed)

    def show_patient(self, patient_id: str) -> None:
        self.patient_id = patient_id
        self.reload()

    def reload(self) -> None:
        if not self.allowed or self.patient_id is None:
            return
        self._generation += 1
        generation = self._generation
        service = AppointmentService(self.session.ctx)
        task = self.session.run(service.for_patient, self.patient_id, owner=self)
        task.succeeded.connect(lambda found: self._loaded(found, generation))
        task.failed.connect(lambda error: self._failed(error, generation))

    def _loaded(self, appointments: list[AppointmentView], generation: int) -> None:
        if generation != self._generation:
            return
        self.message.clear_message()
        self.model.set_appointments(appointments, self.session.ctx.clock.now())
        has_rows = self.model.rowCount() > 0
        self.table.setVisible(has_rows)
        self.empty.setVisible(not has_rows)

    def _failed(self, error: BaseException, generation: int) -> None:
        if generation == self._generation:
            self.message.show_message(error_message(error))

    def book(self) -> None:
        from app.ui.schedule.booking_dialog import BookingDialog  # loaded when first used

        if self.patient_id is not None:
            BookingDialog(self.session, patient_id=self.patient_id, parent=self).open()

    def find_slot(self) -> None:
        from app.ui.schedule.find_slot_dialog import FindSlotDialog  # loaded when first used

        if self.patient_id is not None:
            FindSlotDialog(self.session, patient_id=self.patient_id, parent=self).open()

    def clear(self) -> None:
        self._generation += 1
        self.patient_id = None
        self.model.clear()
        self.message.clear_message()
