"""Admin → Users: who can sign in, with which role, and the actions on their accounts."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QTableView,
    QVBoxLayout,
)

from app.services.bus import UsersChanged
from app.services.users import UserAdminService, UserSummary
from app.ui.admin.user_dialogs import (
    AddUserDialog,
    ChangeRoleDialog,
    ServiceDialog,
    TemporaryPasswordDialog,
)
from app.ui.admin.users_model import USER_ROLE, UserColumn, UsersModel
from app.ui.labels import role_label
from app.ui.notices import NoticeBridge
from app.ui.pages import Page
from app.ui.session import DesktopSession
from app.ui.tasks import error_message
from app.ui.widgets import MessageLabel, button, text_label


class UsersPage(Page):
    def __init__(self, session: DesktopSession) -> None:
        super().__init__()
        self.session = session
        self.service = UserAdminService(session.ctx)
        self._generation = 0  # bumped on lock: answers to older requests are dropped
        self._cleared = False
        self._select_after_reload: str | None = None
        self.model = UsersModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        self.table = QTableView()
        self.table.setAccessibleName(self.tr("Users list"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(UserColumn.NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(34)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(UserColumn.NAME, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(90)
        self.table.selectionModel().selectionChanged.connect(self._update_actions)
        self.table.doubleClicked.connect(lambda _index: self.change_role())

        self.add_button = button(self.tr("Add user…"), self.tr("Add user"), variant="primary")
        self.reset_button = button(self.tr("Reset password…"), self.tr("Reset password"))
        self.role_button = button(self.tr("Change role…"), self.tr("Change role"))
        self.disable_button = button(self.tr("Disable"), self.tr("Disable user"))
        self.enable_button = button(self.tr("Enable…"), self.tr("Enable user"))
        self.add_button.clicked.connect(self.add_user)
        self.reset_button.clicked.connect(self.reset_password)
        self.role_button.clicked.connect(self.change_role)
        self.disable_button.clicked.connect(self.disable_user)
        self.enable_button.clicked.connect(self.enable_user)
        self.message = MessageLabel("notice", self.tr("Users message"))

        actions = QHBoxLayout()
        actions.setSpacing(8)
        actions.addWidget(self.add_button)
        actions.addSpacing(12)
        for widget in (self.reset_button, self.role_button, self.disable_button):
            actions.addWidget(widget)
        actions.addWidget(self.enable_button)
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 24)
        layout.setSpacing(14)
        layout.addWidget(text_label(self.tr("Users"), "title"))
        layout.addWidget(
            text_label(
                self.tr(
                    "Everyone who can sign in to this practice, and the role that decides "
                    "what they can do."
                ),
                "muted",
            )
        )
        layout.addLayout(actions)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)

        self._notices = NoticeBridge(session.ctx.bus, UsersChanged, parent=self)
        self._notices.received.connect(lambda _notice: self._refresh_if_shown())
        self._update_actions()

    # -- Page ----------------------------------------------------------------------------

    def clear_sensitive(self) -> None:
        self._generation += 1
        self._cleared = True
        self.model.clear()
        self.message.clear_message()
        self.table.hide()
        self._update_actions()

    def reload(self) -> None:
        self._cleared = False
        self.table.show()
        generation = self._generation
        task = self.session.run(self.service.list_users, owner=self)
        task.succeeded.connect(lambda users: self._show_users(users, generation))
        task.failed.connect(self._show_error)

    def _refresh_if_shown(self) -> None:
        if not self._cleared:
            self.reload()

    def _show_users(self, users: list[UserSummary], generation: int) -> None:
        if generation != self._generation:
            return  # the screen locked while this was loading
        selected = self.selected_user()
        self.model.set_users(users)
        wanted = self._select_after_reload or (selected.id if selected else None)
        self._select_after_reload = None
        if wanted is not None:
            self.select_user(wanted)
        self._update_actions()

    def _show_error(self, error: BaseException) -> None:
        self.message.show_as("error", error_message(error))

    def _notice(self, text: str) -> None:
        self.message.show_as("notice", text)

    # -- selection -----------------------------------------------------------------------

    def selected_user(self) -> UserSummary | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(USER_ROLE) if rows else None

    def select_user(self, user_id: str) -> None:
        row = self.model.row_of(user_id)
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        flags = QItemSelectionModel.SelectionFlag
        self.table.selectionModel().select(index, flags.ClearAndSelect | flags.Rows)
        self.table.setCurrentIndex(index)

    def _update_actions(self) -> None:
        user = self.selected_user()
        me = self.session.ctx.actor.user_id if self.session.ctx.actor else None
        active = user is not None and user.active
        self.reset_button.setEnabled(active)
        self.role_button.setEnabled(active)
        self.disable_button.setEnabled(active and user is not None and user.id != me)
        self.enable_button.setEnabled(user is not None and not user.active)
        self.add_button.setEnabled(not self._cleared)

    # -- actions -------------------------------------------------------------------------

    def add_user(self) -> None:
        dialog = AddUserDialog(self.session, self)
        self._open(
            dialog,
            lambda u: self.tr(
                "{name} can now sign in as “{username}” with the temporary password."
            ).format(name=u.display_name, username=u.username),
        )

    def reset_password(self) -> None:
        user = self.selected_user()
        if user is not None and user.active:
            dialog = TemporaryPasswordDialog(self.session, user, enabling=False, parent=self)
            self._open(
                dialog,
                lambda u: self.tr("{name}'s password was reset.").format(name=u.display_name),
            )

    def enable_user(self) -> None:
        user = self.selected_user()
        if user is not None and not user.active:
            dialog = TemporaryPasswordDialog(self.session, user, enabling=True, parent=self)
            self._open(
                dialog, lambda u: self.tr("{name} can sign in again.").format(name=u.display_name)
            )

    def change_role(self) -> None:
        user = self.selected_user()
        if user is not None and user.active:
            dialog = ChangeRoleDialog(self.session, user, self)
            self._open(
                dialog,
                lambda u: self.tr("{name} is now: {role}.").format(
                    name=u.display_name, role=role_label(u.role)
                ),
            )

    def disable_user(self) -> None:
        user = self.selected_user()
        if user is None or not user.active:
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Disable user"))
        box.setText(self.tr("Disable {name}?").format(name=user.display_name))
        box.setInformativeText(
            self.tr(
                "They will no longer be able to sign in. Their records and history stay, "
                "and you can enable the account again later."
            )
        )
        box.setStandardButtons(QMessageBox.StandardButton.Cancel)
        confirm = box.addButton(self.tr("Disable"), QMessageBox.ButtonRole.AcceptRole)
        confirm.setAccessibleName(self.tr("Confirm disable"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.buttonClicked.connect(
            lambda clicked: self._disable(user) if clicked is confirm else None
        )
        box.open()

    def _disable(self, user: UserSummary) -> None:
        task = self.session.run(self.service.disable_user, user.id, owner=self)
        task.succeeded.connect(
            lambda u: self._notice(
                self.tr("{name} can no longer sign in.").format(name=u.display_name)
            )
        )
        task.failed.connect(self._show_error)

    def _open(self, dialog: ServiceDialog, describe: Callable[[UserSummary], str]) -> None:
        def done() -> None:
            user = dialog.result_value
            if isinstance(user, UserSummary):
                self._notice(describe(user))
                self._select_after_reload = user.id
                self.select_user(user.id)

        dialog.accepted.connect(done)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
