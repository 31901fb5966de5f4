"""The after-visit summary from the Notes tab (issue #5): "Visit summary…" on a signed note
makes the PDF on the worker and opens it in the in-app preview (Save PDF…, Print…) from
memory; a visit that cannot have one yet says why in a message box and opens nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from app.models import EncounterType, NoteKind
from app.services.encounters import EncounterInput, EncounterService
from app.services.note_data import NoteStart
from app.services.notes import NoteService
from app.services.patients import PatientService
from app.services.visit_summary import NO_NOTE
from app.ui.chart.notes_tab import NotesTab
from app.ui.chart.visit_summary_preview import preview_visit_summary
from app.ui.pdf_preview import PdfPreviewDialog
from app.ui.session import DesktopSession
from tests.services.helpers import audit_events, query
from tests.ui.helpers import click, find_all, find_by_name, opened_child, register_patients

WRITTEN = {
    "hpi": "Headaches for two weeks.",
    "assessment": "Tension-type headache.",
    "plan": "Ibuprofen 400 mg as needed; keep a headache diary.",
}


def visit(doctor: DesktopSession, patient_id: str) -> str:
    assert doctor.ctx.actor is not None
    data = EncounterInput(EncounterType.OFFICE_VISIT, doctor.ctx.actor.user_id, reason="Headaches")
    return EncounterService(doctor.ctx).open(patient_id, data).id


def signed_note(author: DesktopSession, patient_id: str, encounter_id: str, kind: NoteKind) -> None:
    """A doctor's note from the SOAP template (a nurse's in free text), written and signed."""
    notes = NoteService(author.ctx)
    template = None
    if kind is NoteKind.DOCTOR:
        (row,) = query(author.ctx, "SELECT id FROM note_template WHERE name = 'SOAP office visit'")
        template = row["id"]
    note = notes.start(patient_id, NoteStart(kind, template, encounter_id))
    sections = [
        replace(
            section,
            text=WRITTEN.get(section.key, "Seen with Dr Patel."),
            selected=("1 month",) if section.key == "follow_up" else (),
        )
        for section in note.sections
    ]
    saved = notes.save_draft(note.id, sections, None, note.version)
    notes.sign(note.id, saved.version)


def notes_tab(qtbot: QtBot, session: DesktopSession, patient_id: str) -> NotesTab:
    """The Notes tab, whose signed visit note offers "Visit summary…"."""
    tab = NotesTab(session)
    qtbot.addWidget(tab)
    tab.resize(1280, 800)
    tab.show()
    qtbot.waitExposed(tab)
    with qtbot.waitSignal(tab.note_shown, timeout=10000):
        tab.show_patient(PatientService(session.ctx).get(patient_id))
    return tab


def shown_text(dialog: PdfPreviewDialog) -> str:
    """What the preview shows, as QtPdf reads it from the bytes it was given."""
    document = dialog.document
    assert document is not None
    pages = [document.getAllText(page).text() for page in range(document.pageCount())]
    return " ".join(" ".join(pages).split())


def test_the_visit_summary_of_a_signed_note_opens_in_the_preview(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("drpatel")
    (patient_id,) = register_patients(session.ctx, 1)
    encounter_id = visit(session, patient_id)
    signed_note(session, patient_id, encounter_id, NoteKind.DOCTOR)
    tab = notes_tab(qtbot, session, patient_id)
    before = len(audit_events(session.ctx))

    click(qtbot, tab, "Visit summary")
    dialog = opened_child(qtbot, tab, PdfPreviewDialog, timeout=15000)
    assert dialog.windowTitle() == "Visit summary" and dialog.accessibleName() == "Visit summary"
    text = shown_text(dialog)
    for expected in (
        "Ana Lopez",
        "Why you came in Headaches",
        "Your plan Ibuprofen 400 mg as needed; keep a headache diary.",
        "Follow-up 1 month",
    ):
        assert expected in text
    assert "Headaches for two weeks" not in text  # the note's own history stays in the chart
    for name in ("Save PDF", "Print", "Close preview"):
        assert find_by_name(dialog, QAbstractButton, name).isEnabled()
    assert dialog.saved_to is None  # nothing reaches a file unless Save PDF… is pressed
    printed = [
        (e["action"], e["category"], e["entity_id"]) for e in audit_events(session.ctx)[before:]
    ]
    assert ("print", "encounter", encounter_id) in printed

    click(qtbot, dialog, "Close preview")  # closing lets go of the bytes
    qtbot.waitUntil(lambda: not tab.findChildren(PdfPreviewDialog), timeout=5000)


def test_a_visit_without_a_signed_doctors_note_says_why_and_opens_nothing(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    doctor = session_for("drpatel")
    (patient_id,) = register_patients(doctor.ctx, 1)
    encounter_id = visit(doctor, patient_id)
    nurse = session_for("nkim")
    signed_note(nurse, patient_id, encounter_id, NoteKind.NURSING)  # not the doctor's note
    tab = notes_tab(qtbot, nurse, patient_id)
    assert find_all(tab, QPushButton, "Visit summary") == []  # not offered on a nurse's note

    preview_visit_summary(nurse, encounter_id, tab)  # asked anyway: the service says why not
    qtbot.waitUntil(lambda: bool(find_all(tab, QMessageBox, "Visit summary")), timeout=15000)
    (box,) = find_all(tab, QMessageBox, "Visit summary")
    assert box.text() == NO_NOTE
    assert not tab.findChildren(PdfPreviewDialog)
    click(qtbot, box, "OK")
    qtbot.waitUntil(lambda: not tab.findChildren(QMessageBox), timeout=5000)


def test_nothing_opens_once_the_screen_it_was_asked_from_is_gone(
    qtbot: QtBot, session_for: Callable[[str], DesktopSession]
) -> None:
    session = session_for("drpatel")
    (patient_id,) = register_patients(session.ctx, 1)
    encounter_id = visit(session, patient_id)
    signed_note(session, patient_id, encounter_id, NoteKind.DOCTOR)
    parent = QWidget()
    parent.show()

    task = preview_visit_summary(session, encounter_id, parent)
    parent.deleteLater()  # the chart closed (lock, sign-out) while the PDF was being made
    qtbot.waitUntil(lambda: task.done, timeout=15000)
    qtbot.wait(50)
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, PdfPreviewDialog)]
