"""Admin → Scheduling: what the calendar is built on. Providers' weekly hours, appointment
types, rooms, holidays and blocked time, one part at a time (the list on the left).

Everything is fetched in one go on the worker and refreshed from ScheduleSetupChanged
(and UsersChanged: who is a provider) notices, whoever made the change. Locking empties
every list; an unsaved week of hours is kept aside and comes back after unlocking."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QHBoxLayout,
    QListWidget,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.bus import ScheduleSetupChanged, UsersChanged
from app.ui.admin.blocks_section import BlocksSection
from app.ui.admin.hours_editor import HoursEditor
from app.ui.admin.setup_sections import RoomsSection, TypesSection
from app.ui.admin.setup_snapshot import SetupSnapshot, load_snapshot
from app.ui.notices import NoticeBridge
from app.ui.pages import Page
from app.ui.session import DesktopSession
from app.ui.tasks import error_message
from app.ui.widgets import MessageLabel, text_label

_PARTS_STYLE = """
QListWidget#SetupParts { background: #ffffff; border: 1px solid #dde2e6; border-radius: 8px;
    padding: 6px; outline: none; }
QListWidget#SetupParts:focus { border: 2px solid #1b6e8a; padding: 5px; }
QListWidget#SetupParts::item { padding: 9px 10px; border-radius: 6px; color: #1d2630; }
QListWidget#SetupParts::item:hover { background: #f1f4f6; }
QListWidget#SetupParts::item:selected { background: #e2eff3; color: #155a71; }
"""


class ScheduleSetupPanel(Page):
    loaded = Signal()  # fresh set-up is on screen (tests wait for it)

    def __init__(self, session: DesktopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.snapshot: SetupSnapshot | None = None
        self._generation = 0  # bumped on lock: answers to older requests are dropped
        self._cleared = True

        self.hours = HoursEditor(session)
        self.types = TypesSection(session)
        self.rooms = RoomsSection(session)
        self.blocks = BlocksSection(session)
        self.parts = QListWidget()
        self.parts.setObjectName("SetupParts")
        self.parts.setAccessibleName(self.tr("Scheduling set-up parts"))
        self.parts.setStyleSheet(_PARTS_STYLE)
        self.parts.setFixedWidth(230)
        self.parts.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.parts.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.parts.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
        self.stack = QStackedWidget()
        for title, widget in (
            (self.tr("Providers' hours"), self.hours),
            (self.tr("Appointment types"), self.types),
            (self.tr("Rooms"), self.rooms),
            (self.tr("Holidays and blocked time"), self.blocks),
        ):
            self.parts.addItem(title)
            widget.setAccessibleName(title)
            self.stack.addWidget(widget)
        self.parts.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.parts.setCurrentRow(0)
        self.message = MessageLabel("error", self.tr("Scheduling set-up message"))

        body = QHBoxLayout()
        body.setSpacing(24)
        parts_column = QVBoxLayout()
        parts_column.addWidget(self.parts)
        parts_column.addStretch(1)
        body.addLayout(parts_column)
        body.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 24)
        layout.setSpacing(14)
        layout.addWidget(text_label(self.tr("Scheduling"), "title"))
        layout.addWidget(
            text_label(
                self.tr(
                    "What the calendar is built on: when each provider works, what can be "
                    "booked, the rooms, and the days the practice is closed."
                ),
                "muted",
            )
        )
        layout.addWidget(self.message)
        layout.addLayout(body, 1)

        self._refresh = QTimer(self)  # several notices in a row: one reload
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(0)
        self._refresh.timeout.connect(self._refresh_if_shown)
        self._notices = NoticeBridge(
            session.ctx.bus, ScheduleSetupChanged, UsersChanged, parent=self
        )
        self._notices.received.connect(lambda _notice: self._refresh.start())

    def show_part(self, index: int) -> None:
        self.parts.setCurrentRow(index)

    # -- Page ----------------------------------------------------------------------------

    def clear_sensitive(self) -> None:
        self._generation += 1
        self._cleared = True
        self.snapshot = None
        self.hours.clear()
        for section in (self.types, self.rooms, self.blocks):
            section.clear()
        self.message.clear_message()

    def reload(self) -> None:
        self._cleared = False
        generation = self._generation
        task = self.session.run(load_snapshot, self.session.ctx, owner=self)
        task.succeeded.connect(lambda snapshot: self._show(snapshot, generation))
        task.failed.connect(lambda error: self._failed(error, generation))

    def _refresh_if_shown(self) -> None:
        if not self._cleared:
            self.reload()

    def _show(self, snapshot: SetupSnapshot, generation: int) -> None:
        if generation != self._generation or self._cleared:
            return  # the screen locked while this was loading
        self.snapshot = snapshot
        self.message.clear_message()
        self.hours.show_snapshot(snapshot)
        for section in (self.types, self.rooms, self.blocks):
            section.show_snapshot(snapshot)
        self.loaded.emit()

    def _failed(self, error: BaseException, generation: int) -> None:
        if generation == self._generation:
            self.message.show_message(error_message(error))
