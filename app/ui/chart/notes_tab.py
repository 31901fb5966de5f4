"""The Notes tab: the patient's notes (newest first) beside the one being read or written.

A draft opens in the editor, which saves itself; "Sign" saves what is typed, asks once, and
locks the note. Signed notes open read-only, with addenda and co-signature."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.models import NoteKind, NoteStatus
from app.services.context import AppContext
from app.services.note_data import NoteRow, NoteView, SnippetView, format_time
from app.services.note_templates import NoteTemplateService
from app.services.notes import NoteService
from app.services.permissions import Permission
from app.services.practice import PracticeInfo
from app.services.schedule_data import ProviderView
from app.services.schedule_setup import ScheduleSetupService
from app.ui.chart.chart_tab import ChartTab
from app.ui.chart.note_editor import NoteEditor
from app.ui.chart.note_reader import NoteReader
from app.ui.chart.note_start import NewNoteDialog, NoteChoices, load_note_choices
from app.ui.chart.template_editor import open_template_editor
from app.ui.chart.visit_summary_preview import preview_visit_summary
from app.ui.session import DesktopSession
from app.ui.table_model import ROW_ROLE, ListTableModel
from app.ui.tables import style_row_table
from app.ui.tasks import error_message
from app.ui.widgets import (
    MessageLabel,
    add_shortcuts,
    box_button,
    button,
    message_box,
    pressed_name,
    text_label,
)

_DRAFT_INK = QColor("#8a5a00")
_ERROR_INK = QColor("#8d99a4")


def _tr(text: str) -> str:
    return QCoreApplication.translate("NotesTab", text)


class NoteColumn(IntEnum):
    WHEN = 0
    TITLE = 1
    AUTHOR = 2
    STATUS = 3


class NoteListModel(ListTableModel[NoteRow]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(("Date", "Note", "Author", "Status"), parent)
        self.zone = "UTC"

    def set_notes(self, rows: list[NoteRow], zone: str) -> None:
        self.zone = zone
        self._set_rows(rows)

    def clear(self) -> None:
        self._set_rows([])

    def cell_text(self, item: NoteRow, column: int) -> str:
        when = format_time(item.signed_at or item.written_at, self.zone).rsplit(" ", 3)[0]
        status = item.status_label
        if item.addendum_count:
            status += _tr(" · {n} addenda").format(n=item.addendum_count)
        return {
            NoteColumn.WHEN: when,
            NoteColumn.TITLE: item.title,
            NoteColumn.AUTHOR: item.author_name,
            NoteColumn.STATUS: status,
        }[NoteColumn(column)]

    def cell_ink(self, item: NoteRow, column: int) -> QColor | None:
        if item.in_error:
            return _ERROR_INK
        return _DRAFT_INK if item.status is NoteStatus.DRAFT else None


def load_notes(ctx: AppContext, patient_id: str) -> tuple[list[NoteRow], str]:
    """The patient's notes, and the practice's time zone to show their dates in."""
    return NoteService(ctx).for_patient(patient_id), PracticeInfo(ctx).summary().time_zone


class NotesTab(ChartTab):
    title = "Notes"
    note_shown = Signal(str)  # a note is on screen (its id): tests wait for it

    def __init__(self, session: DesktopSession) -> None:
        super().__init__(session)
        actor = session.ctx.actor
        self.can_sign_doctor_notes = bool(actor and actor.can(Permission.SIGN_NOTES))
        self._generation = 0
        self.zone = "UTC"
        self.choices: NoteChoices | None = None
        self.snippets: list[SnippetView] | None = None  # the practice's, loaded once
        self._opening: str | None = None  # the note asked for and not yet shown
        self.model = NoteListModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        style_row_table(self.table, self.tr("Notes"), stretch_column=NoteColumn.TITLE)
        self.table.selectionModel().currentRowChanged.connect(self._row_chosen)
        self.new_button = button(
            self.tr("New note…"), self.tr("New note"), variant="primary", icon_name="plus"
        )
        self.new_button.setToolTip(self.tr("Start a note for this visit (Ctrl+Shift+N)"))
        self.new_button.clicked.connect(self.new_note)
        self.templates_button = button(self.tr("Note templates…"), self.tr("Note templates"))
        self.templates_button.setToolTip(self.tr("The practice's note templates and snippets"))
        self.templates_button.setVisible(self.can_sign_doctor_notes)
        self.templates_button.clicked.connect(self._edit_templates)

        self.editor = NoteEditor(session)
        self.reader = NoteReader(session)
        self.reader.changed.connect(self._note_changed)
        self.reader.summary_requested.connect(self.print_visit_summary)
        self.sign_button = button(self.tr("Sign note"), self.tr("Sign note"), variant="primary")
        self.sign_button.setToolTip(self.tr("Sign and lock the note (Ctrl+Shift+S)"))
        self.sign_button.clicked.connect(self.sign)
        self.discard_button = button(self.tr("Discard draft"), self.tr("Discard draft"))
        self.discard_button.clicked.connect(self.discard)
        self.cosigner = QComboBox()
        self.cosigner.setAccessibleName(self.tr("Co-signer"))
        editing = QWidget()
        editing_layout = QVBoxLayout(editing)
        editing_layout.setContentsMargins(0, 0, 0, 0)
        editing_layout.addWidget(self.editor, 1)
        sign_row = QHBoxLayout()
        sign_row.addWidget(self.discard_button)
        sign_row.addStretch(1)
        self.cosigner_label = text_label(self.tr("Co-signature by"), "muted")
        sign_row.addWidget(self.cosigner_label)
        sign_row.addWidget(self.cosigner)
        sign_row.addWidget(self.sign_button)
        editing_layout.addLayout(sign_row)

        self.empty = text_label(
            self.tr("Choose a note on the left, or start one with New note (Ctrl+Shift+N)."),
            "muted",
        )
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pane = QStackedWidget()
        self.pane.addWidget(self.empty)
        self.pane.addWidget(editing)
        self.pane.addWidget(self.reader)
        self.editing = editing
        self.message = MessageLabel()

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.new_button)
        top.addStretch(1)
        top.addWidget(self.templates_button)
        left_layout.addLayout(top)
        left_layout.addWidget(self.table, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.pane)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([560, 780])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 12, 20, 12)
        layout.addWidget(self.message)
        layout.addWidget(splitter, 1)
        add_shortcuts(self, (("Ctrl+Shift+N", self.new_note), ("Ctrl+Shift+S", self.sign)))

    # -- loading -------------------------------------------------------------------------

    def reload(self, select: str | None = None) -> None:
        if self.patient is None:
            return
        self._generation += 1
        generation = self._generation
        current = select or self._current_id()
        task = self.session.run(load_notes, self.session.ctx, self.patient.id, owner=self)
        task.succeeded.connect(lambda found: self._listed(found[0], found[1], current, generation))
        task.failed.connect(lambda error: self._failed(error, generation))

    def _listed(self, rows: list[NoteRow], zone: str, current: str | None, generation: int) -> None:
        if generation != self._generation:
            return
        self.zone = zone
        self.message.clear_message()
        self.model.set_notes(rows, self.zone)
        row = self.model.row_of(current) if current else None
        if row is None and rows:
            # Open the draft being written, else the newest note.
            drafts = [i for i, r in enumerate(rows) if r.status is NoteStatus.DRAFT]
            row = drafts[0] if drafts else 0
        if row is not None:
            chosen = rows[row]
            self.table.selectRow(row)
            editing = self.editor.note is not None and self.editor.note.id == chosen.id
            if not (editing and chosen.status is NoteStatus.DRAFT):
                # The draft being typed stays as it is (its own autosave changed the chart);
                # anything else is read again, as it may have changed.
                self._open(chosen.id, again=True)
        else:
            self.pane.setCurrentWidget(self.empty)
        self.loaded.emit()

    def _failed(self, error: BaseException, generation: int) -> None:
        if generation == self._generation:
            self.message.show_message(error_message(error))

    def _current_id(self) -> str | None:
        item = self.table.currentIndex().data(ROW_ROLE)
        return item.id if isinstance(item, NoteRow) else None

    def _row_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        item = current.data(ROW_ROLE)
        if isinstance(item, NoteRow):
            self._open(item.id)

    def _open(self, note_id: str, *, again: bool = False) -> None:
        """Show a note (unless it is already shown or on its way, or `again` is asked)."""
        shown = self.editor.note or self.reader.note
        shown_id = shown.id if shown else None
        if note_id == self._opening:
            return  # already on its way
        if note_id == shown_id and not again:
            return
        self._opening = note_id
        self.editor.save()  # the draft being left keeps what was typed
        task = self.session.run(NoteService(self.session.ctx).get, note_id, owner=self)
        task.succeeded.connect(self.show_note)
        task.failed.connect(lambda error: self.message.show_message(error_message(error)))

    def show_note(self, note: NoteView) -> None:
        if note.id != self._opening:
            return  # another note was asked for since (or this one arrived twice)
        self._opening = None
        if self.patient is None or note.patient_id != self.patient.id:
            return
        self.zone = note.time_zone
        if note.status is NoteStatus.DRAFT and note.author_id == self._me():
            self._edit(note)
        else:
            self.editor.clear()
            self.reader.show_note(note)
            self.pane.setCurrentWidget(self.reader)
        self.note_shown.emit(note.id)

    def _edit(self, note: NoteView) -> None:
        self.reader.clear()
        self.pane.setCurrentWidget(self.editing)
        needs_cosign_choice = note.kind is not NoteKind.DOCTOR and not self.can_sign_doctor_notes
        self.cosigner.setVisible(needs_cosign_choice)
        self.cosigner_label.setVisible(needs_cosign_choice)
        if self._editing(note.id):
            return
        if self.snippets is not None:
            self.editor.show_note(note, self.snippets)
        else:
            task = self.session.run(NoteTemplateService(self.session.ctx).snippets, owner=self)
            task.succeeded.connect(lambda found: self._snippets_loaded(note, found))
        if needs_cosign_choice and self.cosigner.count() == 0:
            task = self.session.run(ScheduleSetupService(self.session.ctx).providers, owner=self)
            task.succeeded.connect(self._fill_cosigners)

    def _snippets_loaded(self, note: NoteView, snippets: list[SnippetView]) -> None:
        self.snippets = snippets
        still_wanted = self.pane.currentWidget() is self.editing and self._opening is None
        if still_wanted and self._current_id() == note.id and not self._editing(note.id):
            self.editor.show_note(note, snippets)

    def _editing(self, note_id: str) -> bool:
        """This draft is in the editor already (rebuilding it would drop what is typed)."""
        return self.editor.note is not None and self.editor.note.id == note_id

    def _fill_cosigners(self, providers: list[ProviderView]) -> None:
        self.cosigner.clear()
        self.cosigner.addItem(self.tr("No co-signature"), None)
        for person in providers:
            if person.physician:
                self.cosigner.addItem(person.name, person.id)

    def _me(self) -> str | None:
        actor = self.session.ctx.actor
        return actor.user_id if actor else None

    # -- actions -------------------------------------------------------------------------

    def new_note(self) -> None:
        if self.patient is None:
            return
        patient_id = self.patient.id
        task = self.session.run(load_note_choices, self.session.ctx, owner=self)
        task.succeeded.connect(lambda choices: self._ask_new(patient_id, choices))
        task.failed.connect(lambda error: self.message.show_message(error_message(error)))

    def _ask_new(self, patient_id: str, choices: NoteChoices) -> None:
        if self.patient is None or self.patient.id != patient_id:
            return
        dialog = NewNoteDialog(self.session, patient_id, self.appointment_id, choices, self)
        dialog.accepted.connect(lambda: self._started(dialog.started))
        dialog.open()

    def print_visit_summary(self, encounter_id: str) -> None:
        """The after-visit summary for the patient, previewed before printing."""
        self.reader.summary_button.setEnabled(False)  # one preview per press
        task = preview_visit_summary(self.session, encounter_id, self)
        task.finished.connect(lambda: self.reader.summary_button.setEnabled(True))

    def _edit_templates(self) -> None:
        dialog = open_template_editor(self.session, self)
        if dialog is not None:
            dialog.finished.connect(self._templates_edited)

    def _templates_edited(self, _result: int) -> None:
        self.snippets = None  # a snippet may have been added: read them again when next needed

    def _started(self, note: NoteView | None) -> None:
        if note is not None:
            self.chart_changed.emit()
            self.reload(select=note.id)

    def sign(self) -> None:
        note = self.editor.note
        if note is None or self.pane.currentWidget() is not self.editing:
            return
        box = message_box(
            self,
            QMessageBox.Icon.Question,
            self.tr("Sign note"),
            self.tr("Sign “{title}”?").format(title=self.editor.title.text() or note.title),
            self.tr("Once signed, the note is locked: it cannot be changed, only added to."),
        )
        box_button(box, self.tr("Sign"), role=QMessageBox.ButtonRole.AcceptRole, object_name="sign")
        box_button(box, self.tr("Keep editing"), role=QMessageBox.ButtonRole.RejectRole)
        if pressed_name(box) != "sign":
            return
        cosigner = self.cosigner.currentData() if self.cosigner.isVisible() else None
        self.editor.then(lambda: self._sign_saved(note.id, cosigner))

    def _sign_saved(self, note_id: str, cosigner: str | None) -> None:
        task = self.session.run(
            NoteService(self.session.ctx).sign,
            note_id,
            self.editor.version,
            cosigner,
            owner=self,
        )
        task.succeeded.connect(lambda view: self._signed(view))
        task.failed.connect(lambda error: self.editor.message.show_message(error_message(error)))

    def _signed(self, note: NoteView) -> None:
        self.chart_changed.emit()
        self.editor.clear()
        self.reload(select=note.id)

    def discard(self) -> None:
        note = self.editor.note
        if note is None:
            return
        box = message_box(
            self,
            QMessageBox.Icon.Warning,
            self.tr("Discard draft"),
            self.tr("Throw away this draft?"),
            self.tr("Nothing in it has been signed; it will not appear in the chart."),
        )
        box_button(
            box,
            self.tr("Discard draft"),
            role=QMessageBox.ButtonRole.DestructiveRole,
            object_name="discard",
        )
        box_button(box, self.tr("Keep it"), role=QMessageBox.ButtonRole.RejectRole)
        if pressed_name(box) != "discard":
            return
        self.editor.clear()
        task = self.session.run(NoteService(self.session.ctx).discard_draft, note.id, owner=self)
        task.succeeded.connect(lambda _r: self._discarded())
        task.failed.connect(lambda error: self.message.show_message(error_message(error)))

    def _discarded(self) -> None:
        self.chart_changed.emit()
        self.reload()

    def _note_changed(self, note_id: str) -> None:
        self.chart_changed.emit()
        self.reload(select=note_id)

    def clear_sensitive(self) -> None:
        self.editor.save()  # what was typed is saved before the screen forgets it
        super().clear_sensitive()
        self._generation += 1
        self.model.clear()
        self.editor.clear()
        self.reader.clear()
        self.cosigner.clear()
        self.message.clear_message()
        self._opening = None
        self.pane.setCurrentWidget(self.empty)
