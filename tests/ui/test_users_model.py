"""The staff table model, without widgets, fed by the real service."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QModelIndex, Qt
from pytestqt.modeltest import ModelTester

from app.models import Role
from app.services.context import AppContext
from app.services.users import UserAdminService
from app.ui.admin.users_model import USER_ROLE, UserColumn, UsersModel


def _row_texts(model: UsersModel, row: int) -> list[str]:
    return [model.index(row, column).data() for column in range(model.columnCount())]


def test_the_model_lists_the_practice_staff(admin: AppContext, qapp: object) -> None:
    users = UserAdminService(admin).list_users()
    model = UsersModel()
    model.set_users(users)
    assert model.rowCount() == len(users) == 6
    assert model.columnCount() == 6
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(6)]
    assert headers == ["Name", "User name", "Role", "Credentials", "Status", "2-step sign-in"]
    patel = model.row_of(next(u.id for u in users if u.username == "drpatel"))
    assert patel is not None
    assert _row_texts(model, patel) == [
        "Priya Patel",
        "drpatel",
        "Physician",
        "MD",
        "Active",
        "Off",
    ]
    assert model.index(patel, 0).data(USER_ROLE).username == "drpatel"


def test_disabled_and_temporary_password_states_read_clearly(
    admin: AppContext, qapp: object
) -> None:
    service = UserAdminService(admin)
    kim = next(u for u in service.list_users() if u.username == "nkim")
    service.disable_user(kim.id)
    model = UsersModel()
    model.set_users(service.list_users())
    row = model.row_of(kim.id)
    assert row is not None
    status = model.index(row, UserColumn.STATUS)
    assert status.data() == "Disabled"
    assert "cannot sign in" in status.data(Qt.ItemDataRole.ToolTipRole)
    assert status.data(Qt.ItemDataRole.ForegroundRole) is not None

    temporary = replace(kim, active=True, must_change_password=True, second_factor=True)
    model.set_users([temporary])
    assert _row_texts(model, 0)[UserColumn.STATUS :] == ["Active · temporary password", "On"]
    assert model.index(0, UserColumn.ROLE).data() == "Nurse"


def test_clear_forgets_every_row(admin: AppContext, qapp: object) -> None:
    model = UsersModel()
    model.set_users(UserAdminService(admin).list_users())
    model.clear()
    assert model.rowCount() == 0
    assert model.user_at(0) is None
    assert model.index(0, 0).data() is None


def test_the_model_keeps_qts_contract(admin: AppContext, qtmodeltester: ModelTester) -> None:
    model = UsersModel()
    model.set_users(UserAdminService(admin).list_users())
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount(model.index(0, 0)) == 0  # a flat table: no children
    assert model.rowCount(QModelIndex()) == 6
    assert Role.ADMIN in {model.index(r, 0).data(USER_ROLE).role for r in range(6)}
