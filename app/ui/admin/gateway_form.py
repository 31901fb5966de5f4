"""The practice's reminder gateways: its mail server and its SMS gateway (administrators).

A saved password or token is never shown back: its field stays blank, and blank keeps it
(as the service documents); "Remove" forgets it. Typed secrets are cleared when the screen
locks; anything else typed stays until it is saved."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QVBoxLayout, QWidget

from app.services.errors import DomainError
from app.services.reminder_settings import (
    DEFAULT_SMTP_PORT,
    GatewaySettings,
    GatewaySettingsInput,
)
from app.services.reminders import ReminderService
from app.ui.schedule.schedule_widgets import NumberField
from app.ui.session import DesktopSession
from app.ui.tasks import error_message
from app.ui.widgets import (
    BusyBar,
    MessageLabel,
    button,
    card,
    form_layout,
    form_row,
    inline_row,
    line_edit,
    text_label,
)


class SecretField(QWidget):
    """A password or token: blank keeps the saved one; the box beside it removes it."""

    def __init__(self, name: str, remove_text: str, remove_name: str) -> None:
        super().__init__()
        self.edit = line_edit(name, password=True)
        self.edit.setMaxLength(500)
        self.remove = QCheckBox(remove_text)
        self.remove.setAccessibleName(remove_name)
        self.remove.toggled.connect(self._remove_toggled)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        column.addWidget(self.edit)
        column.addWidget(self.remove)
        self.setFocusProxy(self.edit)
        self.show_saved(False)

    def show_saved(self, saved: bool, *, keep_typed: bool = False) -> None:
        """Say whether one is saved (and forget what was typed, unless `keep_typed`)."""
        if not keep_typed or not saved:
            self.remove.setChecked(False)
        if not keep_typed:
            self.edit.clear()
        self.remove.setVisible(saved)
        self.edit.setPlaceholderText(
            self.tr("Saved · leave blank to keep it") if saved else self.tr("None saved")
        )

    def value(self) -> str | None:
        """None keeps the saved secret, "" removes it, anything else replaces it."""
        if self.remove.isChecked():
            return ""
        return self.edit.text() or None

    def _remove_toggled(self, removing: bool) -> None:
        if removing:
            self.edit.clear()
        self.edit.setEnabled(not removing)


class GatewayForm(QWidget):
    """`saved(GatewaySettings)` after the service stored them."""

    saved = Signal(object)

    def __init__(self, session: DesktopSession) -> None:
        super().__init__()
        self.session = session
        self.service = ReminderService(session.ctx)
        self._dirty = False
        self._generation = 0

        self.smtp_host = line_edit(self.tr("Mail server"), placeholder="smtp.example.com")
        self.smtp_port = NumberField(self.tr("Mail server port"), 1, 65535, width=80)
        self.smtp_port.setValue(DEFAULT_SMTP_PORT)
        self.smtp_sender = line_edit(
            self.tr("Sender address"), placeholder="reminders@yourpractice.com"
        )
        self.smtp_username = line_edit(self.tr("Mail user name"))
        self.smtp_password = SecretField(
            self.tr("Mail password"),
            self.tr("Remove saved password"),
            self.tr("Remove saved mail password"),
        )
        self.starttls = QCheckBox(self.tr("Encrypt the connection (STARTTLS)"))
        self.starttls.setAccessibleName(self.tr("Use STARTTLS"))
        self.sms_url = line_edit(
            self.tr("SMS gateway address"), placeholder="https://sms.example.com/v1/messages"
        )
        self.sms_token = SecretField(
            self.tr("SMS gateway token"),
            self.tr("Remove saved token"),
            self.tr("Remove saved SMS token"),
        )
        self.email_state = text_label("", "hint")
        self.email_state.setAccessibleName(self.tr("E-mail gateway state"))
        self.sms_state = text_label("", "hint")
        self.sms_state.setAccessibleName(self.tr("SMS gateway state"))
        self.message = MessageLabel("error", self.tr("Gateway message"))
        self.busy = BusyBar()
        self.save_button = button(
            self.tr("Save gateways"), self.tr("Save gateway settings"), variant="primary"
        )
        self.save_button.setToolTip(self.tr("Save the mail server and SMS gateway"))
        self.save_button.clicked.connect(self.save)

        port_row = inline_row(self.smtp_port, self.starttls, spacing=16)
        port_row.setFocusProxy(self.smtp_port)

        mail, mail_body = card(margins=20, spacing=10)
        mail_body.addWidget(text_label(self.tr("E-mail (your mail server)"), "heading"))
        mail_body.addWidget(self.email_state)
        mail_form = form_layout()
        form_row(mail_form, self.tr("Mail &server"), self.smtp_host)
        form_row(mail_form, self.tr("&Port"), port_row, self.smtp_port)
        form_row(mail_form, self.tr("Send &from"), self.smtp_sender)
        form_row(mail_form, self.tr("&User name"), self.smtp_username)
        form_row(mail_form, self.tr("Pass&word"), self.smtp_password, self.smtp_password.edit)
        mail_body.addLayout(mail_form)

        sms, sms_body = card(margins=20, spacing=10)
        sms_body.addWidget(text_label(self.tr("Text messages (SMS gateway)"), "heading"))
        sms_body.addWidget(self.sms_state)
        sms_form = form_layout()
        form_row(sms_form, self.tr("Gateway &address"), self.sms_url)
        form_row(sms_form, self.tr("To&ken"), self.sms_token, self.sms_token.edit)
        sms_body.addLayout(sms_form)
        sms_body.addWidget(
            text_label(
                self.tr(
                    "Stethos posts each text as JSON to this address over HTTPS. Leave the "
                    "address empty to send no text messages."
                ),
                "hint",
            )
        )

        actions = QHBoxLayout()
        actions.addWidget(
            text_label(
                self.tr("Passwords and tokens are stored encrypted and never shown."), "hint"
            ),
            1,
        )
        actions.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        columns = QHBoxLayout()
        columns.setSpacing(16)
        columns.addWidget(mail, 1, Qt.AlignmentFlag.AlignTop)
        columns.addWidget(sms, 1, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(columns)
        layout.addWidget(self.message)
        layout.addWidget(self.busy)
        layout.addLayout(actions)
        layout.addStretch(1)

        for edit in (self.smtp_host, self.smtp_port, self.smtp_sender, self.smtp_username):
            edit.textEdited.connect(self._mark_dirty)
        for edit in (self.sms_url, self.smtp_password.edit, self.sms_token.edit):
            edit.textEdited.connect(self._mark_dirty)
        self.starttls.toggled.connect(self._mark_dirty)
        for edit in (self.smtp_host, self.smtp_sender, self.smtp_username, self.sms_url):
            edit.returnPressed.connect(self.save)
        for secret in (self.smtp_password.edit, self.sms_token.edit):
            secret.returnPressed.connect(self.save)
        self.smtp_port.returnPressed.connect(self.save)

    # -- loading -------------------------------------------------------------------------

    def reload(self) -> None:
        generation = self._generation
        task = self.session.run(self.service.gateway_settings, owner=self)
        task.succeeded.connect(lambda value: self._loaded(value, generation))
        task.failed.connect(self._failed)

    def clear_sensitive(self) -> None:
        """Typed passwords and tokens go when the screen locks."""
        self._generation += 1
        for secret in (self.smtp_password, self.sms_token):
            secret.edit.clear()
        self.message.clear_message()

    def _loaded(self, settings: GatewaySettings, generation: int) -> None:
        if generation != self._generation:
            return
        self.show_settings(settings, keep_typed=self._dirty)

    def show_settings(self, settings: GatewaySettings, *, keep_typed: bool = False) -> None:
        if not keep_typed:
            self.smtp_host.setText(settings.smtp_host or "")
            self.smtp_port.setValue(settings.smtp_port)
            self.smtp_sender.setText(settings.smtp_sender or "")
            self.smtp_username.setText(settings.smtp_username or "")
            self.starttls.setChecked(settings.smtp_starttls)
            self.sms_url.setText(settings.sms_url or "")
            self._dirty = False
        self.smtp_password.show_saved(settings.has_smtp_password, keep_typed=keep_typed)
        self.sms_token.show_saved(settings.has_sms_token, keep_typed=keep_typed)
        self.email_state.setText(
            self.tr("Ready: e-mail reminders are sent from {sender}.").format(
                sender=settings.smtp_sender
            )
            if settings.email_ready
            else self.tr("Not set up: e-mail reminders wait in the queue.")
        )
        self.sms_state.setText(
            self.tr("Ready: text reminders go through this gateway.")
            if settings.sms_ready
            else self.tr("Not set up: text reminders wait in the queue.")
        )

    # -- saving --------------------------------------------------------------------------

    def settings_input(self) -> GatewaySettingsInput:
        """What the form says (the port is checked here: a number from 1 to 65535)."""
        return GatewaySettingsInput(
            smtp_host=self.smtp_host.text(),
            smtp_port=self.smtp_port.value(),
            smtp_sender=self.smtp_sender.text(),
            smtp_username=self.smtp_username.text(),
            smtp_password=self.smtp_password.value(),
            smtp_starttls=self.starttls.isChecked(),
            sms_url=self.sms_url.text(),
            sms_token=self.sms_token.value(),
        )

    def save(self) -> None:
        if not self.save_button.isEnabled():
            return
        try:
            data = self.settings_input()
        except DomainError as exc:  # the port is not a number from 1 to 65535
            self._failed(exc)
            self.smtp_port.setFocus()
            return
        self._set_busy(True)
        task = self.session.run(self.service.save_gateway_settings, data, owner=self)
        task.succeeded.connect(self._saved)
        task.failed.connect(self._failed)

    def _saved(self, settings: GatewaySettings) -> None:
        self._set_busy(False)
        self.show_settings(settings)
        self._notice(self.tr("Gateway settings saved."))
        self.saved.emit(settings)

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.message.show_as("error", error_message(error))

    def _notice(self, text: str) -> None:
        self.message.show_as("notice", text)

    def _set_busy(self, busy: bool) -> None:
        self.save_button.setEnabled(not busy)
        self.busy.setVisible(busy)
        if busy:
            self.message.clear_message()

    def _mark_dirty(self, *_args: object) -> None:
        self._dirty = True
