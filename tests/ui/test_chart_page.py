"""The Chart section's frame (issue #5): today's clinic list opens a chart with the patient
banner; locking forgets the patient and unlocking brings the same chart back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from app.services.appointments import AppointmentService
from app.ui.chart.chart_page import ChartPage
from app.ui.session import DesktopSession
from tests.ui.helpers import book_visit, find_by_name, register_patients

NINE_AM = datetime(2026, 1, 5, 9, 0)  # the demo practice's morning (FakeClock: Jan 5 2026)


def _clinic_page(qtbot: QtBot, session: DesktopSession) -> ChartPage:
    page = ChartPage(session)
    qtbot.addWidget(page)
    page.resize(1280, 860)
    page.show()
    qtbot.waitExposed(page)
    with qtbot.waitSignal(page.clinic.loaded, timeout=10000):
        page.reload()
    return page


def test_the_clinic_list_opens_an_arrived_patients_chart(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("drpatel")
    ctx = session.ctx
    (lopez, johnson) = register_patients(ctx, 2)
    visit = book_visit(ctx, lopez, "Priya Patel", "Follow-up", NINE_AM)
    book_visit(ctx, johnson, "Daniel Okafor", "Follow-up", NINE_AM)  # not Dr Patel's
    AppointmentService(ctx).check_in(visit.id, visit.version, None)

    page = _clinic_page(qtbot, session)
    model = page.clinic.model
    assert model.rowCount() == 1  # a physician sees her own clinic
    assert "Lopez, Ana" in model.cell_text(model.row_at(0), 1)  # type: ignore[arg-type]
    assert "Arrived" in model.cell_text(model.row_at(0), 5)  # type: ignore[arg-type]

    with qtbot.waitSignal(page.chart.shown, timeout=10000):
        page.clinic.table.activated.emit(model.index(0, 1))
    assert page.showing_chart and page.chart.appointment_id == visit.id
    name = find_by_name(page, QLabel, "Patient name")
    assert name.text().startswith("Lopez, Ana")

    page.clear_sensitive()  # the screen locks
    assert find_by_name(page, QLabel, "Patient name", visible=False).text() == ""
    assert model.rowCount() == 0
    with qtbot.waitSignal(page.chart.shown, timeout=10000):
        page.reload()
    assert name.text().startswith("Lopez, Ana") and page.chart.appointment_id == visit.id


def test_a_nurse_sees_every_providers_clinic(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("nkim")
    (lopez, johnson) = register_patients(session.ctx, 2)
    book_visit(session.ctx, lopez, "Priya Patel", "Follow-up", NINE_AM)
    book_visit(session.ctx, johnson, "Daniel Okafor", "Follow-up", NINE_AM)
    page = _clinic_page(qtbot, session)
    assert page.clinic.model.rowCount() == 2
    assert "Everyone's patients" in page.clinic.subtitle.text()


def test_a_nurses_note_waits_on_the_physicians_clinic_list(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    from app.models import NoteKind
    from app.services.note_data import NoteStart
    from app.services.notes import NoteService
    from app.services.schedule_setup import ScheduleSetupService

    nurse = session_for("nkim").ctx
    (patient,) = register_patients(nurse, 1)
    notes = NoteService(nurse)
    draft = notes.start(patient, NoteStart(NoteKind.NURSING))
    sections = tuple(replace(s, text="Flu shot given, left deltoid.") for s in draft.sections[:1])
    saved = notes.save_draft(draft.id, sections, draft.title, draft.version)
    patel = next(p.id for p in ScheduleSetupService(nurse).providers() if p.name == "Priya Patel")
    notes.sign(draft.id, saved.version, patel)

    page = _clinic_page(qtbot, session_for("drpatel"))
    waiting = page.clinic.waiting_model
    assert waiting.rowCount() == 1
    assert waiting.cell_text(waiting.row_at(0), 0) == "Co-sign"  # type: ignore[arg-type]
    assert "Lopez, Ana" in waiting.cell_text(waiting.row_at(0), 1)  # type: ignore[arg-type]
    notes_tab = page.chart.tab("Notes")
    with qtbot.waitSignal(notes_tab.loaded, timeout=10000):
        page.clinic.waiting_table.activated.emit(waiting.index(0, 1))
    assert page.showing_chart and page.chart.tabs.currentWidget() is notes_tab
