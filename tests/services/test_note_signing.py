"""Signing notes: the content locked under a SHA-256 hash (tampering shows), the encounter
signed with its doctor's note, co-signing by the named physician, addenda, and notes
entered in error."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from app.models import EncounterStatus, EncounterType, NoteKind, NoteStatus
from app.services.encounters import EncounterService
from app.services.errors import DomainError, PermissionDenied
from app.services.note_data import LOCKED_MESSAGE, NoteSection, NoteStart, note_text
from app.services.notes import NoteService
from tests.services.notes_helpers import (
    actions,
    expected_hash,
    note_row,
    signed_note,
    template_id,
    visit,
    written,
)
from tests.services.scheduling_helpers import Office, office_fixture  # noqa: F401

# -- signing ----------------------------------------------------------------------------------


def test_signing_stores_the_content_hash_and_locks_the_note(office: Office) -> None:
    notes = NoteService(office.ctx("drpatel"))
    note = written(office, "drpatel", NoteKind.DOCTOR, "Sore throat, no fever.")
    office.clock.advance(timedelta(minutes=7))
    before = len(office.audit())

    signed = notes.sign(note.id, note.version)

    row = note_row(office, note.id)
    assert signed.status is NoteStatus.SIGNED and signed.locked
    assert signed.signed_at == office.clock.now()
    assert signed.signed_by_name == "Priya Patel, MD"
    assert row["content_hash"] == signed.content_hash == expected_hash(row)
    assert signed.intact
    assert actions(office, before) == [("sign", "note", "success")]
    outbox = office.rows("SELECT changes FROM sync_outbox WHERE row_id = ?", note.id)
    assert json.loads(outbox[-1]["changes"])["content_hash"] == [None, row["content_hash"]]

    locked_edit = [NoteSection("note", "Note", text="Changed after signing")]
    with pytest.raises(DomainError) as refused:
        notes.save_draft(note.id, locked_edit, None, signed.version)  # the right version
    assert str(refused.value) == LOCKED_MESSAGE
    with pytest.raises(DomainError, match="signed and locked"):
        notes.sign(note.id, signed.version)
    assert note_row(office, note.id) == row
    text = note_text(notes.get(note.id))
    assert "Sore throat, no fever." in text
    assert "Electronically signed by Priya Patel, MD on Jan 5, 2026 8:07 AM CST" in text


def test_an_empty_note_cannot_besigned_note(office: Office) -> None:
    notes = NoteService(office.ctx("nkim"))
    note = notes.start(
        office.patient("ana"),
        NoteStart(NoteKind.PROGRESS, template_id(office, "Phone note")),
    )
    with pytest.raises(DomainError, match="empty"):
        notes.sign(note.id, note.version)
    assert note_row(office, note.id)["status"] == "draft"


def test_signing_the_doctors_note_signs_the_encounter(office: Office) -> None:
    encounter_id = visit(office)
    ana = office.patient("ana")
    nurse, doctor = NoteService(office.ctx("nkim")), NoteService(office.ctx("drpatel"))
    nursing = nurse.start(ana, NoteStart(NoteKind.NURSING, encounter_id=encounter_id))
    saved = nurse.save_draft(nursing.id, [NoteSection("note", "", text="Roomed.")], None, 1)
    nurse.sign(nursing.id, saved.version)
    encounters = EncounterService(office.ctx("drpatel"))
    assert encounters.get(encounter_id).status is EncounterStatus.OPEN

    visit_note = doctor.start(ana, NoteStart(NoteKind.DOCTOR, encounter_id=encounter_id))
    saved = doctor.save_draft(visit_note.id, [NoteSection("note", "", text="Well.")], None, 1)
    office.clock.advance(timedelta(minutes=20))
    doctor.sign(visit_note.id, saved.version)

    encounter = encounters.get(encounter_id)
    assert encounter.status is EncounterStatus.SIGNED
    assert encounter.signed_at == office.clock.now()
    assert encounter.signed_by_name == "Priya Patel, MD"
    assert [n.id for n in doctor.for_encounter(encounter_id)] == [nursing.id, visit_note.id]


def test_a_nursing_visit_closes_with_the_nurses_note(office: Office) -> None:
    """A flu shot or a blood-pressure check: the nurse's signed note closes the visit, and
    striking that note through opens it again."""
    encounter_id = visit(office, kind=EncounterType.NURSING_VISIT)
    nurse = NoteService(office.ctx("nkim"))
    note = nurse.start(
        office.patient("ana"), NoteStart(NoteKind.NURSING, encounter_id=encounter_id)
    )
    saved = nurse.save_draft(
        note.id, [NoteSection("note", "", text="Flu shot, L deltoid.")], None, 1
    )
    nurse.sign(note.id, saved.version)
    encounters = EncounterService(office.ctx("drpatel"))
    closed = encounters.get(encounter_id)
    assert closed.status is EncounterStatus.SIGNED and closed.signed_by_name == "Hannah Kim, RN"

    nurse.mark_entered_in_error(note.id, "Charted on the wrong visit")
    assert encounters.get(encounter_id).status is EncounterStatus.OPEN


def test_tampering_with_a_signed_note_in_the_database_shows(office: Office) -> None:
    signed = signed_note(office)
    notes = NoteService(office.ctx("drpatel"))
    notes.add_addendum(signed.id, "Culture negative.")
    assert notes.get(signed.id).intact

    changed = json.dumps([{"key": "note", "label": "Note", "kind": "text", "text": "Forged"}])
    office.rows(
        "UPDATE clinical_note SET sections = ? WHERE id = ? RETURNING id", changed, signed.id
    )
    forged = notes.get(signed.id)
    assert not forged.intact
    assert "no longer matches what was signed" in note_text(forged)

    # Setting the status back to draft behind the app's back does not unlock it either.
    office.rows("UPDATE clinical_note SET status = 'draft' WHERE id = ? RETURNING id", signed.id)
    edit = [NoteSection("note", "Note", text="Rewritten")]
    with pytest.raises(DomainError, match="signed and locked"):
        notes.save_draft(signed.id, edit, None, forged.version)


def test_tampering_with_an_addendum_shows(office: Office) -> None:
    signed = signed_note(office)
    notes = NoteService(office.ctx("drpatel"))
    added = notes.add_addendum(signed.id, "Culture negative.").addenda[0]
    office.rows(
        "UPDATE note_addendum SET text = 'Culture positive.' WHERE id = ? RETURNING id", added.id
    )
    view = notes.get(signed.id)
    assert not view.addenda[0].intact and not view.intact


# -- co-signing -------------------------------------------------------------------------------


def test_a_nurse_note_waits_for_the_named_physician_to_cosign(office: Office) -> None:
    note = written(office, "nkim", NoteKind.NURSING, "Flu shot given, left deltoid.")
    nurse = NoteService(office.ctx("nkim"))
    patel, okafor = NoteService(office.ctx("drpatel")), NoteService(office.ctx("drokafor"))

    sent = nurse.sign(note.id, note.version, cosigner_id=office.provider("drpatel"))

    assert sent.status is NoteStatus.AWAITING_COSIGN and sent.locked
    assert sent.cosigner_name == "Priya Patel, MD" and sent.cosigned_at is None
    assert sent.content_hash == expected_hash(note_row(office, note.id))
    with pytest.raises(DomainError, match="signed and locked"):
        nurse.save_draft(note.id, [NoteSection("note", "", text="x")], None, sent.version)
    assert "Awaiting co-signature by Priya Patel, MD" in note_text(sent)
    assert okafor.awaiting_cosign() == []
    (waiting,) = patel.awaiting_cosign()
    assert waiting.id == note.id and waiting.patient_name and waiting.mrn

    before = len(office.audit())
    with pytest.raises(PermissionDenied, match="named"):
        okafor.cosign(note.id)
    with pytest.raises(PermissionDenied):
        nurse.cosign(note.id)
    assert actions(office, before) == [
        ("access", "note", "denied"),
        ("access", "sign_notes", "denied"),
    ]

    office.clock.advance(timedelta(hours=3))
    cosigned = patel.cosign(note.id)
    assert cosigned.status is NoteStatus.SIGNED
    assert cosigned.cosigned_at == office.clock.now()
    assert cosigned.content_hash == sent.content_hash and cosigned.intact
    assert actions(office, before + 2) == [("cosign", "note", "success")]
    assert patel.awaiting_cosign() == []
    assert "Co-signed by Priya Patel, MD" in note_text(cosigned)
    with pytest.raises(DomainError, match="not waiting"):
        patel.cosign(note.id)


def test_the_cosigner_is_an_active_physician_other_than_the_author(office: Office) -> None:
    note = written(office, "drpatel", NoteKind.DOCTOR)
    doctor = NoteService(office.ctx("drpatel"))
    with pytest.raises(DomainError, match="other than the author"):
        doctor.sign(note.id, note.version, cosigner_id=office.provider("drpatel"))
    for someone in ("nkim", "frontdesk"):
        with pytest.raises(DomainError, match="active physician"):
            doctor.sign(note.id, note.version, cosigner_id=office.provider(someone))
    assert note_row(office, note.id)["status"] == "draft"
    sent = doctor.sign(note.id, note.version, cosigner_id=office.provider("drokafor"))
    assert sent.status is NoteStatus.AWAITING_COSIGN


def test_a_doctors_note_awaiting_cosign_signs_the_encounter_when_cosigned(office: Office) -> None:
    encounter_id = visit(office)
    doctor = NoteService(office.ctx("drpatel"))
    note = doctor.start(
        office.patient("ana"), NoteStart(NoteKind.DOCTOR, encounter_id=encounter_id)
    )
    saved = doctor.save_draft(note.id, [NoteSection("note", "", text="Well.")], None, 1)
    doctor.sign(note.id, saved.version, cosigner_id=office.provider("drokafor"))
    encounters = EncounterService(office.ctx("drpatel"))
    assert encounters.get(encounter_id).status is EncounterStatus.OPEN
    NoteService(office.ctx("drokafor")).cosign(note.id)
    encounter = encounters.get(encounter_id)
    assert encounter.status is EncounterStatus.SIGNED
    assert encounter.signed_by_name == "Daniel Okafor, DO"


# -- after signing ----------------------------------------------------------------------------


def test_addenda_are_signed_as_they_arewritten(office: Office) -> None:
    signed = signed_note(office)
    nurse = NoteService(office.ctx("nkim"))
    before = len(office.audit())
    office.clock.advance(timedelta(days=1))

    first = nurse.add_addendum(signed.id, "  Patient called: feeling better.  ")
    office.clock.advance(timedelta(hours=1))
    both = NoteService(office.ctx("drpatel")).add_addendum(signed.id, "Results reviewed.")

    assert [a.text for a in both.addenda] == [
        "Patient called: feeling better.",
        "Results reviewed.",
    ]
    assert [a.author_name for a in both.addenda] == ["Hannah Kim, RN", "Priya Patel, MD"]
    assert first.addenda[0].signed_at == office.clock.now() - timedelta(hours=1)
    assert all(a.intact and len(a.content_hash) == 64 for a in both.addenda)
    assert both.content_hash == signed.content_hash and both.intact
    assert actions(office, before) == [("addendum", "note", "success")] * 2
    inserts = office.rows(
        "SELECT * FROM sync_outbox WHERE table_name = 'note_addendum' AND operation = 'insert'"
    )
    assert len(inserts) == 2
    text = note_text(both)
    assert "Addendum by Hannah Kim, RN, Jan 6, 2026 8:00 AM CST" in text
    assert [r.addendum_count for r in nurse.for_patient(office.patient("ana"))] == [2]

    with pytest.raises(DomainError, match="Write the addendum"):
        nurse.add_addendum(signed.id, "   ")
    draft = written(office, "drpatel", NoteKind.DOCTOR)
    with pytest.raises(DomainError, match="not signed yet"):
        nurse.add_addendum(draft.id, "Too early")


def test_a_signed_note_entered_in_error_keeps_its_text_and_reason(office: Office) -> None:
    signed = signed_note(office)
    nurse, okafor = NoteService(office.ctx("nkim")), NoteService(office.ctx("drokafor"))
    before = len(office.audit())
    with pytest.raises(PermissionDenied, match="author or a physician"):
        nurse.mark_entered_in_error(signed.id, "Wrong patient")
    with pytest.raises(DomainError, match="Say why"):
        okafor.mark_entered_in_error(signed.id, "  ")
    office.clock.advance(timedelta(hours=2))

    struck = okafor.mark_entered_in_error(signed.id, "Written in the wrong chart")

    assert struck.status is NoteStatus.ENTERED_IN_ERROR and struck.in_error
    assert struck.error_reason == "Written in the wrong chart"
    assert struck.error_by_name == "Daniel Okafor, DO"
    assert struck.error_at == office.clock.now()
    assert struck.sections == signed.sections and struck.intact
    assert actions(office, before) == [
        ("access", "note", "denied"),
        ("entered_in_error", "note", "success"),
    ]
    assert "ENTERED IN ERROR by Daniel Okafor, DO" in note_text(struck)
    with pytest.raises(DomainError, match="already"):
        okafor.mark_entered_in_error(signed.id, "Again")
    with pytest.raises(DomainError, match="no addenda"):
        okafor.add_addendum(signed.id, "More")
    draft = written(office, "nkim", NoteKind.NURSING)
    with pytest.raises(DomainError, match="discard it instead"):
        nurse.mark_entered_in_error(draft.id, "Oops")
    own = signed_note(office, "nkim")
    assert nurse.mark_entered_in_error(own.id, "Duplicate of this morning's note").in_error
