"""Writing a note in the chart (issue #5): a physician starts a SOAP note for today's visit
from its template, the Objective section already holds the latest vitals, the draft saves
itself, signing locks it, and only an addendum can be added afterwards."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtWidgets import QComboBox, QPlainTextEdit, QTextBrowser
from pytestqt.qtbot import QtBot

from app.models import NoteStatus
from app.services.appointments import AppointmentService
from app.services.notes import NoteService
from app.services.patients import PatientService
from app.services.vitals import VitalsInput, VitalsService
from app.services.vitals_catalog import VitalField
from app.ui.chart.note_start import NewNoteDialog
from app.ui.chart.notes_tab import NotesTab
from app.ui.chart.reason_dialog import ReasonDialog
from app.ui.session import DesktopSession
from tests.ui.helpers import (
    answer_prompt,
    book_visit,
    click,
    find_by_name,
    opened_child,
    register_patients,
)

NINE_AM = datetime(2026, 1, 5, 9, 0)


def _notes_tab(
    qtbot: QtBot, session: DesktopSession, patient_id: str, appointment_id: str | None
) -> NotesTab:
    tab = NotesTab(session)
    qtbot.addWidget(tab)
    tab.resize(1280, 800)
    tab.appointment_id = appointment_id
    tab.show()
    qtbot.waitExposed(tab)
    with qtbot.waitSignal(tab.loaded, timeout=10000):
        tab.show_patient(PatientService(session.ctx).get(patient_id))
    return tab


def test_a_soap_note_from_the_template_signs_and_locks(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("drpatel")
    ctx = session.ctx
    (patient,) = register_patients(ctx, 1)
    visit = book_visit(ctx, patient, "Priya Patel", "Follow-up", NINE_AM)
    AppointmentService(ctx).check_in(visit.id, visit.version, None)
    VitalsService(ctx).record(
        patient,
        VitalsInput({VitalField.SYSTOLIC: 128, VitalField.DIASTOLIC: 82, VitalField.PULSE: 72}),
    )
    tab = _notes_tab(qtbot, session, patient, visit.id)

    click(qtbot, tab, "New note")
    dialog = opened_child(qtbot, tab, NewNoteDialog)
    template = find_by_name(dialog, QComboBox, "Template")
    assert "SOAP" in template.currentText()
    with qtbot.waitSignal(tab.note_shown, timeout=10000):
        click(qtbot, dialog, "Start note")
    editor = tab.editor
    qtbot.waitUntil(lambda: len(editor.fields) > 0, timeout=10000)
    labels = [f.section.label for f in editor.fields]
    objective = next(f for f in editor.fields if f.section.key == "objective")
    assert "BP 128/82" in objective.text.toPlainText()  # the .vitals snippet, filled in

    subjective = editor.fields[0].text
    subjective.setFocus()
    qtbot.keyClicks(subjective, "Follow-up of blood pressure. Feels well.")
    with qtbot.waitSignal(editor.saved, timeout=10000):
        pass  # the draft saves itself after a pause in typing
    note_id = editor.note.id if editor.note else ""
    saved = NoteService(ctx).get(note_id)
    assert "Feels well" in saved.sections[0].text and saved.status is NoteStatus.DRAFT

    answer_prompt("Sign note", "Sign")
    with qtbot.waitSignal(tab.note_shown, timeout=10000):
        click(qtbot, tab, "Sign note")
    signed = NoteService(ctx).get(note_id)
    assert signed.status is NoteStatus.SIGNED and signed.content_hash and signed.intact
    assert tab.pane.currentWidget() is tab.reader  # read-only from now on
    text = find_by_name(tab, QTextBrowser, "Note text")
    assert text.isReadOnly() and "Feels well" in text.toPlainText()
    assert "Electronically signed by Priya Patel" in text.toPlainText()
    assert labels[0] in text.toPlainText()

    # Only an addendum changes what the chart says.
    click(qtbot, tab, "Add addendum")
    addendum = opened_child(qtbot, tab, ReasonDialog)
    find_by_name(addendum, QPlainTextEdit, "Addendum text").setPlainText("BP recheck 124/80.")
    with qtbot.waitSignal(tab.note_shown, timeout=10000):
        click(qtbot, addendum, "Sign addendum")
    assert "BP recheck 124/80." in text.toPlainText()
    assert NoteService(ctx).get(note_id).sections == signed.sections


def test_lock_saves_the_draft_and_empties_the_tab(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("drpatel")
    (patient,) = register_patients(session.ctx, 1)
    tab = _notes_tab(qtbot, session, patient, None)
    click(qtbot, tab, "New note")
    dialog = opened_child(qtbot, tab, NewNoteDialog)
    with qtbot.waitSignal(tab.note_shown, timeout=10000):
        click(qtbot, dialog, "Start note")
    qtbot.waitUntil(lambda: len(tab.editor.fields) > 0, timeout=10000)
    first = tab.editor.fields[0].text
    qtbot.keyClicks(first, "Half a sentence")
    note_id = tab.editor.note.id if tab.editor.note else ""

    tab.clear_sensitive()  # the screen locks before the autosave pause is over
    assert tab.model.rowCount() == 0 and not tab.editor.fields
    qtbot.waitUntil(
        lambda: "Half a sentence" in NoteService(session.ctx).get(note_id).sections[0].text,
        timeout=10000,
    )
