"""One patient's chart: the banner, then a tab per part of the chart.

Tabs are built with the view but read nothing until they are on screen for the patient;
a change notice for this patient reloads the tab on screen and marks the others stale.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QTabWidget, QVBoxLayout, QWidget

from app.services.allergies import AllergyList, AllergyService
from app.services.bus import ChartChanged, PatientsChanged
from app.services.context import AppContext
from app.services.patient_data import PatientRecord
from app.services.patients import PatientService
from app.ui.chart.chart_tab import ChartTab
from app.ui.notices import NoticeBridge
from app.ui.patient_banner import PatientBanner
from app.ui.session import DesktopSession
from app.ui.tasks import error_message
from app.ui.widgets import BusyBar, MessageLabel, button


def load_chart_header(ctx: AppContext, patient_id: str) -> tuple[PatientRecord, AllergyList]:
    """What the banner shows: who the patient is, and their allergies (on every chart tab)."""
    return PatientService(ctx).get(patient_id), AllergyService(ctx).for_patient(patient_id)


class ChartView(QWidget):
    back_requested = Signal()
    shown = Signal(str)  # the chart of this patient is on screen (its id)

    def __init__(self, session: DesktopSession, tabs: list[ChartTab]) -> None:
        super().__init__()
        self.session = session
        self.patient: PatientRecord | None = None
        self.appointment_id: str | None = None  # the visit the chart was opened from
        self.requested_id: str | None = None  # the chart asked for (loaded or on its way)
        self._generation = 0
        self._fresh: set[int] = set()

        self.back_button = button(
            self.tr("Clinic list"),
            self.tr("Back to the clinic list"),
            variant="link",
            icon_name="arrow-left",
        )
        self.back_button.setToolTip(self.tr("Back to today's clinic list (Alt+Left)"))
        self.back_button.clicked.connect(self.back_requested)
        self.actions_row = QHBoxLayout()
        self.actions_row.setSpacing(8)
        top = QHBoxLayout()
        top.setContentsMargins(20, 10, 20, 0)
        top.addWidget(self.back_button)
        top.addStretch(1)
        top.addLayout(self.actions_row)

        self.banner = PatientBanner(session)
        self.busy = BusyBar()
        self.message = MessageLabel()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("SectionTabs")
        self.tabs.setAccessibleName(self.tr("Chart tabs"))
        self.tabs.setDocumentMode(True)
        self.chart_tabs = tabs
        for tab in tabs:
            self.tabs.addTab(tab, tab.title)
            tab.chart_changed.connect(self._stale_others)
        self.tabs.currentChanged.connect(lambda _index: self._load_current())

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addLayout(top)
        banner_row = QVBoxLayout()
        banner_row.setContentsMargins(20, 0, 20, 0)
        banner_row.addWidget(self.banner)
        banner_row.addWidget(self.busy)
        banner_row.addWidget(self.message)
        layout.addLayout(banner_row)
        layout.addWidget(self.tabs, 1)

        self._notices = NoticeBridge(session.ctx.bus, ChartChanged, PatientsChanged, parent=self)
        self._notices.received.connect(self._changed)

    @property
    def patient_id(self) -> str | None:
        return self.patient.id if self.patient else None

    def tab(self, title: str) -> ChartTab:
        return next(t for t in self.chart_tabs if t.title == title)

    def show_tab(self, title: str) -> None:
        found = [t for t in self.chart_tabs if t.title == title]
        if found:
            self.tabs.setCurrentWidget(found[0])

    # -- loading -------------------------------------------------------------------------

    def open_patient(self, patient_id: str) -> None:
        if patient_id != self.patient_id:
            self.clear()
            self.tabs.setCurrentIndex(0)
        self.requested_id = patient_id
        self._load(patient_id)

    def _load(self, patient_id: str) -> None:
        self._generation += 1
        generation = self._generation
        self.busy.show()
        task = self.session.run(load_chart_header, self.session.ctx, patient_id, owner=self)
        task.succeeded.connect(lambda found: self._loaded(found[0], found[1], generation))
        task.failed.connect(lambda error: self._failed(error, generation))

    def _loaded(self, record: PatientRecord, allergies: AllergyList, generation: int) -> None:
        if generation != self._generation:
            return
        self.busy.hide()
        self.message.clear_message()
        self.patient = record
        self.banner.show_patient(record)
        self.show_allergies(allergies)
        self._fresh.clear()
        self._load_current()
        self.shown.emit(record.id)

    def show_allergies(self, allergies: AllergyList) -> None:
        detail = "\n".join(
            f"{a.substance}: {a.reaction or 'reaction not recorded'}"
            + (f" ({a.severity.value})" if a.severity else "")
            for a in allergies.active
            if not a.no_known
        )
        self.banner.show_allergies(
            allergies.banner_text, detail or allergies.banner_text, allergies.has_high_risk
        )

    def _failed(self, error: BaseException, generation: int) -> None:
        if generation == self._generation:
            self.busy.hide()
            self.message.show_message(error_message(error))

    def _load_current(self) -> None:
        index = self.tabs.currentIndex()
        if self.patient is None or index < 0 or index in self._fresh:
            return
        self._fresh.add(index)
        tab = self.chart_tabs[index]
        tab.appointment_id = self.appointment_id
        if tab.patient_id == self.patient.id:
            tab.patient = self.patient
            tab.reload()
        else:
            tab.show_patient(self.patient)

    def _stale_others(self) -> None:
        self._fresh = {self.tabs.currentIndex()}

    def _changed(self, notice: ChartChanged | PatientsChanged) -> None:
        if self.patient is None or (
            notice.patient_ids and self.patient.id not in notice.patient_ids
        ):
            return
        self._load(self.patient.id)  # the banner follows (name, allergies), then the tab

    def clear(self) -> None:
        """Forget the patient (lock, or another chart opens)."""
        self._generation += 1
        self.patient = None
        self.requested_id = None
        self._fresh.clear()
        self.banner.clear()
        self.message.clear_message()
        self.busy.hide()
        for tab in self.chart_tabs:
            tab.clear_sensitive()
