"""The contract of one tab of a patient's chart (Summary, Notes, Vitals, ...).

A tab is built once and shown for one patient at a time. It loads when it first becomes
visible for that patient (so opening a chart reads only the tab on screen), reloads when
the chart changes, and forgets everything when the screen locks.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from app.services.patient_data import PatientRecord
from app.ui.session import DesktopSession


class ChartTab(QWidget):
    title = ""
    loaded = Signal()  # the tab shows fresh data (tests wait for it)
    chart_changed = Signal()  # this tab changed the chart: the others are stale

    def __init__(self, session: DesktopSession) -> None:
        super().__init__()
        self.session = session
        self.patient: PatientRecord | None = None
        self.appointment_id: str | None = None  # the visit the chart was opened from
        self.setAccessibleName(self.title)

    @property
    def patient_id(self) -> str | None:
        return self.patient.id if self.patient else None

    def show_patient(self, patient: PatientRecord) -> None:
        """Read this patient's part of the chart (called when the tab is on screen)."""
        self.patient = patient
        self.reload()

    def reload(self) -> None:
        """Fetch again for the same patient."""

    def clear_sensitive(self) -> None:
        """Forget the patient: empty every model and field."""
        self.patient = None
