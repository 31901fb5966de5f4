"""The scrubber's findings beside a claim: errors (the claim cannot go until they are fixed)
and warnings (it may), each in words with where in Stethos to fix it."""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.services.claim_rules import ScrubProblem
from app.ui.widgets import text_label

# No warning role in the theme: an amber box beside the theme's red error box.
WARNING_STYLE = (
    "QLabel { color: #5c4300; background: #fdf4dc; border: 1px solid #efd89c; "
    "border-radius: 6px; padding: 8px 10px; }"
)
_LINE = re.compile(r"^lines\[(\d+)\]")


def _tr(text: str) -> str:
    return QCoreApplication.translate("ClaimProblems", text)


def where_to_fix(field: str) -> str:
    """Where the biller fixes what `field` (the scrubber's dotted path) holds."""
    if line := _LINE.match(field):
        if field.endswith(".service_on"):
            return _tr("Line {n}: the visit's date of service.").format(n=line.group(1))
        return _tr("Line {n}: Change line… on the draft claim.").format(n=line.group(1))
    head = field.split(".", 1)[0].split("[", 1)[0]
    places = {
        "billing_provider": _tr("Billing → Claim setup (the practice's billing details)."),
        "rendering_provider": _tr("Admin → Users (the provider's NPI and credentials)."),
        "subscriber": _tr("The patient's record → Insurance (the subscriber)."),
        "patient": _tr("The patient's record (name, birth date, address)."),
        "payer": _tr("The payer's details, from the patient's Insurance."),
        "other_payer": _tr("The patient's other insurance, and the first payer's remittance."),
        "diagnosis_codes": _tr("The visit's diagnoses: Change line… on the draft claim."),
        "place_of_service": _tr("The visit's place of service: Change line… on the draft."),
        "payer_claim_number": _tr("The claim this one replaces needs the payer's number."),
    }
    return places.get(head, "")


def problem_text(problem: ScrubProblem) -> str:
    kind = _tr("Error") if problem.blocks_submission else _tr("Warning")
    where = where_to_fix(problem.field)
    text = f"{kind}: {problem.message}"
    return f"{text}\n{_tr('Fix it in:')} {where}" if where else text


def problem_label(problem: ScrubProblem) -> QLabel:
    label = text_label(problem_text(problem), "error" if problem.blocks_submission else None)
    label.setAccessibleName(_tr("Claim error") if problem.blocks_submission else _tr("Warning"))
    if not problem.blocks_submission:
        label.setStyleSheet(WARNING_STYLE)
    return label


class ProblemList(QWidget):
    """The findings, errors first; a line in words when there are none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(_tr("Scrubber findings"))
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(6)
        self.problems: tuple[ScrubProblem, ...] = ()

    def set_problems(self, problems: Sequence[ScrubProblem] | None) -> None:
        """None: not checked (nothing shown)."""
        while (item := self._layout.takeAt(0)) is not None:
            if (widget := item.widget()) is not None:
                widget.hide()  # gone from screen (and from searches) now, not later
                widget.deleteLater()
        self.problems = tuple(sorted(problems or (), key=lambda p: not p.blocks_submission))
        if problems is None:
            return
        if not self.problems:
            clean = text_label(_tr("The scrubber finds nothing to fix."), "muted")
            clean.setAccessibleName(_tr("Scrubber result"))
            self._layout.addWidget(clean)
        for problem in self.problems:
            self._layout.addWidget(problem_label(problem))

    def texts(self) -> list[str]:
        return [problem_text(p) for p in self.problems]
