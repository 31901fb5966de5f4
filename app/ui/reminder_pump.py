"""Sends appointment reminders in the background while someone who schedules is signed in.

Every few minutes a round (app/ui/reminder_round.py) queues what is due and sends this
device's queue, on a thread of its own so a slow or unreachable mail server never holds
up the screens. Offline, messages simply wait in the queue and go out on a later round.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from app.services.context import AppContext
from app.services.permissions import Permission
from app.ui.reminder_round import ReminderRoundRunner

ROUND_INTERVAL_MS = 5 * 60 * 1000
FIRST_ROUND_DELAY_MS = 30 * 1000  # let sign-in and the first screen settle first


class ReminderPump(QObject):
    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.runner = ReminderRoundRunner(ctx, self)
        self._timer = QTimer(self)
        self._timer.setInterval(ROUND_INTERVAL_MS)
        self._timer.timeout.connect(self.run_round)

    @property
    def enabled(self) -> bool:
        actor = self.ctx.actor
        return actor is not None and actor.can(Permission.SCHEDULE)

    @property
    def busy(self) -> bool:
        return self.runner.busy

    def start(self) -> None:
        if self.enabled:
            self._timer.start()
            QTimer.singleShot(FIRST_ROUND_DELAY_MS, self, self.run_round)

    def run_round(self) -> None:
        """Start a round unless one is still going (a slow server can take a while)."""
        if self._timer.isActive():
            self.runner.start()

    def stop(self, wait_seconds: float = 10.0) -> None:
        """Before sign-out closes the database: no new round, and the current one ends."""
        self._timer.stop()
        self.runner.wait(wait_seconds)
