"""The reminder message log: every reminder queued, sent, failed or skipped, a status
filter, the selected message's text, and "Send now" to run a round at once."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.models import MessageStatus
from app.services.practice import PracticeInfo, PracticeSummary
from app.services.reminder_data import MessageView, RemindersChanged
from app.services.reminders import ReminderService
from app.ui.admin.message_log_model import MESSAGE_ROLE, LogColumn, MessageLogModel
from app.ui.admin.reminder_labels import channel_label, status_label
from app.ui.admin.reminder_widgets import list_table
from app.ui.notices import NoticeBridge
from app.ui.reminder_round import ReminderRoundRunner, RoundOutcome
from app.ui.session import DesktopSession
from app.ui.tasks import error_message
from app.ui.widgets import BusyBar, MessageLabel, button, text_label

REFRESH_DELAY_MS = 250  # a round sends many notices; redraw once they settle
_FILTERS = (
    None,
    MessageStatus.QUEUED,
    MessageStatus.SENT,
    MessageStatus.FAILED,
    MessageStatus.SKIPPED,
)
_DETAILS_STYLE = """
QPlainTextEdit#MessageText { background: #ffffff; border: 1px solid #dde2e6;
    border-radius: 8px; padding: 6px 8px; }
QPlainTextEdit#MessageText:focus { border: 2px solid #1b6e8a; padding: 5px 7px; }
"""


class MessageLogView(QWidget):
    def __init__(self, session: DesktopSession) -> None:
        super().__init__()
        self.session = session
        self.service = ReminderService(session.ctx)
        self._generation = 0  # bumped on lock: answers to older requests are dropped
        self._cleared = True
        self._zone: str | None = None
        self.model = MessageLogModel(self)
        self.runner = ReminderRoundRunner(session.ctx, self)
        self.runner.finished.connect(self._round_finished)
        self.runner.failed.connect(self._round_failed)

        self.filter = QComboBox()
        self.filter.setAccessibleName(self.tr("Show messages"))
        self.filter.setMinimumContentsLength(18)
        self.filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        for status in _FILTERS:
            self.filter.addItem(self._filter_text(status, None), status.value if status else None)
        self.filter.currentIndexChanged.connect(self._filter_changed)
        show = QLabel(self.tr("S&how"))
        show.setBuddy(self.filter)
        self.send_button = button(
            self.tr("Se&nd now"), self.tr("Send now"), variant="primary", icon_name="check"
        )
        self.send_button.setToolTip(
            self.tr(
                "Queue the reminders that are due and send them now, instead of waiting for "
                "the next round (every 5 minutes)"
            )
        )
        self.send_button.clicked.connect(self.send_now)
        self.result = MessageLabel("notice", self.tr("Send result"))
        self.busy = BusyBar()
        self.table = list_table(self.model, self.tr("Message log"), LogColumn.LAST_ERROR)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_selected())
        self._nothing_yet = self.tr(
            "No reminders yet. Each one appears here when a visit comes within its "
            "template's time before the visit (for example the day before)."
        )
        self.empty = text_label(self._nothing_yet, "muted")
        self.empty.setAccessibleName(self.tr("No messages"))
        self.empty.hide()  # until the log has loaded
        self.details = QPlainTextEdit()
        self.details.setObjectName("MessageText")
        self.details.setStyleSheet(_DETAILS_STYLE)
        self.details.setAccessibleName(self.tr("Message text"))
        self.details.setReadOnly(True)
        self.details.setTabChangesFocus(True)
        self.details.setMinimumHeight(90)
        self.details.hide()
        self.split = QSplitter(Qt.Orientation.Vertical)
        self.split.setChildrenCollapsible(False)
        self.split.addWidget(self.table)
        self.split.addWidget(self.details)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 1)

        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(show)
        top.addWidget(self.filter)
        top.addStretch(1)
        top.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addWidget(self.result)
        layout.addWidget(self.busy)
        layout.addWidget(self.empty)
        layout.addWidget(self.split, 1)
        layout.addStretch(0)  # keeps the rest at the top while the list is hidden

        self._refresh = QTimer(self)
        self._refresh.setSingleShot(True)
        self._refresh.setInterval(REFRESH_DELAY_MS)
        self._refresh.timeout.connect(self._refresh_if_shown)
        self._notices = NoticeBridge(session.ctx.bus, RemindersChanged, parent=self)
        self._notices.received.connect(lambda _notice: self._refresh.start())

    # -- loading -------------------------------------------------------------------------

    def reload(self) -> None:
        self._cleared = False
        generation = self._generation
        if self._zone is None:
            zone_task = self.session.run(PracticeInfo(self.session.ctx).summary, owner=self)
            zone_task.succeeded.connect(lambda summary: self._set_zone(summary, generation))
        task = self.session.run(self.service.messages, owner=self)
        task.succeeded.connect(lambda messages: self._show(messages, generation))
        task.failed.connect(self._failed)

    def clear_sensitive(self) -> None:
        """Patient names, addresses and message texts go when the screen locks."""
        self._generation += 1
        self._cleared = True
        self._refresh.stop()
        self.model.clear()
        self.details.clear()
        self.details.hide()
        self.result.clear_message()
        self._update_filter_counts()

    def _refresh_if_shown(self) -> None:
        if not self._cleared:
            self.reload()

    def _set_zone(self, summary: PracticeSummary, generation: int) -> None:
        if generation == self._generation:
            self._zone = summary.time_zone

    def _show(self, messages: list[MessageView], generation: int) -> None:
        if generation != self._generation:
            return  # the screen locked while this was loading
        chosen = self.selected()
        self.model.set_messages(messages, self._zone)
        self._update_filter_counts()
        self._show_emptiness()
        if chosen is not None:
            row = self.model.row_of(chosen.id)
            if row is not None:
                self.table.selectRow(row)
        self._show_selected()

    def _failed(self, error: BaseException) -> None:
        self.result.show_as("error", error_message(error))

    # -- filter and selection ------------------------------------------------------------

    def _filter_text(self, status: MessageStatus | None, count: int | None) -> str:
        name = self.tr("All messages") if status is None else status_label(status)
        return name if count is None else self.tr("{name} ({n})").format(name=name, n=count)

    def _update_filter_counts(self) -> None:
        counts = self.model.counts()
        for index, status in enumerate(_FILTERS):
            count = self.model.total() if status is None else counts.get(status, 0)
            shown = None if self._cleared else count
            self.filter.setItemText(index, self._filter_text(status, shown))

    def _filter_changed(self) -> None:
        chosen = self.filter.currentData()  # Qt hands the enum back as its str
        self.model.set_status_filter(MessageStatus(chosen) if chosen else None)
        self._show_emptiness()
        self._show_selected()

    def _show_emptiness(self) -> None:
        """The list, or a line saying why there is nothing to list."""
        empty = self.model.rowCount() == 0
        status = self.model.status_filter
        if self.model.total() and status is not None:
            self.empty.setText(
                self.tr("No messages are {status}.").format(status=status_label(status).lower())
            )
        else:
            self.empty.setText(self._nothing_yet)
        self.empty.setVisible(empty)
        self.split.setVisible(not empty)

    def selected(self) -> MessageView | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(MESSAGE_ROLE) if rows else None

    def _show_selected(self) -> None:
        message = self.selected()
        if message is None:
            self.details.clear()
            self.details.hide()
            return
        lines = [
            self.tr("{channel} to {recipient} · {status}").format(
                channel=channel_label(message.channel),
                recipient=message.recipient or "—",
                status=self.model.status_text(message),
            )
        ]
        if message.last_error:
            lines.append(self.tr("Last error: {error}").format(error=message.last_error))
        lines.append("")
        if message.subject:
            lines.append(self.tr("Subject: {subject}").format(subject=message.subject))
        lines.append(message.body)
        self.details.setPlainText("\n".join(lines))
        self.details.show()

    # -- send now ------------------------------------------------------------------------

    def send_now(self) -> None:
        if self._cleared or not self.runner.start():
            return
        self.send_button.setEnabled(False)
        self.busy.show()
        self.result.clear_message()

    def _round_finished(self, outcome: RoundOutcome) -> None:
        self._round_over()
        if self._cleared:
            return
        self.result.show_as("notice", outcome.summary())
        self._refresh.stop()
        self.reload()

    def _round_failed(self, error: BaseException) -> None:
        self._round_over()
        if not self._cleared:
            self._failed(error)

    def _round_over(self) -> None:
        self.send_button.setEnabled(True)
        self.busy.hide()
