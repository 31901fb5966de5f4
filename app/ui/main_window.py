"""The main window: navigation rail, pages, status bar, shortcuts and the auto-lock cover."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.bus import SettingsChanged
from app.services.permissions import Permission
from app.services.practice import PracticeInfo, PracticeSummary
from app.services.settings import SettingsService
from app.ui.account import ChangePasswordDialog
from app.ui.global_search import GlobalSearchPopup
from app.ui.labels import role_label
from app.ui.lock import ActivityMonitor, LockScreen
from app.ui.navigation import NavRail, Section, standard_sections
from app.ui.notices import NoticeBridge
from app.ui.pages import Page
from app.ui.patients.patients_page import PatientsPage
from app.ui.reminder_pump import ReminderPump
from app.ui.resources import icon
from app.ui.second_factor import SecondFactorDialog
from app.ui.session import DesktopSession
from app.ui.today_page import TodayPage
from app.ui.widgets import button, shortcut_grid, text_label

if TYPE_CHECKING:
    from app.ui.billing.billing_page import BillingPage
    from app.ui.chart.chart_page import ChartPage


class MainWindow(QMainWindow):
    """Emits `sign_out_requested(reason)`; the app then closes the session and shows login."""

    sign_out_requested = Signal(str)

    def __init__(self, session: DesktopSession) -> None:
        super().__init__()
        self.session = session
        self.locked = False
        self.setWindowTitle(self.tr("Stethos — {practice}").format(practice=session.practice_label))
        self.resize(1180, 760)
        self.setMinimumSize(880, 560)

        actor = session.ctx.actor
        self.today: TodayPage | None = None
        self._patients: PatientsPage | None = None
        self._chart: ChartPage | None = None
        self._billing: BillingPage | None = None
        self._auto_lock_minutes: int | None = None
        self.global_search: GlobalSearchPopup | None = None
        all_sections = standard_sections(
            self._make_today,
            self._make_admin,
            self._make_patients,
            self._make_schedule,
            self._make_chart,
            self._make_billing,
        )
        self.sections: list[Section] = [s for s in all_sections if s.visible_to(actor)]
        # Pages are built when first shown, so signing in costs only the first page.
        self.pages: dict[int, Page] = {}
        self._loaded: set[int] = set()
        self.stack = QStackedWidget()
        for _section in self.sections:
            self.stack.addWidget(QWidget())  # stands in until the page is built
        self.rail = NavRail(self.sections)
        self.rail.chosen.connect(self.show_section)

        workspace = QWidget()
        row = QHBoxLayout(workspace)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.rail)
        row.addWidget(self.stack, 1)
        self.lock_screen = LockScreen(session)
        self.lock_screen.unlocked.connect(self.unlock)
        self.lock_screen.sign_out_requested.connect(self.sign_out_requested)
        self.cover = QStackedWidget()
        self.cover.addWidget(workspace)
        self.cover.addWidget(self.lock_screen)
        self.setCentralWidget(self.cover)

        self._build_status_bar()
        self._build_shortcuts()
        self.monitor = ActivityMonitor(session.ctx.clock, parent=self)
        self.monitor.idle.connect(self.lock)
        self.reminders = ReminderPump(session.ctx, parent=self)
        self._settings = NoticeBridge(session.ctx.bus, SettingsChanged, parent=self)
        self._settings.received.connect(lambda _notice: self._load_auto_lock())
        self.show_section(0)

    # -- construction --------------------------------------------------------------------

    def _make_today(self, session: DesktopSession) -> Page:
        self.today = TodayPage(session, self.shortcut_list())
        if self._auto_lock_minutes is not None:
            self.today.set_auto_lock_minutes(self._auto_lock_minutes)
        return self.today

    def _make_admin(self, session: DesktopSession) -> Page:
        from app.ui.admin.admin_page import AdminPage  # loaded with the section

        return AdminPage(session)

    def _make_patients(self, session: DesktopSession) -> Page:
        self._patients = PatientsPage(session)
        self._patients.chart_requested.connect(self.open_chart)
        return self._patients

    def _make_schedule(self, session: DesktopSession) -> Page:
        from app.ui.schedule.schedule_page import SchedulePage  # loaded with the section

        page = SchedulePage(session)
        page.open_patient_requested.connect(self.open_patient)
        return page

    def _make_chart(self, session: DesktopSession) -> Page:
        from app.ui.chart.chart_page import ChartPage  # loaded with the section

        self._chart = ChartPage(session)
        self._chart.search_requested.connect(self.open_global_search)
        return self._chart

    def _make_billing(self, session: DesktopSession) -> Page:
        from app.ui.billing.billing_page import BillingPage  # loaded with the section

        self._billing = BillingPage(session)
        return self._billing

    def _account_button(self) -> QPushButton:
        """The signed-in person's own account: password and 2-step sign-in."""
        account = button(self.tr("My account"), self.tr("My account"), icon_name="user")
        menu = QMenu(account)
        menu.addAction(self.tr("Change password…"), self.change_password)
        menu.addAction(self.tr("Set up 2-step sign-in…"), self.set_up_second_factor)
        account.setMenu(menu)
        self.account_menu = menu
        return account

    def change_password(self) -> QDialog:
        dialog = ChangePasswordDialog(self.session, parent=self)
        dialog.open()
        return dialog

    def set_up_second_factor(self) -> QDialog:
        dialog = SecondFactorDialog(self.session, parent=self)
        dialog.open()
        return dialog

    def _can(self, permission: Permission) -> bool:
        actor = self.session.ctx.actor
        return actor is not None and actor.can(permission)

    def shortcut_list(self) -> list[tuple[str, str]]:
        patients = []
        if self._can(Permission.VIEW_PATIENTS):
            patients.append(("Ctrl+K", self.tr("Find a patient, from anywhere")))
        if self._can(Permission.REGISTER_PATIENTS):
            patients.append(("Ctrl+N", self.tr("Register a new patient")))
        return [
            *patients,
            ("Ctrl+1…9", self.tr("Go to a section (in rail order)")),
            ("Ctrl+L", self.tr("Lock the screen")),
            ("F1", self.tr("Show keyboard shortcuts")),
            ("Ctrl+Q", self.tr("Quit Stethos")),
            ("Tab", self.tr("Move to the next field or button")),
            ("Enter", self.tr("Confirm the form you are in")),
        ]

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        bar.setSizeGripEnabled(False)
        actor = self.session.ctx.actor
        who = f"{actor.display_name} · {role_label(actor.role)}" if actor else ""
        self.user_label = QLabel(who)
        self.user_label.setAccessibleName(self.tr("Signed-in user"))
        self.user_label.setStyleSheet("padding-left: 0;")
        self.practice_label = QLabel(self.session.practice_label)
        self.practice_label.setToolTip(str(self.session.paths.data_dir))
        self.practice_label.setAccessibleName(self.tr("Practice"))
        self.offline_badge = QLabel(
            "<span style='color:#8d99a4'>●</span>&nbsp;" + self.tr("Offline")
        )
        self.offline_badge.setObjectName("OfflineBadge")
        self.offline_badge.setAccessibleName(self.tr("Connection"))
        self.offline_badge.setToolTip(
            self.tr("Working on this computer only. Everything is saved here; sync is not set up.")
        )
        self.lock_button = button(self.tr("Lock"), self.tr("Lock screen"), icon_name="lock")
        self.lock_button.setToolTip(self.tr("Lock the screen (Ctrl+L)"))
        self.lock_button.clicked.connect(self.lock)
        self.sign_out_button = button(self.tr("Sign out"), self.tr("Sign out"), icon_name="signout")
        self.sign_out_button.clicked.connect(lambda: self.sign_out_requested.emit(""))
        user_icon = QLabel()
        user_icon.setPixmap(icon("user").pixmap(16, 16))
        user_icon.setStyleSheet("padding: 0 0 0 10px;")
        bar.addWidget(user_icon)
        bar.addWidget(self.user_label)
        bar.addWidget(self.practice_label)
        bar.addPermanentWidget(self.offline_badge)
        bar.addPermanentWidget(self._account_button())
        bar.addPermanentWidget(self.lock_button)
        bar.addPermanentWidget(self.sign_out_button)

    def _build_shortcuts(self) -> None:
        self._unlocked_shortcuts: list[QShortcut] = []

        def add(keys: str, slot: Callable[[], object], always: bool = False) -> None:
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(slot)
            if not always:
                self._unlocked_shortcuts.append(shortcut)

        add("Ctrl+L", self.lock)
        add("F1", self.show_shortcuts)
        add("Ctrl+Q", self.close, always=True)
        for index in range(min(9, len(self.sections))):
            add(f"Ctrl+{index + 1}", functools.partial(self.show_section, index))
        if self.section_index("patients") is not None:
            add("Ctrl+K", self.open_global_search)
            if self._can(Permission.REGISTER_PATIENTS):
                add("Ctrl+N", self.register_patient)

    # -- sections ------------------------------------------------------------------------

    def show_section(self, index: int) -> None:
        if self.locked or not 0 <= index < len(self.sections):
            return
        page = self.page_at(index)
        self.stack.setCurrentIndex(index)
        self.rail.set_current(index)
        if index not in self._loaded:
            self._loaded.add(index)
            page.reload()

    def page_at(self, index: int) -> Page:
        """The section's page, built (in place of its stand-in) the first time it is asked for."""
        page = self.pages.get(index)
        if page is None:
            section = self.sections[index]
            assert section.factory is not None
            page = section.factory(self.session)
            page.setAccessibleName(section.title)
            stand_in = self.stack.widget(index)
            assert stand_in is not None
            self.stack.insertWidget(index, page)
            self.stack.removeWidget(stand_in)
            stand_in.deleteLater()
            self.pages[index] = page
        return page

    def section_index(self, key: str) -> int | None:
        return next((i for i, s in enumerate(self.sections) if s.key == key), None)

    @property
    def patients_page(self) -> PatientsPage | None:
        """The Patients page (built on first use); None when this role has no Patients section."""
        index = self.section_index("patients")
        if index is not None:
            self.page_at(index)
        return self._patients

    # -- patients everywhere -------------------------------------------------------------

    def open_global_search(self) -> None:
        if self.locked or self.section_index("patients") is None:
            return
        if self.global_search is None:
            self.global_search = GlobalSearchPopup(self.session, self)
            self.global_search.patient_chosen.connect(self._chosen_in_search)
        self.global_search.popup()

    def _chosen_in_search(self, patient_id: str) -> None:
        """Ctrl+K opens the chart while the Chart section is on screen, the account while
        Billing is, else the record."""
        chart = self.section_index("chart")
        billing = self.section_index("billing")
        if chart is not None and self.stack.currentIndex() == chart:
            self.open_chart(patient_id)
        elif billing is not None and self.stack.currentIndex() == billing:
            self.open_account(patient_id)
        else:
            self.open_patient(patient_id)

    def open_chart(self, patient_id: str, appointment_id: str | None = None) -> None:
        """Show `patient_id`'s chart (for roles that may read charts)."""
        index = self.section_index("chart")
        if self.locked or index is None:
            return
        self.page_at(index)
        assert self._chart is not None
        self.show_section(index)
        self._chart.open_chart(patient_id, appointment_id)

    def open_account(self, patient_id: str) -> None:
        """Show `patient_id`'s account in Billing (for roles that may see accounts)."""
        index = self.section_index("billing")
        if self.locked or index is None:
            return
        self.page_at(index)
        assert self._billing is not None
        self.show_section(index)
        self._billing.open_account(patient_id)

    def open_patient(self, patient_id: str) -> None:
        """Show `patient_id`'s record in the Patients section."""
        index = self.section_index("patients")
        if self.locked or index is None or self.patients_page is None:
            return
        self.show_section(index)
        self.patients_page.open_patient(patient_id)

    def register_patient(self) -> None:
        index = self.section_index("patients")
        if self.locked or index is None or self.patients_page is None:
            return
        self.show_section(index)
        self.patients_page.register()

    def show_shortcuts(self) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle(self.tr("Keyboard shortcuts"))
        dialog.setAccessibleName(self.tr("Keyboard shortcuts"))
        layout = QVBoxLayout(dialog)
        layout.setContentsMargins(24, 20, 24, 18)
        layout.setSpacing(14)
        layout.addWidget(text_label(self.tr("Keyboard shortcuts"), "heading"))
        layout.addLayout(shortcut_grid(self.shortcut_list()))
        close = button(self.tr("Close"), self.tr("Close shortcuts"), variant="primary")
        close.setDefault(True)
        close.clicked.connect(dialog.accept)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    # -- lifecycle and locking -----------------------------------------------------------

    def start(self) -> None:
        """Begin watching for inactivity (after the window is shown)."""
        self.monitor.start()
        self.reminders.start()
        self._load_auto_lock()
        task = self.session.run(PracticeInfo(self.session.ctx).summary, owner=self)
        task.succeeded.connect(self._show_practice)

    def _show_practice(self, practice: PracticeSummary) -> None:
        self.session.practice_label = practice.name
        self.practice_label.setText(practice.name)
        self.setWindowTitle(self.tr("Stethos — {practice}").format(practice=practice.name))

    def _load_auto_lock(self) -> None:
        task = self.session.run(SettingsService(self.session.ctx).auto_lock_minutes, owner=self)
        task.succeeded.connect(self._apply_auto_lock)

    def _apply_auto_lock(self, minutes: int) -> None:
        self.monitor.set_minutes(minutes)
        self._auto_lock_minutes = minutes
        if self.today is not None:
            self.today.set_auto_lock_minutes(minutes)

    def lock(self) -> None:
        if self.locked:
            return
        self.locked = True
        self.monitor.paused = True
        for dialog in self.findChildren(QDialog):
            if dialog.isVisible():
                dialog.reject()  # nothing half-typed stays readable above the lock screen
        for page in self.pages.values():
            page.clear_sensitive()
        self._loaded.clear()
        for shortcut in self._unlocked_shortcuts:
            shortcut.setEnabled(False)
        self.rail.setEnabled(False)
        for widget in (self.lock_button, self.sign_out_button):
            widget.hide()
        self.cover.setCurrentWidget(self.lock_screen)
        self.lock_screen.reset()

    def unlock(self) -> None:
        if not self.locked:
            return
        self.locked = False
        self.cover.setCurrentIndex(0)
        for shortcut in self._unlocked_shortcuts:
            shortcut.setEnabled(True)
        self.rail.setEnabled(True)
        for widget in (self.lock_button, self.sign_out_button):
            widget.show()
        self.monitor.record_activity()
        self.monitor.paused = False
        self.show_section(self.stack.currentIndex())

    def shut_down(self) -> None:
        """Stop watching and listening before the session closes."""
        self.monitor.stop()
        self.reminders.stop()
        self._settings.close()
        for page in self.pages.values():
            page.clear_sensitive()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.monitor.stop()
        super().closeEvent(event)
