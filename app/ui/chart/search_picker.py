"""Choosing from a code set by typing (ICD-10-CM diagnoses, CVX vaccines).

The search runs on the worker once typing pauses; only the newest answer shows. From the
search box, ↓/↑ move through the results and Enter chooses the highlighted one (a
double-click too); Enter again goes on to the dialog's button. A subclass says what the
columns show."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import QLineEdit, QTableView, QVBoxLayout, QWidget

from app.ui.session import DesktopSession
from app.ui.table_model import ROW_ROLE, Index, TableModel
from app.ui.tables import ROW_HEIGHT, style_row_table
from app.ui.tasks import error_message
from app.ui.widgets import text_label

SEARCH_PAUSE_MS = 150
VISIBLE_ROWS = 6
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_STEPS = {
    Qt.Key.Key_Down: 1,
    Qt.Key.Key_Up: -1,
    Qt.Key.Key_PageDown: VISIBLE_ROWS,
    Qt.Key.Key_PageUp: -VISIBLE_ROWS,
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("SearchPicker", text)


class _ResultsModel(TableModel):
    def __init__(self, picker: SearchPicker) -> None:
        super().__init__(picker.headers, picker)
        self.TR_CONTEXT = type(picker).__name__
        self.picker = picker
        self.items: list[Any] = []

    def set_items(self, items: list[Any]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def rowCount(self, parent: Index | None = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.picker.cell_text(item, index.column())
        if role == Qt.ItemDataRole.ForegroundRole:
            return self.picker.cell_ink(item, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.picker.cell_tip(item)
        if role == ROW_ROLE:
            return item
        return None


class SearchPicker(QWidget):
    """`search(text)` runs on the worker and returns the matches, best first. With
    `free_text`, what is typed may stand without a choice (nothing is highlighted until
    the person moves into the list)."""

    picked = Signal(object)  # the chosen item, or None when the typing dropped it
    searched = Signal(int)  # results on screen (how many): tests wait for it
    headers: tuple[str, ...] = ()
    stretch_column = 1

    def __init__(
        self,
        session: DesktopSession,
        search: Callable[[str], list[Any]],
        *,
        name: str,
        placeholder: str,
        min_chars: int = 2,
        free_text: bool = False,
        visible_rows: int = VISIBLE_ROWS,
    ) -> None:
        super().__init__()
        self.session = session
        self.search_fn = search
        self.min_chars = min_chars
        self.free_text = free_text
        self.chosen: Any | None = None
        self._asked = 0  # each request's number: only the newest answer is shown
        self._pick_on_answer = False
        self._in_flight = False
        self.box = QLineEdit()
        self.box.setAccessibleName(name)
        self.box.setPlaceholderText(placeholder)
        self.box.setClearButtonEnabled(True)
        self.box.textEdited.connect(self._typed)
        self.box.installEventFilter(self)
        self.model = _ResultsModel(self)
        self.results = QTableView()
        self.results.setModel(self.model)
        style_row_table(self.results, _tr("{name} results").format(name=name), self.stretch_column)
        self.results.setFixedHeight(ROW_HEIGHT * visible_rows + 36)
        self.results.doubleClicked.connect(lambda index: self.choose(index.data(ROW_ROLE)))
        self.results.installEventFilter(self)
        self.status = text_label("", "hint")
        self.status.setAccessibleName(_tr("{name} status").format(name=name))
        self.chosen_label = text_label("", "notice")
        self.chosen_label.setAccessibleName(_tr("Chosen"))
        self.chosen_label.hide()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_PAUSE_MS)
        self.timer.timeout.connect(self.search_now)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.box)
        layout.addWidget(self.results)
        layout.addWidget(self.status)
        layout.addWidget(self.chosen_label)
        self.setFocusProxy(self.box)
        self._show_status()

    # -- what a subclass says --------------------------------------------------------------

    def cell_text(self, item: Any, column: int) -> str:
        raise NotImplementedError

    def cell_ink(self, item: Any, column: int) -> QColor | None:
        return None

    def cell_tip(self, item: Any) -> str | None:
        return None

    def item_text(self, item: Any) -> str:
        """What the search box reads once `item` is chosen."""
        raise NotImplementedError

    def chosen_text(self, item: Any) -> str:
        return self.item_text(item)

    # -- searching -------------------------------------------------------------------------

    @property
    def text(self) -> str:
        return self.box.text().strip()

    @property
    def waiting(self) -> bool:
        """A search is due or on its way."""
        return self.timer.isActive() or self._in_flight

    def set_search(self, search: Callable[[str], list[Any]]) -> None:
        """Search another way (e.g. inactive codes too) and show the answer for the text."""
        self.search_fn = search
        self.search_now()

    def set_text(self, text: str) -> None:
        self.box.setText(text)
        self._typed(text)

    def _typed(self, _text: str) -> None:
        if self.chosen is not None and self.text != self.item_text(self.chosen):
            self._set_chosen(None)
        self._asked += 1  # what is on its way is stale now
        self._in_flight = False
        self.timer.start()

    def search_now(self) -> None:
        self.timer.stop()
        self._asked += 1
        asked, text = self._asked, self.text
        if len(text) < self.min_chars:
            self._in_flight = False
            self._show([], text)
            return
        self._in_flight = True
        task = self.session.run(self.search_fn, text, owner=self)
        task.succeeded.connect(lambda found: self._answer(asked, text, found))
        task.failed.connect(lambda error: self._failed(asked, error))

    def _answer(self, asked: int, text: str, found: list[Any]) -> None:
        if asked == self._asked:
            self._in_flight = False
            self._show(found, text)

    def _failed(self, asked: int, error: BaseException) -> None:
        if asked == self._asked:
            self._in_flight = False
            self._pick_on_answer = False
            self.status.setText(error_message(error))

    def _show(self, found: list[Any], text: str) -> None:
        self.model.set_items(found)
        keep = self.chosen if self.chosen in found else None
        if keep is not None:
            self.results.selectRow(found.index(keep))
        elif found and text and not self.free_text:
            self.results.selectRow(0)  # Enter takes the best match
        self._show_status(text)
        if self._pick_on_answer:
            self._pick_on_answer = False
            self._choose_highlighted()
        self.searched.emit(len(found))

    def _show_status(self, text: str = "") -> None:
        if len(text) < self.min_chars:
            words = _tr("Type at least {n} characters to search.").format(n=self.min_chars)
            self.status.setText(words if self.min_chars else "")
        elif self.model.rowCount() == 0:
            self.status.setText(_tr("Nothing matches “{text}”.").format(text=text))
        else:
            self.status.setText(self.hint())
        self.status.setVisible(bool(self.status.text()))

    def hint(self) -> str:
        return _tr("↓/↑ to move, Enter to choose.")

    # -- choosing --------------------------------------------------------------------------

    def highlighted(self) -> Any | None:
        if not self.results.selectionModel().hasSelection():
            return None
        return self.results.currentIndex().data(ROW_ROLE)

    def choose(self, item: Any | None) -> None:
        if item is None:
            return
        self.box.setText(self.item_text(item))  # not an edit: no new search
        self._set_chosen(item)

    def _choose_highlighted(self) -> bool:
        item = self.highlighted()
        if item is None or item == self.chosen:
            return False
        self.choose(item)
        return True

    def _set_chosen(self, item: Any | None) -> None:
        self.chosen = item
        self.chosen_label.setText(self.chosen_text(item) if item is not None else "")
        self.chosen_label.setVisible(item is not None)
        self.picked.emit(item)

    def clear(self) -> None:
        self.timer.stop()
        self._asked += 1
        self._in_flight = False
        self._pick_on_answer = False
        self.box.clear()
        self.model.set_items([])
        self.chosen = None
        self.chosen_label.hide()
        self._show_status()

    # -- keys ------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        key = event.key()
        if key in _ENTER and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            return self._enter(watched)
        if watched is self.box and key in _STEPS and self.model.rowCount():
            current = self.results.currentIndex().row() if self.highlighted() else -1
            step = _STEPS[Qt.Key(key)]
            row = max(0, min(self.model.rowCount() - 1, current + step))
            self.results.selectRow(row)
            return True
        return super().eventFilter(watched, event)

    def _enter(self, watched: QObject) -> bool:
        """Enter chooses; once the choice stands it goes on to the dialog (False)."""
        if watched is self.box and self.waiting and not self.free_text:
            self._pick_on_answer = True  # choose the best match of what was typed
            if self.timer.isActive():
                self.search_now()
            return True
        return self._choose_highlighted()
