"""The staff list as a Qt table model (tested without widgets)."""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor

from app.services.users import UserSummary
from app.ui.labels import role_label
from app.ui.table_model import ROW_ROLE, ListTableModel

USER_ROLE = ROW_ROLE  # the row's UserSummary
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


class UsersModel(ListTableModel[UserSummary]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__([HEADERS[column] for column in UserColumn], parent)

    def set_users(self, users: Sequence[UserSummary]) -> None:
        self._set_rows(users)

    def clear(self) -> None:
        """Forget every row (the screen is locking)."""
        self.set_users([])

    def user_at(self, row: int) -> UserSummary | None:
        return self.row_at(row)

    def cell_text(self, user: UserSummary, column: int) -> str:
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

    def cell_tip(self, user: UserSummary, column: int) -> str | None:
        if column != UserColumn.STATUS:
            return None
        if not user.active:
            return _tr("This person cannot sign in. Enable the account to let them back in.")
        if user.must_change_password:
            return _tr("They choose their own password the next time they sign in.")
        return ""

    def cell_ink(self, user: UserSummary, column: int) -> QColor | None:
        return None if user.active else _DISABLED_INK
