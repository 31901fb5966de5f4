"""The Patients section: the finder (search over the full list) and one patient's record.

Locking clears both (models emptied, banner and forms cleared); unlocking reloads the list
and reopens the record that was open (only its id is kept, which carries no PHI).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout

from app.services.bus import PatientsChanged
from app.services.permissions import Permission
from app.ui.notices import NoticeBridge
from app.ui.pages import Page
from app.ui.patients.finder import PatientFinder
from app.ui.patients.record_view import PatientRecordView
from app.ui.patients.register_dialog import RegisterPatientDialog
from app.ui.session import DesktopSession


class PatientsPage(Page):
    record_opened = Signal(str)  # a record finished loading (its id)
    chart_requested = Signal(str)  # "Open chart" on a record

    def __init__(self, session: DesktopSession) -> None:
        super().__init__()
        self.session = session
        actor = session.ctx.actor
        self.can_register = bool(actor and actor.can(Permission.REGISTER_PATIENTS))
        self._cleared = False
        self._list_loaded = False
        self._reopen: str | None = None
        self.finder = PatientFinder(session, can_register=self.can_register)
        self.finder.open_requested.connect(self.open_patient)
        self.finder.register_requested.connect(self.register)
        self.record = PatientRecordView(session)
        self.record.back_requested.connect(self.show_finder)
        self.record.open_requested.connect(self.open_patient)
        self.record.shown.connect(self.record_opened)
        self.record.chart_requested.connect(self.chart_requested)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.finder)
        self.stack.addWidget(self.record)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self._notices = NoticeBridge(session.ctx.bus, PatientsChanged, parent=self)
        self._notices.received.connect(self._changed)

    # -- Page ----------------------------------------------------------------------------

    def clear_sensitive(self) -> None:
        self._cleared = True
        self._list_loaded = False
        reopen = self.record.patient_id if self.stack.currentWidget() is self.record else None
        self.finder.clear()
        self.record.clear()
        self._reopen = reopen

    def reload(self) -> None:
        self._cleared = False
        self.finder.load_list()
        self._list_loaded = True
        reopen, self._reopen = self._reopen, None
        if reopen:
            self.open_patient(reopen)
        elif self.stack.currentWidget() is self.finder:
            self.finder.focus_search()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.stack.currentWidget() is self.finder:
            self.finder.focus_search()

    def _changed(self, notice: PatientsChanged) -> None:
        if self._cleared or not self._list_loaded:
            return
        self.finder.refresh()  # the record view follows notices itself

    # -- navigation ----------------------------------------------------------------------

    def show_finder(self) -> None:
        self.record.clear()
        self.stack.setCurrentWidget(self.finder)
        self.finder.focus_search()

    def open_patient(self, patient_id: str) -> None:
        self.stack.setCurrentWidget(self.record)
        self.record.open_patient(patient_id)
        self.record.setFocus()

    def register(self, search_text: str = "") -> RegisterPatientDialog | None:
        if not self.can_register or self._cleared:
            return None
        dialog = RegisterPatientDialog(self.session, search_text, self)
        dialog.registered.connect(self.open_patient)
        dialog.open_existing.connect(self.open_patient)
        dialog.open()
        return dialog
