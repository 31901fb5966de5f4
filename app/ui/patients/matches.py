"""While a new patient is typed in: who might already be registered, and why.

Names alone give name matches (PatientSearch); once the date of birth is a real date the
duplicate check (PatientService.possible_duplicates) ranks likely same-person records.
Both run in one task on the worker; one click on a card opens that patient instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from app.models import SexAtBirth
from app.services.context import AppContext
from app.services.errors import DomainError
from app.services.patient_data import PatientInput
from app.services.patient_search import DuplicateCandidate, PatientHit, PatientSearch
from app.services.patients import PatientService
from app.ui.patients.labels import date_text, reason_label, sex_short, status_label
from app.ui.session import DesktopSession
from app.ui.widgets import text_label

NAME_MATCHES = 6
PAUSE_MS = 300


@dataclass(frozen=True)
class Match:
    hit: PatientHit
    reasons: tuple[str, ...]
    likely: bool  # from the duplicate check, not just a similar name
    score: float | None = None


def likelihood(score: float) -> str:
    if score >= 0.75:
        return QCoreApplication.translate("Matches", "Very likely the same person")
    return QCoreApplication.translate("Matches", "Likely the same person")


def find_matches(ctx: AppContext, last: str, first: str, birth: str | None) -> list[Match]:
    """On the worker: likely duplicates first (when the date of birth is known), then names."""
    found: list[Match] = []
    if birth and last.strip() and first.strip():
        data = PatientInput(first, last, birth, SexAtBirth.UNKNOWN)
        try:
            candidates: list[DuplicateCandidate] = PatientService(ctx).possible_duplicates(data)
        except DomainError:
            candidates = []
        found += [Match(c.hit, c.reasons, True, c.score) for c in candidates]
    if len(last.strip()) >= 2:
        seen = {m.hit.id for m in found}
        query = f"{last.strip()}, {first.strip()}" if first.strip() else last.strip()
        for hit in PatientSearch(ctx).search(query, NAME_MATCHES + len(seen)):
            if hit.id not in seen and len(found) < NAME_MATCHES + len(seen):
                found.append(Match(hit, (hit.matched_by,), False))
    return found


class MatchCard(QPushButton):
    """One possible match; clicking it opens that patient."""

    def __init__(self, match: Match, number: int) -> None:
        super().__init__()
        self.match = match
        self.setObjectName("MatchCard")
        self.setProperty("likely", match.likely)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        hit = match.hit
        self.setAccessibleName(
            self.tr("Open match {n}: {name}").format(n=number, name=hit.display_name)
        )
        self.setToolTip(
            self.tr("Open {name}'s record instead of registering").format(name=hit.display_name)
        )
        name = QLabel(hit.display_name)
        name.setObjectName("MatchName")
        facts = [date_text(hit.date_of_birth), hit.age, sex_short(hit.sex_at_birth), hit.mrn]
        if hit.status.value != "active":
            facts.append(status_label(hit.status))
        details = QLabel("  ·  ".join(facts) + (f"\n{hit.phone}" if hit.phone else ""))
        details.setObjectName("MatchDetails")
        reasons = " · ".join(reason_label(r) for r in match.reasons)
        if match.score is not None:
            reasons = f"{likelihood(match.score)}: {reasons.lower()}"
        why = QLabel(reasons)
        why.setObjectName("MatchWhy")
        why.setWordWrap(True)
        column = QVBoxLayout(self)
        column.setContentsMargins(12, 9, 12, 10)
        column.setSpacing(3)
        for label in (name, details, why):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            column.addWidget(label)

    def sizeHint(self) -> QSize:
        layout = self.layout()
        return layout.sizeHint() if layout is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:
        layout = self.layout()
        return layout.minimumSize() if layout is not None else super().minimumSizeHint()


class MatchesPanel(QFrame):
    open_requested = Signal(str)  # patient id

    def __init__(self, session: DesktopSession) -> None:
        super().__init__()
        self.setObjectName("MatchesPanel")
        self.setAccessibleName(self.tr("Possible matches"))
        self.session = session
        self.cards: list[MatchCard] = []
        self._asked = 0
        self._query: tuple[str, str, str | None] = ("", "", None)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PAUSE_MS)
        self._timer.timeout.connect(self._look)
        self.title = text_label(self.tr("Already registered?"), "heading")
        self.status = text_label("", "hint")
        self.status.setAccessibleName(self.tr("Matches status"))
        self._list = QVBoxLayout()
        self._list.setSpacing(8)
        holder = QWidget()
        holder.setObjectName("MatchesList")
        inner = QVBoxLayout(holder)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addLayout(self._list)
        inner.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("MatchesScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(holder)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        column = QVBoxLayout(self)
        column.setContentsMargins(16, 16, 16, 16)
        column.setSpacing(8)
        column.addWidget(self.title)
        column.addWidget(self.status)
        column.addWidget(scroll, 1)
        self.clear()

    def look_for(self, last: str, first: str, birth: str | None) -> None:
        """The form changed: look again once typing pauses."""
        self._query = (last, first, birth)
        self._asked += 1
        if len(last.strip()) < 2:
            self._timer.stop()
            self._show([], self._asked)
            return
        self._timer.start()

    def _look(self) -> None:
        self._asked += 1
        asked = self._asked
        self.status.setText(self.tr("Looking…"))
        task = self.session.run(find_matches, self.session.ctx, *self._query, owner=self)
        task.succeeded.connect(lambda found: self._show(found, asked))
        task.failed.connect(lambda _error: self._show([], asked))

    def _show(self, matches: list[Match], asked: int) -> None:
        if asked != self._asked:
            return
        self._remove_cards()
        for number, match in enumerate(matches, start=1):
            card = MatchCard(match, number)
            card.clicked.connect(lambda _=False, i=match.hit.id: self.open_requested.emit(i))
            self.cards.append(card)
            self._list.addWidget(card)
        likely = sum(1 for m in matches if m.likely)
        last, _first, birth = self._query
        if len(last.strip()) < 2:
            text = self.tr(
                "As you type the name and date of birth, people who may already be "
                "registered appear here."
            )
        elif not matches:
            text = self.tr("No one registered matches so far.")
        elif likely:
            text = self.tr("{n} may be the same person. Click one to open it instead.").format(
                n=likely
            )
        else:
            text = (
                self.tr("Similar names. Add the date of birth to check for the same person.")
                if not birth
                else self.tr("Similar names, but no likely match.")
            )
        self.status.setText(text)

    def _remove_cards(self) -> None:
        for card in self.cards:
            card.hide()
            card.deleteLater()
        self.cards.clear()

    def clear(self) -> None:
        self._timer.stop()
        self._asked += 1
        self._query = ("", "", None)
        self._show([], self._asked)
