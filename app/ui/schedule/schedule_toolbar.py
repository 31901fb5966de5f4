"""The Schedule page's controls: where in time (Today, previous/next, a date), which view,
whose appointments (providers, columns by provider or room, cancelled shown or not), and
the desk's actions (Book, Find next available, Waitlist, Block time, Print day)."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.services.schedule_data import ProviderView
from app.ui.resources import ICONS_DIR
from app.ui.widgets import button, text_label


class ViewMode(enum.StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    AGENDA = "agenda"


VIEW_KEYS = {
    ViewMode.DAY: "Alt+1",
    ViewMode.WEEK: "Alt+2",
    ViewMode.MONTH: "Alt+3",
    ViewMode.AGENDA: "Alt+4",
}

# The theme has no "checked" push button; the view switch is a segmented control.
_SEGMENT_STYLE = """
QPushButton[segment="first"], QPushButton[segment="middle"], QPushButton[segment="last"] {
    border-radius: 0; padding: 7px 12px; }
QPushButton[segment="first"]:focus, QPushButton[segment="middle"]:focus,
QPushButton[segment="last"]:focus { padding: 6px 11px; }
QPushButton[segment="first"] { border-top-left-radius: 6px; border-bottom-left-radius: 6px; }
QPushButton[segment="last"] { border-top-right-radius: 6px; border-bottom-right-radius: 6px; }
QPushButton[segment="first"]:checked, QPushButton[segment="middle"]:checked,
QPushButton[segment="last"]:checked {
    background: #e2eff3; color: #155a71; border-color: #8fbccb; }
QDateEdit { background: #ffffff; border: 1px solid #c3cbd2; border-radius: 6px;
    padding: 6px 8px; min-height: 20px; }
QDateEdit:focus { border: 2px solid #1b6e8a; padding: 5px 7px; }
QDateEdit::drop-down { border: none; width: 26px; }
QDateEdit::down-arrow { image: url(@ICONS@/chevron-down.svg); width: 14px; height: 14px; }
QToolButton#ProviderFilter { background: #ffffff; border: 1px solid #c3cbd2;
    border-radius: 6px; padding: 6px 10px; min-height: 20px; }
QToolButton#ProviderFilter:focus { border: 2px solid #1b6e8a; padding: 5px 9px; }
QToolButton#ProviderFilter::menu-indicator { image: none; width: 0; }
"""


class ScheduleToolbar(QWidget):
    today_clicked = Signal()
    step_clicked = Signal(int)  # -1 previous, +1 next
    date_chosen = Signal(object)  # date
    view_chosen = Signal(object)  # ViewMode
    providers_chosen = Signal(object)  # tuple of provider ids; empty: everyone
    by_room_chosen = Signal(bool)
    show_cancelled_changed = Signal(bool)
    book_clicked = Signal()
    find_clicked = Signal()
    waitlist_clicked = Signal()
    print_clicked = Signal()
    block_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(_SEGMENT_STYLE.replace("@ICONS@", ICONS_DIR.as_posix()))
        self.range_label = text_label("", "heading", wrap=False)
        self.range_label.setAccessibleName(self.tr("Showing"))
        self.summary_label = text_label("", "muted", wrap=False)
        self.summary_label.setAccessibleName(self.tr("Schedule summary"))

        self.today_button = button(self.tr("Today"), self.tr("Today"))
        self.today_button.setToolTip(self.tr("Go to today (T)"))
        self.today_button.clicked.connect(self.today_clicked)
        self.previous_button = button("‹", self.tr("Previous"))
        self.next_button = button("›", self.tr("Next"))
        for nav, step in ((self.previous_button, -1), (self.next_button, 1)):
            nav.setFixedWidth(40)
            nav.clicked.connect(lambda _=False, s=step: self.step_clicked.emit(s))
        self.date_edit = QDateEdit()
        self.date_edit.setAccessibleName(self.tr("Go to date"))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("MMM d, yyyy")  # the heading says the weekday
        self.date_edit.setToolTip(self.tr("Jump to a date (Ctrl+G)"))
        self.date_edit.setMinimumWidth(132)
        self.date_edit.dateChanged.connect(self._date_edited)

        self.view_group = QButtonGroup(self)
        self.view_group.setExclusive(True)
        self.view_buttons: dict[ViewMode, QPushButton] = {}
        views = QHBoxLayout()
        views.setSpacing(0)
        names = {
            ViewMode.DAY: self.tr("Day"),
            ViewMode.WEEK: self.tr("Week"),
            ViewMode.MONTH: self.tr("Month"),
            ViewMode.AGENDA: self.tr("Agenda"),
        }
        for number, (mode, text) in enumerate(names.items()):
            choice = button(text, self.tr("{view} view").format(view=text))
            choice.setCheckable(True)
            choice.setToolTip(
                self.tr("{view} view ({keys})").format(view=text, keys=VIEW_KEYS[mode])
            )
            segment = "first" if number == 0 else "last" if number == len(names) - 1 else "middle"
            choice.setProperty("segment", segment)
            choice.clicked.connect(lambda _=False, m=mode: self.view_chosen.emit(m))
            self.view_group.addButton(choice)
            self.view_buttons[mode] = choice
            views.addWidget(choice)

        self.provider_button = QToolButton()
        self.provider_button.setObjectName("ProviderFilter")
        self.provider_button.setAccessibleName(self.tr("Providers"))
        self.provider_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.provider_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.provider_menu = QMenu(self.provider_button)
        self.provider_menu.setAccessibleName(self.tr("Providers to show"))
        self.provider_button.setMenu(self.provider_menu)
        self.provider_actions: dict[str, QAction] = {}

        self.columns_box = QComboBox()
        self.columns_box.setAccessibleName(self.tr("Columns"))
        self.columns_box.addItem(self.tr("By provider"), False)
        self.columns_box.addItem(self.tr("By room"), True)
        self.columns_box.setToolTip(self.tr("One column per provider or per room"))
        self.columns_box.currentIndexChanged.connect(
            lambda _i: self.by_room_chosen.emit(bool(self.columns_box.currentData()))
        )
        self.show_cancelled = QCheckBox(self.tr("Show cancelled"))
        self.show_cancelled.setAccessibleName(self.tr("Show cancelled"))
        self.show_cancelled.toggled.connect(self.show_cancelled_changed)

        self.book_button = button(
            self.tr("Book…"), self.tr("Book"), variant="primary", icon_name="plus"
        )
        self.book_button.setToolTip(self.tr("Book an appointment (Ctrl+B)"))
        self.find_button = button(
            self.tr("Next available…"), self.tr("Find next available"), icon_name="search"
        )
        self.find_button.setToolTip(self.tr("Find the next free slot (Ctrl+F)"))
        self.waitlist_button = button(self.tr("Waitlist…"), self.tr("Waitlist"))
        self.block_button = button(self.tr("Block time…"), self.tr("Block time"))
        self.block_button.setToolTip(self.tr("Block time nobody can be booked into (Ctrl+Shift+B)"))
        self.print_button = button(self.tr("Print day…"), self.tr("Print day"), icon_name="printer")
        self.print_button.setToolTip(self.tr("Print the day's schedule (Ctrl+P)"))
        for action_button, signal in (
            (self.book_button, self.book_clicked),
            (self.find_button, self.find_clicked),
            (self.waitlist_button, self.waitlist_clicked),
            (self.print_button, self.print_clicked),
            (self.block_button, self.block_clicked),
        ):
            action_button.clicked.connect(signal)

        top = QHBoxLayout()
        top.setSpacing(10)
        # No "Schedule" title: the rail says where we are, and the day shown is the heading.
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.range_label)
        titles.addWidget(self.summary_label)
        top.addLayout(titles)
        top.addStretch(1)
        for action_button in (
            self.find_button,
            self.waitlist_button,
            self.block_button,
            self.print_button,
            self.book_button,
        ):
            top.addWidget(action_button)
        second = QHBoxLayout()
        second.setSpacing(8)
        second.addWidget(self.today_button)
        second.addWidget(self.previous_button)
        second.addWidget(self.next_button)
        second.addWidget(self.date_edit)
        second.addSpacing(6)
        second.addLayout(views)
        second.addStretch(1)
        second.addWidget(self.provider_button)
        second.addWidget(self.columns_box)
        second.addWidget(self.show_cancelled)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(14)
        layout.addLayout(top)
        layout.addLayout(second)
        self.set_providers([], ())

    # -- state shown ---------------------------------------------------------------------

    def set_view(self, mode: ViewMode) -> None:
        self.view_buttons[mode].setChecked(True)
        self.columns_box.setVisible(mode is ViewMode.DAY)
        self.print_button.setEnabled(mode is ViewMode.DAY)
        unit = {
            ViewMode.DAY: self.tr("day"),
            ViewMode.WEEK: self.tr("week"),
            ViewMode.MONTH: self.tr("day"),
            ViewMode.AGENDA: self.tr("day"),
        }[mode]
        self.previous_button.setToolTip(self.tr("Previous {unit} (←)").format(unit=unit))
        self.next_button.setToolTip(self.tr("Next {unit} (→)").format(unit=unit))

    def set_date(self, day: date) -> None:
        self.date_edit.blockSignals(True)
        self.date_edit.setDate(QDate(day.year, day.month, day.day))
        self.date_edit.blockSignals(False)

    def _date_edited(self, chosen: QDate) -> None:
        self.date_chosen.emit(date(chosen.year(), chosen.month(), chosen.day()))

    def set_providers(self, providers: Sequence[ProviderView], chosen: Sequence[str]) -> None:
        """The filter's choices, with `chosen` ticked (empty: all providers)."""
        self.provider_menu.clear()
        self.provider_actions = {}
        self.all_providers = QAction(self.tr("All providers"), self.provider_menu)
        self.all_providers.setCheckable(True)
        self.all_providers.setChecked(not chosen)
        self.all_providers.triggered.connect(lambda: self._providers_toggled(all_=True))
        self.provider_menu.addAction(self.all_providers)
        self.provider_menu.addSeparator()
        for provider in providers:
            action = QAction(provider.name, self.provider_menu)
            action.setCheckable(True)
            action.setChecked(provider.id in chosen)
            action.setObjectName(provider.id)
            action.triggered.connect(lambda: self._providers_toggled(all_=False))
            self.provider_menu.addAction(action)
            self.provider_actions[provider.id] = action
        self._describe_providers(providers, chosen)

    def _describe_providers(self, providers: Sequence[ProviderView], chosen: Sequence[str]) -> None:
        names = [p.name for p in providers if p.id in chosen]
        if not names:
            text = self.tr("All providers")
        elif len(names) == 1:
            text = names[0]
        else:
            text = self.tr("{n} providers").format(n=len(names))
        self.provider_button.setText(text + "  ▾")
        self.provider_button.setToolTip(self.tr("Whose appointments to show"))

    def _providers_toggled(self, *, all_: bool) -> None:
        if all_:
            chosen: tuple[str, ...] = ()
        else:
            chosen = tuple(pid for pid, a in self.provider_actions.items() if a.isChecked())
        self.all_providers.setChecked(not chosen)
        for provider_id, action in self.provider_actions.items():
            action.setChecked(provider_id in chosen)
        self.providers_chosen.emit(chosen)
