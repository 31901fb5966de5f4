"""Every patient, as a lazy Qt table model: the ordered ids first, rows page by page.

`load()` asks the worker for the ids; `rowCount()` is right as soon as they arrive. When the
view asks for a row whose page is not here yet, `data()` answers a placeholder and the page
is queued. One page is fetched at a time, the most recently wanted first, so dragging the
scroll bar through 100,000 patients loads what is on screen, not everything passed over.
Only the last `max_pages` pages are kept.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor

from app.models import PatientStatus
from app.services.patient_list import PAGE_SIZE, PatientDirectory
from app.services.patient_search import PatientHit
from app.ui.patients.hit_columns import (
    HIT_ROLE,
    ID_ROLE,
    PatientColumn,
    PatientTableModel,
    hit_data,
)
from app.ui.session import DesktopSession
from app.ui.tasks import error_message

Index = QModelIndex | QPersistentModelIndex
LOADING_ROLE = Qt.ItemDataRole.UserRole + 2  # True while the row's page is on its way
_PLACEHOLDER_INK = QColor("#a9b2ba")
_ANSWERED = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.AccessibleTextRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.ToolTipRole,
        HIT_ROLE,
        ID_ROLE,
        LOADING_ROLE,
    }
)
WANTED_PAGES = 6  # pages queued beyond this were scrolled past: forget them


def loading_text() -> str:
    return QCoreApplication.translate("PatientDirectoryModel", "Loading…")


class PatientDirectoryModel(PatientTableModel):
    ids_loaded = Signal(int)  # the number of rows
    page_loaded = Signal(int)  # the page number
    failed = Signal(str)

    def __init__(
        self,
        session: DesktopSession,
        parent: Any = None,
        *,
        page_size: int = PAGE_SIZE,
        max_pages: int = 50,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._directory = PatientDirectory(session.ctx)
        self.page_size = min(page_size, PAGE_SIZE)
        self.max_pages = max_pages
        self.status: PatientStatus | None = PatientStatus.ACTIVE
        self._ids: list[str] = []
        self._pages: OrderedDict[int, list[PatientHit | None]] = OrderedDict()
        self._wanted: list[int] = []
        self._in_flight: int | None = None
        self._generation = 0
        self._fetch_timer = QTimer(self)
        self._fetch_timer.setSingleShot(True)
        self._fetch_timer.setInterval(0)
        self._fetch_timer.timeout.connect(self._fetch_next)

    # -- loading -------------------------------------------------------------------------

    def load(self, status: PatientStatus | None = None, *, keep_status: bool = False) -> None:
        """Fetch the ids (of `status` patients; None = every patient not merged away)."""
        if not keep_status:
            self.status = status
        self._generation += 1
        generation = self._generation
        task = self._session.run(self._directory.ids, self.status, owner=self)
        task.succeeded.connect(lambda ids: self._ids_arrived(ids, generation))
        task.failed.connect(lambda error: self._failed(error, generation))

    def refresh(self) -> None:
        """Fetch again after a change: same ids keep the rows in place, pages reload."""
        self.load(keep_status=True)

    def clear(self) -> None:
        """Forget every row and drop answers still on their way (the screen is locking)."""
        self._generation += 1
        self._fetch_timer.stop()
        self.beginResetModel()
        self._ids = []
        self._pages.clear()
        self._wanted.clear()
        self._in_flight = None
        self.endResetModel()

    def _ids_arrived(self, ids: list[str], generation: int) -> None:
        if generation != self._generation:
            return
        self._wanted.clear()
        self._in_flight = None
        if ids == self._ids and ids:
            self._pages.clear()  # rows changed in place: the view asks for them again
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(ids) - 1, len(PatientColumn) - 1)
            )
        else:
            self.beginResetModel()
            self._ids = list(ids)
            self._pages.clear()
            self.endResetModel()
        self.ids_loaded.emit(len(ids))

    def _failed(self, error: BaseException, generation: int) -> None:
        if generation == self._generation:
            self._in_flight = None
            self.failed.emit(error_message(error))

    def _want(self, page: int) -> None:
        if page == self._in_flight:
            return
        if page in self._wanted:
            self._wanted.remove(page)
        self._wanted.append(page)
        del self._wanted[:-WANTED_PAGES]
        if not self._fetch_timer.isActive():
            self._fetch_timer.start()

    def _fetch_next(self) -> None:
        if self._in_flight is not None:
            return
        while self._wanted:
            page = self._wanted.pop()  # the most recent first
            if page in self._pages:
                continue
            ids = self._ids[page * self.page_size : (page + 1) * self.page_size]
            if not ids:
                continue
            self._in_flight = page
            self._request_page(page, ids)
            return

    def _request_page(self, page: int, ids: list[str]) -> None:
        generation = self._generation
        task = self._session.run(self._directory.rows, ids, owner=self)
        task.succeeded.connect(lambda hits: self._page_arrived(page, ids, hits, generation))
        task.failed.connect(lambda error: self._failed(error, generation))

    def _page_arrived(
        self, page: int, ids: list[str], hits: list[PatientHit], generation: int
    ) -> None:
        if generation != self._generation:
            return
        self._in_flight = None
        by_id = {hit.id: hit for hit in hits}
        self._pages[page] = [by_id.get(patient_id) for patient_id in ids]
        while len(self._pages) > self.max_pages:
            self._pages.popitem(last=False)
        first = page * self.page_size
        last = first + len(ids) - 1
        self.dataChanged.emit(self.index(first, 0), self.index(last, len(PatientColumn) - 1))
        self.page_loaded.emit(page)
        self._fetch_next()

    # -- rows ----------------------------------------------------------------------------

    def id_at(self, row: int) -> str | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def is_loaded(self, row: int) -> bool:
        return row // self.page_size in self._pages

    def hit_at(self, row: int) -> PatientHit | None:
        page = self._pages.get(row // self.page_size)
        if page is None or not 0 <= row < len(self._ids):
            return None
        return page[row % self.page_size]

    def row_of(self, patient_id: str) -> int | None:
        try:
            return self._ids.index(patient_id)
        except ValueError:
            return None

    # -- Qt model API --------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ANSWERED or not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None  # the view asks every cell for many roles; most have no answer
        row, column = index.row(), PatientColumn(index.column())
        if role == ID_ROLE:
            return self._ids[row]
        page = self._pages.get(row // self.page_size)
        if page is None:
            self._want(row // self.page_size)
            return self._placeholder(column, role)
        self._pages.move_to_end(row // self.page_size)
        hit = page[row % self.page_size]
        if role == LOADING_ROLE:
            return False
        if hit is None:  # merged or removed since the ids were read
            if role == Qt.ItemDataRole.DisplayRole and column == PatientColumn.NAME:
                return QCoreApplication.translate("PatientDirectoryModel", "(no longer listed)")
            return _PLACEHOLDER_INK if role == Qt.ItemDataRole.ForegroundRole else None
        return hit_data(hit, column, role, show_match=False)

    def _placeholder(self, column: PatientColumn, role: int) -> Any:
        if role == LOADING_ROLE:
            return True
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return loading_text() if column == PatientColumn.NAME else ""
        if role == Qt.ItemDataRole.ForegroundRole:
            return _PLACEHOLDER_INK
        return None
