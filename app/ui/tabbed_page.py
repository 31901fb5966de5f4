"""A main-window page made of tabs, each built and loaded when it is first shown, so opening
the section costs one tab. Locking goes to every tab built so far (none keeps staff or
patient details behind the lock screen); unlocking reloads the tab on screen and the others
when they are next shown. Ctrl+Tab / Ctrl+Shift+Tab switch tabs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, cast

from PySide6.QtWidgets import QTabWidget, QVBoxLayout, QWidget

from app.ui.pages import Page


class TabContent(Protocol):
    def clear_sensitive(self) -> None: ...

    def reload(self) -> None: ...


@dataclass
class _Tab:
    title: str
    build: Callable[[], QWidget]
    content: QWidget | None = None
    loaded: bool = False


class TabbedPage(Page):
    def __init__(self, accessible_name: str) -> None:
        super().__init__()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("SectionTabs")
        self.tabs.setAccessibleName(accessible_name)
        self.tabs.setDocumentMode(True)
        self._tabs: list[_Tab] = []
        self.tabs.currentChanged.connect(self._load_current)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addWidget(self.tabs)

    def add_tab(self, title: str, build: Callable[[], QWidget]) -> None:
        """`build` makes the tab's widget (a TabContent) the first time it is shown."""
        self._tabs.append(_Tab(title, build))
        self.tabs.blockSignals(True)  # a stand-in is not the user changing tabs
        self.tabs.addTab(QWidget(), title)
        self.tabs.blockSignals(False)

    @property
    def tab_titles(self) -> list[str]:
        return [tab.title for tab in self._tabs]

    def show_tab(self, title: str) -> QWidget | None:
        """Bring the tab up (built and loaded); its widget, or None if there is no such tab."""
        for index, tab in enumerate(self._tabs):
            if tab.title == title:
                content = self._built(index)
                self.tabs.setCurrentIndex(index)
                self._load_current()
                return cast(QWidget, content)
        return None

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
