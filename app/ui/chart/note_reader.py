"""A signed note as the chart keeps it: locked text, its signatures and addenda, and what may
still be done with it (an addendum, a co-signature, "entered in error")."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHBoxLayout, QTextBrowser, QVBoxLayout, QWidget

from app.models import NoteKind, NoteStatus
from app.services.note_data import NoteView, note_text
from app.services.notes import NoteService
from app.services.permissions import Permission
from app.ui.chart.reason_dialog import ReasonDialog, entered_in_error_dialog
from app.ui.session import DesktopSession
from app.ui.tasks import error_message
from app.ui.widgets import MessageLabel, button, text_label


def note_html(note: NoteView) -> str:
    """The note as the chart prints it (`note_text`), with its title, section headings and
    addenda set off so a long note reads at a glance."""
    headings = {section.label for section in note.sections}
    lines = note_text(note).split("\n")
    html = [
        f"<p style='font-size:large; font-weight:600; margin:0'>{escape(lines[0])}</p>",
        f"<p style='color:#56626d; margin:0 0 6px 0'>{escape(lines[1])}</p>",
    ]
    for line in lines[2:]:
        if not line:
            html.append("<p style='margin:0'>&nbsp;</p>")
        elif line in headings or line.startswith("Addendum by "):
            html.append(f"<p style='font-weight:600; margin:0'>{escape(line)}</p>")
        else:
            html.append(f"<p style='margin:0'>{escape(line)}</p>")
    return "".join(html)


class NoteReader(QWidget):
    changed = Signal(str)  # the note's id, after an addendum, co-signature or strike-through
    summary_requested = Signal(str)  # the encounter whose visit summary to print

    def __init__(self, session: DesktopSession) -> None:
        super().__init__()
        self.session = session
        self.note: NoteView | None = None
        actor = session.ctx.actor
        self.user_id = actor.user_id if actor else None
        self.can_sign = bool(actor and actor.can(Permission.SIGN_NOTES))
        self.state = text_label("", "muted")
        self.state.setAccessibleName(self.tr("Note status"))
        self.warning = MessageLabel("error", self.tr("Note warning"))
        self.text = QTextBrowser()
        self.text.setAccessibleName(self.tr("Note text"))
        self.text.setOpenLinks(False)
        font = QFont(self.text.font())
        font.setPointSizeF(font.pointSizeF() + 0.5)
        self.text.setFont(font)
        self.addendum_button = button(self.tr("Add addendum…"), self.tr("Add addendum"))
        self.addendum_button.clicked.connect(self.add_addendum)
        self.cosign_button = button(self.tr("Co-sign"), self.tr("Co-sign"), variant="primary")
        self.cosign_button.clicked.connect(self.cosign)
        self.error_button = button(self.tr("Entered in error…"), self.tr("Entered in error"))
        self.error_button.clicked.connect(self.mark_in_error)
        self.summary_button = button(
            self.tr("Visit summary…"), self.tr("Visit summary"), icon_name="printer"
        )
        self.summary_button.clicked.connect(self._summary)
        self.message = MessageLabel()
        actions = QHBoxLayout()
        actions.setSpacing(8)
        for widget in (self.addendum_button, self.cosign_button, self.error_button):
            actions.addWidget(widget)
        actions.addStretch(1)
        actions.addWidget(self.summary_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.state)
        layout.addWidget(self.warning)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.message)
        layout.addLayout(actions)

    def show_note(self, note: NoteView) -> None:
        self.note = note
        self.message.clear_message()
        self.text.setHtml(note_html(note))
        font = self.text.font()
        font.setStrikeOut(note.in_error)  # struck through, still readable
        self.text.document().setDefaultFont(font)
        self.state.setText(
            self.tr("{status} · locked: only addenda can be added").format(status=note.status_label)
            if note.status in (NoteStatus.SIGNED, NoteStatus.AWAITING_COSIGN)
            else note.status_label
        )
        if note.intact:
            self.warning.clear_message()
        else:
            self.warning.show_message(
                self.tr("This note no longer matches what was signed. Tell the practice admin.")
            )
        open_for_more = note.status in (NoteStatus.SIGNED, NoteStatus.AWAITING_COSIGN)
        self.addendum_button.setVisible(open_for_more)
        self.error_button.setVisible(open_for_more)
        self.cosign_button.setVisible(
            note.status is NoteStatus.AWAITING_COSIGN
            and self.can_sign
            and note.cosigner_id == self.user_id
        )
        self.summary_button.setVisible(  # the after-visit summary comes from the doctor's note
            note.encounter_id is not None
            and note.kind is NoteKind.DOCTOR
            and note.status is NoteStatus.SIGNED
        )

    def clear(self) -> None:
        self.note = None
        self.text.clear()
        self.state.setText("")
        self.warning.clear_message()
        self.message.clear_message()

    # -- actions -------------------------------------------------------------------------

    def add_addendum(self) -> None:
        if self.note is None:
            return
        note_id = self.note.id
        service = NoteService(self.session.ctx)
        dialog = ReasonDialog(
            self.session,
            self.tr("Add addendum"),
            self.tr(
                "The addendum is signed with your name and the time as you save it, and "
                "shown below the note. The note itself does not change."
            ),
            self.tr("Sign addendum"),
            lambda text: service.add_addendum(note_id, text),
            self,
            placeholder=self.tr("What to add to the note"),
        )
        dialog.reason.setAccessibleName(self.tr("Addendum text"))
        dialog.reason.setFixedHeight(150)
        dialog.accepted.connect(lambda: self.changed.emit(note_id))
        dialog.open()

    def mark_in_error(self) -> None:
        if self.note is None:
            return
        note_id = self.note.id
        service = NoteService(self.session.ctx)
        dialog = entered_in_error_dialog(
            self.session,
            self.tr("note"),
            lambda reason: service.mark_entered_in_error(note_id, reason),
            self,
        )
        dialog.accepted.connect(lambda: self.changed.emit(note_id))
        dialog.open()

    def cosign(self) -> None:
        if self.note is None:
            return
        note_id = self.note.id
        task = self.session.run(NoteService(self.session.ctx).cosign, note_id, owner=self)
        task.succeeded.connect(lambda _view: self.changed.emit(note_id))
        task.failed.connect(lambda error: self.message.show_message(error_message(error)))

    def _summary(self) -> None:
        if self.note is not None and self.note.encounter_id:
            self.summary_requested.emit(self.note.encounter_id)
