"""Permission-table rows for encounters, notes, note templates and snippets (issue #5).

Clinicians (physicians and nurses) read charts, open encounters and write notes; only
physicians co-sign and edit the practice's templates and snippets. Some use cases act on
the caller's own note (only a draft's author saves, signs or discards it), so `prepare`
leaves a draft by each clinician; a refused role's call goes to any note, and is refused
before the note is looked at. Refused calls of the module share one practice: prepares
may run several times there and only add rows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from app.models import EncounterType, NoteKind, Role
from app.services.appointments import AppointmentService
from app.services.context import Actor, AppContext
from app.services.encounters import EncounterInput, EncounterService
from app.services.note_data import NoteSection, NoteStart, TemplateInput, TemplateSection
from app.services.note_templates import NoteTemplateService
from app.services.notes import NoteService
from app.services.permissions import Permission
from app.services.schedule_data import BookingInput
from tests.services.helpers import query
from tests.services.permission_table import CLINICAL, PHYSICIAN_ONLY, Target, UseCase

PHYSICIAN = "drpatel"


def _one(ctx: AppContext, sql: str, *params: object) -> dict[str, Any]:
    rows = query(ctx, sql, *params)
    assert rows, f"prepare made nothing for: {sql}"
    return rows[0]


def _as(ctx: AppContext, username: str) -> AppContext:
    """Another demo user on the same practice (the actor is read from the user row)."""
    row = _one(ctx, "SELECT id, display_name, role FROM user_account WHERE username = ?", username)
    actor = Actor(row["id"], username, row["display_name"], Role(row["role"]))
    return AppContext(ctx.session_factory, ctx.device_id, ctx.vault, actor=actor, clock=ctx.clock)


def _user_id(ctx: AppContext, username: str) -> str:
    return str(_one(ctx, "SELECT id FROM user_account WHERE username = ?", username)["id"])


def _mine_or_any(ctx: AppContext, where: str) -> dict[str, Any]:
    """The newest note matching `where` written by the caller, or else by anyone."""
    me = ctx.actor.user_id if ctx.actor else ""
    return _one(
        ctx,
        f"SELECT id, version FROM clinical_note WHERE {where} AND deleted_at IS NULL "
        "ORDER BY author_id = ? DESC, created_at DESC",
        me,
    )


# -- encounters --------------------------------------------------------------------------


def _arrived_visit(ctx: AppContext, t: Target) -> object:
    """Today 10:00 in Chicago with Dr. Patel, checked in (double-booked: prepares repeat)."""
    follow_up = _one(ctx, "SELECT id FROM appointment_type WHERE name = 'Follow-up'")["id"]
    visit = BookingInput(
        t.patient_id, _user_id(ctx, PHYSICIAN), follow_up, datetime(2026, 1, 5, 10, 0)
    )
    booked = AppointmentService(ctx).book(visit, double_book=True)
    return AppointmentService(ctx).check_in(booked.id, booked.version, None)


def _open_from_schedule(ctx: AppContext, t: Target) -> object:
    visit = _one(
        ctx,
        "SELECT id FROM appointment WHERE patient_id = ? AND status = 'arrived' "
        "ORDER BY created_at DESC",
        t.patient_id,
    )
    return EncounterService(ctx).open_for_appointment(visit["id"])


def _encounter(ctx: AppContext, t: Target) -> object:
    data = EncounterInput(EncounterType.OFFICE_VISIT, _user_id(ctx, PHYSICIAN))
    return EncounterService(ctx).open(t.patient_id, data)


def _latest_open_encounter(ctx: AppContext, t: Target) -> str:
    return str(
        _one(
            ctx,
            "SELECT id FROM encounter WHERE patient_id = ? AND status = 'open' "
            "ORDER BY created_at DESC",
            t.patient_id,
        )["id"]
    )


# -- notes -------------------------------------------------------------------------------


def _draft_by(ctx: AppContext, t: Target, kind: NoteKind) -> str:
    notes = NoteService(ctx)
    note = notes.start(t.patient_id, NoteStart(kind))
    notes.save_draft(note.id, [NoteSection("note", "Note", text="Seen today.")], None, note.version)
    return note.id


def _drafts(ctx: AppContext, t: Target) -> object:
    """A draft by the physician and one by the nurse (each may act only on their own)."""
    _draft_by(ctx, t, NoteKind.PROGRESS)
    return _draft_by(_as(ctx, "nkim"), t, NoteKind.NURSING)


def _signed_notes(ctx: AppContext, t: Target) -> object:
    for author in (ctx, _as(ctx, "nkim")):
        note_id = _draft_by(author, t, NoteKind.PROGRESS)
        version = _one(author, "SELECT version FROM clinical_note WHERE id = ?", note_id)
        NoteService(author).sign(note_id, version["version"])
    return None


def _awaiting_my_cosign(ctx: AppContext, t: Target) -> object:
    nurse = _as(ctx, "nkim")
    note_id = _draft_by(nurse, t, NoteKind.NURSING)
    version = _one(nurse, "SELECT version FROM clinical_note WHERE id = ?", note_id)["version"]
    return NoteService(nurse).sign(note_id, version, cosigner_id=_user_id(ctx, PHYSICIAN))


def _save_own_draft(ctx: AppContext, t: Target) -> object:
    note = _mine_or_any(ctx, "status = 'draft'")
    edit = [NoteSection("note", "Note", text="Seen today; better.")]
    return NoteService(ctx).save_draft(note["id"], edit, None, note["version"])


def _sign_own_draft(ctx: AppContext, t: Target) -> object:
    note = _mine_or_any(ctx, "status = 'draft'")
    return NoteService(ctx).sign(note["id"], note["version"])


def _discard_own_draft(ctx: AppContext, t: Target) -> object:
    return NoteService(ctx).discard_draft(_mine_or_any(ctx, "status = 'draft'")["id"])


def _cosign(ctx: AppContext, t: Target) -> object:
    note = _mine_or_any(ctx, "status = 'awaiting_cosign'")
    return NoteService(ctx).cosign(note["id"])


def _addendum(ctx: AppContext, t: Target) -> object:
    note = _mine_or_any(ctx, "status = 'signed'")
    return NoteService(ctx).add_addendum(note["id"], "Results reviewed.")


def _strike_own_note(ctx: AppContext, t: Target) -> object:
    note = _mine_or_any(ctx, "status = 'signed'")
    return NoteService(ctx).mark_entered_in_error(note["id"], "Written in the wrong chart")


def _get_note(ctx: AppContext, t: Target) -> object:
    return NoteService(ctx).get(_mine_or_any(ctx, "1 = 1")["id"])


# -- templates and snippets ----------------------------------------------------------------


def _retire_progress_template(ctx: AppContext, t: Target) -> object:
    template = _one(ctx, "SELECT id FROM note_template WHERE name = 'Progress note' AND active = 1")
    return NoteTemplateService(ctx).retire_template(template["id"])


def _snippet(ctx: AppContext, t: Target) -> object:
    if not query(ctx, "SELECT id FROM note_snippet WHERE shortcut = '.sob' AND active = 1"):
        return NoteTemplateService(ctx).save_snippet(".sob", "Short of breath on exertion.")
    return None


def _retire_snippet(ctx: AppContext, t: Target) -> object:
    snippet = _one(ctx, "SELECT id FROM note_snippet WHERE shortcut = '.sob' AND active = 1")
    return NoteTemplateService(ctx).retire_snippet(snippet["id"])


_FOLLOW_UP_CALL = TemplateInput(
    "Follow-up call",
    NoteKind.PROGRESS,
    (TemplateSection("call", "Call"),),
)

CASES = [
    # Encounters
    UseCase(
        "EncounterService.open_for_appointment",
        Permission.EDIT_CHART,
        CLINICAL,
        _open_from_schedule,
        prepare=_arrived_visit,
        prepare_as=PHYSICIAN,
    ),
    UseCase("EncounterService.open", Permission.EDIT_CHART, CLINICAL, _encounter),
    UseCase(
        "EncounterService.get",
        Permission.VIEW_CHART,
        CLINICAL,
        lambda c, t: EncounterService(c).get(_latest_open_encounter(c, t)),
        prepare=_encounter,
        prepare_as=PHYSICIAN,
    ),
    UseCase(
        "EncounterService.for_patient",
        Permission.VIEW_CHART,
        CLINICAL,
        lambda c, t: EncounterService(c).for_patient(t.patient_id),
    ),
    UseCase(
        "EncounterService.mark_entered_in_error",
        Permission.EDIT_CHART,
        CLINICAL,
        lambda c, t: EncounterService(c).mark_entered_in_error(
            _latest_open_encounter(c, t), "Opened on the wrong patient"
        ),
        prepare=_encounter,
        prepare_as=PHYSICIAN,
    ),
    # Notes
    UseCase(
        "NoteService.start",
        Permission.EDIT_CHART,
        CLINICAL,
        lambda c, t: NoteService(c).start(t.patient_id, NoteStart(NoteKind.PROGRESS)),
    ),
    UseCase(
        "NoteService.save_draft",
        Permission.EDIT_CHART,
        CLINICAL,
        _save_own_draft,
        prepare=_drafts,
        prepare_as=PHYSICIAN,
    ),
    UseCase(
        "NoteService.discard_draft",
        Permission.EDIT_CHART,
        CLINICAL,
        _discard_own_draft,
        prepare=_drafts,
        prepare_as=PHYSICIAN,
    ),
    UseCase(
        "NoteService.sign",
        Permission.EDIT_CHART,
        CLINICAL,
        _sign_own_draft,
        prepare=_drafts,
        prepare_as=PHYSICIAN,
    ),
    UseCase(
        "NoteService.cosign",
        Permission.SIGN_NOTES,
        PHYSICIAN_ONLY,
        _cosign,
        prepare=_awaiting_my_cosign,
        prepare_as=PHYSICIAN,
    ),
    UseCase(
        "NoteService.awaiting_cosign",
        Permission.SIGN_NOTES,
        PHYSICIAN_ONLY,
        lambda c, t: NoteService(c).awaiting_cosign(),
    ),
    UseCase(
        "NoteService.add_addendum",
        Permission.EDIT_CHART,
        CLINICAL,
        _addendum,
        prepare=_signed_notes,
        prepare_as=PHYSICIAN,
    ),
    UseCase(
        "NoteService.mark_entered_in_error",
        Permission.EDIT_CHART,
        CLINICAL,
        _strike_own_note,
        prepare=_signed_notes,
        prepare_as=PHYSICIAN,
    ),
    UseCase(
        "NoteService.get",
        Permission.VIEW_CHART,
        CLINICAL,
        _get_note,
        prepare=_drafts,
        prepare_as=PHYSICIAN,
    ),
    UseCase(
        "NoteService.for_patient",
        Permission.VIEW_CHART,
        CLINICAL,
        lambda c, t: NoteService(c).for_patient(t.patient_id),
    ),
    UseCase(
        "NoteService.for_encounter",
        Permission.VIEW_CHART,
        CLINICAL,
        lambda c, t: NoteService(c).for_encounter(_latest_open_encounter(c, t)),
        prepare=_encounter,
        prepare_as=PHYSICIAN,
    ),
    UseCase(
        "NoteService.expand",
        Permission.VIEW_CHART,
        CLINICAL,
        lambda c, t: NoteService(c).expand(t.patient_id, "BP today: .vitals"),
    ),
    UseCase(
        "NoteService.snippet",
        Permission.VIEW_CHART,
        CLINICAL,
        lambda c, t: NoteService(c).snippet(t.patient_id, ".allergies"),
    ),
    # Templates and snippets: the practice's forms, not a patient's data (reads unaudited)
    UseCase(
        "NoteTemplateService.templates",
        Permission.VIEW_CHART,
        CLINICAL,
        lambda c, t: NoteTemplateService(c).templates(),
        audited=False,
    ),
    UseCase(
        "NoteTemplateService.save_template",
        Permission.SIGN_NOTES,
        PHYSICIAN_ONLY,
        lambda c, t: NoteTemplateService(c).save_template(_FOLLOW_UP_CALL),
    ),
    UseCase(
        "NoteTemplateService.retire_template",
        Permission.SIGN_NOTES,
        PHYSICIAN_ONLY,
        _retire_progress_template,
    ),
    UseCase(
        "NoteTemplateService.snippets",
        Permission.VIEW_CHART,
        CLINICAL,
        lambda c, t: NoteTemplateService(c).snippets(),
        audited=False,
    ),
    UseCase(
        "NoteTemplateService.save_snippet",
        Permission.SIGN_NOTES,
        PHYSICIAN_ONLY,
        lambda c, t: NoteTemplateService(c).save_snippet(".sob", "Short of breath."),
    ),
    UseCase(
        "NoteTemplateService.retire_snippet",
        Permission.SIGN_NOTES,
        PHYSICIAN_ONLY,
        _retire_snippet,
        prepare=_snippet,
        prepare_as=PHYSICIAN,
    ),
]

SERVICES: list[type] = [EncounterService, NoteService, NoteTemplateService]
