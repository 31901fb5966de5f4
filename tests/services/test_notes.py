"""Clinical notes: drafts that start from templates and autosave, reading (audited), and
snippets filled from a real chart. Signing is tested in test_note_signing.py."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from app.models import (
    Allergy,
    Medication,
    MedicationStatus,
    NoteKind,
    NoteStatus,
    Problem,
    ProblemStatus,
    Severity,
)
from app.services.errors import ConcurrentChange, DomainError, NotFound, PermissionDenied
from app.services.note_data import NoteSection, NoteStart
from app.services.note_templates import NoteTemplateService
from app.services.notes import NoteService
from app.services.vitals import VitalsInput, VitalsService
from app.services.vitals_catalog import VitalField
from tests.services.notes_helpers import (
    actions,
    note_row,
    signed_note,
    template_id,
    visit,
    written,
)
from tests.services.scheduling_helpers import Office, office_fixture  # noqa: F401

# -- drafts -------------------------------------------------------------------------------


def test_a_soap_note_starts_from_its_template_with_the_chart_filled_in(office: Office) -> None:
    ana = office.patient("ana")
    doctor = office.ctx("drpatel")
    VitalsService(office.ctx("nkim")).record(
        ana, VitalsInput({VitalField.SYSTOLIC: 128, VitalField.DIASTOLIC: 82, VitalField.PULSE: 72})
    )
    with doctor.unit_of_work() as uow:
        uow.session.add_all(
            [
                Problem(patient_id=ana, icd10_code="E11.9", description="Type 2 diabetes mellitus"),
                Problem(
                    patient_id=ana,
                    icd10_code="J02.9",
                    description="Acute pharyngitis",
                    status=ProblemStatus.RESOLVED,
                ),
                Medication(patient_id=ana, name="Metformin 500 mg tablet", sig="1 tab twice daily"),
                Medication(
                    patient_id=ana, name="Amoxicillin 500 mg", status=MedicationStatus.STOPPED
                ),
                Allergy(
                    patient_id=ana,
                    substance="Penicillin",
                    reaction="hives",
                    severity=Severity.SEVERE,
                ),
            ]
        )
    encounter = visit(office)
    before = len(office.audit())

    note = NoteService(doctor).start(
        ana,
        NoteStart(NoteKind.DOCTOR, template_id(office, "SOAP office visit"), encounter),
    )

    sections = {s.key: s for s in note.sections}
    assert list(sections) == [
        "hpi",
        "ros",
        "meds_allergies",
        "objective",
        "assessment",
        "plan",
        "follow_up",
    ]
    assert "BP 128/82" in sections["objective"].text
    assert ".vitals" not in sections["objective"].text
    assert "Type 2 diabetes mellitus (E11.9)" in sections["assessment"].text
    assert "pharyngitis" not in sections["assessment"].text
    assert "Metformin 500 mg tablet: 1 tab twice daily" in sections["meds_allergies"].text
    assert "Amoxicillin" not in sections["meds_allergies"].text
    assert "Penicillin: hives, severe" in sections["meds_allergies"].text
    assert sections["ros"].options and sections["ros"].selected == ()
    assert note.title == "SOAP office visit" and note.status is NoteStatus.DRAFT
    assert note.encounter_id == encounter and note.author_name == "Priya Patel, MD"
    assert note.intact and note.content_hash is None and not note.locked
    (event,) = office.audit()[before:]
    assert (event["action"], event["category"], event["entity_id"]) == ("create", "note", note.id)
    assert event["detail"] == "snippets: .allergies .meds .problems .vitals"
    assert [
        r["operation"] for r in office.rows("SELECT * FROM sync_outbox WHERE row_id = ?", note.id)
    ] == ["insert"]


def test_a_template_must_fit_the_kind_of_note(office: Office) -> None:
    nurse = NoteService(office.ctx("nkim"))
    with pytest.raises(DomainError, match="template for a nursing note"):
        nurse.start(
            office.patient("ana"),
            NoteStart(NoteKind.PROGRESS, template_id(office, "Nursing note")),
        )
    with pytest.raises(NotFound):
        nurse.start(office.patient("ana"), NoteStart(NoteKind.PROGRESS, "no-such-template"))
    with pytest.raises(DomainError, match="another patient"):
        NoteService(office.ctx("drpatel")).start(
            office.patient("ben"), NoteStart(NoteKind.DOCTOR, encounter_id=visit(office, "ana"))
        )


def test_a_nurse_cannot_write_a_doctors_note(office: Office) -> None:
    before, data = len(office.audit()), office.snapshot()
    with pytest.raises(PermissionDenied, match="written by a physician"):
        NoteService(office.ctx("nkim")).start(office.patient("ana"), NoteStart(NoteKind.DOCTOR))
    assert office.snapshot() == data
    assert actions(office, before) == [("access", "sign_notes", "denied")]


def test_autosave_bumps_the_version_only_when_something_changed(office: Office) -> None:
    notes = NoteService(office.ctx("drpatel"))
    note = notes.start(
        office.patient("ana"),
        NoteStart(NoteKind.DOCTOR, template_id(office, "SOAP office visit")),
    )
    office.clock.advance(timedelta(seconds=30))
    ros = next(s for s in note.sections if s.key == "ros")
    edit = [
        NoteSection("hpi", "Subjective (HPI)", text="Cough for two weeks."),
        NoteSection("ros", "", selected=("Cough", "Fever")),
    ]

    saved = notes.save_draft(note.id, edit, "Cough visit", note.version)
    before = len(office.audit())
    again = notes.save_draft(note.id, edit, "Cough visit", saved.version)

    assert saved.changed and saved.version == note.version + 1
    assert saved.saved_at == office.clock.now()
    assert not again.changed and again.version == saved.version
    assert len(office.audit()) == before  # nothing written, nothing to audit
    reread = notes.get(note.id)
    sections = {s.key: s for s in reread.sections}
    assert reread.title == "Cough visit"
    assert sections["hpi"].text == "Cough for two weeks."
    assert sections["ros"].selected == ("Cough", "Fever")
    assert sections["ros"].label == ros.label  # the form comes from the note, not the edit
    assert sections["objective"].text == next(s for s in note.sections if s.key == "objective").text
    outbox = office.rows("SELECT operation FROM sync_outbox WHERE row_id = ?", note.id)
    assert [r["operation"] for r in outbox] == ["insert", "update"]


def test_a_stale_autosave_is_refused_and_saves_nothing(office: Office) -> None:
    notes = NoteService(office.ctx("drpatel"))
    note = notes.start(office.patient("ana"), NoteStart(NoteKind.DOCTOR))
    notes.save_draft(note.id, [NoteSection("note", "Note", text="From window one")], None, 1)
    with pytest.raises(ConcurrentChange, match="another window or computer") as stale:
        notes.save_draft(note.id, [NoteSection("note", "Note", text="From window two")], None, 1)
    assert "Nothing was saved" in str(stale.value)
    assert json.loads(note_row(office, note.id)["sections"])[0]["text"] == "From window one"


def test_a_draft_is_checked_before_it_is_saved(office: Office) -> None:
    notes = NoteService(office.ctx("drpatel"))
    note = notes.start(
        office.patient("ana"),
        NoteStart(NoteKind.DOCTOR, template_id(office, "SOAP office visit")),
    )
    bad = [
        ([NoteSection("nonsense", "Nonsense", text="x")], "no “Nonsense” section"),
        ([NoteSection("ros", "ROS", selected=("Hiccups",))], "from its list"),
        ([NoteSection("follow_up", "Follow-up", selected=("1 week", "1 year"))], "Pick one"),
        ([NoteSection("plan", "Plan", selected=("1 week",))], "nothing to pick"),
        ([NoteSection("plan", "Plan", text="a"), NoteSection("plan", "Plan")], "given twice"),
    ]
    for sections, message in bad:
        with pytest.raises(DomainError, match=message):
            notes.save_draft(note.id, sections, None, note.version)
    with pytest.raises(DomainError, match="title"):
        notes.save_draft(note.id, [], "   ", note.version)
    assert note_row(office, note.id)["version"] == note.version


def test_only_the_author_edits_or_discards_a_draft(office: Office) -> None:
    note = written(office, "drpatel", NoteKind.DOCTOR)
    other = NoteService(office.ctx("drokafor"))
    before, data = len(office.audit()), office.snapshot()
    with pytest.raises(PermissionDenied, match="author"):
        other.save_draft(
            note.id, [NoteSection("note", "Note", text="Mine now")], None, note.version
        )
    with pytest.raises(PermissionDenied, match="author"):
        other.discard_draft(note.id)
    with pytest.raises(PermissionDenied, match="author"):
        other.sign(note.id, note.version)
    assert office.snapshot() == data
    assert actions(office, before) == [("access", "note", "denied")] * 3
    assert {e["patient_id"] for e in office.audit()[before:]} == {office.patient("ana")}


def test_a_discarded_draft_is_a_tombstone_gone_from_the_chart(office: Office) -> None:
    notes = NoteService(office.ctx("nkim"))
    note = written(office, "nkim", NoteKind.NURSING)
    before = len(office.audit())
    notes.discard_draft(note.id)
    row = note_row(office, note.id)
    assert row["deleted_at"] is not None and row["status"] == "draft" and row["signed_at"] is None
    assert actions(office, before) == [("delete", "note", "success")]
    assert notes.for_patient(office.patient("ana")) == []
    with pytest.raises(NotFound):
        notes.get(note.id)
    signed = signed_note(office, "nkim")
    with pytest.raises(DomainError, match="Only a draft"):
        notes.discard_draft(signed.id)


# -- reading -----------------------------------------------------------------------------------


def test_every_read_is_audited_and_lists_carry_no_text(office: Office) -> None:
    ana = office.patient("ana")
    encounter_id = visit(office)
    signed = signed_note(office)
    draft = written(office, "nkim", NoteKind.NURSING)
    notes = NoteService(office.ctx("nkim"))
    before = len(office.audit())

    rows = notes.for_patient(ana)
    whole = notes.get(signed.id)
    in_visit = notes.for_encounter(encounter_id)

    assert [r.id for r in rows] == [draft.id, signed.id]  # newest first
    assert [r.status_label for r in rows] == ["Draft", "Signed"]
    assert not hasattr(rows[0], "sections")
    assert whole.sections[0].text == "Seen today."
    assert in_visit == []
    assert [(e["action"], e["category"], e["patient_id"]) for e in office.audit()[before:]] == [
        ("read", "note", ana),
        ("read", "note", ana),
        ("read", "note", ana),
    ]
    assert notes.for_patient(office.patient("ben")) == []


# -- snippets ------------------------------------------------------------------------------------


def test_snippets_expand_whole_words_from_the_chart(office: Office) -> None:
    ana = office.patient("ana")
    notes = NoteService(office.ctx("drpatel"))
    NoteTemplateService(office.ctx("drpatel")).save_snippet(".sob", "Short of breath on exertion.")
    assert notes.expand(ana, ".allergies") == "Allergies not recorded"
    with office.ctx("drpatel").unit_of_work() as uow:
        uow.session.add(Allergy(patient_id=ana, no_known=True, substance="No known allergies"))
    assert notes.snippet(ana, ".allergies") == "No known allergies"
    assert notes.snippet(ana, ".meds") == "No active medications."
    assert notes.snippet(ana, ".problems") == "No active problems."
    assert notes.snippet(ana, ".vitals") == "No vitals recorded."
    VitalsService(office.ctx("nkim")).record(ana, VitalsInput({VitalField.PULSE: 64}))
    assert "64" in notes.snippet(ana, ".VITALS")

    text = "Pt .sob, see x.sob and .sob. Dose 0.25 mg; .unknown stays; (.meds)"
    assert notes.expand(ana, text) == (
        "Pt Short of breath on exertion., see x.sob and Short of breath on exertion.. "
        "Dose 0.25 mg; .unknown stays; (No active medications.)"
    )
    with pytest.raises(NotFound, match="not a snippet"):
        notes.snippet(ana, ".nothing")
    details = [e["detail"] for e in office.audit() if e["category"] == "chart"]
    assert details[-2:] == ["snippet .vitals", "snippets: .meds .sob .unknown"]
