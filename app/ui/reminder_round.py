"""The "Send now" button: one reminder round (queue what is due, then send this device's
queue) run at once, with its result for the screen.

Like the main window's ReminderPump, the round runs on a thread of its own rather than the
database worker: a slow or unreachable mail server may take half a minute per message, and
no other screen should wait for it. The service holds each message it is sending (a lease),
so a click that overlaps the pump's timer round never sends a reminder twice.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Signal, SignalInstance

from app.models import Channel
from app.services.context import AppContext
from app.services.reminder_data import QueueResult, SendResult
from app.services.reminders import ReminderService
from app.ui.admin.reminder_labels import round_summary

log = logging.getLogger(__name__)


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReminderRound", text)


@dataclass(frozen=True)
class RoundOutcome:
    queued: QueueResult
    sent: SendResult
    channels: frozenset[Channel]  # the gateways that were set up for this round

    def summary(self) -> str:
        """What happened ("2 sent, 1 will be retried.") and which gateway is missing."""
        text = round_summary(self.queued, self.sent)
        if not self.channels:
            return (
                text
                + " "
                + _tr(
                    "No mail server or SMS gateway is set up yet, so reminders wait in the queue."
                )
            )
        if Channel.EMAIL not in self.channels:
            return text + " " + _tr("No mail server is set up: e-mail reminders wait.")
        if Channel.SMS not in self.channels:
            return text + " " + _tr("No SMS gateway is set up: text reminders wait.")
        return text


def run_round_now(ctx: AppContext) -> RoundOutcome:
    """Queue the reminders that are due, then send what this device has queued."""
    service = ReminderService(ctx)
    queued = service.queue_due_reminders()
    transport = service.configured_transport()
    sent = service.send_due(transport)
    return RoundOutcome(queued, sent, transport.channels)


class ReminderRoundRunner(QObject):
    """Runs one round at a time off the UI thread; `finished(RoundOutcome)` or
    `failed(exception)` arrive on the UI thread."""

    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._thread: threading.Thread | None = None

    @property
    def busy(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> bool:
        """Start a round; False if one is still going."""
        if self.busy:
            return False
        self._thread = threading.Thread(target=self._round, name="reminders-now", daemon=True)
        self._thread.start()
        return True

    def wait(self, seconds: float) -> None:
        """Let a running round end (before the session closes)."""
        if self._thread is not None:
            self._thread.join(seconds)

    def _round(self) -> None:
        try:
            outcome = run_round_now(self.ctx)
        except Exception as exc:  # shown in place; the next round tries again
            # The type only: an exception's text could name a patient or an address.
            log.warning("reminder round failed: %s", type(exc).__name__)
            self._emit(self.failed, exc)
        else:
            self._emit(self.finished, outcome)

    def _emit(self, signal: SignalInstance, value: object) -> None:
        # From this thread; Qt queues it to the runner's. A runner gone with its screen
        # simply drops the answer.
        if not shiboken6.isValid(self):
            return
        with contextlib.suppress(RuntimeError):
            signal.emit(value)
