"""Writing a note: one field per template section, snippets that expand as they are typed,
and a draft that saves itself a moment after each change (nothing typed is lost)."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.services.note_data import DraftSaved, NoteSection, NoteView, SectionKind, SnippetView
from app.services.notes import NoteService
from app.ui.session import DesktopSession
from app.ui.tasks import error_message
from app.ui.widgets import MessageLabel, text_label

AUTOSAVE_MS = 1500  # after the last keystroke
_EXPANDING_KEYS = {" ", "\r", "\n", "\t"}
MIN_TEXT_HEIGHT = 64


class SectionText(QPlainTextEdit):
    """Free text that grows with what is written; `snippet_typed(shortcut, start, end)` when a
    known shortcut is followed by a space or Enter."""

    snippet_typed = Signal(str, int, int)

    def __init__(self, accessible_name: str, shortcuts: Callable[[], set[str]]) -> None:
        super().__init__()
        self.setAccessibleName(accessible_name)
        self.setTabChangesFocus(True)
        self._shortcuts = shortcuts
        self.document().contentsChanged.connect(self._fit)
        self._fit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.text() in _EXPANDING_KEYS:
            self._check_shortcut()
        super().keyPressEvent(event)

    def _check_shortcut(self) -> None:
        cursor = self.textCursor()
        end = cursor.position()
        block = cursor.block().text()[: cursor.positionInBlock()]
        word = block.split(" ")[-1] if block else ""
        if word in self._shortcuts():
            self.snippet_typed.emit(word, end - len(word), end)

    def replace_range(self, start: int, end: int, expected: str, text: str) -> bool:
        """Put `text` where `expected` still stands between `start` and `end`."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        if cursor.selectedText() != expected:
            return False
        cursor.insertText(text)
        return True

    def _fit(self) -> None:
        lines = max(2, int(self.document().size().height()))
        height = self.fontMetrics().lineSpacing() * lines + 18
        self.setFixedHeight(max(MIN_TEXT_HEIGHT, height))


