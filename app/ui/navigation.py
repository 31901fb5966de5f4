"""The sections of the main window (DESIGN §4) and the navigation rail that switches them.

A section appears only when its screen exists and the signed-in role may use it; later
capabilities fill in their page factory here and appear by themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtWidgets import QApplication, QButtonGroup, QFrame, QToolButton, QVBoxLayout

from app.services.context import Actor
from app.services.permissions import Permission
from app.ui.pages import Page
from app.ui.resources import icon
from app.ui.session import DesktopSession

PageFactory = Callable[[DesktopSession], Page]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    icon_name: str
    permission: Permission | None = None
    factory: PageFactory | None = None  # None: the capability has not landed yet

    def visible_to(self, actor: Actor | None) -> bool:
        if self.factory is None or actor is None:
            return False
        return self.permission is None or actor.can(self.permission)


def _tr(text: str) -> str:
    return QCoreApplication.translate("Navigation", text)


def standard_sections(
    today: PageFactory,
    admin: PageFactory,
    patients: PageFactory | None = None,
    schedule: PageFactory | None = None,
    chart: PageFactory | None = None,
    billing: PageFactory | None = None,
) -> tuple[Section, ...]:
    """The rail in DESIGN order; Today, Schedule, Patients, Chart, Billing and Admin have
    screens. Billing opens to whoever sees accounts (its tabs follow the role)."""
    return (
        Section("today", _tr("Today"), "today", None, today),
        Section("schedule", _tr("Schedule"), "schedule", Permission.SCHEDULE, schedule),
        Section("patients", _tr("Patients"), "patients", Permission.VIEW_PATIENTS, patients),
        Section("chart", _tr("Chart"), "chart", Permission.VIEW_CHART, chart),
        Section("billing", _tr("Billing"), "billing", Permission.VIEW_ACCOUNTS, billing),
        Section("claims", _tr("Claims"), "claims", Permission.MANAGE_CLAIMS),
        Section("reports", _tr("Reports"), "reports", Permission.VIEW_REPORTS),
        Section("tasks", _tr("Tasks"), "tasks"),
        Section("admin", _tr("Admin"), "admin", Permission.MANAGE_USERS, admin),
    )


class NavRail(QFrame):
    """A vertical strip of icon-over-label buttons; `chosen(index)` when one is picked."""

    chosen = Signal(int)

    def __init__(self, sections: Sequence[Section]) -> None:
        super().__init__()
        self.setObjectName("NavRail")
        self.setFixedWidth(92)
        self.setAccessibleName(self.tr("Sections"))
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self.buttons: list[QToolButton] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 12, 8, 12)
        layout.setSpacing(6)
        for index, section in enumerate(sections):
            button = QToolButton()
            button.setText(section.title)
            button.setIcon(icon(section.icon_name))
            button.setIconSize(QSize(24, 24))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.setFixedSize(76, 64)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            shortcut = f"Ctrl+{index + 1}" if index < 9 else ""
            button.setAccessibleName(self.tr("{section} section").format(section=section.title))
            button.setToolTip(f"{section.title}  ({shortcut})" if shortcut else section.title)
            self._group.addButton(button, index)
            self.buttons.append(button)
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        self._group.idClicked.connect(self.chosen)

    def set_current(self, index: int) -> None:
        if 0 <= index < len(self.buttons):
            self.buttons[index].setChecked(True)
            focused = QApplication.focusWidget()
            if focused is not None and self.isAncestorOf(focused):
                self.buttons[index].setFocus()  # keep the keyboard where the eye is
