"""The Admin section: tabs for Users, Practice settings, Scheduling set-up and (when that
screen is present) Reminders. Locking goes to every tab built so far, so none keeps staff
or patient details behind the lock screen. Ctrl+Tab / Ctrl+Shift+Tab switch tabs."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, cast

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from app.services.permissions import Permission
from app.ui.admin.users_page import UsersPage
from app.ui.pages import Page
from app.ui.session import DesktopSession

if TYPE_CHECKING:
    from app.ui.admin.schedule_setup_panel import ScheduleSetupPanel

REMINDERS_MODULE = "app.ui.admin.reminders_panel"


class TabContent(Protocol):
    def clear_sensitive(self) -> None: ...

    def reload(self) -> None: ...


@dataclass
class _Tab:
    title: str
    build: Callable[[], QWidget]
    content: QWidget | None = None
    loaded: bool = False


class AdminPage(Page):
    """Each tab is built and loaded when it is first shown, so opening Admin costs one tab."""

    def __init__(self, session: DesktopSession) -> None:
        super().__init__()
        self.session = session
        actor = session.ctx.actor
        self.tabs = QTabWidget()
        self.tabs.setObjectName("SectionTabs")
        self.tabs.setAccessibleName(self.tr("Admin tabs"))
        self.tabs.setDocumentMode(True)
        self.users: UsersPage | None = None
        self.scheduling: ScheduleSetupPanel | None = None
        self.reminders: QWidget | None = None
        self._tabs: list[_Tab] = [_Tab(self.tr("Users"), self._build_users)]
        if actor is not None and actor.can(Permission.MANAGE_SETTINGS):
            self._tabs.append(_Tab(self.tr("Practice"), self._build_practice))
            self._tabs.append(_Tab(self.tr("Scheduling"), self._build_scheduling))
        if importlib.util.find_spec(REMINDERS_MODULE) is not None:
            self._tabs.append(_Tab(self.tr("Reminders"), self._build_reminders))
        for tab in self._tabs:
            self.tabs.addTab(QWidget(), tab.title)  # stands in until the tab is first shown
        self.tabs.currentChanged.connect(self._load_current)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.tabs)

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

    def show_tab(self, title: str) -> None:
        for index, tab in enumerate(self._tabs):
            if tab.title == title:
                self._built(index)
                self.tabs.setCurrentIndex(index)
                return

    def _built(self, index: int) -> TabContent:
        tab = self._tabs[index]
        if tab.content is None:
            tab.content = tab.build()
            current = self.tabs.currentIndex()
            self.tabs.blockSignals(True)  # the swap below is not the user changing tabs
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, tab.content, tab.title)
            self.tabs.setCurrentIndex(current)
            self.tabs.blockSignals(False)
        return cast(TabContent, tab.content)

    def _load_current(self) -> None:
        index = self.tabs.currentIndex()
        if index < 0:
            return
        content = self._built(index)
        if not self._tabs[index].loaded:
            self._tabs[index].loaded = True
            content.reload()

    # -- Page ----------------------------------------------------------------------------

    def clear_sensitive(self) -> None:
        for tab in self._tabs:
            tab.loaded = False
            if tab.content is not None:
                cast(TabContent, tab.content).clear_sensitive()

    def reload(self) -> None:
        """Reload the tab on screen; the others reload when they are next shown."""
        for tab in self._tabs:
            tab.loaded = False
        self._load_current()
