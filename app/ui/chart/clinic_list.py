"""Today's clinic list: the patients a clinician sees today, in time order, with where each
one is (booked, arrived, roomed ...). Enter or a double-click opens the chart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import IntEnum

from PySide6.QtCore import QCoreApplication, QModelIndex, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QTableView, QVBoxLayout, QWidget

from app.models import Role
from app.models.appointment import AppointmentStatus
from app.services.bus import AppointmentsChanged
from app.services.calendar import CalendarService
from app.services.context import AppContext
from app.services.documents import DocumentService
from app.services.notes import NoteService
from app.services.permissions import Permission
from app.services.practice import PracticeInfo
from app.services.schedule_data import AppointmentView
from app.ui.notices import NoticeBridge
from app.ui.schedule.schedule_style import clock_text, status_label
from app.ui.session import DesktopSession
from app.ui.table_model import ROW_ROLE, ListTableModel
from app.ui.tables import style_row_table
from app.ui.tasks import error_message
from app.ui.widgets import MessageLabel, button, text_label


def _tr(text: str) -> str:
    return QCoreApplication.translate("ClinicList", text)


_SEEN = {AppointmentStatus.CHECKED_OUT, AppointmentStatus.NO_SHOW}
_HERE = {AppointmentStatus.ARRIVED, AppointmentStatus.ROOMED, AppointmentStatus.WITH_PROVIDER}
_DONE_INK = QColor("#6b7785")
_HERE_INK = QColor("#155a71")


@dataclass(frozen=True)
class WaitingItem:
    """Something in a chart that waits for the signed-in physician."""

    id: str
    patient_id: str
    patient_name: str
    what: str  # "Co-sign", "Review"
    detail: str
    tab: str  # the chart tab that shows it


@dataclass(frozen=True)
class ClinicDay:
    day: date
    appointments: tuple[AppointmentView, ...]
    mine_only: bool
    waiting: tuple[WaitingItem, ...] = ()


def load_clinic_day(ctx: AppContext) -> ClinicDay:
    """A physician's own patients today (a nurse sees everyone's), and what waits for a
    physician's signature: nurses' notes to co-sign and documents to review."""
    today = PracticeInfo(ctx).summary().today
    actor = ctx.actor
    mine = actor is not None and actor.role is Role.PHYSICIAN
    providers = [actor.user_id] if mine and actor is not None else None
    found = CalendarService(ctx).range(today, 1, providers)
    waiting: list[WaitingItem] = []
    if actor is not None and actor.can(Permission.SIGN_NOTES):
        waiting += [
            WaitingItem(
                item.id,
                item.note.patient_id,
                item.patient_name,
                _tr("Co-sign"),
                f"{item.note.title} · {item.note.author_name}",
                "Notes",
            )
            for item in NoteService(ctx).awaiting_cosign()
        ]
        waiting += [
            WaitingItem(
                item.document.id,
                item.document.patient_id,
                item.patient_name,
                _tr("Review"),
                f"{item.document.category_label}: {item.document.title}",
                "Documents",
            )
            for item in DocumentService(ctx).awaiting_review()
        ]
    return ClinicDay(today, found.appointments, mine, tuple(waiting))


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


class WaitingModel(ListTableModel[WaitingItem]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(("", "Patient", "What"), parent)

    def set_items(self, items: tuple[WaitingItem, ...]) -> None:
        self._set_rows(items)

    def clear(self) -> None:
        self._set_rows([])

    def cell_text(self, item: WaitingItem, column: int) -> str:
        return (item.what, item.patient_name, item.detail)[column]


class ClinicList(QWidget):
    """`open_requested(patient_id, appointment_id)` when a row is chosen;
    `waiting_chosen(patient_id, tab)` for something waiting for a signature."""

    open_requested = Signal(str, str)
    waiting_chosen = Signal(str, str)
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
        self.waiting_model = WaitingModel(self)
        self.waiting_table = QTableView()
        self.waiting_table.setModel(self.waiting_model)
        style_row_table(self.waiting_table, self.tr("Waiting for you"), stretch_column=2)
        self.waiting_table.activated.connect(self._waiting_activated)
        self.waiting_heading = text_label(self.tr("Waiting for your signature"), "heading")
        self.waiting_box = QWidget()
        waiting_layout = QVBoxLayout(self.waiting_box)
        waiting_layout.setContentsMargins(0, 8, 0, 0)
        waiting_layout.addWidget(self.waiting_heading)
        waiting_layout.addWidget(self.waiting_table)
        self.waiting_box.hide()

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
        layout.addWidget(self.table, 2)
        layout.addWidget(self.empty)
        layout.addWidget(self.waiting_box, 1)
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
        self.waiting_model.set_items(day.waiting)
        self.waiting_heading.setText(
            self.tr("Waiting for your signature ({count})").format(count=len(day.waiting))
        )
        self.waiting_box.setVisible(bool(day.waiting))
        self.loaded.emit()

    def _failed(self, error: BaseException, generation: int) -> None:
        if generation == self._generation:
            self.message.show_message(error_message(error))

    def _activated(self, index: QModelIndex) -> None:
        item = index.data(ROW_ROLE)
        if isinstance(item, AppointmentView):
            self.open_requested.emit(item.patient_id, item.id)

    def _waiting_activated(self, index: QModelIndex) -> None:
        item = index.data(ROW_ROLE)
        if isinstance(item, WaitingItem):
            self.waiting_chosen.emit(item.patient_id, item.tab)

    def clear(self) -> None:
        self._active = False
        self._generation += 1
        self.model.clear()
        self.waiting_model.clear()
        self.waiting_box.hide()
        self.subtitle.setText("")
        self.message.clear_message()

    def focus_list(self) -> None:
        self.table.setFocus()
