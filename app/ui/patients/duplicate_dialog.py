"""Saving someone who is probably registered already: show the likely records, best first,
with why each matches, and let the person decide."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QDialog, QHBoxLayout, QVBoxLayout, QWidget

from app.services.patient_search import DuplicateCandidate
from app.ui.patients.dialogs import settle_buttons
from app.ui.patients.matches import Match, MatchCard
from app.ui.widgets import button, text_label


class DuplicateWarningDialog(QDialog):
    open_existing = Signal(str)  # patient id
    save_anyway = Signal()

    def __init__(self, candidates: list[DuplicateCandidate], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = self.tr("This patient may already be registered")
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(620)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.cards: list[MatchCard] = []
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 22, 24, 20)
        layout.setSpacing(12)
        layout.addWidget(text_label(title, "heading"))
        layout.addWidget(
            text_label(
                self.tr(
                    "Registering the same person twice splits their chart and bills. Check "
                    "these records, most likely first. If one of them is this person, open it."
                ),
                "muted",
            )
        )
        for rank, candidate in enumerate(candidates, start=1):
            card = MatchCard(Match(candidate.hit, candidate.reasons, True, candidate.score), rank)
            card.setAccessibleName(
                self.tr("Candidate {n}: {name}").format(n=rank, name=candidate.hit.display_name)
            )
            card.setCheckable(True)
            card.setChecked(rank == 1)
            self._group.addButton(card, rank - 1)
            self.cards.append(card)
            layout.addWidget(card)
        self.open_button = button(
            self.tr("Open existing"), self.tr("Open existing"), variant="primary"
        )
        self.open_button.clicked.connect(self._open)
        self.save_button = button(
            self.tr("This is a different person — save"), self.tr("Save as a different person")
        )
        self.save_button.clicked.connect(self._save)
        back = button(self.tr("Go back"), self.tr("Go back to the form"))
        back.clicked.connect(self.reject)
        actions = QHBoxLayout()
        actions.setSpacing(8)
        actions.addWidget(back)
        actions.addStretch(1)
        actions.addWidget(self.save_button)
        actions.addWidget(self.open_button)
        layout.addSpacing(4)
        layout.addLayout(actions)
        settle_buttons(self, self.open_button)
        self.open_button.setFocus()

    def selected_id(self) -> str | None:
        card = self._group.checkedButton()
        return card.match.hit.id if isinstance(card, MatchCard) else None

    def _open(self) -> None:
        patient_id = self.selected_id()
        if patient_id:
            self.accept()
            self.open_existing.emit(patient_id)

    def _save(self) -> None:
        self.accept()
        self.save_anyway.emit()
