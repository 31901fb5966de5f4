"""A note template's sections as an editable list: the sections in order on the left, the
chosen one's label, kind, pick list and default text on the right.

Notes refer to a section by its key, so a section that was saved keeps its key whatever its
label becomes; a new section's key is made from its label when the template is saved."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.note_data import SectionKind, TemplateSection
from app.services.note_templates import MAX_LABEL
from app.ui.patients.fields import labeled
from app.ui.tables import style_row_table
from app.ui.widgets import button, text_label

MAX_KEY = 40  # the service's key pattern: a letter, then up to 39 of a-z, 0-9, _
KIND_LABELS = {
    SectionKind.TEXT: "Free text",
    SectionKind.CHOICE: "One choice",
    SectionKind.MULTI: "Several choices",
}
NEW_SECTION_LABEL = "New section"


def _tr(text: str) -> str:
    return QCoreApplication.translate("SectionsEditor", text)


def key_from_label(label: str, taken: Iterable[str]) -> str:
    """A key for a new section: its label in lower case, a-z0-9 and "_" ("Follow-up" →
    "follow_up"), starting with a letter, and unlike every key in `taken` ("plan_2")."""
    plain = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode().lower()
    base = re.sub(r"[^a-z0-9]+", "_", plain).strip("_")
    if not base[:1].isalpha():
        base = f"section_{base}".rstrip("_")
    base = base[:MAX_KEY].rstrip("_")
    used = set(taken)
    key, number = base, 2
    while key in used:
        suffix = f"_{number}"
        key = base[: MAX_KEY - len(suffix)].rstrip("_") + suffix
        number += 1
    return key


@dataclass
class SectionDraft:
    """A section as it is being edited. `key` is None until the section has been saved."""

    key: str | None
    label: str
    kind: SectionKind = SectionKind.TEXT
    options: tuple[str, ...] = ()
    text: str = ""

    @classmethod
    def of(cls, section: TemplateSection) -> SectionDraft:
        return cls(section.key, section.label, section.kind, section.options, section.text)


def keyed_sections(drafts: Iterable[SectionDraft]) -> tuple[TemplateSection, ...]:
    """The drafts as template sections: saved keys kept, new ones made from the labels."""
    drafts = list(drafts)
    taken = {d.key for d in drafts if d.key}
    sections = []
    for draft in drafts:
        key = draft.key
        if key is None:
            key = key_from_label(draft.label, taken)
            taken.add(key)
        options = draft.options if draft.kind is not SectionKind.TEXT else ()
        sections.append(TemplateSection(key, draft.label, draft.kind, options, draft.text))
    return tuple(sections)


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def _text_box(accessible_name: str, height: int) -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setAccessibleName(accessible_name)
    box.setTabChangesFocus(True)
    box.setFixedHeight(height)
    return box


class SectionsEditor(QWidget):
    """The sections being edited are `drafts`; `sections()` gives them keyed for saving."""

    def __init__(self) -> None:
        super().__init__()
        self.drafts: list[SectionDraft] = []
        self._loading = False
        self._read_only = False
        self.list = QTableWidget(0, 2)
        self.list.setHorizontalHeaderLabels([self.tr("Section"), self.tr("Kind")])
        style_row_table(self.list, self.tr("Sections"), stretch_column=0)
        self.list.setMinimumWidth(260)
        self.list.currentCellChanged.connect(self._row_chosen)
        self.add_button = button(self.tr("Add section"), self.tr("Add section"), icon_name="plus")
        self.add_button.setToolTip(self.tr("Add a section at the end"))
        self.add_button.clicked.connect(self.add_section)
        self.remove_button = button(self.tr("Remove"), self.tr("Remove section"))
        self.remove_button.clicked.connect(self.remove_section)
        self.up_button = button(self.tr("Move up"), self.tr("Move section up"))
        self.up_button.setToolTip(self.tr("Move the section up (Alt+Up)"))
        self.up_button.clicked.connect(lambda: self.move_section(-1))
        self.down_button = button(self.tr("Move down"), self.tr("Move section down"))
        self.down_button.setToolTip(self.tr("Move the section down (Alt+Down)"))
        self.down_button.clicked.connect(lambda: self.move_section(1))

        self.label = QLineEdit()
        self.label.setAccessibleName(self.tr("Section label"))
        self.label.setMaxLength(MAX_LABEL)
        self.label.textEdited.connect(self._edited)
        self.kind = QComboBox()
        self.kind.setAccessibleName(self.tr("Section kind"))
        for kind, text in KIND_LABELS.items():
            self.kind.addItem(_tr(text), kind)
        self.kind.currentIndexChanged.connect(self._edited)
        self.options = _text_box(self.tr("Options"), 96)
        self.options.textChanged.connect(self._edited)
        self.text = _text_box(self.tr("Default text"), 88)
        self.text.setPlaceholderText(self.tr("What the section starts with (may be left empty)"))
        self.text.textChanged.connect(self._edited)
        self.key_note = text_label("", "hint")
        self.key_note.setAccessibleName(self.tr("Section key"))

        self.options_field = labeled(
            self.tr("Options"), self.options, self.tr("One option per line.")
        )
        self.empty_note = text_label(
            self.tr("This template has no sections yet: add one with Add section."), "muted"
        )
        self.detail = QWidget()
        detail_layout = QVBoxLayout(self.detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.setSpacing(12)
        top = QHBoxLayout()
        top.setSpacing(12)
        top.addWidget(labeled(self.tr("Label"), self.label), 3)
        top.addWidget(labeled(self.tr("Kind"), self.kind), 2)
        detail_layout.addLayout(top)
        detail_layout.addWidget(self.options_field)
        detail_layout.addWidget(
            labeled(
                self.tr("Default text"),
                self.text,
                self.tr(
                    "Snippet shortcuts such as .vitals or .problems are filled in from the "
                    "chart when a note starts."
                ),
            )
        )
        detail_layout.addWidget(self.key_note)
        detail_layout.addStretch(1)

        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        for push in (self.add_button, self.remove_button):
            buttons.addWidget(push)
        buttons.addStretch(1)
        moves = QHBoxLayout()
        moves.setSpacing(6)
        moves.addWidget(self.up_button)
        moves.addWidget(self.down_button)
        moves.addStretch(1)
        left = QVBoxLayout()
        left.setSpacing(8)
        left.addWidget(self.list, 1)
        left.addLayout(buttons)
        left.addLayout(moves)
        right = QVBoxLayout()
        right.addWidget(self.empty_note)
        right.addWidget(self.detail, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(18)
        layout.addLayout(left, 4)
        layout.addLayout(right, 5)
        for keys, step in (("Alt+Up", -1), ("Alt+Down", 1)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda step=step: self.move_section(step))
        self._show_current()

    # -- the whole list ------------------------------------------------------------------

    def set_sections(self, sections: Iterable[TemplateSection]) -> None:
        self.drafts = [SectionDraft.of(s) for s in sections]
        self._fill_list(0 if self.drafts else -1)

    def sections(self) -> tuple[TemplateSection, ...]:
        return keyed_sections(self.drafts)

    def current_row(self) -> int:
        return self.list.currentRow()

    def select(self, row: int) -> None:
        if 0 <= row < self.list.rowCount():
            self.list.selectRow(row)
        else:
            self.list.setCurrentIndex(QModelIndex())

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.detail.setEnabled(not read_only)  # the list stays, to read the sections
        self._update_actions()

    def _fill_list(self, row: int) -> None:
        self._loading = True
        self.list.setRowCount(len(self.drafts))
        for index, draft in enumerate(self.drafts):
            self._write_row(index, draft)
        self._loading = False
        self.select(row)
        self._show_current()

    def _write_row(self, row: int, draft: SectionDraft) -> None:
        texts = (draft.label.strip() or _tr("(no label)"), _tr(KIND_LABELS[draft.kind]))
        for column, text in enumerate(texts):
            item = self.list.item(row, column)
            if item is None:
                item = QTableWidgetItem()
                self.list.setItem(row, column, item)
            item.setText(text)
            item.setToolTip(text)  # long labels are cut short in the list

    # -- editing the list ----------------------------------------------------------------

    def add_section(self) -> None:
        if self._read_only:
            return
        self.drafts.append(SectionDraft(None, _tr(NEW_SECTION_LABEL)))
        self._fill_list(len(self.drafts) - 1)
        self.label.setFocus()
        self.label.selectAll()

    def remove_section(self) -> None:
        row = self.list.currentRow()
        if self._read_only or not 0 <= row < len(self.drafts):
            return
        del self.drafts[row]
        self._fill_list(min(row, len(self.drafts) - 1))

    def move_section(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if self._read_only or not (0 <= row < len(self.drafts) and 0 <= target < len(self.drafts)):
            return
        self.drafts[row], self.drafts[target] = self.drafts[target], self.drafts[row]
        self._fill_list(target)
        self.list.setFocus()

    # -- the chosen section --------------------------------------------------------------

    def _row_chosen(self, *_cells: int) -> None:
        if not self._loading:
            self._show_current()

    def _current(self) -> SectionDraft | None:
        row = self.list.currentRow()
        return self.drafts[row] if 0 <= row < len(self.drafts) else None

    def _show_current(self) -> None:
        draft = self._current()
        self._loading = True
        self.detail.setVisible(draft is not None)
        self.empty_note.setVisible(not self.drafts)
        if draft is not None:
            self.label.setText(draft.label)
            self.kind.setCurrentIndex(max(0, self.kind.findData(draft.kind)))
            self.options.setPlainText("\n".join(draft.options))
            self.text.setPlainText(draft.text)
        self._loading = False
        self._update_kind_rows()
        self._update_key_note()
        self._update_actions()

    def _edited(self) -> None:
        draft = self._current()
        if self._loading or draft is None:
            return
        row = self.list.currentRow()
        updated = replace(
            draft,
            label=self.label.text(),
            kind=SectionKind(self.kind.currentData()),
            options=_lines(self.options.toPlainText()),
            text=self.text.toPlainText().strip(),
        )
        if updated == draft:
            return
        self.drafts[row] = updated
        self._write_row(row, updated)
        self._update_kind_rows()
        self._update_key_note()

    def _update_kind_rows(self) -> None:
        draft = self._current()
        choice = draft is not None and draft.kind is not SectionKind.TEXT
        self.options_field.setVisible(choice)

    def _update_key_note(self) -> None:
        row = self.list.currentRow()
        if not 0 <= row < len(self.drafts):
            self.key_note.clear()
            return
        key = keyed_sections(self.drafts)[row].key
        if self.drafts[row].key is None:
            note = _tr("Key “{key}”, made from the label when the template is saved.")
        else:
            note = _tr("Key “{key}”: notes refer to it, so it stays when the label changes.")
        self.key_note.setText(note.format(key=key))

    def _update_actions(self) -> None:
        row = self.list.currentRow()
        editable = not self._read_only
        chosen = 0 <= row < len(self.drafts)
        self.add_button.setEnabled(editable)
        self.remove_button.setEnabled(editable and chosen)
        self.up_button.setEnabled(editable and chosen and row > 0)
        self.down_button.setEnabled(editable and chosen and row < len(self.drafts) - 1)

    def clear(self) -> None:
        self.drafts = []
        self._fill_list(-1)
