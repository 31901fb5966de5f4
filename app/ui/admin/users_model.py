"""The staff list as a Qt table model (tested without widgets)."""

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

from app.services.users import UserSummary
from app.ui.labels import role_label

Index = QModelIndex | QPersistentModelIndex

USER_ROLE = Qt.ItemDataRole.UserRole  # the row's UserSummary
_DISABLED_INK = QColor("#8d99a4")


class UserColumn(IntEnum):
    NAME = 0
    USERNAME = 1
    ROLE = 2
    CREDENTIALS = 3
    STATUS = 4
    SECOND_FACTOR = 5


def _tr(text: str) -> str:
    return QCoreApplication.translate("UsersModel", text)


HEADERS = {
    UserColumn.NAME: "Name",
    UserColumn.USERNAME: "User name",
    UserColumn.ROLE: "Role",
    UserColumn.CREDENTIALS: "Credentials",
    UserColumn.STATUS: "Status",
    UserColumn.SECOND_FACTOR: "2-step sign-in",
}


def status_text(user: UserSummary) -> str:
    if not user.active:
        return _tr("Disabled")
    if user.must_change_password:
        return _tr("Active · temporary password")
    return _tr("Active")


class UsersModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._users: list[UserSummary] = []

    # -- contents ------------------------------------------------------------------------

    def set_users(self, users: Sequence[UserSummary]) -> None:
        self.beginResetModel()
        self._users = list(users)
        self.endResetModel()

    def clear(self) -> None:
        """Forget every row (the screen is locking)."""
        self.set_users([])

    def user_at(self, row: int) -> UserSummary | None:
        return self._users[row] if 0 <= row < len(self._users) else None

    def row_of(self, user_id: str) -> int | None:
        return next((row for row, u in enumerate(self._users) if u.id == user_id), None)

    # -- Qt model API --------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._users)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(UserColumn)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _tr(HEADERS[UserColumn(section)])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        user = self.user_at(index.row()) if index.isValid() else None
        if user is None:
            return None
        column = UserColumn(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(user, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == UserColumn.STATUS:
            return self._status_tip(user)
        if role == Qt.ItemDataRole.ForegroundRole and not user.active:
            return _DISABLED_INK
        if role == USER_ROLE:
            return user
        return None

    def _text(self, user: UserSummary, column: UserColumn) -> str:
        if column == UserColumn.NAME:
            return user.display_name
        if column == UserColumn.USERNAME:
            return user.username
        if column == UserColumn.ROLE:
            return role_label(user.role)
        if column == UserColumn.CREDENTIALS:
            return user.credentials or ""
        if column == UserColumn.STATUS:
            return status_text(user)
        return _tr("On") if user.second_factor else _tr("Off")

    def _status_tip(self, user: UserSummary) -> str:
        if not user.active:
            return _tr("This person cannot sign in. Enable the account to let them back in.")
        if user.must_change_password:
            return _tr("They choose their own password the next time they sign in.")
        return ""
