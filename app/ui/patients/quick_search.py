"""A search box with its results under it, driven from the keyboard: type, ↑/↓, Enter.

Used by the Ctrl+K popup and wherever a patient is picked (guarantor, merge)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

from app.services.patient_search import PatientHit
from app.ui.patients.hit_columns import HIT_ROLE, PatientColumn
from app.ui.patients.hits_model import PatientHitsModel
from app.ui.patients.search import DebouncedSearch, patient_table, size_patient_columns
from app.ui.resources import icon
from app.ui.session import DesktopSession
from app.ui.widgets import text_label

_STEPS = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 8, Qt.Key.Key_PageUp: -8}


class QuickSearch(QWidget):
    picked = Signal(object)  # PatientHit

    def __init__(
        self,
        session: DesktopSession,
        accessible_name: str,
        *,
        exclude_id: str | None = None,
        hide_columns: tuple[PatientColumn, ...] = (),
        enter_hint: str = "",
    ) -> None:
        super().__init__()
        self.enter_hint = enter_hint or self.tr("Enter to open")
        self.exclude_id = exclude_id
        self.model = PatientHitsModel(self)
        self.search = DebouncedSearch(session, self, limit=20)
        self.search.results.connect(self._show)
        self.search.failed.connect(self._failed)
        self.box = QLineEdit()
        self.box.setAccessibleName(accessible_name)
        self.box.setPlaceholderText(self.tr("Name, date of birth, phone, MRN or member ID"))
        self.box.setClearButtonEnabled(True)
        self.box.addAction(icon("search"), QLineEdit.ActionPosition.LeadingPosition)
        self.box.textChanged.connect(self._typed)
        self.box.returnPressed.connect(self.pick_current)
        self.box.installEventFilter(self)
        self.table = patient_table(self.tr("{name} results").format(name=accessible_name))
        self.table.setModel(self.model)
        size_patient_columns(self.table)
        for column in hide_columns:
            self.table.hideColumn(column)
        self.table.activated.connect(self._activated)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the keys stay in the box
        self.status = text_label(self.tr("Type at least two letters or digits."), "hint")
        self.status.setAccessibleName(self.tr("Search status"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.box)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)

    def _typed(self, text: str) -> None:
        self.search.set_text(text)
        if self.search.pending():
            self.status.setText(self.tr("Searching…"))

    def _show(self, hits: list[PatientHit], text: str) -> None:
        hits = [hit for hit in hits if hit.id != self.exclude_id]
        self.model.set_hits(hits)
        if hits:
            self.table.selectRow(0)
            self.status.setText(
                self.tr("{n} found · ↑ ↓ to choose · {enter} · Esc to close").format(
                    n=len(hits), enter=self.enter_hint
                )
            )
        elif text:
            self.status.setText(self.tr("No patient matches “{text}”.").format(text=text))
        else:
            self.status.setText(self.tr("Type at least two letters or digits."))

    def _failed(self, message: str) -> None:
        self.status.setText(message)

    def current_hit(self) -> PatientHit | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(HIT_ROLE) if rows else None

    def pick_current(self) -> None:
        if self.search.pending():
            self.search.search_now()
            return
        hit = self.current_hit()
        if hit is not None:
            self.picked.emit(hit)

    def _activated(self, index: QModelIndex) -> None:
        hit = index.data(HIT_ROLE)
        if hit is not None:
            self.picked.emit(hit)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.box and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            step = _STEPS.get(Qt.Key(event.key()))
            if step is not None:
                self._move(step)
                return True
        return super().eventFilter(watched, event)

    def _move(self, step: int) -> None:
        count = self.model.rowCount()
        if count == 0:
            return
        current = self.table.currentIndex()
        row = max(0, min(count - 1, (current.row() if current.isValid() else -1) + step))
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))

    def clear(self) -> None:
        self.search.clear()
        self.box.blockSignals(True)
        self.box.clear()
        self.box.blockSignals(False)
        self.model.clear()
        self.status.setText(self.tr("Type at least two letters or digits."))
