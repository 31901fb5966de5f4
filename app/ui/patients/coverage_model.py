"""A patient's insurance coverages as a Qt table model (tested without widgets)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from app.models import SubscriberRelationship
from app.services.insurance import CoverageView
from app.ui.patients.labels import NO_VALUE, date_text, money_text, priority_label
from app.ui.table_model import ROW_ROLE, ListTableModel

COVERAGE_ROLE = ROW_ROLE
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


class CoverageModel(ListTableModel[CoverageView]):
    def __init__(self, today: date, parent: Any = None) -> None:
        super().__init__(HEADERS, parent)
        self.today = today

    def set_coverages(self, coverages: Sequence[CoverageView], today: date | None = None) -> None:
        self.today = today or self.today
        self._set_rows(coverages)

    def clear(self) -> None:
        self.set_coverages([])

    def coverage_at(self, row: int) -> CoverageView | None:
        return self.row_at(row)

    def ended(self, coverage: CoverageView) -> bool:
        return coverage.terminated_on is not None and coverage.terminated_on < self.today

    def cell_ink(self, coverage: CoverageView, column: int) -> QColor | None:
        return _ENDED_INK if self.ended(coverage) else None

    def cell_text(self, c: CoverageView, column: int) -> str:
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
