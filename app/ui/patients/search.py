"""Searching as the person types: wait for a pause, ask the worker, keep only the newest answer.

Also the look shared by every table of patients.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QHeaderView, QTableView

from app.services.patient_search import PatientHit, PatientSearch
from app.ui.patients.hit_columns import COLUMN_WIDTHS, PatientColumn
from app.ui.session import DesktopSession
from app.ui.tables import style_row_table
from app.ui.tasks import error_message

DEBOUNCE_MS = 250
MIN_QUERY = 2  # shorter queries find nothing (the service needs two characters)


class DebouncedSearch(QObject):
    """`set_text()` on every keystroke; `results(hits, text)` once typing pauses."""

    results = Signal(list, str)
    failed = Signal(str)
    busy_changed = Signal(bool)

    def __init__(
        self, session: DesktopSession, parent: QObject | None = None, *, limit: int = 50
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._search = PatientSearch(session.ctx)
        self._limit = limit
        self._text = ""
        self._asked = 0  # each request's number; only the newest answer is shown
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.search_now)

    @property
    def text(self) -> str:
        return self._text

    def set_text(self, text: str) -> None:
        self._text = text.strip()
        self._asked += 1  # anything still on its way is now stale
        if len(self._text) < MIN_QUERY:
            self._timer.stop()
            self.busy_changed.emit(False)
            self.results.emit([], self._text)
            return
        self._timer.start()

    def search_now(self) -> None:
        self._timer.stop()
        if len(self._text) < MIN_QUERY:
            return
        self._asked += 1
        asked, text = self._asked, self._text
        self.busy_changed.emit(True)
        task = self._session.run(self._search.search, text, self._limit, owner=self)
        task.succeeded.connect(lambda hits: self._answer(asked, text, hits))
        task.failed.connect(lambda error: self._error(asked, error))

    def pending(self) -> bool:
        return self._timer.isActive()

    def clear(self) -> None:
        self._timer.stop()
        self._asked += 1
        self._text = ""
        self.busy_changed.emit(False)

    def _answer(self, asked: int, text: str, hits: list[PatientHit]) -> None:
        if asked == self._asked:
            self.busy_changed.emit(False)
            self.results.emit(hits, text)

    def _error(self, asked: int, error: BaseException) -> None:
        if asked == self._asked:
            self.busy_changed.emit(False)
            self.failed.emit(error_message(error))


def patient_table(accessible_name: str) -> QTableView:
    """A table of patients: whole rows, no editing, fixed row heights and column widths."""
    table = QTableView()
    table.setObjectName("PatientTable")
    style_row_table(table, accessible_name)
    header = table.horizontalHeader()
    header.setMinimumSectionSize(60)
    header.setStretchLastSection(False)
    return table


def size_patient_columns(table: QTableView) -> None:
    """Call after setting the model: the name takes the room, the rest keep their width."""
    header = table.horizontalHeader()
    for column, width in COLUMN_WIDTHS.items():
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(column, width)
    header.setSectionResizeMode(PatientColumn.NAME, QHeaderView.ResizeMode.Stretch)
