"""The reminder message log as a Qt table model (tested without widgets): when, patient,
channel, recipient, status, attempts and the last error, with a status filter."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from enum import IntEnum
from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor

from app.models import MessageStatus
from app.services.reminder_data import MessageView
from app.ui.admin.reminder_labels import channel_label, status_label
from app.ui.schedule.schedule_fields import moment_text
from app.ui.table_model import ROW_ROLE, ListTableModel

MESSAGE_ROLE = ROW_ROLE  # the row's MessageView
_NUMBER_ALIGNMENT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

STATUS_INK = {
    MessageStatus.SENT: QColor("#1f6b3a"),
    MessageStatus.FAILED: QColor("#a8261d"),
    MessageStatus.SKIPPED: QColor("#6b7680"),
    MessageStatus.QUEUED: QColor("#155a71"),
}


class LogColumn(IntEnum):
    WHEN = 0
    PATIENT = 1
    CHANNEL = 2
    RECIPIENT = 3
    STATUS = 4
    ATTEMPTS = 5
    LAST_ERROR = 6


def _tr(text: str) -> str:
    return QCoreApplication.translate("MessageLogModel", text)


HEADERS = {
    LogColumn.WHEN: "When",
    LogColumn.PATIENT: "Patient",
    LogColumn.CHANNEL: "Channel",
    LogColumn.RECIPIENT: "Sent to",
    LogColumn.STATUS: "Status",
    LogColumn.ATTEMPTS: "Attempts",
    LogColumn.LAST_ERROR: "Last error",
}


class MessageLogModel(ListTableModel[MessageView]):
    """Rows are the service's log, newest first; `set_status_filter` shows one status only.
    Times show in the practice's time zone (`set_messages(..., zone=...)`)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__([HEADERS[column] for column in LogColumn], parent)
        self._all: list[MessageView] = []
        self._status: MessageStatus | None = None
        self._zone = ZoneInfo("UTC")

    # -- contents ------------------------------------------------------------------------

    def set_messages(self, messages: Sequence[MessageView], zone: str | None = None) -> None:
        self._all = list(messages)
        if zone:
            self._zone = ZoneInfo(zone)
        self._set_rows(self._filtered())

    def clear(self) -> None:
        """Forget every row (the screen is locking): patient names and addresses go."""
        self.set_messages([])

    def set_status_filter(self, status: MessageStatus | None) -> None:
        """Show only messages with `status` (None: all of them)."""
        self._status = status
        self._set_rows(self._filtered())

    @property
    def status_filter(self) -> MessageStatus | None:
        return self._status

    def counts(self) -> Counter[MessageStatus]:
        """How many messages of each status the log holds (whatever the filter)."""
        return Counter(message.status for message in self._all)

    def total(self) -> int:
        return len(self._all)

    def message_at(self, row: int) -> MessageView | None:
        return self.row_at(row)

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self._zone)

    def _filtered(self) -> list[MessageView]:
        if self._status is None:
            return list(self._all)
        return [message for message in self._all if message.status is self._status]

    def when(self, message: MessageView) -> datetime:
        """When it went (if sent), else when it was queued or logged."""
        return self.local(message.sent_at or message.created_at)

    def status_text(self, message: MessageView) -> str:
        if message.status is MessageStatus.QUEUED:
            if not message.queued_here:
                return _tr("Queued on another computer")
            if message.attempts:  # the day too: a 4-hour wait can cross midnight
                return _tr("Will retry {moment}").format(
                    moment=moment_text(self.local(message.next_attempt_at))
                )
        return status_label(message.status)

    # -- cells ---------------------------------------------------------------------------

    def cell_text(self, message: MessageView, column: int) -> str:
        if column == LogColumn.WHEN:
            return moment_text(self.when(message))
        if column == LogColumn.PATIENT:
            return message.patient_name
        if column == LogColumn.CHANNEL:
            return channel_label(message.channel)
        if column == LogColumn.RECIPIENT:
            return message.recipient or _tr("(none on file)")
        if column == LogColumn.STATUS:
            return self.status_text(message)
        if column == LogColumn.ATTEMPTS:
            return str(message.attempts)
        return message.last_error or ""

    def cell_tip(self, message: MessageView, column: int) -> str | None:
        if column == LogColumn.LAST_ERROR and message.last_error:
            return message.last_error
        if column == LogColumn.STATUS and message.status is MessageStatus.QUEUED:
            if not message.queued_here:
                return _tr("The computer that queued this reminder is the one that sends it.")
            return _tr("Goes out on the next round (every 5 minutes), or with Send now.")
        if column == LogColumn.WHEN:
            queued = moment_text(self.local(message.created_at))
            return _tr("Queued {moment}").format(moment=queued)
        return None

    def cell_ink(self, message: MessageView, column: int) -> QColor | None:
        return STATUS_INK.get(message.status) if column == LogColumn.STATUS else None

    def cell_alignment(self, column: int) -> int | None:
        return _NUMBER_ALIGNMENT if column == LogColumn.ATTEMPTS else None
