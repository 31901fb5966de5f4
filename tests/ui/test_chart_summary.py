"""The chart's Summary and Timeline tabs, and the banner's allergies (issue #5): what a
physician sees on opening a chart, read from the real services."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.models import Severity
from app.services.allergies import AllergyInput, AllergyService
from app.services.medications import MedicationInput, MedicationService
from app.services.problems import ProblemInput, ProblemService
from app.services.vitals import VitalsInput, VitalsService
from app.services.vitals_catalog import VitalField
from app.ui.chart.chart_view import ChartView
from app.ui.chart.summary_tab import SummaryTab
from app.ui.chart.tabs import chart_tabs
from app.ui.chart.timeline_tab import TimelineTab
from app.ui.session import DesktopSession
from tests.ui.helpers import find_by_name, register_patients


def _chart(qtbot: QtBot, session: DesktopSession, patient_id: str) -> ChartView:
    view = ChartView(session, chart_tabs(session))
    qtbot.addWidget(view)
    view.resize(1280, 860)
    view.show()
    qtbot.waitExposed(view)
    summary = view.tab("Summary")
    with qtbot.waitSignal(summary.loaded, timeout=10000):
        view.open_patient(patient_id)
    return view


def test_opening_a_chart_shows_its_summary_and_the_allergy_in_the_banner(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("drpatel")
    ctx = session.ctx
    (patient,) = register_patients(ctx, 1)
    ProblemService(ctx).add(patient, ProblemInput("E11.9"))
    AllergyService(ctx).add(
        patient, AllergyInput("Penicillin", reaction="Hives", severity=Severity.SEVERE)
    )
    MedicationService(ctx).add(
        patient, MedicationInput("Metformin 500 mg tablet", "1 tablet twice daily")
    )
    VitalsService(ctx).record(
        patient, VitalsInput({VitalField.SYSTOLIC: 152, VitalField.DIASTOLIC: 96})
    )

    view = _chart(qtbot, session, patient)
    summary = view.tab("Summary")
    assert isinstance(summary, SummaryTab)
    problems = find_by_name(summary, QLabel, "Active problems").text()
    assert "Type 2 diabetes mellitus" in problems and "E11.9" in problems
    assert "Metformin 500 mg tablet" in find_by_name(summary, QLabel, "Medications").text()
    assert "152/96 mmHg" in find_by_name(summary, QLabel, "Last vitals").text()
    allergy = find_by_name(view.banner, QLabel, "Allergies")
    assert "Penicillin" in allergy.text() and allergy.property("severity") == "severe"

    view.show_tab("Timeline")
    timeline = view.tab("Timeline")
    assert isinstance(timeline, TimelineTab)
    qtbot.waitUntil(lambda: timeline.model.rowCount() >= 4, timeout=10000)
    kinds = {timeline.model.cell_text(e, 1) for e in timeline.model.entries}
    assert {"Problem", "Allergy", "Medication", "Vitals"} <= kinds

    view.clear()  # the screen locks
    assert find_by_name(summary, QLabel, "Active problems", visible=False).text() == ""
    assert timeline.model.rowCount() == 0
    assert find_by_name(view.banner, QLabel, "Allergies", visible=False).text() == "—"


def test_a_chart_without_allergy_information_says_so(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("nkim")
    (patient,) = register_patients(session.ctx, 1)
    view = _chart(qtbot, session, patient)
    assert find_by_name(view.banner, QLabel, "Allergies").text() == "Allergies not recorded"
    allergies = find_by_name(view.tab("Summary"), QLabel, "Allergies").text()
    assert "Allergies not recorded" in allergies
