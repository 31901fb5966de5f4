"""The practice's reminder templates as a Qt table model: channel, name, when, active."""

from __future__ import annotations

from collections.abc import Sequence
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

from app.services.reminder_data import TemplateView
from app.ui.admin.reminder_labels import channel_label, hours_label

Index = QModelIndex | QPersistentModelIndex

TEMPLATE_ROLE = Qt.ItemDataRole.UserRole  # the row's TemplateView
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


class TemplateListModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._templates: list[TemplateView] = []

    def set_templates(self, templates: Sequence[TemplateView]) -> None:
        self.beginResetModel()
        self._templates = list(templates)
        self.endResetModel()

    def template_at(self, row: int) -> TemplateView | None:
        return self._templates[row] if 0 <= row < len(self._templates) else None

    def row_of(self, template_id: str) -> int | None:
        return next((row for row, t in enumerate(self._templates) if t.id == template_id), None)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._templates)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(TemplateColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(HEADERS[TemplateColumn(section)])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        template = self.template_at(index.row()) if index.isValid() else None
        if template is None:
            return None
        column = TemplateColumn(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(template, column)
        if role == Qt.ItemDataRole.ForegroundRole and not template.active:
            return _OFF_INK
        if role == Qt.ItemDataRole.ToolTipRole and column == TemplateColumn.NAME:
            return template.subject or template.body
        if role == TEMPLATE_ROLE:
            return template
        return None

    def _text(self, template: TemplateView, column: TemplateColumn) -> str:
        if column == TemplateColumn.CHANNEL:
            return channel_label(template.channel)
        if column == TemplateColumn.NAME:
            return template.name
        if column == TemplateColumn.HOURS_BEFORE:
            return hours_label(template.hours_before)
        return _tr("Yes") if template.active else _tr("No (not sent)")
