"""The Admin section: tabs for Users, Scheduling set-up and (when that screen is present)
Reminders. Locking and reloading go to every tab, so none keeps staff or patient details
behind the lock screen. Ctrl+Tab / Ctrl+Shift+Tab switch tabs."""

from __future__ import annotations

import importlib
from typing import Protocol, cast

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from app.services.permissions import Permission
from app.ui.admin.schedule_setup_panel import ScheduleSetupPanel
from app.ui.admin.users_page import UsersPage
from app.ui.pages import Page
from app.ui.session import DesktopSession

REMINDERS_MODULE = "app.ui.admin.reminders_panel"

_TABS_STYLE = """
QTabWidget#AdminTabs::pane { border: none; border-top: 1px solid #d5dbe1; top: -1px; }
QTabWidget#AdminTabs > QTabBar { qproperty-drawBase: 0; }
QTabWidget#AdminTabs > QTabBar::tab { background: transparent; color: #56626d;
    border: none; border-bottom: 3px solid transparent; padding: 10px 18px 8px 18px;
    margin-right: 4px; font-weight: 600; }
QTabWidget#AdminTabs > QTabBar::tab:hover { color: #1d2630; }
QTabWidget#AdminTabs > QTabBar::tab:selected { color: #155a71; border-bottom-color: #1b6e8a; }
QTabWidget#AdminTabs > QTabBar::tab:selected:focus { background: #e2eff3; }
QTabWidget#AdminTabs::tab-bar { left: 20px; }
"""


class TabContent(Protocol):
    def clear_sensitive(self) -> None: ...

    def reload(self) -> None: ...


class AdminPage(Page):
    def __init__(self, session: DesktopSession) -> None:
        super().__init__()
        self.session = session
        actor = session.ctx.actor
        self.tabs = QTabWidget()
        self.tabs.setObjectName("AdminTabs")
        self.tabs.setAccessibleName(self.tr("Admin tabs"))
        self.tabs.setDocumentMode(True)
        self.tabs.setStyleSheet(_TABS_STYLE)
        self.contents: list[TabContent] = []

        self.users = UsersPage(session)
        self._add(self.users, self.tr("Users"))
        self.scheduling: ScheduleSetupPanel | None = None
        if actor is not None and actor.can(Permission.MANAGE_SETTINGS):
            self.scheduling = ScheduleSetupPanel(session)
            self._add(self.scheduling, self.tr("Scheduling"))
        self.reminders = _reminders_panel(session)
        if self.reminders is not None:
            self._add(self.reminders, self.tr("Reminders"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.tabs)

    def _add(self, content: QWidget, title: str) -> None:
        self.tabs.addTab(content, title)
        self.contents.append(cast(TabContent, content))

    def show_tab(self, title: str) -> None:
        for index in range(self.tabs.count()):
            if self.tabs.tabText(index) == title:
                self.tabs.setCurrentIndex(index)
                return

    # -- Page ----------------------------------------------------------------------------

    def clear_sensitive(self) -> None:
        for content in self.contents:
            content.clear_sensitive()

    def reload(self) -> None:
        for content in self.contents:
            content.reload()


def _reminders_panel(session: DesktopSession) -> QWidget | None:
    """The Reminders tab, built by another part of the app; absent in builds without it."""
    try:
        module = importlib.import_module(REMINDERS_MODULE)
    except ModuleNotFoundError as missing:
        if missing.name != REMINDERS_MODULE:
            raise  # the module is there but something it needs is not: a real error
        return None
    panel: QWidget = module.RemindersPanel(session)
    return panel
