"""Ctrl+K anywhere: a patient search that pops up over the window. Type, ↑/↓, Enter opens the
record in the Patients section; Esc (or a click elsewhere) closes it and forgets the query."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

from app.services.patient_search import PatientHit
from app.ui.patients.hit_columns import PatientColumn
from app.ui.patients.quick_search import QuickSearch
from app.ui.session import DesktopSession

POPUP_WIDTH = 760
POPUP_HEIGHT = 430


class GlobalSearchPopup(QDialog):
    patient_chosen = Signal(str)  # patient id

    def __init__(self, session: DesktopSession, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup | Qt.WindowType.FramelessWindowHint)
        self.setObjectName("GlobalSearch")
        self.setAccessibleName(self.tr("Patient search"))
        self.setWindowTitle(self.tr("Patient search"))
        self.search = QuickSearch(
            session,
            self.tr("Search all patients"),
            hide_columns=(PatientColumn.STATUS, PatientColumn.SEX),
        )
        self.search.picked.connect(self._picked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 14, 14, 10)
        layout.addWidget(self.search)
        self.resize(POPUP_WIDTH, POPUP_HEIGHT)

    def popup(self) -> None:
        """Show centred near the top of the window, with the cursor in the box."""
        owner = self.parentWidget()
        if owner is not None:
            width = min(POPUP_WIDTH, owner.width() - 80)
            self.resize(width, POPUP_HEIGHT)
            top_left = owner.mapToGlobal(QPoint((owner.width() - width) // 2, 56))
            self.move(top_left)
        self.search.clear()
        self.show()
        self.raise_()
        self.activateWindow()
        self.search.box.setFocus()

    def _picked(self, hit: PatientHit) -> None:
        self.accept()
        self.patient_chosen.emit(hit.id)

    def done(self, result: int) -> None:
        self.search.clear()  # nothing about anyone stays in the hidden popup
        super().done(result)
