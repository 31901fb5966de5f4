"""One claim in full under the claims worklist: who and what it bills, the scrubber's
findings, its lines and its history, and the actions its status allows now."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.claim_data import ClaimDetail, ClaimSummary
from app.services.claim_rules import ScrubProblem
from app.services.claims import ClaimService
from app.services.context import AppContext
from app.services.ledger_data import money
from app.services.practice import PracticeInfo
from app.services.schedule_rules import to_wall
from app.ui.billing.claim_actions import Action, allowed
from app.ui.billing.claim_problems import ProblemList
from app.ui.billing.claim_reasons import reason_text
from app.ui.billing.claim_tables import (
    RIGHT,
    frequency_text,
    payer_text,
    status_text,
)
from app.ui.patients.labels import date_text
from app.ui.tables import ROW_HEIGHT, style_row_table
from app.ui.widgets import button, text_label

LINE_ROWS = 4  # lines shown before the table scrolls (a claim rarely has more)


def _tr(text: str) -> str:
    return QCoreApplication.translate("ClaimDetail", text)


def load_claim(ctx: AppContext, claim_id: str) -> tuple[ClaimDetail, list[ScrubProblem]]:
    """On the worker: the claim (its history on the practice's clock) and what the
    scrubber finds in it now."""
    service = ClaimService(ctx)
    detail, problems = service.claim(claim_id), service.check(claim_id)
    zone = PracticeInfo(ctx).summary().time_zone
    history = tuple(replace(e, occurred_at=to_wall(e.occurred_at, zone)) for e in detail.history)
    return replace(detail, history=history), problems


def _fill(table: QTableWidget, rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> None:
    table.setRowCount(len(rows))
    for row, texts in enumerate(rows):
        for column, text in enumerate(texts):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            if column in right:
                item.setTextAlignment(Qt.AlignmentFlag(RIGHT))
            table.setItem(row, column, item)


def _table(name: str, headers: Sequence[str], stretch: int) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    style_row_table(table, name, stretch_column=stretch)
    return table


def _answer_text(detail: ClaimDetail) -> str:
    """The payer's reason (a denial, a rejection, a partial payment) and who works on it."""
    work = detail.worklist
    if not (work.denial_reason or work.denial_codes):
        return ""
    parts = [
        _tr("Payer's reason: {reason}").format(
            reason=reason_text(work.denial_reason, work.denial_codes)
        )
    ]
    if work.owner_name:
        parts.append(_tr("Owner: {name}").format(name=work.owner_name))
    if work.next_action:
        parts.append(_tr("Next: {action}").format(action=work.next_action))
    if work.due_on:
        parts.append(_tr("Due {day}").format(day=date_text(work.due_on)))
    return " · ".join(parts)


class ClaimDetailPane(QWidget):
    """Shows a claim; its buttons say `requested(action)`, `account_requested(patient id)`
    and `form_requested()`; the screen that owns it runs them."""

    requested = Signal(object)  # Action
    account_requested = Signal(str)
    form_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.detail: ClaimDetail | None = None
        self.heading = text_label("", "heading")
        self.heading.setAccessibleName(_tr("Claim"))
        self.who = text_label("", "muted")
        self.who.setAccessibleName(_tr("Claim summary"))
        self.numbers = text_label("", "muted")
        self.numbers.setAccessibleName(_tr("Claim numbers"))
        self.answer = text_label("")
        self.answer.setAccessibleName(_tr("Payer's answer"))

        specs = [
            (Action.CHECK, _tr("Check"), _tr("Check claim"), _tr("Run the scrubber again")),
            (Action.MARK_READY, _tr("Mark ready"), _tr("Mark ready"),
             _tr("Put the claim in the next batch (Ctrl+Enter)")),
            (Action.RETURN_TO_DRAFT, _tr("Return to draft…"), _tr("Return to draft"), ""),
            (Action.CORRECT, _tr("Correct…"), _tr("Correct claim"),
             _tr("Send a corrected claim (frequency 7) in place of this one")),
            (Action.VOID, _tr("Void…"), _tr("Void claim"),
             _tr("Ask the payer to cancel this claim (frequency 8)")),
            (Action.APPEAL, _tr("Appeal…"), _tr("Appeal claim"), ""),
            (Action.CLOSE, _tr("Close…"), _tr("Close claim"), ""),
            (Action.CHANGE_LINE, _tr("Change line…"), _tr("Change line"),
             _tr("Change the chosen line of this draft")),
        ]  # fmt: skip
        self.buttons: dict[Action, QPushButton] = {}
        actions = QHBoxLayout()
        actions.setSpacing(8)
        for action, text, name, tip in specs:
            widget = button(text, name, variant="primary" if action is Action.MARK_READY else None)
            if tip:
                widget.setToolTip(tip)
            widget.clicked.connect(lambda _=False, a=action: self.requested.emit(a))
            self.buttons[action] = widget
            actions.addWidget(widget)
        actions.addStretch(1)
        self.account_button = button(_tr("Open account"), _tr("Open patient account"))
        self.account_button.clicked.connect(self._open_account)
        self.form_button = button(_tr("CMS-1500…"), _tr("Print CMS-1500"), icon_name="printer")
        self.form_button.setToolTip(_tr("Preview the claim on the paper form, to print or save"))
        self.form_button.clicked.connect(self.form_requested.emit)
        # Beside the heading: they are about the claim, not steps in its life.
        head = QHBoxLayout()
        head.setSpacing(8)
        head.addWidget(self.heading, 1)
        head.addWidget(self.account_button)
        head.addWidget(self.form_button)

        self.problems = ProblemList()
        self.lines = _table(
            _tr("Claim lines"),
            [_tr("Line"), _tr("Code"), _tr("Date"), _tr("Units"), _tr("Charge")],
            stretch=1,
        )
        self.history = _table(
            _tr("Claim history"),
            [_tr("When"), _tr("Who"), _tr("From → to"), _tr("Note")],
            stretch=3,
        )
        # A long name is cut (with a tip) so the note keeps the room.
        who = self.history.horizontalHeader()
        who.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        who.resizeSection(1, 150)

        checks = QVBoxLayout()
        checks.setContentsMargins(0, 0, 0, 0)
        checks.setSpacing(8)
        checks.addWidget(text_label(_tr("Scrubber"), "heading"))
        checks.addWidget(self.problems)
        checks.addWidget(text_label(_tr("Lines"), "heading"))
        checks.addWidget(self.lines)
        checks.addStretch(1)
        holder = QWidget()
        holder.setLayout(checks)
        scroll = QScrollArea()
        scroll.setObjectName("RecordScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(holder)

        story = QVBoxLayout()
        story.setSpacing(8)
        story.addWidget(text_label(_tr("History"), "heading"))
        story.addWidget(self.history, 1)
        columns = QHBoxLayout()
        columns.setSpacing(16)
        columns.addWidget(scroll, 1)
        columns.addLayout(story, 2)

        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.setSpacing(8)
        body.addLayout(head)
        body.addWidget(self.who)
        body.addWidget(self.numbers)
        body.addWidget(self.answer)
        body.addLayout(actions)
        body.addLayout(columns, 1)
        self.empty = text_label(_tr("Choose a claim to see it here."), "muted")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.empty, 1)
        self.show_claim(None)

    @property
    def claim(self) -> ClaimSummary | None:
        return self.detail.summary if self.detail else None

    def show_claim(
        self,
        detail: ClaimDetail | None,
        problems: Sequence[ScrubProblem] | None = None,
        claim_of: Callable[[str], ClaimSummary | None] = lambda _id: None,
    ) -> None:
        """`claim_of(claim id)`: another claim on the list (the one this replaces)."""
        self.detail = detail
        self.body.setVisible(detail is not None)
        self.empty.setVisible(detail is None)
        if detail is None:
            self.problems.set_problems(None)
            self.lines.setRowCount(0)
            self.history.setRowCount(0)
            return
        claim = detail.summary
        self.heading.setText(
            _tr("Claim {number} — {status}").format(
                number=claim.control_number, status=status_text(claim.status)
            )
        )
        self.who.setText(
            _tr("{patient} · {payer} · seen {day} · {total} · {frequency}").format(
                patient=claim.patient_name,
                payer=payer_text(claim),
                day=date_text(claim.service_on),
                total=money(claim.total_cents),
                frequency=frequency_text(claim.frequency_code).lower(),
            )
        )
        numbers = [
            _tr("Payer's claim number: {number}").format(
                number=claim.payer_claim_number or _tr("not known yet")
            )
        ]
        replaced = claim_of(claim.replaces_claim_id) if claim.replaces_claim_id else None
        if replaced is not None:
            numbers.append(
                _tr("Replaces {number} (the payer's {payer_number})").format(
                    number=replaced.control_number,
                    payer_number=replaced.payer_claim_number or _tr("number not known"),
                )
            )
        elif claim.replaces_claim_id:
            numbers.append(_tr("Replaces an earlier claim"))
        self.numbers.setText(" · ".join(numbers))
        self.answer.setText(_answer_text(detail))
        self.answer.setVisible(bool(self.answer.text()))
        self.problems.set_problems(problems)
        _fill(
            self.lines,
            [
                (
                    str(line.line_number),
                    "-".join((line.procedure_code, *line.modifiers)),  # as billers write it
                    date_text(line.service_on),
                    str(line.units),
                    money(line.charge_cents),
                )
                for line in detail.lines
            ],
            right=(3, 4),
        )
        if detail.lines:
            self.lines.selectRow(0)
        # As tall as its lines (up to LINE_ROWS), so the history below keeps the room.
        shown = min(max(len(detail.lines), 1), LINE_ROWS)
        header = self.lines.horizontalHeader().sizeHint().height()
        self.lines.setFixedHeight(header + ROW_HEIGHT * shown + 4)
        _fill(
            self.history,
            [
                (
                    f"{date_text(event.occurred_at.date())} {event.occurred_at:%H:%M}",
                    event.user_name or _tr("Stethos"),
                    (
                        f"{status_text(event.from_status)} → {status_text(event.to_status)}"
                        if event.from_status
                        else _tr("New: {status}").format(status=status_text(event.to_status))
                    ),
                    event.note or "",
                )
                for event in reversed(detail.history)  # newest first
            ],
        )
        for action, widget in self.buttons.items():
            widget.setEnabled(allowed(action, claim.status))

    def set_problems(self, problems: Sequence[ScrubProblem]) -> None:
        self.problems.set_problems(problems)

    def chosen_line(self) -> int | None:
        """The chosen line's number (1-based, as the claim counts them)."""
        if self.detail is None or not self.detail.lines:
            return None
        row = self.lines.currentRow()
        return self.detail.lines[row].line_number if 0 <= row < len(self.detail.lines) else None

    def _open_account(self) -> None:
        if self.detail is not None:
            self.account_requested.emit(self.detail.summary.patient_id)
