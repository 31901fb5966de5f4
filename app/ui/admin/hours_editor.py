"""Providers' weekly hours: pick a provider, shape their week (one stretch and an optional
break per day), save. Saving replaces the provider's week; the service's refusal is shown
here and everything typed stays. Unsaved changes survive a refresh from elsewhere and the
screen lock; switching to another provider asks first."""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QMessageBox, QVBoxLayout, QWidget

from app.services.errors import DomainError
from app.services.schedule_data import HoursInput, HoursView
from app.services.schedule_setup import ScheduleSetupService
from app.ui.admin.hours_day_row import DayRow, DayState, make_header, state_of
from app.ui.admin.setup_snapshot import SetupSnapshot
from app.ui.schedule.schedule_widgets import choice_combo, fill_combo
from app.ui.session import DesktopSession
from app.ui.tasks import error_message
from app.ui.widgets import BusyBar, MessageLabel, box_button, button, message_box, text_label

WEEKDAYS = range(7)
WORKWEEK = range(1, 5)  # Tuesday to Friday: where Monday's hours are copied


class HoursEditor(QWidget):
    def __init__(self, session: DesktopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.service = ScheduleSetupService(session.ctx)
        self.snapshot: SetupSnapshot | None = None
        self.provider_id: str | None = None
        self.dirty = False
        self._stash: tuple[str, list[DayState]] | None = None  # a draft kept over the lock
        self._loading = False

        self.provider = choice_combo(self.tr("Provider"), 24)
        self.provider.currentIndexChanged.connect(self._provider_chosen)
        self.copy_button = button(
            self.tr("Copy Monday to Tue–Fri"), self.tr("Copy Monday to Tuesday to Friday")
        )
        self.copy_button.clicked.connect(self.copy_monday)
        self.message = MessageLabel("error", self.tr("Hours message"))
        self.notice = MessageLabel("notice", self.tr("Hours saved"))
        self.busy = BusyBar()
        self.save_button = button(self.tr("Save hours"), self.tr("Save hours"), variant="primary")
        self.save_button.setToolTip(self.tr("Save this provider's week (Ctrl+S)"))
        self.save_button.clicked.connect(self.save)
        self.undo_button = button(self.tr("Undo changes"), self.tr("Undo changes to hours"))
        self.undo_button.clicked.connect(self.revert)

        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(8)
        self.header = make_header(grid)
        self.rows = [DayRow(weekday, grid, weekday + 1) for weekday in WEEKDAYS]
        for row in self.rows:
            row.setParent(self)
            row.edited.connect(self._edited)
        grid.setColumnMinimumWidth(0, 130)
        grid.setColumnStretch(7, 1)

        top = QHBoxLayout()
        top.setSpacing(10)
        top.addWidget(text_label(self.tr("Provider"), None, wrap=False))
        top.addWidget(self.provider)
        top.addStretch(1)
        top.addWidget(self.copy_button)
        actions = QHBoxLayout()
        actions.setSpacing(8)
        actions.addWidget(self.save_button)
        actions.addWidget(self.undo_button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(14)
        layout.addLayout(top)
        layout.addWidget(
            text_label(
                self.tr(
                    "When the provider can be booked each week. Saving replaces their whole "
                    "week; visits already booked stay where they are."
                ),
                "muted",
            )
        )
        layout.addLayout(grid)
        layout.addWidget(self.message)
        layout.addWidget(self.notice)
        layout.addWidget(self.busy)
        layout.addLayout(actions)
        layout.addStretch(1)
        chain = [self.provider, self.copy_button]
        chain += [widget for row in self.rows for widget in row.focus_chain()]
        chain += [self.save_button, self.undo_button]
        for earlier, later in itertools.pairwise(chain):
            QWidget.setTabOrder(earlier, later)
        for keys in ("Ctrl+S", "Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.save)
        self._update_actions()

    # -- contents ------------------------------------------------------------------------

    def show_snapshot(self, snapshot: SetupSnapshot) -> None:
        """Fresh set-up from the worker. Unsaved edits on screen are left alone."""
        self.snapshot = snapshot
        wanted = self._stash[0] if self._stash else self.provider_id
        self._loading = True
        fill_combo(self.provider, [(p.name, p.id) for p in snapshot.providers], keep=wanted)
        for row in self.rows:
            row.set_locations(snapshot.locations)
        self.header[1].setVisible(len(snapshot.locations) > 1)
        self._loading = False
        chosen = self.provider.currentData()
        if self._stash is not None and self._stash[0] == chosen:
            self.provider_id = chosen
            self._put_states(self._stash[1])
            self._stash = None
            self.dirty = True
            self.message.clear_message()
        elif not self.dirty or chosen != self.provider_id:
            self._show_saved(chosen)
        self._update_actions()

    def _show_saved(self, provider_id: str | None) -> None:
        self.provider_id = provider_id
        hours = self.snapshot.hours_of(provider_id) if self.snapshot and provider_id else []
        self._show_hours(hours)

    def _show_hours(self, hours: list[HoursView]) -> None:
        by_day: dict[int, list[HoursView]] = {}
        for stretch in sorted(hours, key=lambda h: (h.weekday, h.starts)):
            by_day.setdefault(stretch.weekday, []).append(stretch)
        self._put_states([state_of(by_day.get(row.weekday, [])) for row in self.rows])
        self.dirty = False
        self._update_actions()

    def _put_states(self, states: list[DayState]) -> None:
        for row, state in zip(self.rows, states, strict=True):
            row.set_state(state)

    def clear(self) -> None:
        """The screen is locking: forget the staff names, keep an unsaved draft aside."""
        if self.dirty and self.provider_id is not None:
            self._stash = (self.provider_id, [row.state() for row in self.rows])
        self.snapshot = None
        self._loading = True
        self.provider.clear()
        self._loading = False
        self.provider_id = None
        self._put_states([DayState() for _ in self.rows])
        self.dirty = False
        self.message.clear_message()
        self.notice.clear_message()
        self._update_actions()

    def _edited(self) -> None:
        if not self._loading:
            self.dirty = True
            self.notice.clear_message()
            self._update_actions()

    def _update_actions(self) -> None:
        has_provider = self.provider_id is not None
        self.save_button.setEnabled(has_provider and self.dirty and not self.busy.isVisible())
        self.undo_button.setEnabled(has_provider and self.dirty)
        self.copy_button.setEnabled(has_provider)
        for row in self.rows:
            row.works.setEnabled(has_provider)

    # -- choosing a provider -------------------------------------------------------------

    def _provider_chosen(self) -> None:
        if self._loading:
            return
        chosen = self.provider.currentData()
        if chosen == self.provider_id:
            return
        if self.dirty and not self._discard_ok():
            self._loading = True
            self.provider.setCurrentIndex(max(0, self.provider.findData(self.provider_id)))
            self._loading = False
            return
        self.message.clear_message()
        self._show_saved(chosen)

    def _discard_ok(self) -> bool:
        name = self.snapshot.provider_name(self.provider_id) if self.snapshot else ""
        box = message_box(
            self,
            QMessageBox.Icon.Question,
            self.tr("Unsaved hours"),
            self.tr("{name}'s hours have changes that are not saved.").format(name=name),
            self.tr("Discard them and show another provider?"),
        )
        discard = box_button(
            box, self.tr("Discard changes"), role=QMessageBox.ButtonRole.DestructiveRole
        )
        keep = box_button(box, self.tr("Keep editing"), role=QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.exec()
        return box.clickedButton() is discard

    # -- actions -------------------------------------------------------------------------

    def copy_monday(self) -> None:
        monday = self.rows[0].state()
        for weekday in WORKWEEK:
            self.rows[weekday].set_state(monday)
        self._edited()

    def revert(self) -> None:
        self.message.clear_message()
        self._show_saved(self.provider_id)

    def week(self) -> list[HoursInput]:
        assert self.provider_id is not None
        return [entry for row in self.rows for entry in row.inputs(self.provider_id)]

    def save(self) -> None:
        if self.provider_id is None or not self.dirty or self.busy.isVisible():
            return
        try:
            week = self.week()
        except DomainError as error:
            self.message.show_message(str(error))
            return
        provider_id = self.provider_id
        self._set_busy(True)
        task = self.session.run(self.service.set_hours, provider_id, week, owner=self)
        task.succeeded.connect(lambda hours: self._saved(provider_id, hours))
        task.failed.connect(self._failed)

    def _saved(self, provider_id: str, hours: list[HoursView]) -> None:
        self._set_busy(False)
        if provider_id != self.provider_id:
            return
        self._show_hours(hours)
        name = self.snapshot.provider_name(provider_id) if self.snapshot else ""
        self.notice.show_message(self.tr("{name}'s hours are saved.").format(name=name))

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.message.show_message(error_message(error))

    def _set_busy(self, busy: bool) -> None:
        self.busy.setVisible(busy)
        if busy:
            self.message.clear_message()
        self.provider.setEnabled(not busy)
        self._update_actions()