class SectionField(QFrame):
    """One section: its pick list (a choice or several), then free text."""

    changed = Signal()

    def __init__(self, section: NoteSection, shortcuts: Callable[[], set[str]]) -> None:
        super().__init__()
        self.section = section
        self.setObjectName("NoteSection")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        caption = QLabel(section.label)
        caption.setObjectName("NoteSectionLabel")
        layout.addWidget(caption)
        self.choice: QComboBox | None = None
        self.boxes: list[QCheckBox] = []
        if section.kind is SectionKind.CHOICE:
            self.choice = QComboBox()
            self.choice.setAccessibleName(section.label)
            self.choice.addItem(self.tr("—"), "")
            for option in section.options:
                self.choice.addItem(option, option)
            if section.selected:
                self.choice.setCurrentIndex(max(0, self.choice.findData(section.selected[0])))
            self.choice.currentIndexChanged.connect(self.changed)
            layout.addWidget(self.choice)
        elif section.kind is SectionKind.MULTI:
            grid = QGridLayout()
            grid.setHorizontalSpacing(18)
            grid.setVerticalSpacing(4)
            for index, option in enumerate(section.options):
                box = QCheckBox(option)
                box.setAccessibleName(f"{section.label}: {option}")
                box.setChecked(option in section.selected)
                box.toggled.connect(self.changed)
                grid.addWidget(box, index // 3, index % 3)
                self.boxes.append(box)
            layout.addLayout(grid)
        self.text = SectionText(
            section.label if self.choice is None and not self.boxes else f"{section.label} notes",
            shortcuts,
        )
        self.text.setPlainText(section.text)
        self.text.textChanged.connect(self.changed)
        layout.addWidget(self.text)

    def value(self) -> NoteSection:
        selected: tuple[str, ...] = ()
        if self.choice is not None and self.choice.currentData():
            selected = (str(self.choice.currentData()),)
        elif self.boxes:
            selected = tuple(box.text() for box in self.boxes if box.isChecked())
        return NoteSection(
            key=self.section.key,
            label=self.section.label,
            kind=self.section.kind,
            text=self.text.toPlainText(),
            options=self.section.options,
            selected=selected,
        )


class NoteEditor(QWidget):
    """A draft on screen. `saved(DraftSaved)` after each autosave."""

    saved = Signal(object)

    def __init__(self, session: DesktopSession) -> None:
        super().__init__()
        self.session = session
        self.note: NoteView | None = None
        self.version = 0
        self.snippets: dict[str, SnippetView] = {}
        self._dirty = False
        self._saving = False
        self._after_save: list[Callable[[], None]] = []
        self.fields: list[SectionField] = []

        self.title = QLineEdit()
        self.title.setAccessibleName(self.tr("Note title"))
        self.title.setObjectName("NoteTitle")
        self.title.textEdited.connect(self._edited)
        self.save_state = text_label("", "muted")
        self.save_state.setAccessibleName(self.tr("Draft status"))
        self.message = MessageLabel()
        self.hint = text_label("", "muted")
        self.body = QWidget()
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 0, 8, 0)
        self.body_layout.setSpacing(14)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.title)
        layout.addWidget(self.save_state)
        layout.addWidget(self.message)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.hint)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(AUTOSAVE_MS)
        self.timer.timeout.connect(self.save)

    # -- showing a draft -----------------------------------------------------------------

    def show_note(self, note: NoteView, snippets: list[SnippetView]) -> None:
        self.clear()
        self.note = note
        self.version = note.version
        self.snippets = {s.shortcut: s for s in snippets}
        self.title.setText(note.title)
        for section in note.sections:
            field = SectionField(section, lambda: set(self.snippets))
            field.changed.connect(self._edited)
            field.text.snippet_typed.connect(
                lambda shortcut, start, end, f=field: self._expand(f, shortcut, start, end)
            )
            self.fields.append(field)
            self.body_layout.addWidget(field)
        self.body_layout.addStretch(1)
        self.hint.setText(
            self.tr("Type a shortcut and a space to insert it: {list}").format(
                list=", ".join(sorted(self.snippets))
            )
        )
        self._show_saved(note.draft_saved_at is not None)
        if self.fields:
            self.fields[0].text.setFocus()

    def sections(self) -> tuple[NoteSection, ...]:
        return tuple(field.value() for field in self.fields)

    def clear(self) -> None:
        self.timer.stop()
        self.note = None
        self._dirty = False
        self._after_save.clear()
        self.title.clear()
        self.message.clear_message()
        self.save_state.setText("")
        for field in self.fields:
            field.setParent(None)
            field.deleteLater()
        self.fields.clear()
        while self.body_layout.count():
            self.body_layout.takeAt(0)

    # -- snippets ------------------------------------------------------------------------

    def _expand(self, field: SectionField, shortcut: str, start: int, end: int) -> None:
        snippet = self.snippets.get(shortcut)
        if snippet is None or self.note is None:
            return
        if not snippet.builtin:
            field.text.replace_range(start, end, shortcut, snippet.text)
            return
        task = self.session.run(
            NoteService(self.session.ctx).snippet, self.note.patient_id, shortcut, owner=self
        )
        task.succeeded.connect(lambda text: field.text.replace_range(start, end, shortcut, text))
        task.failed.connect(lambda error: self.message.show_message(error_message(error)))

    # -- autosave ------------------------------------------------------------------------

    def _edited(self) -> None:
        if self.note is None:
            return
        self._dirty = True
        self.save_state.setText(self.tr("Unsaved changes…"))
        self.timer.start()

    @property
    def dirty(self) -> bool:
        return self._dirty

    def save(self) -> None:
        """Save the draft now if anything changed (a save already running goes first)."""
        self.timer.stop()
        if self.note is None or self._saving:
            return
        if not self._dirty:
            self._run_after_save()
            return
        self._saving = True
        self._dirty = False
        note_id = self.note.id
        task = self.session.run(
            NoteService(self.session.ctx).save_draft,
            note_id,
            self.sections(),
            self.title.text(),
            self.version,
            owner=self,
        )
        task.succeeded.connect(lambda result: self._saved(note_id, result))
        task.failed.connect(self._save_failed)

    def then(self, callback: Callable[[], None]) -> None:
        """Run `callback` once everything typed is saved."""
        self._after_save.append(callback)
        self.save()

    def _saved(self, note_id: str, result: DraftSaved) -> None:
        self._saving = False
        if self.note is None or self.note.id != note_id:
            return
        self.version = result.version
        self.message.clear_message()
        self._show_saved(True)
        self.saved.emit(result)
        if self._dirty:
            self.save()  # typed while the save was on its way
        else:
            self._run_after_save()

    def _save_failed(self, error: BaseException) -> None:
        self._saving = False
        self._dirty = True  # keep what is on screen; the next change tries again
        self._after_save.clear()
        self.save_state.setText(self.tr("Not saved"))
        self.message.show_message(error_message(error))

    def _run_after_save(self) -> None:
        waiting, self._after_save = self._after_save, []
        for callback in waiting:
            callback()

    def _show_saved(self, saved: bool) -> None:
        if not saved:
            self.save_state.setText(self.tr("Draft — saves itself as you type"))
            return
        zone = ZoneInfo(self.note.time_zone) if self.note else None
        moment = self.session.ctx.clock.now().astimezone(zone)
        self.save_state.setText(
            self.tr("Draft saved {time}").format(time=f"{moment:%I:%M %p}".lstrip("0"))
        )
