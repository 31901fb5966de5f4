"""The Snippets tab of the note-template editor: the built-in chart snippets (read-only, with
what they insert) and the practice's own shortcuts, which can be added, changed and retired.
Saving goes through the editor dialog's Save button (Ctrl+S), like the Templates tab."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from PySide6.QtCore import QCoreApplication, QModelIndex, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.note_data import SnippetView
from app.services.note_templates import NoteTemplateService
from app.ui.chart.template_prompts import confirm_retire, discard_changes
from app.ui.patients.dialogs import PatientDialog
from app.ui.patients.fields import labeled
from app.ui.table_model import ROW_ROLE, ListTableModel
from app.ui.tables import style_row_table
from app.ui.tasks import error_message
from app.ui.widgets import button, text_label

_BUILTIN_INK = QColor("#56626d")


def _tr(text: str) -> str:
    return QCoreApplication.translate("SnippetsPane", text)


@dataclass(frozen=True)
class SnippetRow:
    """A snippet in the list (built-in ones have no id of their own: their shortcut is)."""

    snippet: SnippetView

    @property
    def id(self) -> str:
        return self.snippet.id or f"builtin{self.snippet.shortcut}"


class SnippetColumn(IntEnum):
    SHORTCUT = 0
    INSERTS = 1
    SOURCE = 2


class SnippetListModel(ListTableModel[SnippetRow]):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(("Shortcut", "Inserts", "From"), parent)

    def set_snippets(self, snippets: list[SnippetView]) -> None:
        self._set_rows(SnippetRow(s) for s in snippets)

    def cell_text(self, item: SnippetRow, column: int) -> str:
        snippet = item.snippet
        if column == SnippetColumn.SHORTCUT:
            return snippet.shortcut
        if column == SnippetColumn.INSERTS:
            return " ".join(snippet.text.split())  # one line in the list
        return _tr("Built in") if snippet.builtin else _tr("Practice")

    def cell_tip(self, item: SnippetRow, column: int) -> str | None:
        return item.snippet.text if column == SnippetColumn.INSERTS else None

    def cell_ink(self, item: SnippetRow, column: int) -> QColor | None:
        return _BUILTIN_INK if item.snippet.builtin else None


class SnippetsPane(QWidget):
    """`loaded` when the list is on screen; `state_changed` when what Save can do changes."""

    loaded = Signal()
    state_changed = Signal()
    save_text = "Save snippet"

    def __init__(self, host: PatientDialog) -> None:
        super().__init__()
        self.host = host
        self.service = NoteTemplateService(host.session.ctx)
        self.shown: SnippetView | None = None  # None: a new snippet
        self._baseline: tuple[str, str] = ("", "")
        self._settling = False
        self._generation = 0

        self.model = SnippetListModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        style_row_table(self.table, self.tr("Snippets"), stretch_column=SnippetColumn.INSERTS)
        self.table.selectionModel().currentRowChanged.connect(self._row_chosen)
        self.new_button = button(self.tr("New snippet"), self.tr("New snippet"), icon_name="plus")
        self.new_button.setToolTip(self.tr("Add a shortcut of the practice's own (Ctrl+Shift+N)"))
        self.new_button.clicked.connect(self.start_new)
        self.retire_button = button(self.tr("Retire…"), self.tr("Retire snippet"))
        self.retire_button.clicked.connect(self.retire)

        self.form_title = text_label("", "heading")
        self.builtin_note = text_label(
            self.tr(
                "Built in: it reads the patient's chart when a note uses it, so it always "
                "inserts what is recorded now. It cannot be changed."
            ),
            "muted",
        )
        self.shortcut = QLineEdit()
        self.shortcut.setAccessibleName(self.tr("Shortcut"))
        self.shortcut.setPlaceholderText(self.tr(".sob"))
        self.shortcut.setMaxLength(21)
        self.text = QPlainTextEdit()
        self.text.setAccessibleName(self.tr("Snippet text"))
        self.text.setTabChangesFocus(True)
        self.text.setPlaceholderText(self.tr("The text the shortcut inserts"))
        self.text_field = labeled(self.tr("Text"), self.text)
        self.text_caption = self.text_field.findChild(QLabel)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(8)
        left_layout.addWidget(self.table, 1)
        left_buttons = QHBoxLayout()
        left_buttons.addWidget(self.new_button)
        left_buttons.addStretch(1)
        left_layout.addLayout(left_buttons)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(4, 0, 0, 0)
        right_layout.setSpacing(10)
        title_row = QHBoxLayout()
        title_row.addWidget(self.form_title, 1)
        title_row.addWidget(self.retire_button)
        right_layout.addLayout(title_row)
        right_layout.addWidget(self.builtin_note)
        right_layout.addWidget(
            labeled(
                self.tr("Shortcut"),
                self.shortcut,
                self.tr("A dot and 2 to 20 letters or digits. Type it in a note, then a space."),
            )
        )
        right_layout.addWidget(self.text_field, 1)

        splitter = QSplitter()
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 4)
        splitter.setSizes([520, 660])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 14, 0, 0)
        layout.addWidget(splitter)
        self._show(None)

    # -- loading -------------------------------------------------------------------------

    def reload(self, select: str | None = None) -> None:
        self._generation += 1
        generation = self._generation
        task = self.host.session.run(self.service.snippets, owner=self)
        task.succeeded.connect(lambda found: self._listed(found, select, generation))
        task.failed.connect(lambda error: self._load_failed(error, generation))

    def _listed(self, snippets: list[SnippetView], select: str | None, generation: int) -> None:
        if generation != self._generation:
            return
        self.model.set_snippets(snippets)
        row = self.model.row_of(select) if select else None
        self._settling = True
        if row is not None:
            self.table.selectRow(row)
        else:
            self.table.setCurrentIndex(QModelIndex())
        self._settling = False
        chosen = self.model.row_at(row) if row is not None else None
        if chosen is not None:
            self._show(chosen.snippet)
        elif not self.dirty():
            self._show(None)  # ready for a new one
        self.loaded.emit()

    def _load_failed(self, error: BaseException, generation: int) -> None:
        if generation == self._generation:
            self.host.message.show_as("error", error_message(error))

    def _row_chosen(self, current: QModelIndex, previous: QModelIndex) -> None:
        chosen = current.data(ROW_ROLE)
        if self._settling or not isinstance(chosen, SnippetRow) or chosen.snippet == self.shown:
            return
        if not self.confirm_discard():
            self._settling = True
            self.table.setCurrentIndex(previous)
            self._settling = False
            return
        self._show(chosen.snippet)

    # -- the form ------------------------------------------------------------------------

    def _show(self, snippet: SnippetView | None) -> None:
        self.shown = snippet
        builtin = snippet is not None and snippet.builtin
        self.shortcut.setText(snippet.shortcut if snippet else "")
        self.text.setPlainText(snippet.text if snippet else "")
        self.shortcut.setReadOnly(builtin)
        self.text.setReadOnly(builtin)
        if self.text_caption is not None:
            self.text_caption.setText(self.tr("Inserts") if builtin else self.tr("Text"))
        self.builtin_note.setVisible(builtin)
        self.retire_button.setVisible(snippet is not None and not builtin)
        self.form_title.setText(snippet.shortcut if snippet else self.tr("New snippet"))
        self._baseline = self.value()
        self.state_changed.emit()

    def value(self) -> tuple[str, str]:
        return self.shortcut.text().strip(), self.text.toPlainText().strip()

    def dirty(self) -> bool:
        return not (self.shown and self.shown.builtin) and self.value() != self._baseline

    def can_save(self) -> bool:
        return self.shown is None or not self.shown.builtin

    def confirm_discard(self) -> bool:
        if not self.dirty():
            return True
        return discard_changes(self, self.tr("Discard your changes to this snippet?"))

    # -- actions -------------------------------------------------------------------------

    def start_new(self) -> None:
        if not self.confirm_discard():
            return
        self._settling = True
        self.table.setCurrentIndex(QModelIndex())
        self._settling = False
        self._show(None)
        self.shortcut.setFocus()

    def save(self) -> None:
        if not self.can_save():
            return
        if self.shown is not None and not self.dirty():
            self.host.message.show_as("notice", self.tr("Nothing has changed since it was saved."))
            return
        shortcut, text = self.value()
        shown = self.shown
        self.host.run(
            self.service.save_snippet,
            shortcut,
            text,
            shown.id if shown else None,
            shown.version if shown else None,
            done=self._saved,
        )

    def _saved(self, snippet: SnippetView) -> None:
        self._show(snippet)
        self.reload(select=snippet.id)
        self.host.message.show_as(
            "notice",
            self.tr(
                "“{shortcut}” saved: type it in a note, then a space, to insert its text."
            ).format(shortcut=snippet.shortcut),
        )

    def retire(self) -> None:
        shown = self.shown
        if shown is None or shown.builtin or shown.id is None:
            return
        if not confirm_retire(
            self,
            self.tr("Retire snippet"),
            self.tr("Retire “{shortcut}”?").format(shortcut=shown.shortcut),
            self.tr(
                "Typing it in a note will no longer insert anything. Notes already written "
                "are unchanged."
            ),
        ):
            return
        self.host.run(
            self.service.retire_snippet, shown.id, done=lambda _none: self._retired(shown)
        )

    def _retired(self, snippet: SnippetView) -> None:
        self._show(None)
        self.reload()
        self.host.message.show_as(
            "notice", self.tr("“{shortcut}” is retired.").format(shortcut=snippet.shortcut)
        )
