"""Words shown for reminder values (channels, statuses, round results), kept here so they
can be translated and read the same on every reminder screen."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.models import Channel, MessageStatus
from app.services.reminder_data import QueueResult, SendResult


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReminderLabels", text)


def channel_label(channel: Channel) -> str:
    return {Channel.EMAIL: _tr("E-mail"), Channel.SMS: _tr("Text message")}.get(
        channel, str(channel)
    )


def status_label(status: MessageStatus) -> str:
    return {
        MessageStatus.QUEUED: _tr("Queued"),
        MessageStatus.SENT: _tr("Sent"),
        MessageStatus.FAILED: _tr("Failed"),
        MessageStatus.SKIPPED: _tr("Skipped"),
    }.get(status, str(status))


def hours_label(hours: int) -> str:
    """24 h → "1 day before"; 36 h → "36 hours before"."""
    if hours % 24 == 0:
        days = hours // 24
        return _tr("1 day before") if days == 1 else _tr("{n} days before").format(n=days)
    return _tr("1 hour before") if hours == 1 else _tr("{n} hours before").format(n=hours)


def round_summary(queued: QueueResult, sent: SendResult) -> str:
    """What one round did, as the desk would say it: "2 sent, 1 will be retried"."""
    skipped = queued.skipped + sent.skipped
    parts = []
    if sent.sent:
        parts.append(_tr("{n} sent").format(n=sent.sent))
    if sent.retrying:
        parts.append(_tr("{n} will be retried").format(n=sent.retrying))
    if sent.failed:
        parts.append(_tr("{n} failed").format(n=sent.failed))
    if skipped:
        parts.append(_tr("{n} skipped").format(n=skipped))
    if not parts:
        return _tr("Nothing was due to be sent.")
    return ", ".join(parts) + "."
