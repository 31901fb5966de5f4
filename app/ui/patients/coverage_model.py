"""A patient's insurance coverages as a Qt table model (tested without widgets)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from app.models import SubscriberRelationship
from app.services.insurance import CoverageView
from app.ui.patients.labels import NO_VALUE, date_text, money_text, priority_label

Index = QModelIndex | QPersistentModelIndex
COVERAGE_ROLE = Qt.ItemDataRole.UserRole
_ENDED_INK = QColor("#8d99a4")


class CoverageColumn(IntEnum):
    PRIORITY = 0
    PAYER = 1
    MEMBER_ID = 2
    GROUP = 3
    SUBSCRIBER = 4
    DATES = 5
    COPAY = 6
    CARD = 7


HEADERS = ("Priority", "Payer", "Member ID", "Group", "Subscriber", "In force", "Copay", "Card")


def _tr(text: str) -> str:
    return QCoreApplication.translate("CoverageModel", text)


class CoverageModel(QAbstractTableModel):
    def __init__(self, today: date, parent: Any = None) -> None:
        super().__init__(parent)
        self.today = today
        self._rows: list[CoverageView] = []

    def set_coverages(self, coverages: Sequence[CoverageView], today: date | None = None) -> None:
        self.beginResetModel()
        self._rows = list(coverages)
        self.today = today or self.today
        self.endResetModel()

    def clear(self) -> None:
        self.set_coverages([])

    def coverage_at(self, row: int) -> CoverageView | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def ended(self, coverage: CoverageView) -> bool:
        return coverage.terminated_on is not None and coverage.terminated_on < self.today

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(CoverageColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(HEADERS[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        coverage = self.coverage_at(index.row()) if index.isValid() else None
        if coverage is None:
            return None
        column = CoverageColumn(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(coverage, column)
        if role == Qt.ItemDataRole.ForegroundRole and self.ended(coverage):
            return _ENDED_INK
        if role == COVERAGE_ROLE:
            return coverage
        return None

    def _text(self, c: CoverageView, column: CoverageColumn) -> str:
        if column == CoverageColumn.PRIORITY:
            return priority_label(c.priority)
        if column == CoverageColumn.PAYER:
            return c.payer_name
        if column == CoverageColumn.MEMBER_ID:
            return c.member_id
        if column == CoverageColumn.GROUP:
            return c.group_number or NO_VALUE
        if column == CoverageColumn.SUBSCRIBER:
            if c.relationship_to_subscriber is SubscriberRelationship.SELF:
                return _tr("Self")
            return f"{c.subscriber_name} ({_tr(c.relationship_to_subscriber.value.title())})"
        if column == CoverageColumn.DATES:
            return self._dates(c)
        if column == CoverageColumn.COPAY:
            return money_text(c.copay_cents) if c.copay_cents else NO_VALUE
        sides = [
            name for has, name in ((c.has_card_front, _tr("front")), (c.has_card_back, _tr("back")))
            if has
        ]  # fmt: skip
        return " + ".join(sides) if sides else _tr("none")

    def _dates(self, c: CoverageView) -> str:
        start = date_text(c.effective_on) if c.effective_on else ""
        if c.terminated_on is None:
            return _tr("since {date}").format(date=start) if start else _tr("in force")
        end = date_text(c.terminated_on)
        if self.ended(c):
            return _tr("ended {date}").format(date=end)
        return f"{start} – {end}" if start else _tr("until {date}").format(date=end)
