"""Pieces of the template dialog: the placeholders one can click to insert, and the live
preview filled in with a sample patient and visit."""

from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from app.models import Channel
from app.services.errors import DomainError
from app.services.reminder_texts import (
    MAX_EMAIL_BODY,
    MAX_SMS_BODY,
    PLACEHOLDERS,
    check_placeholders,
    render,
)
from app.ui.schedule.schedule_fields import time_text
from app.ui.widgets import button, text_label

_PREVIEW_STYLE = """
QFrame#ReminderPreview { background: #ffffff; border: 1px solid #dde2e6; border-radius: 8px; }
QLabel#PreviewSubject { font-weight: 600; }
QPlainTextEdit#PreviewBody { background: transparent; border: none; padding: 0; }
"""


def sample_facts(practice_name: str, now: datetime) -> dict[str, str]:
    """Placeholder values for the preview: a made-up patient, tomorrow at 10:30 AM."""
    visit = (now + timedelta(days=1)).replace(hour=10, minute=30)
    return {
        "patient_first_name": "Ana",
        "provider_name": "Priya Patel, MD",
        "date": f"{visit:%A, %B} {visit.day}",
        "time": time_text(visit),
        "practice_name": practice_name or "Riverside Family Medicine",
        "practice_phone": "(312) 555-0100",
    }


class PlaceholderList(QWidget):
    """Each placeholder as a button (click it, or Tab to it and press Space), saying what it
    stands for in its tooltip; `chosen("{date}")` asks for it to go where the cursor is."""

    chosen = Signal(str)

    def __init__(self, columns: int = 3) -> None:
        super().__init__()
        self.setAccessibleName(self.tr("Placeholders"))
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(0)
        self.buttons: list[QWidget] = []
        for number, (name, meaning) in enumerate(PLACEHOLDERS.items()):
            token = "{" + name + "}"
            insert = button(token, self.tr("Insert {token}").format(token=token), variant="link")
            insert.setAccessibleDescription(meaning)
            insert.setToolTip(
                self.tr("Insert {token}: {meaning}").format(token=token, meaning=meaning)
            )
            insert.clicked.connect(lambda _=False, t=token: self.chosen.emit(t))
            self.buttons.append(insert)
            grid.addWidget(insert, number // columns, number % columns, Qt.AlignmentFlag.AlignLeft)
        grid.setColumnStretch(columns - 1, 1)


class TemplatePreview(QFrame):
    """The reminder as a patient would get it, or why it cannot be filled in yet."""

    def __init__(self, practice_name: str, now: datetime) -> None:
        super().__init__()
        self.setObjectName("ReminderPreview")
        self.setStyleSheet(_PREVIEW_STYLE)
        self.facts = sample_facts(practice_name, now)
        self.subject = QLabel()
        self.subject.setObjectName("PreviewSubject")
        self.subject.setAccessibleName(self.tr("Preview subject"))
        self.subject.setWordWrap(True)
        self.body = QPlainTextEdit()
        self.body.setObjectName("PreviewBody")
        self.body.setAccessibleName(self.tr("Preview"))
        self.body.setReadOnly(True)
        self.body.setTabChangesFocus(True)
        self.body.setFrameShape(QFrame.Shape.NoFrame)
        self.body.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.body.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.body.setMinimumHeight(120)
        self.body.document().setDocumentMargin(0)  # level with the subject above it
        self.problem = text_label("", "field-error")
        self.problem.setAccessibleName(self.tr("Preview problem"))
        self.problem.hide()
        self.length = text_label("", "hint")
        self.length.setAccessibleName(self.tr("Message length"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(6)
        layout.addWidget(self.problem)  # on top, where the eye starts
        layout.addWidget(self.subject)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.length)

    def show_template(self, channel: Channel, subject: str, body: str) -> None:
        email = channel is Channel.EMAIL
        try:
            if email:
                check_placeholders(subject, "subject")
            check_placeholders(body, "message")
        except DomainError as exc:
            self._show_problem(str(exc))
            return
        self.problem.hide()
        filled_subject = render(subject, self.facts).strip() if email else ""
        filled = render(body, self.facts).strip()
        self.subject.setText(filled_subject or self.tr("(no subject yet)"))
        self.subject.setVisible(email)
        self.body.setPlainText(filled or self.tr("(the message is empty)"))
        limit = MAX_EMAIL_BODY if email else MAX_SMS_BODY
        size = len(filled)
        text = self.tr("{n} of {limit} characters with these sample details").format(
            n=size, limit=limit
        )
        if not email and size > 160:
            text += self.tr(" · sent as {parts} text messages").format(parts=-(-size // 153))
        self.length.setText(text)
        self.length.setProperty("role", "field-error" if size > limit else "hint")
        self.length.style().polish(self.length)

    def _show_problem(self, text: str) -> None:
        self.subject.hide()
        self.body.clear()
        self.length.setText("")
        self.problem.setText(text)
        self.problem.show()
