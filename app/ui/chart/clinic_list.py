"""Today's clinic list: the patients a clinician sees today, in time order, with where each
one is (booked, arrived, roomed ...). Enter or a double-click opens the chart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import IntEnum

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QTableView, QVBoxLayout, QWidget

from app.models import Role
from app.models.appointment import AppointmentStatus
from app.services.bus import AppointmentsChanged
from app.services.calendar import CalendarService
from app.services.context import AppContext
from app.services.practice import PracticeInfo
from app.services.schedule_data import AppointmentView
from app.ui.notices import NoticeBridge
from app.ui.schedule.schedule_style import clock_text, status_label
from app.ui.session import DesktopSession
from app.ui.table_model import ROW_ROLE, ListTableModel
from app.ui.tables import style_row_table
from app.ui.tasks import error_message
from app.ui.widgets import MessageLabel, button, text_label

_SEEN = {AppointmentStatus.CHECKED_OUT, AppointmentStatus.NO_SHOW}
_HERE = {AppointmentStatus.ARRIVED, AppointmentStatus.ROOMED, AppointmentStatus.WITH_PROVIDER}
_DONE_INK = QColor("#6b7785")
_HERE_INK = QColor("#155a71")


@dataclass(frozen=True)
class ClinicDay:
    day: date
    appointments: tuple[AppointmentView, ...]
    mine_only: bool


def load_clinic_day(ctx: AppContext) -> ClinicDay:
    """A physician's own patients today; a nurse sees everyone's."""
    today = PracticeInfo(ctx).summary().today
    actor = ctx.actor
    mine = actor is not None and actor.role is Role.PHYSICIAN
    providers = [actor.user_id] if mine and actor is not None else None
    found = CalendarService(ctx).range(today, 1, providers)
    return ClinicDay(today, found.appointments, mine)


class ClinicColumn(IntEnum):
    TIME = 0
    PATIENT = 1
    PROVIDER = 2
    TYPE = 3
    REASON = 4
    STATUS = 5


class ClinicModel(ListTableModel[AppointmentView]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(("Time", "Patient", "Provider", "Visit type", "Reason", "Status"), parent)

    def set_day(self, appointments: tuple[AppointmentView, ...]) -> None:
        self._set_rows(appointments)

    def clear(self) -> None:
        self._set_rows([])

    def cell_text(self, item: AppointmentView, column: int) -> str:
        return {
            ClinicColumn.TIME: clock_text(item.wall_start),
            ClinicColumn.PATIENT: f"{item.patient_name} · {item.mrn}",
            ClinicColumn.PROVIDER: item.provider_name,
            ClinicColumn.TYPE: item.type_name,
            ClinicColumn.REASON: item.reason or "",
            ClinicColumn.STATUS: status_label(item.status),
        }[ClinicColumn(column)]

    def cell_ink(self, item: AppointmentView, column: int) -> QColor | None:
        if item.status in _SEEN:
            return _DONE_INK
        return _HERE_INK if item.status in _HERE and column == ClinicColumn.STATUS else None


class ClinicList(QWidget):
    """`open_requested(patient_id, appointment_id)` when a row is chosen."""

    open_requested = Signal(str, str)
    search_requested = Signal()
    loaded = Signal()

    def __init__(self, session: DesktopSession) -> None:
        super().__init__()
        self.session = session
        self._generation = 0
        self._active = False  # loaded and not cleared: change notices reload it
        self.heading = text_label(self.tr("Today's clinic"), "title")
        self.subtitle = text_label("", "muted")
        find = button(self.tr("Find a patient…"), self.tr("Find a patient"), icon_name="search")
        find.setToolTip(self.tr("Open any patient's chart (Ctrl+K)"))
        find.clicked.connect(self.search_requested)
        self.model = ClinicModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        style_row_table(self.table, self.tr("Today's patients"), stretch_column=ClinicColumn.REASON)
        self.table.activated.connect(self._activated)
        self.message = MessageLabel()
        self.empty = text_label("", "muted")

        top = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(self.heading)
        titles.addWidget(self.subtitle)
        top.addLayout(titles, 1)
        top.addWidget(find)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 20)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        self._notices = NoticeBridge(session.ctx.bus, AppointmentsChanged, parent=self)
        self._notices.received.connect(lambda _notice: self.reload() if self._active else None)

    def reload(self) -> None:
        self._active = True
        self._generation += 1
        generation = self._generation
        task = self.session.run(load_clinic_day, self.session.ctx, owner=self)
        task.succeeded.connect(lambda day: self._loaded(day, generation))
        task.failed.connect(lambda error: self._failed(error, generation))

    def _loaded(self, day: ClinicDay, generation: int) -> None:
        if generation != self._generation:
            return
        self.message.clear_message()
        self.model.set_day(day.appointments)
        whose = self.tr("Your patients") if day.mine_only else self.tr("Everyone's patients")
        here = sum(1 for a in day.appointments if a.status in _HERE)
        self.subtitle.setText(
            self.tr("{whose} on {day:%A, %B} {d} · {count} booked · {here} here now").format(
                whose=whose, day=day.day, d=day.day.day, count=len(day.appointments), here=here
            )
        )
        self.empty.setText(
            self.tr("No appointments today. Find a patient with Ctrl+K to open a chart.")
            if not day.appointments
            else ""
        )
        self.empty.setVisible(not day.appointments)
        if day.appointments and not self.table.currentIndex().isValid():
            self.table.selectRow(0)
        self.loaded.emit()

    def _failed(self, error: BaseException, generation: int) -> None:
        if generation == self._generation:
            self.message.show_message(error_message(error))

    def _activated(self, index: QModelIndex) -> None:
        item = index.data(ROW_ROLE)
        if isinstance(item, AppointmentView):
            self.open_requested.emit(item.patient_id, item.id)

    def clear(self) -> None:
        self._active = False
        self._generation += 1
        self.model.clear()
        self.subtitle.setText("")
        self.message.clear_message()

    def focus_list(self) -> None:
        self.table.setFocus()
