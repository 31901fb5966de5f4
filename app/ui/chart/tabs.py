"""The chart's tabs, in the order a clinician reads a chart."""

from __future__ import annotations

from app.ui.chart.allergies_tab import AllergiesTab
from app.ui.chart.chart_tab import ChartTab
from app.ui.chart.documents_tab import DocumentsTab
from app.ui.chart.history_tab import HistoryTab
from app.ui.chart.immunizations_tab import ImmunizationsTab
from app.ui.chart.medications_tab import MedicationsTab
from app.ui.chart.notes_tab import NotesTab
from app.ui.chart.problems_tab import ProblemsTab
from app.ui.chart.summary_tab import SummaryTab
from app.ui.chart.timeline_tab import TimelineTab
from app.ui.chart.vitals_tab import VitalsTab
from app.ui.session import DesktopSession


def chart_tabs(session: DesktopSession) -> list[ChartTab]:
    return [
        SummaryTab(session),
        NotesTab(session),
        ProblemsTab(session),
        AllergiesTab(session),
        MedicationsTab(session),
        VitalsTab(session),
        HistoryTab(session),
        ImmunizationsTab(session),
        DocumentsTab(session),
        TimelineTab(session),
    ]
