"""The Admin section: tabs for Users, Practice settings, Scheduling set-up and (when that
screen is present) Reminders, each built when first shown (see TabbedPage)."""

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from app.services.permissions import Permission
from app.ui.admin.users_page import UsersPage
from app.ui.session import DesktopSession
from app.ui.tabbed_page import TabbedPage

if TYPE_CHECKING:
    from app.ui.admin.schedule_setup_panel import ScheduleSetupPanel

REMINDERS_MODULE = "app.ui.admin.reminders_panel"


class AdminPage(TabbedPage):
    def __init__(self, session: DesktopSession) -> None:
        super().__init__(QCoreApplication.translate("AdminPage", "Admin tabs"))
        self.session = session
        actor = session.ctx.actor
        self.users: UsersPage | None = None
        self.scheduling: ScheduleSetupPanel | None = None
        self.reminders: QWidget | None = None
        self.add_tab(self.tr("Users"), self._build_users)
        if actor is not None and actor.can(Permission.MANAGE_SETTINGS):
            self.add_tab(self.tr("Practice"), self._build_practice)
            self.add_tab(self.tr("Scheduling"), self._build_scheduling)
        if importlib.util.find_spec(REMINDERS_MODULE) is not None:
            self.add_tab(self.tr("Reminders"), self._build_reminders)

    def _build_users(self) -> QWidget:
        self.users = UsersPage(self.session)
        return self.users

    def _build_practice(self) -> QWidget:
        from app.ui.admin.practice_settings_panel import PracticeSettingsPanel

        return PracticeSettingsPanel(self.session)

    def _build_scheduling(self) -> QWidget:
        from app.ui.admin.schedule_setup_panel import ScheduleSetupPanel

        self.scheduling = ScheduleSetupPanel(self.session)
        return self.scheduling

    def _build_reminders(self) -> QWidget:
        self.reminders = importlib.import_module(REMINDERS_MODULE).RemindersPanel(self.session)
        return self.reminders
