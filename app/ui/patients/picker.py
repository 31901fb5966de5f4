"""Pick a registered patient (the guarantor, the duplicate to merge) by searching."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QVBoxLayout, QWidget

from app.services.patient_search import PatientHit
from app.ui.patients.dialogs import settle_buttons
from app.ui.patients.hit_columns import PatientColumn
from app.ui.patients.quick_search import QuickSearch
from app.ui.session import DesktopSession
from app.ui.widgets import button, text_label


class PatientPickerDialog(QDialog):
    chosen = Signal(object)  # PatientHit

    def __init__(
        self,
        session: DesktopSession,
        title: str,
        choose_text: str,
        *,
        explanation: str = "",
        exclude_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.resize(820, 520)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.finder = QuickSearch(
            session,
            self.tr("Find patient"),
            exclude_id=exclude_id,
            hide_columns=(PatientColumn.STATUS,),
            enter_hint=self.tr("Enter to choose"),
        )
        self.finder.picked.connect(self._picked)
        self.choose_button = button(choose_text, choose_text, variant="primary")
        self.choose_button.clicked.connect(self.finder.pick_current)
        cancel = button(self.tr("Cancel"), self.tr("Cancel"))
        cancel.clicked.connect(self.reject)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(cancel)
        actions.addWidget(self.choose_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 22, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(text_label(title, "heading"))
        if explanation:
            layout.addWidget(text_label(explanation, "muted"))
        layout.addWidget(self.finder, 1)
        layout.addLayout(actions)
        settle_buttons(self, None)  # Enter in the search box picks; no button steals it
        self.finder.box.setFocus()

    def _picked(self, hit: PatientHit) -> None:
        self.chosen.emit(hit)
        self.accept()

    def done(self, result: int) -> None:
        self.finder.clear()
        super().done(result)
