"""Admin → Reminders: the message log (with "Send now"), the reminder templates, and the
practice's mail server and SMS gateway (for those who manage settings)."""

from __future__ import annotations

from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from app.services.permissions import Permission
from app.ui.admin.gateway_form import GatewayForm
from app.ui.admin.message_log_view import MessageLogView
from app.ui.admin.reminder_widgets import SegmentBar
from app.ui.admin.template_section import TemplateSection
from app.ui.session import DesktopSession
from app.ui.widgets import text_label


class RemindersPanel(QWidget):
    """Shows what the signed-in role may use: the log and templates need scheduling rights,
    the gateways need the right to manage settings. Keeps the Page contract:
    `clear_sensitive()` on lock, `reload()` after unlock and when first shown."""

    def __init__(self, session: DesktopSession) -> None:
        super().__init__()
        self.session = session
        self.setAccessibleName(self.tr("Reminders"))
        actor = session.ctx.actor
        schedules = actor is not None and actor.can(Permission.SCHEDULE)
        manages = actor is not None and actor.can(Permission.MANAGE_SETTINGS)
        self.log: MessageLogView | None = MessageLogView(session) if schedules else None
        self.templates: TemplateSection | None = TemplateSection(session) if schedules else None
        self.gateways: GatewayForm | None = GatewayForm(session) if manages else None

        sections: list[tuple[str, str, QWidget]] = []
        if self.log is not None:
            sections.append((self.tr("&Message log"), self.tr("Message log section"), self.log))
        if self.templates is not None:
            sections.append((self.tr("&Templates"), self.tr("Templates section"), self.templates))
        if self.gateways is not None:
            sections.append((self.tr("&Gateways"), self.tr("Gateways section"), self.gateways))
        self.stack = QStackedWidget()
        for _text, _name, widget in sections:
            self.stack.addWidget(widget)
        self.switch = SegmentBar([(text, name) for text, name, _widget in sections])
        self.switch.chosen.connect(self.stack.setCurrentIndex)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 24)
        layout.setSpacing(14)
        layout.addWidget(text_label(self.tr("Reminders"), "title"))
        layout.addWidget(
            text_label(
                self.tr(
                    "Appointment reminders by e-mail and text message. While someone who "
                    "schedules is signed in, Stethos queues the ones that are due and sends "
                    "them every 5 minutes; patients who have not agreed to a channel are "
                    "skipped."
                ),
                "muted",
            )
        )
        if sections:
            layout.addWidget(self.switch)
            layout.addWidget(self.stack, 1)
        else:
            layout.addWidget(text_label(self.tr("Your role does not manage reminders."), "muted"))
            layout.addStretch(1)

    def show_section(self, widget: QWidget) -> None:
        index = self.stack.indexOf(widget)
        if index >= 0:
            self.switch.choose(index)

    def clear_sensitive(self) -> None:
        """Empty every list that holds patient names, addresses or message texts, and any
        typed password or token."""
        for part in (self.log, self.templates, self.gateways):
            if part is not None:
                part.clear_sensitive()

    def reload(self) -> None:
        for part in (self.log, self.templates, self.gateways):
            if part is not None:
                part.reload()
