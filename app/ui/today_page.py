"""Today: the first page after signing in — who is signed in, the date, and the shortcuts."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QDateTime, QLocale, QTimeZone
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout

from app.ui.labels import role_label
from app.ui.pages import Page
from app.ui.session import DesktopSession
from app.ui.widgets import card, shortcut_grid, text_label


def greeting_for_hour(hour: int) -> str:
    if hour < 12:
        return "Good morning"
    if hour < 18:
        return "Good afternoon"
    return "Good evening"


class TodayPage(Page):
    def __init__(self, session: DesktopSession, shortcuts: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.session = session
        actor = session.ctx.actor
        now = QDateTime.fromSecsSinceEpoch(
            int(session.ctx.clock.now().timestamp()), QTimeZone.systemTimeZone()
        )
        first_name = actor.display_name.split()[0] if actor else ""
        greetings = {
            "Good morning": self.tr("Good morning, {name}"),
            "Good afternoon": self.tr("Good afternoon, {name}"),
            "Good evening": self.tr("Good evening, {name}"),
        }
        self.greeting = text_label(
            greetings[greeting_for_hour(now.time().hour())].format(name=first_name), "title"
        )
        self.greeting.setAccessibleName(self.tr("Greeting"))
        date_text = QLocale().toString(now.date(), QLocale.FormatType.LongFormat)
        self.date_label = text_label(f"{date_text} · {session.practice_label}", "muted")

        signed_in, signed_in_body = card(margins=22, spacing=8)
        signed_in_body.addWidget(text_label(self.tr("Signed in"), "heading"))
        if actor is not None:
            who = QLabel(f"{actor.display_name} · {role_label(actor.role)}")
            who.setAccessibleName(self.tr("Your account"))
            signed_in_body.addWidget(who)
            signed_in_body.addWidget(
                text_label(
                    self.tr("User name: {username}").format(username=actor.username), "muted"
                )
            )
        self.lock_note = text_label("", "muted")
        signed_in_body.addSpacing(6)
        signed_in_body.addWidget(self.lock_note)
        signed_in_body.addStretch(1)
        self.set_auto_lock_minutes(10)

        keys, keys_body = card(margins=22, spacing=8)
        keys_body.addWidget(text_label(self.tr("Keyboard shortcuts"), "heading"))
        grid = shortcut_grid(shortcuts)
        keys_body.addLayout(grid)
        keys_body.addStretch(1)

        cards = QHBoxLayout()
        cards.setSpacing(16)
        cards.addWidget(signed_in, 1)
        cards.addWidget(keys, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 24)
        layout.setSpacing(6)
        layout.addWidget(self.greeting)
        layout.addWidget(self.date_label)
        layout.addSpacing(18)
        layout.addLayout(cards)
        layout.addStretch(1)

    def set_auto_lock_minutes(self, minutes: int) -> None:
        self.lock_note.setText(
            self.tr(
                "The screen locks after {minutes} minutes without activity, and patient "
                "details are cleared from view. Press Ctrl+L to lock it now when you step away."
            ).format(minutes=minutes)
        )
