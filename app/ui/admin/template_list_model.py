"""The practice's reminder templates as a Qt table model: channel, name, when, active."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from app.services.reminder_data import TemplateView
from app.ui.admin.reminder_labels import channel_label, hours_label
from app.ui.table_model import ROW_ROLE, ListTableModel

TEMPLATE_ROLE = ROW_ROLE  # the row's TemplateView
_OFF_INK = QColor("#8d99a4")


class TemplateColumn(IntEnum):
    CHANNEL = 0
    NAME = 1
    HOURS_BEFORE = 2
    ACTIVE = 3


def _tr(text: str) -> str:
    return QCoreApplication.translate("TemplateListModel", text)


HEADERS = {
    TemplateColumn.CHANNEL: "Channel",
    TemplateColumn.NAME: "Name",
    TemplateColumn.HOURS_BEFORE: "Sent",
    TemplateColumn.ACTIVE: "Active",
}


class TemplateListModel(ListTableModel[TemplateView]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__([HEADERS[column] for column in TemplateColumn], parent)

    def set_templates(self, templates: Sequence[TemplateView]) -> None:
        self._set_rows(templates)

    def template_at(self, row: int) -> TemplateView | None:
        return self.row_at(row)

    def cell_text(self, template: TemplateView, column: int) -> str:
        if column == TemplateColumn.CHANNEL:
            return channel_label(template.channel)
        if column == TemplateColumn.NAME:
            return template.name
        if column == TemplateColumn.HOURS_BEFORE:
            return hours_label(template.hours_before)
        return _tr("Yes") if template.active else _tr("No (not sent)")

    def cell_tip(self, template: TemplateView, column: int) -> str | None:
        return (template.subject or template.body) if column == TemplateColumn.NAME else None

    def cell_ink(self, template: TemplateView, column: int) -> QColor | None:
        return None if template.active else _OFF_INK
