"""Add or change a reminder template: channel, name, subject (e-mail), the message with
clickable placeholders, how long before the visit it goes, and a live preview. The
service checks everything; its refusal shows in the dialog and keeps what was typed."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.models import Channel
from app.services.errors import DomainError
from app.services.reminder_data import TemplateInput, TemplateView
from app.services.reminder_texts import MAX_HOURS_BEFORE
from app.services.reminders import ReminderService
from app.ui.admin.reminder_labels import channel_label
from app.ui.admin.reminder_preview import PlaceholderList, TemplatePreview
from app.ui.patients.dialogs import PatientDialog
from app.ui.patients.fields import text_field
from app.ui.schedule.schedule_widgets import NumberField
from app.ui.session import DesktopSession
from app.ui.widgets import form_layout, form_row, inline_row, text_label

_BODY_STYLE = """
QPlainTextEdit { background: #ffffff; border: 1px solid #c3cbd2; border-radius: 6px;
    padding: 4px; selection-background-color: #b9dbe6; selection-color: #1d2630; }
QPlainTextEdit:focus { border: 2px solid #1b6e8a; padding: 3px; }
"""


class ReminderTemplateDialog(PatientDialog):
    """`saved(TemplateView)` once the service has stored it; the dialog then closes."""

    saved = Signal(object)

    def __init__(
        self,
        session: DesktopSession,
        template: TemplateView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        title = self.tr("Edit reminder template") if template else self.tr("New reminder template")
        super().__init__(session, title, self.tr("Save template"), parent)
        self.setMinimumWidth(940)
        self.template = template
        self.service = ReminderService(session.ctx)

        self.channel = QComboBox()
        self.channel.setAccessibleName(self.tr("Channel"))
        for channel in (Channel.SMS, Channel.EMAIL):
            self.channel.addItem(channel_label(channel), channel.value)
        self.name = text_field(self.tr("Template name"), self.tr("e.g. Day-before reminder"), 100)
        self.subject = text_field(self.tr("Subject"), self.tr("Reminder: your visit on {date}"))
        self.subject.setMaxLength(200)
        self.body_edit = QPlainTextEdit()
        self.body_edit.setAccessibleName(self.tr("Message"))
        self.body_edit.setTabChangesFocus(True)  # Tab leaves the box; keyboard users are not stuck
        self.body_edit.setStyleSheet(_BODY_STYLE)
        self.body_edit.setMinimumHeight(200)
        self.placeholders = PlaceholderList()
        self.hours = NumberField(self.tr("Hours before the visit"), 1, MAX_HOURS_BEFORE, width=72)
        self.hours.setValue(24)
        self.active = QCheckBox(self.tr("Active: send this reminder before every visit"))
        self.active.setAccessibleName(self.tr("Active"))
        self.active.setChecked(True)
        self.preview = TemplatePreview(session.practice_label, session.ctx.clock.now())
        self._target: QLineEdit | QPlainTextEdit = self.body_edit

        form = self.form = form_layout()
        form_row(form, self.tr("&Channel"), self.channel)
        form_row(form, self.tr("&Name"), self.name)
        form_row(form, self.tr("&Subject"), self.subject)
        message_label = QLabel(self.tr("&Message"))
        message_label.setBuddy(self.body_edit)
        message_label.setFixedHeight(self.name.sizeHint().height())  # level with its first line
        form.addRow(message_label, self.body_edit)
        form.addRow(text_label(self.tr("Insert"), "muted"), self.placeholders)
        when = inline_row(self.hours, self.tr("hours before the visit (24 = the day before)"))
        form_row(form, self.tr("Send &when"), when, self.hours)
        form.addRow("", self.active)

        side = QVBoxLayout()
        side.setSpacing(8)
        side.addWidget(text_label(self.tr("Preview"), "heading"))
        side.addWidget(self.preview, 1)
        side.addWidget(
            text_label(
                self.tr(
                    "Filled in with a sample patient and visit. Reminders never say why the "
                    "patient is coming: they show on lock screens and shared inboxes."
                ),
                "hint",
            )
        )
        columns = QHBoxLayout()
        columns.setSpacing(24)
        columns.addLayout(form, 11)
        columns.addLayout(side, 9)
        self.content.addLayout(columns)

        self.channel.currentIndexChanged.connect(self._channel_changed)
        for edit in (self.name, self.subject):
            edit.textChanged.connect(self._refresh_preview)
        self.body_edit.textChanged.connect(self._refresh_preview)
        self.placeholders.chosen.connect(self.insert_placeholder)
        for field in (self.subject, self.body_edit):
            field.installEventFilter(self)
        save = QShortcut(QKeySequence.StandardKey.Save, self)
        save.activated.connect(self._save_shortcut)
        self.ok_button.setToolTip(self.tr("Save the template (Ctrl+Enter or Ctrl+S)"))
        self._fill(template)
        self.name.setFocus()

    # -- the form ------------------------------------------------------------------------

    def _fill(self, template: TemplateView | None) -> None:
        if template is not None:
            self.channel.setCurrentIndex(self.channel.findData(template.channel.value))
            self.name.setText(template.name)
            self.subject.setText(template.subject or "")
            self.body_edit.setPlainText(template.body)
            self.hours.setValue(template.hours_before)
            self.active.setChecked(template.active)
        self._channel_changed()

    def selected_channel(self) -> Channel:
        return Channel(self.channel.currentData())  # Qt hands the enum back as its str

    def _channel_changed(self) -> None:
        email = self.selected_channel() is Channel.EMAIL
        self.form.setRowVisible(self.subject, email)
        if not email and self._target is self.subject:
            self._target = self.body_edit
        self._refresh_preview()

    def _refresh_preview(self) -> None:
        self.preview.show_template(
            self.selected_channel(), self.subject.text(), self.body_edit.toPlainText()
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and _is_ctrl_enter(event)
        ):
            self._save_shortcut()  # the message box would take it as a new line
            return True
        if event.type() == QEvent.Type.FocusIn:
            if watched is self.subject:
                self._target = self.subject
            elif watched is self.body_edit:
                self._target = self.body_edit
        return super().eventFilter(watched, event)

    def insert_placeholder(self, token: str) -> None:
        """Put `token` at the cursor of the subject or message (whichever was last used)."""
        target = self._target
        if isinstance(target, QPlainTextEdit):
            target.insertPlainText(token)
        else:
            target.insert(token)
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def template_input(self) -> TemplateInput:
        """What the form says, or DomainError for a number that is out of range."""
        email = self.selected_channel() is Channel.EMAIL
        return TemplateInput(
            channel=self.selected_channel(),
            name=self.name.text(),
            body=self.body_edit.toPlainText(),
            subject=self.subject.text() if email else None,
            hours_before=self.hours.value(),
            active=self.active.isChecked(),
        )

    # -- saving --------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if _is_ctrl_enter(event):
            self._save_shortcut()
            return
        super().keyPressEvent(event)

    def _save_shortcut(self) -> None:
        if self.ok_button.isEnabled():
            self.submit()

    def submit(self) -> None:
        try:
            data = self.template_input()
        except DomainError as exc:
            self.refuse(exc)
            self.hours.setFocus()
            return
        template = self.template
        self.run(
            self.service.save_template,
            data,
            template.id if template else None,
            template.version if template else None,
            done=self._saved,
        )

    def _saved(self, view: Any) -> None:
        self.template = view
        self.saved.emit(view)
        self.accept()


def _is_ctrl_enter(event: QKeyEvent) -> bool:
    return event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and bool(
        event.modifiers() & Qt.KeyboardModifier.ControlModifier
    )
