"""Issue #5's acceptance walk, as a physician does it in the Chart section: open today's
arrived patient from the clinic list, write a SOAP note from its template (the vitals
snippet filled in), add a problem by searching "type 2 diabetes", record an allergy, sign,
and the note can no longer be changed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QLineEdit, QTextBrowser
from pytestqt.qtbot import QtBot

from app.models import NoteStatus
from app.services.allergies import AllergyService
from app.services.appointments import AppointmentService
from app.services.errors import DomainError
from app.services.notes import NoteService
from app.services.problems import ProblemService
from app.services.vitals import VitalsInput, VitalsService
from app.services.vitals_catalog import VitalField
from app.ui.chart.allergy_dialogs import AddAllergyDialog
from app.ui.chart.chart_page import ChartPage
from app.ui.chart.note_start import NewNoteDialog
from app.ui.chart.problem_dialogs import AddProblemDialog
from app.ui.session import DesktopSession
from tests.ui.helpers import (
    answer_prompt,
    book_visit,
    click,
    find_by_name,
    opened_child,
    register_patients,
)


def test_a_physician_documents_todays_visit_and_signs(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("drpatel")
    ctx = session.ctx
    (patient,) = register_patients(ctx, 1)
    visit = book_visit(ctx, patient, "Priya Patel", "Follow-up", datetime(2026, 1, 5, 9))
    AppointmentService(ctx).check_in(visit.id, visit.version, None)
    VitalsService(ctx).record(
        patient, VitalsInput({VitalField.SYSTOLIC: 138, VitalField.DIASTOLIC: 88})
    )

    page = ChartPage(session)
    qtbot.addWidget(page)
    page.resize(1280, 860)
    page.show()
    qtbot.waitExposed(page)
    with qtbot.waitSignal(page.clinic.loaded, timeout=10000):
        page.reload()
    chart = page.chart
    with qtbot.waitSignal(chart.tab("Summary").loaded, timeout=10000):
        page.clinic.table.activated.emit(page.clinic.model.index(0, 1))  # today's patient
    assert find_by_name(chart.banner, QLabel, "Patient name").text().startswith("Lopez, Ana")

    # A SOAP note for this visit, from its template.
    notes = chart.tab("Notes")
    with qtbot.waitSignal(notes.loaded, timeout=10000):
        chart.show_tab("Notes")
    click(qtbot, notes, "New note")
    dialog = opened_child(qtbot, notes, NewNoteDialog)
    assert "SOAP" in find_by_name(dialog, QComboBox, "Template").currentText()
    with qtbot.waitSignal(notes.note_shown, timeout=10000):
        click(qtbot, dialog, "Start note")
    editor = notes.editor  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: len(editor.fields) > 0, timeout=10000)
    objective = next(f for f in editor.fields if f.section.key == "objective")
    assert "BP 138/88" in objective.text.toPlainText()
    qtbot.keyClicks(editor.fields[0].text, "Here for diabetes follow-up.")

    # A problem, found by typing.
    problems = chart.tab("Problems")
    with qtbot.waitSignal(problems.loaded, timeout=10000):
        chart.show_tab("Problems")
    click(qtbot, problems, "Add problem")
    add_problem = opened_child(qtbot, problems, AddProblemDialog)
    picker = add_problem.picker
    with qtbot.waitSignal(picker.searched, timeout=5000):
        qtbot.keyClicks(picker.box, "type 2 diabetes")
    while getattr(picker.highlighted(), "code", None) != "E11.9":
        qtbot.keyClick(picker.box, Qt.Key.Key_Down)
    qtbot.keyClick(picker.box, Qt.Key.Key_Return)
    with qtbot.waitSignal(problems.loaded, timeout=10000):
        qtbot.keyClick(add_problem.onset, Qt.Key.Key_Return)
    assert [p.icd10_code for p in ProblemService(ctx).for_patient(patient)] == ["E11.9"]

    # An allergy; the banner shows it at once.
    allergies = chart.tab("Allergies")
    with qtbot.waitSignal(allergies.loaded, timeout=10000):
        chart.show_tab("Allergies")
    click(qtbot, allergies, "Record allergy")
    add_allergy = opened_child(qtbot, allergies, AddAllergyDialog)
    qtbot.keyClicks(find_by_name(add_allergy, QLineEdit, "Substance"), "Sulfa drugs")
    qtbot.keyClicks(find_by_name(add_allergy, QLineEdit, "Reaction"), "Rash")
    with qtbot.waitSignal(allergies.loaded, timeout=10000):
        qtbot.keyClick(add_allergy.substance, Qt.Key.Key_Return)
    banner_allergies = find_by_name(chart.banner, QLabel, "Allergies")
    qtbot.waitUntil(lambda: "Sulfa drugs" in banner_allergies.text(), timeout=10000)
    assert AllergyService(ctx).for_patient(patient).banner_text == "Sulfa drugs"

    # Back to the note, which kept what was typed; sign it.
    with qtbot.waitSignal(notes.loaded, timeout=10000):
        chart.show_tab("Notes")
    qtbot.waitUntil(lambda: editor.note is not None and len(editor.fields) > 0, timeout=10000)
    assert "diabetes follow-up" in editor.fields[0].text.toPlainText()
    note_id = editor.note.id
    answer_prompt("Sign note", "Sign")
    with qtbot.waitSignal(notes.note_shown, timeout=10000):
        click(qtbot, notes, "Sign note")

    signed = NoteService(ctx).get(note_id)
    assert signed.status is NoteStatus.SIGNED and signed.intact
    text = find_by_name(notes, QTextBrowser, "Note text")
    assert text.isReadOnly() and "diabetes follow-up" in text.toPlainText()
    assert not editor.fields  # no editor left for it
    with pytest.raises(DomainError, match="signed and locked"):
        NoteService(ctx).save_draft(note_id, signed.sections, "Changed", signed.version)
    assert QApplication.activeModalWidget() is None
