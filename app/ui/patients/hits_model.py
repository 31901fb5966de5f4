"""Search results (a short list of patients) as a Qt table model."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from app.services.patient_search import PatientHit
from app.ui.patients.hit_columns import PatientColumn, PatientTableModel, hit_data

Index = QModelIndex | QPersistentModelIndex


class PatientHitsModel(PatientTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._hits: list[PatientHit] = []

    def set_hits(self, hits: Sequence[PatientHit]) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def clear(self) -> None:
        self.set_hits([])

    def hit_at(self, row: int) -> PatientHit | None:
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def id_at(self, row: int) -> str | None:
        hit = self.hit_at(row)
        return hit.id if hit else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        hit = self.hit_at(index.row()) if index.isValid() else None
        if hit is None:
            return None
        return hit_data(hit, PatientColumn(index.column()), role, show_match=True)
