"""The Chart section: today's clinic list, and the chart of the patient being seen.

Locking clears both; unlocking reopens the chart that was open (only its id is kept)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout

from app.ui.chart.chart_view import ChartView
from app.ui.chart.clinic_list import ClinicList
from app.ui.chart.tabs import chart_tabs
from app.ui.pages import Page
from app.ui.session import DesktopSession


class ChartPage(Page):
    search_requested = Signal()  # "find a patient": the main window's Ctrl+K search

    def __init__(self, session: DesktopSession) -> None:
        super().__init__()
        self.session = session
        self._reopen: tuple[str, str | None] | None = None
        self.clinic = ClinicList(session)
        self.clinic.open_requested.connect(self.open_chart)
        self.clinic.search_requested.connect(self.search_requested)
        self.clinic.waiting_chosen.connect(
            lambda patient_id, tab: self.open_chart(patient_id, tab=tab)
        )
        self.chart = ChartView(session, chart_tabs(session))
        self.chart.back_requested.connect(self.show_clinic)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.clinic)
        self.stack.addWidget(self.chart)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        back = QShortcut(QKeySequence("Alt+Left"), self)
        back.activated.connect(self.show_clinic)

    @property
    def showing_chart(self) -> bool:
        return self.stack.currentWidget() is self.chart

    def open_chart(
        self, patient_id: str, appointment_id: str | None = None, *, tab: str | None = None
    ) -> None:
        """Show `patient_id`'s chart (on `tab` if given); `appointment_id` is the visit it
        was opened from."""
        self.chart.appointment_id = appointment_id or None
        self.stack.setCurrentWidget(self.chart)
        self.chart.open_patient(patient_id)
        if tab is not None:
            self.chart.show_tab(tab)

    def show_clinic(self) -> None:
        if not self.showing_chart:
            return
        self.chart.clear()
        self.stack.setCurrentWidget(self.clinic)
        self.clinic.reload()
        self.clinic.focus_list()

    # -- Page ----------------------------------------------------------------------------

    def clear_sensitive(self) -> None:
        if self.showing_chart and self.chart.requested_id:
            self._reopen = (self.chart.requested_id, self.chart.appointment_id)
        self.chart.clear()
        self.clinic.clear()

    def reload(self) -> None:
        reopen, self._reopen = self._reopen, None
        if reopen:
            self.open_chart(*reopen)
        elif self.showing_chart and self.chart.requested_id:
            self.chart.open_patient(self.chart.requested_id)
        else:
            self.clinic.reload()
