"""The claims worklist and the denial worklist as tables: what each cell says, how a column
sorts (dates and money by value, not by their text), and the words the two share."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor

from app.models import ClaimStatus
from app.services.claim_data import FREQUENCY_LABELS, STATUS_LABELS, ClaimSummary, DenialRow
from app.services.ledger_data import money
from app.ui.billing.claim_reasons import reason_text
from app.ui.patients.labels import date_text, priority_label
from app.ui.table_model import ROW_ROLE, Index, ListTableModel

S = ClaimStatus
# Claims replaced or finished: the "Open" filter leaves them out.
FINISHED = frozenset({S.CLOSED, S.VOIDED, S.CORRECTED})
NEEDS_WORK = QColor("#a33a1f")  # rejected, denied, overdue
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def _tr(text: str) -> str:
    return QCoreApplication.translate("ClaimTables", text)


def frequency_text(code: str) -> str:
    return _tr(FREQUENCY_LABELS.get(code, code).capitalize())


def payer_text(claim: ClaimSummary) -> str:
    """ "Acme Health (primary)"."""
    return f"{claim.payer_name} ({priority_label(claim.priority).lower()})"


def status_text(status: ClaimStatus) -> str:
    return _tr(STATUS_LABELS[status])


def when_text(moment: datetime | None) -> str:
    return date_text(moment.date()) if moment else ""


def matches(claim: ClaimSummary, words: str) -> bool:
    """Whether every word typed is in the patient's name, the claim number or the payer."""
    haystack = " ".join(
        (claim.patient_name, claim.control_number, claim.payer_name, claim.payer_claim_number or "")
    ).casefold()
    return all(word in haystack for word in words.casefold().split())


class SortedRows(QSortFilterProxyModel):
    """Sorts by the source model's `sort_key` and keeps the rows `accept(row view)` lets
    through."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._accept: Callable[[Any], bool] = lambda _item: True

    def set_filter(self, accept: Callable[[Any], bool]) -> None:
        self.beginFilterChange()
        self._accept = accept
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        item = self.sourceModel().index(source_row, 0, source_parent).data(ROW_ROLE)
        return item is not None and self._accept(item)

    def lessThan(self, left: Index, right: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, SortKeys)
        column = left.column()
        a, b = left.data(ROW_ROLE), right.data(ROW_ROLE)
        return bool(model.sort_key(a, column) < model.sort_key(b, column))

    def item_at(self, row: int) -> Any:
        return self.index(row, 0).data(ROW_ROLE) if 0 <= row < self.rowCount() else None

    def row_of(self, item_id: str) -> int | None:
        model = self.sourceModel()
        assert isinstance(model, ListTableModel)
        source = model.row_of(item_id)
        if source is None:
            return None
        row = self.mapFromSource(model.index(source, 0)).row()
        return row if row >= 0 else None


class SortKeys:
    """What a model sorts its column by (its text unless told)."""

    def sort_key(self, item: Any, column: int) -> Any:
        text: str = self.cell_text(item, column)  # type: ignore[attr-defined]
        return text.casefold()


def _day_key(value: date | datetime | None) -> tuple[int, str]:
    return (0, "") if value is None else (1, value.isoformat())


class ClaimsModel(SortKeys, ListTableModel[ClaimSummary]):
    NUMBER, PATIENT, PAYER, SERVICE, TOTAL, STATUS, FREQUENCY, SUBMITTED = range(8)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            [_tr("Claim"), _tr("Patient"), _tr("Payer"), _tr("Date of service"), _tr("Total"),
             _tr("Status"), _tr("Frequency"), _tr("Submitted")],
            parent,
        )  # fmt: skip

    def set_claims(self, claims: Sequence[ClaimSummary]) -> None:
        self._set_rows(claims)

    def cell_text(self, item: ClaimSummary, column: int) -> str:
        match column:
            case self.NUMBER:
                return item.control_number
            case self.PATIENT:
                return item.patient_name
            case self.PAYER:
                return payer_text(item)
            case self.SERVICE:
                return date_text(item.service_on)
            case self.TOTAL:
                return money(item.total_cents)
            case self.STATUS:
                return status_text(item.status)
            case self.FREQUENCY:
                return frequency_text(item.frequency_code)
            case self.SUBMITTED:
                return when_text(item.submitted_at)
        return ""

    def sort_key(self, item: ClaimSummary, column: int) -> Any:
        if column == self.SERVICE:
            return _day_key(item.service_on)
        if column == self.SUBMITTED:
            return _day_key(item.submitted_at)
        if column == self.TOTAL:
            return item.total_cents
        return super().sort_key(item, column)

    def cell_ink(self, item: ClaimSummary, column: int) -> QColor | None:
        needs_work = item.status in (S.REJECTED, S.DENIED)
        return NEEDS_WORK if needs_work and column == self.STATUS else None

    def cell_alignment(self, column: int) -> int | None:
        return RIGHT if column == self.TOTAL else None


class WorklistRow(DenialRow):
    """A worklist row known by its claim's id (what the table finds rows by)."""

    @property
    def id(self) -> str:
        return self.claim.id


class DenialsModel(SortKeys, ListTableModel[WorklistRow]):
    NUMBER, PATIENT, PAYER, STATUS, REASON, OWNER, ACTION, DUE = range(8)

    def __init__(self, today: Callable[[], date], parent: QObject | None = None) -> None:
        super().__init__(
            [_tr("Claim"), _tr("Patient"), _tr("Payer"), _tr("Status"), _tr("Reason"),
             _tr("Owner"), _tr("Next action"), _tr("Due")],
            parent,
        )  # fmt: skip
        self._today = today

    def set_rows(self, rows: Sequence[DenialRow]) -> None:
        self._set_rows(WorklistRow(row.claim, row.worklist) for row in rows)

    def overdue(self, item: DenialRow) -> bool:
        due = item.worklist.due_on
        return due is not None and due < self._today()

    def overdue_count(self) -> int:
        return sum(1 for row in self._rows if self.overdue(row))

    def cell_text(self, item: DenialRow, column: int) -> str:
        claim, work = item.claim, item.worklist
        match column:
            case self.NUMBER:
                return claim.control_number
            case self.PATIENT:
                return claim.patient_name
            case self.PAYER:
                return claim.payer_name
            case self.STATUS:
                return status_text(claim.status)
            case self.REASON:
                return reason_text(work.denial_reason, work.denial_codes)
            case self.OWNER:
                return work.owner_name or _tr("Nobody yet")
            case self.ACTION:
                return work.next_action or ""
            case self.DUE:
                if work.due_on is None:
                    return ""
                text = date_text(work.due_on)
                return _tr("{date} — overdue").format(date=text) if self.overdue(item) else text
        return ""

    def sort_key(self, item: DenialRow, column: int) -> Any:
        if column == self.DUE:  # undated last, as the service orders them
            due = item.worklist.due_on
            return (due is None, due.isoformat() if due else "")
        return super().sort_key(item, column)

    def cell_tip(self, item: DenialRow, column: int) -> str | None:
        if column in (self.REASON, self.ACTION):
            return self.cell_text(item, column)
        return None

    def cell_ink(self, item: DenialRow, column: int) -> QColor | None:
        late = column == self.DUE and self.overdue(item)
        return NEEDS_WORK if late or column == self.STATUS else None
