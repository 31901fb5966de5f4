"""The Schedule section: the front desk's calendar, in day, week, month or agenda view.

Data comes from CalendarService on the database worker; a newer request makes older
answers stale (they are dropped). The calendar refreshes from AppointmentsChanged and
ScheduleSetupChanged notices, keeping the scroll position and the selection. Locking
empties every view; unlocking reloads the same day and view. The keys: schedule_keys."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import QMenu, QStackedWidget, QVBoxLayout

from app.services.bus import AppointmentsChanged, ScheduleSetupChanged
from app.services.permissions import Permission
from app.services.schedule_data import AppointmentView, CalendarRange
from app.ui.notices import NoticeBridge
from app.ui.pages import Page
from app.ui.schedule.agenda_model import AgendaModel
from app.ui.schedule.agenda_view import AgendaTable
from app.ui.schedule.appointment_menu import BY_KEY, appointment_menu, why_not
from app.ui.schedule.grid_geometry import GridColumn
from app.ui.schedule.month_view import MonthView
from app.ui.schedule.schedule_actions import ScheduleActions
from app.ui.schedule.schedule_columns import (
    columns_for,
    day_summary,
    range_title,
    visits,
)
from app.ui.schedule.schedule_keys import add_shortcuts, page_key
from app.ui.schedule.schedule_loader import (
    CalendarRequest,
    ScheduleSetup,
    fetch_calendar,
    fetch_setup,
)
from app.ui.schedule.schedule_toolbar import ScheduleToolbar, ViewMode
from app.ui.schedule.time_grid import TimeGrid
from app.ui.session import DesktopSession
from app.ui.tasks import error_message
from app.ui.widgets import MessageLabel


class SchedulePage(Page):
    open_patient_requested = Signal(str)
    shown = Signal()  # fresh data is on screen (tests wait for it)

    def __init__(self, session: DesktopSession) -> None:
        super().__init__()
        self.session = session
        self.view = ViewMode.DAY
        self.day: date | None = None
        self.provider_ids: tuple[str, ...] = ()
        self.by_room = False
        self.show_cancelled = False
        self.setup: ScheduleSetup | None = None
        self.data: CalendarRange | None = None
        self.counts: dict[date, int] = {}
        self.menu: QMenu | None = None
        self._cleared = True
        self._generation = 0
        self._keep_scroll = False

        self.toolbar = ScheduleToolbar()
        self.message = MessageLabel("error", self.tr("Schedule message"))
        self.notice = MessageLabel("notice", self.tr("Schedule notice"))
        self.grid = TimeGrid()
        self.month = MonthView()
        self.agenda_model = AgendaModel(self)
        self.agenda = AgendaTable(self.agenda_model)
        self.stack = QStackedWidget()
        for view in (self.grid, self.month, self.agenda):
            self.stack.addWidget(view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 22, 28, 16)
        layout.setSpacing(12)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.message)
        layout.addWidget(self.notice)
        layout.addWidget(self.stack, 1)

        self.desk = ScheduleActions(session, self)
        self._connect()
        add_shortcuts(self)
        self._notices = NoticeBridge(
            session.ctx.bus, AppointmentsChanged, ScheduleSetupChanged, parent=self
        )
        self._notices.received.connect(self._changed)
        self._refresh = QTimer(self)  # many notices in a row: one reload
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(0)
        self._refresh.timeout.connect(lambda: self._load(keep_scroll=True))
        self.setTabOrder(self.toolbar, self.stack)
        self.toolbar.set_view(self.view)

    def _connect(self) -> None:
        bar = self.toolbar
        bar.today_clicked.connect(self.go_today)
        bar.step_clicked.connect(self.step)
        bar.date_chosen.connect(self.go_to)
        bar.view_chosen.connect(self.set_view)
        bar.providers_chosen.connect(self.set_providers)
        bar.by_room_chosen.connect(self.set_by_room)
        bar.show_cancelled_changed.connect(self.set_show_cancelled)
        bar.book_clicked.connect(lambda: self.desk.book(provider_id=self._one_provider()))
        bar.find_clicked.connect(lambda: self.desk.find_slot())
        bar.waitlist_clicked.connect(self.desk.waitlist)
        bar.print_clicked.connect(self.print_day)
        bar.block_clicked.connect(self.block_time)
        self.grid.context_requested.connect(self.show_menu)
        self.grid.activated.connect(lambda appt: self.show_menu(appt, self._anchor(appt)))
        self.grid.slot_activated.connect(self._book_slot)
        self.grid.move_requested.connect(self.desk.move)
        self.month.day_chosen.connect(lambda day: self.open_day(day))
        self.month.cursor_moved.connect(self.go_to)
        self.agenda.activated_appointment.connect(self.show_menu)
        self.desk.failed.connect(self._failed)
        self.desk.done.connect(self._done)
        self.desk.move_settled.connect(self._move_settled)
        self.desk.open_patient.connect(self.open_patient_requested)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        current = self.stack.currentWidget()
        if current is not None:
            current.setFocus()  # the keys work straight away

    # -- Page ----------------------------------------------------------------------------

    def clear_sensitive(self) -> None:
        self._cleared = True
        self._generation += 1  # answers still on their way are dropped
        self.data = None
        self.counts = {}
        self.grid.clear()
        self.month.clear()
        self.agenda_model.clear()
        self.toolbar.summary_label.clear()
        self.message.clear_message()
        self.notice.clear_message()
        if self.menu is not None:
            self.menu.close()

    def reload(self) -> None:
        self._cleared = False
        generation = self._generation
        task = self.session.run(fetch_setup, self.session.ctx, owner=self)
        task.succeeded.connect(lambda setup: self._setup_loaded(setup, generation))
        task.failed.connect(self._failed)

    def _setup_loaded(self, setup: ScheduleSetup, generation: int) -> None:
        if generation != self._generation or self._cleared:
            return
        self.setup = setup
        self.grid.set_clock(self.session.ctx.clock.now, setup.practice.time_zone)
        known = {p.id for p in setup.providers}
        self.provider_ids = tuple(p for p in self.provider_ids if p in known)
        self.toolbar.set_providers(setup.providers, self.provider_ids)
        first_time = self.day is None
        if self.day is None:
            self.day = setup.practice.today
        self._load(keep_scroll=not first_time)

    # -- where and what ------------------------------------------------------------------

    def today(self) -> date:
        zone = self.setup.practice.time_zone if self.setup else "UTC"
        return self.session.ctx.clock.now().astimezone(ZoneInfo(zone)).date()

    def go_to(self, day: date) -> None:
        if day == self.day:
            return
        same_month = (day.year, day.month) == (self.month.month.year, self.month.month.month)
        self.day = day
        if self.view is ViewMode.MONTH and same_month:
            # The month on screen already: only the highlight moves.
            self.month.set_month(self.month.month, self.counts, highlighted=day, today=self.today())
            self.toolbar.set_date(day)
            return
        self._load(keep_scroll=False)

    def go_today(self) -> None:
        self.go_to(self.today())

    def step(self, direction: int) -> None:
        days = 7 if self.view is ViewMode.WEEK else 1
        self.go_to((self.day or self.today()) + timedelta(days=direction * days))

    def open_day(self, day: date) -> None:
        """The month view's click: that day, in the day view."""
        self.day = day
        self.set_view(ViewMode.DAY)

    def set_view(self, mode: ViewMode) -> None:
        changed = mode is not self.view
        self.view = mode
        self.toolbar.set_view(mode)
        widget = {ViewMode.MONTH: self.month, ViewMode.AGENDA: self.agenda}.get(mode, self.grid)
        self.stack.setCurrentWidget(widget)
        self._load(keep_scroll=not changed)
        widget.setFocus()

    def set_providers(self, provider_ids: tuple[str, ...]) -> None:
        self.provider_ids = tuple(provider_ids)
        if self.setup is not None:
            self.toolbar.set_providers(self.setup.providers, self.provider_ids)
        self._load(keep_scroll=True)

    def set_by_room(self, by_room: bool) -> None:
        self.by_room = by_room
        index = 1 if by_room else 0
        if self.toolbar.columns_box.currentIndex() != index:
            self.toolbar.columns_box.setCurrentIndex(index)  # comes back here once
            return
        self._load(keep_scroll=True)

    def set_show_cancelled(self, shown: bool) -> None:
        self.show_cancelled = shown
        if self.toolbar.show_cancelled.isChecked() != shown:
            self.toolbar.show_cancelled.setChecked(shown)
            return
        self._load(keep_scroll=True)

    def focus_date(self) -> None:
        self.toolbar.date_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.toolbar.date_edit.selectAll()

    def _one_provider(self) -> str | None:
        return self.provider_ids[0] if len(self.provider_ids) == 1 else None

    # -- loading -------------------------------------------------------------------------

    def _load(self, *, keep_scroll: bool) -> None:
        if self._cleared or self.setup is None or self.day is None:
            return
        self._generation += 1
        generation = self._generation
        self._keep_scroll = keep_scroll
        request = CalendarRequest(self.view, self.day, self.provider_ids, self.show_cancelled)
        self.toolbar.set_date(self.day)
        self.toolbar.range_label.setText(range_title(self.view.value, self.day))
        task = self.session.run(fetch_calendar, self.session.ctx, request, owner=self)
        task.succeeded.connect(lambda result: self._loaded(result, generation))
        task.failed.connect(lambda error: self._failed(error, generation))

    def _loaded(self, result: CalendarRange | dict[date, int], generation: int) -> None:
        if generation != self._generation or self._cleared or self.setup is None:
            return
        self.message.clear_message()
        if isinstance(result, dict):
            self._show_month(result)
        else:
            self._show_range(result)
        self.shown.emit()

    def _show_month(self, counts: dict[date, int]) -> None:
        assert self.day is not None
        self.counts = counts
        self.month.set_month(self.day, counts, highlighted=self.day, today=self.today())
        booked = sum(n for d, n in counts.items() if d.month == self.day.month)
        self.toolbar.summary_label.setText(visits(booked))

    def _show_range(self, data: CalendarRange) -> None:
        assert self.day is not None and self.setup is not None
        self.data = data
        appointments = list(data.appointments)
        if self.view is ViewMode.AGENDA:
            chosen = self.agenda.selected()
            self.agenda_model.set_appointments(appointments)
            self.agenda.select(chosen.id if chosen else None)
            self.toolbar.summary_label.setText(visits(len(appointments)))
            return
        columns = columns_for(
            self.view.value, self.day, data, rooms=self.setup.rooms, by_room=self.by_room
        )
        self.grid.set_content(
            columns,
            appointments,
            data.unavailable,
            detailed=self.view is ViewMode.DAY,
            keep_scroll=self._keep_scroll,
        )
        self._keep_scroll = True
        is_today = self.view is ViewMode.DAY and self.day == self.today()
        self.toolbar.summary_label.setText(day_summary(appointments, is_today))

    def _changed(self, notice: object) -> None:
        if self._cleared or self.setup is None:
            return
        if isinstance(notice, ScheduleSetupChanged):
            self.reload()  # providers, rooms, hours: the shading and the columns
        else:
            self._refresh.start()

    # -- appointments --------------------------------------------------------------------

    def selected(self) -> AppointmentView | None:
        if self.stack.currentWidget() is self.agenda:
            return self.agenda.selected()
        return self.grid.selected() if self.stack.currentWidget() is self.grid else None

    def now_wall(self) -> datetime:
        return self.grid.now_wall()

    def show_menu(self, appt: AppointmentView, where: QPoint) -> QMenu:
        if self.menu is not None:
            self.menu.close()
        can_open = bool(
            self.session.ctx.actor and self.session.ctx.actor.can(Permission.VIEW_PATIENTS)
        )
        self.menu = appointment_menu(
            self, appt, self.now_wall(), self.run_action, can_open_patient=can_open
        )
        self.menu.aboutToHide.connect(self.menu.deleteLater)
        self.menu.destroyed.connect(self._menu_gone)
        self.menu.popup(where)
        return self.menu

    def _menu_gone(self) -> None:
        self.menu = None

    def _anchor(self, appt: AppointmentView) -> QPoint:
        rect = self.grid.block_rect(appt.id)
        point = rect.bottomLeft() + QPoint(12, -4) if rect is not None else QPoint(0, 0)
        return self.grid.viewport().mapToGlobal(point)

    def run_action(self, key: str, appt: AppointmentView) -> None:
        """An appointment action, if it is allowed now (else say why)."""
        reason = why_not(BY_KEY[key], appt, self.now_wall())
        if reason is not None:
            self._failed(reason)
            return
        self.message.clear_message()
        self.desk.run(key, appt)

    def _book_slot(self, column: GridColumn, wall: datetime) -> None:
        self.desk.book(wall, column.drop_provider or self._one_provider())

    def _move_settled(self, moved: bool) -> None:
        if not moved:
            self.grid.cancel_pending()

    def block_time(self) -> None:
        """For the provider shown alone, on the day shown (now, if that is today)."""
        start = None
        if self.day is not None and self.day != self.today():
            start = datetime.combine(self.day, time(9))
        self.desk.block_time(start, self._one_provider())

    def print_day(self) -> None:
        """The day's sheet for the provider shown alone; with several shown, a menu asks
        whose (a sheet is one provider's day, as it hangs by their door)."""
        if self.day is None or self.view is not ViewMode.DAY or self.setup is None:
            return
        day = self.day
        provider_id = self._one_provider()
        if provider_id is not None:
            self.desk.print_day(day, provider_id)
            return
        shown = [
            p for p in self.setup.providers if not self.provider_ids or p.id in self.provider_ids
        ]
        menu = QMenu(self)
        menu.setAccessibleName(self.tr("Print whose day"))
        for provider in shown:
            action = menu.addAction(self.tr("{name}'s day").format(name=provider.name))
            action.triggered.connect(lambda _=False, p=provider.id: self.desk.print_day(day, p))
        button = self.toolbar.print_button
        menu.popup(button.mapToGlobal(button.rect().bottomLeft()))

    def _failed(self, error: object, generation: int | None = None) -> None:
        if generation is not None and generation != self._generation:
            return
        self.notice.clear_message()
        text = error_message(error) if isinstance(error, BaseException) else str(error)
        self.message.show_message(text)

    def _done(self, text: str) -> None:
        self.message.clear_message()
        self.notice.show_message(text)
        QTimer.singleShot(6000, self._fade_notice)

    def _fade_notice(self) -> None:
        if not self._cleared:
            self.notice.clear_message()

    # -- keyboard ------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not page_key(self, event):  # days, weeks, today, status letters
            super().keyPressEvent(event)
