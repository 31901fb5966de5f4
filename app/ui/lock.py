"""Auto-lock: notice inactivity, cover the window, and ask for the password to come back.

The monitor compares `clock.now()` with the time of the last keyboard or mouse input. The
timer only decides how often to look; the clock decides whether it is time, so tests move
a FakeClock forward and call `check()`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QFrame, QHBoxLayout, QLabel, QVBoxLayout

from app.services.auth import confirm_password
from app.services.clock import Clock
from app.services.errors import AccountLockedOut
from app.ui.resources import icon
from app.ui.session import DesktopSession
from app.ui.tasks import error_message
from app.ui.widgets import BusyBar, MessageLabel, button, card, centered, line_edit, text_label

DEFAULT_AUTO_LOCK_MINUTES = 10
CHECK_EVERY_MS = 15_000

_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
    QEvent.Type.TabletPress,
}


class ActivityMonitor(QObject):
    """Application-wide event filter; emits `idle` once the person has been away too long."""

    idle = Signal()

    def __init__(
        self,
        clock: Clock,
        minutes: int = DEFAULT_AUTO_LOCK_MINUTES,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self.timeout = timedelta(minutes=minutes)
        self.last_activity: datetime = clock.now()
        self.paused = False
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_EVERY_MS)
        self._timer.timeout.connect(self.check)

    def start(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.record_activity()
        self._timer.start()

    def stop(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._timer.stop()

    def set_minutes(self, minutes: int) -> None:
        self.timeout = timedelta(minutes=max(1, minutes))

    def record_activity(self) -> None:
        self.last_activity = self._clock.now()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY:
            self.last_activity = self._clock.now()
        return False

    def check(self) -> bool:
        """Emit `idle` (and return True) when the last activity is older than the timeout."""
        if self.paused or self._clock.now() - self.last_activity < self.timeout:
            return False
        self.idle.emit()
        return True


class LockScreen(QFrame):
    """Covers the window. `unlocked` after the right password; `sign_out_requested` to leave
    (also when too many wrong passwords have locked the account)."""

    unlocked = Signal()
    sign_out_requested = Signal(str)  # why ("" when the person chose to)

    def __init__(self, session: DesktopSession) -> None:
        super().__init__()
        self.setObjectName("LockScreen")
        self.session = session
        actor = session.ctx.actor
        name = actor.display_name if actor else ""
        self.password = line_edit(self.tr("Password to unlock"), password=True)
        self.password.setPlaceholderText(self.tr("Your password"))
        self.password.returnPressed.connect(self.submit)
        self.message = MessageLabel("error", self.tr("Unlock message"))
        self.busy = BusyBar()
        self.unlock_button = button(self.tr("Unlock"), self.tr("Unlock"), variant="primary")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.submit)
        self.sign_out_button = button(
            self.tr("Sign out"), self.tr("Sign out"), icon_name="signout", variant="link"
        )
        self.sign_out_button.clicked.connect(lambda: self.sign_out_requested.emit(""))

        frame, body = card(margins=32, spacing=14)
        glyph = QLabel()
        glyph.setPixmap(icon("lock", "#1b6e8a").pixmap(40, 40))
        glyph.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        body.addWidget(glyph)
        title = text_label(self.tr("Stethos is locked"), "title")
        title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        body.addWidget(title)
        who = text_label(
            self.tr("Signed in as {name}. Enter your password to continue.").format(name=name),
            "muted",
        )
        who.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        body.addWidget(who)
        body.addSpacing(4)
        body.addWidget(self.password)
        body.addWidget(self.message)
        body.addWidget(self.busy)
        row = QHBoxLayout()
        row.addWidget(self.sign_out_button)
        row.addStretch(1)
        row.addWidget(self.unlock_button)
        body.addLayout(row)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        holder = centered(frame, 440)
        holder.setObjectName("LockCanvas")  # unstyled: the lock screen's own colour shows
        layout.addWidget(holder)

    def reset(self) -> None:
        self.password.clear()
        self.message.clear_message()
        self._set_busy(False)
        self.password.setFocus()

    def submit(self) -> None:
        password = self.password.text()
        if not password:
            self.message.show_message(self.tr("Enter your password."))
            return
        self._set_busy(True)
        task = self.session.run(confirm_password, self.session.ctx, password, owner=self)
        task.succeeded.connect(lambda _: self._unlocked())
        task.failed.connect(self._failed)

    def _unlocked(self) -> None:
        self._set_busy(False)
        self.password.clear()
        self.unlocked.emit()

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.password.clear()
        message = error_message(error)
        self.message.show_message(message)
        self.password.setFocus()
        if isinstance(error, AccountLockedOut):
            self.sign_out_requested.emit(message)

    def _set_busy(self, busy: bool) -> None:
        self.password.setEnabled(not busy)
        self.unlock_button.setEnabled(not busy)
        self.busy.setVisible(busy)
