"""A patient's ledger as the account screen lists it: one row per posted line, oldest first,
with the running balance. A reversed line stays, struck through and greyed, next to the
reversal that names it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QColor, QFont

from app.models import EntryKind, Responsibility
from app.services.ledger_data import AccountLine, money
from app.ui.labels import payment_method_label
from app.ui.patients.labels import date_text
from app.ui.table_model import Index, ListTableModel

GONE = QColor("#8a8f98")  # a reversed line: still there, but no longer counts
CREDIT = QColor("#1d6b3a")  # money that lowers the balance


def _tr(text: str) -> str:
    return QCoreApplication.translate("LedgerModel", text)


def side_label(side: Responsibility) -> str:
    return _tr("Insurance") if side is Responsibility.INSURANCE else _tr("Patient")


def line_text(line: AccountLine) -> str:
    """What the line is, in the desk's words: "99213 Office visit", "Payment R-000042 (Cash)"."""
    service = f"{line.procedure_code} {line.charge_description or ''}".strip()
    why = f": {line.reason}" if line.reason else ""
    on_charge = _tr(" on {service}").format(service=line.procedure_code) if service else ""
    match line.kind:
        case EntryKind.CHARGE:
            return service
        case EntryKind.PAYMENT:
            method = f" ({payment_method_label(line.method)})" if line.method else ""
            if line.amount_cents > 0:  # credit moved onto a charge
                return _tr("Credit applied{on}").format(on=on_charge)
            return _tr("Payment {receipt}{method}{on}").format(
                receipt=line.receipt_number or "", method=method, on=on_charge
            )
        case EntryKind.ADJUSTMENT:
            code = f" [{line.reason_code}]" if line.reason_code else ""
            return _tr("Adjustment{on}{code}{why}").format(on=on_charge, code=code, why=why)
        case EntryKind.WRITE_OFF:
            return _tr("Write-off{on}{why}").format(on=on_charge, why=why)
        case EntryKind.REFUND:
            return _tr("Refund of {receipt}{why}").format(
                receipt=line.receipt_number or _tr("credit"), why=why
            )
        case EntryKind.TRANSFER:
            side = side_label(line.responsibility).lower()
            verb = _tr("Moved to {side}") if line.amount_cents > 0 else _tr("Moved from {side}")
            return verb.format(side=side) + on_charge + why
        case EntryKind.REVERSAL:
            return _tr("Reversal{on}{why}").format(on=on_charge, why=why)
    return str(line.kind)


class LedgerModel(ListTableModel[AccountLine]):
    POSTED, SERVICE, WHAT, SIDE, AMOUNT, BALANCE = range(6)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            [_tr("Posted"), _tr("Service date"), _tr("Line"), _tr("Side"), _tr("Amount"),
             _tr("Balance")],
            parent,
        )  # fmt: skip

    def set_lines(self, lines: tuple[AccountLine, ...]) -> None:
        self._set_rows(lines)

    def cell_text(self, item: AccountLine, column: int) -> str:
        match column:
            case self.POSTED:
                return date_text(item.business_day)
            case self.SERVICE:
                return date_text(item.service_on) if item.service_on else ""
            case self.WHAT:
                return line_text(item)
            case self.SIDE:
                return side_label(item.responsibility)
            case self.AMOUNT:
                return money(item.amount_cents)
            case self.BALANCE:
                return money(item.running_balance_cents)
        return ""

    def cell_tip(self, item: AccountLine, column: int) -> str | None:
        if item.reversed:
            return _tr("Reversed by a later line: it no longer counts.")
        return line_text(item) if column == self.WHAT else None

    def cell_ink(self, item: AccountLine, column: int) -> QColor | None:
        if item.reversed:
            return GONE
        if column == self.AMOUNT and item.amount_cents < 0:
            return CREDIT
        return None

    def cell_alignment(self, column: int) -> int | None:
        if column in (self.AMOUNT, self.BALANCE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.FontRole:
            item = self.row_at(index.row()) if index.isValid() else None
            if item is not None and item.reversed:
                font = QFont()
                font.setStrikeOut(True)
                return font
            return None
        return super().data(index, role)
