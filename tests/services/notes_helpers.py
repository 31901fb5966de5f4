"""Shared steps of the note tests (test_notes.py, test_note_signing.py): a visit, a draft
with text, a signed note, and the content hash computed from a raw row."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from app.models import EncounterType, NoteKind
from app.services.encounters import EncounterInput, EncounterService
from app.services.note_data import NoteSection, NoteStart, NoteView
from app.services.notes import NoteService
from tests.services.scheduling_helpers import Office


def template_id(office: Office, name: str) -> str:
    return str(office.rows("SELECT id FROM note_template WHERE name = ?", name)[0]["id"])


def visit(
    office: Office, patient: str = "ana", kind: EncounterType = EncounterType.OFFICE_VISIT
) -> str:
    return (
        EncounterService(office.ctx("drpatel"))
        .open(office.patient(patient), EncounterInput(kind, office.provider("drpatel")))
        .id
    )


def written(office: Office, user: str, kind: NoteKind, text: str = "Seen today.") -> NoteView:
    """A draft by `user` with some text, as it stands after its autosave."""
    notes = NoteService(office.ctx(user))
    note = notes.start(office.patient("ana"), NoteStart(kind))
    notes.save_draft(note.id, [NoteSection("note", "Note", text=text)], None, note.version)
    return notes.get(note.id)


def signed_note(office: Office, user: str = "drpatel", **kwargs: Any) -> NoteView:
    note = written(office, user, NoteKind.DOCTOR if user.startswith("dr") else NoteKind.NURSING)
    return NoteService(office.ctx(user)).sign(note.id, note.version, **kwargs)


def note_row(office: Office, note_id: str) -> dict[str, Any]:
    return office.rows("SELECT * FROM clinical_note WHERE id = ?", note_id)[0]


def expected_hash(row: dict[str, Any]) -> str:
    """The documented canonical form, computed here from the raw row."""
    signed_at = datetime.fromisoformat(row["signed_at"]).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    content = {
        "patient_id": row["patient_id"],
        "kind": row["kind"],
        "title": row["title"],
        "sections": json.loads(row["sections"]),
        "author_id": row["author_id"],
        "signed_at": signed_at,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def actions(office: Office, since: int) -> list[tuple[str, str, str]]:
    return [(e["action"], e["category"], e["outcome"]) for e in office.audit()[since:]]
