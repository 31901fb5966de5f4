"""Permission-table rows for fee schedules, charge capture and the coding assistant (#6).

Price lists are read by whoever handles money (VIEW_ACCOUNTS: physician, receptionist,
biller); they are changed by those who post charges (POST_CHARGES: physician, biller), who
also capture, confirm and discard a visit's charges. A visit's charges are part of the
patient's account (VIEW_ACCOUNTS). Refused calls share one practice, so prepares may run
several times there and only add rows.
"""

from __future__ import annotations

import contextlib
from typing import Any

from app.models import EncounterType, NoteKind, Role
from app.services.billing_data import ChargeChanges, FeeItemInput, FeeScheduleInput
from app.services.charge_capture import ChargeCaptureService
from app.services.coding_assistant import CodingAssistant
from app.services.context import AppContext
from app.services.encounters import EncounterInput, EncounterService
from app.services.errors import DomainError
from app.services.fee_schedules import FeeScheduleService
from app.services.note_data import NoteSection, NoteStart
from app.services.notes import NoteService
from app.services.permissions import Permission
from app.services.problems import ProblemInput, ProblemService
from tests.services.helpers import query
from tests.services.permission_table import Target, UseCase

ACCOUNTS = frozenset({Role.PHYSICIAN, Role.RECEPTIONIST, Role.BILLER})
CHARGES = frozenset({Role.PHYSICIAN, Role.BILLER})
PHYSICIAN = "drpatel"
FEE_FILE = b"code,description,price\n99213,Return office visit,140.00\n"


def _one(ctx: AppContext, sql: str, *params: object) -> dict[str, Any]:
    rows = query(ctx, sql, *params)
    assert rows, f"prepare made nothing for: {sql}"
    return rows[0]


def _self_pay(ctx: AppContext) -> dict[str, Any]:
    return _one(ctx, "SELECT id, version FROM fee_schedule WHERE name = 'Self-pay'")


def _item(ctx: AppContext) -> dict[str, Any]:
    return _one(
        ctx,
        "SELECT i.id, i.version FROM fee_schedule_item i JOIN fee_schedule s "
        "ON s.id = i.schedule_id WHERE s.name = 'Self-pay' AND i.code = '99213'",
    )


# -- a signed visit of the target patient, made by the physician --------------------------


def _signed_visit(ctx: AppContext, t: Target) -> object:
    """A new office visit of the target with a signed doctor's note and one problem."""
    physician = _one(ctx, "SELECT id FROM user_account WHERE username = ?", PHYSICIAN)["id"]
    with contextlib.suppress(DomainError):  # an earlier prepare (shared practice) added it
        ProblemService(ctx).add(t.patient_id, ProblemInput("I10"))
    data = EncounterInput(EncounterType.OFFICE_VISIT, physician)
    encounter = EncounterService(ctx).open(t.patient_id, data)
    notes = NoteService(ctx)
    note = notes.start(t.patient_id, NoteStart(NoteKind.DOCTOR, encounter_id=encounter.id))
    text = [NoteSection("note", "Note", text="Hypertension (I10) at goal. Total time 25 min.")]
    saved = notes.save_draft(note.id, text, None, note.version)
    return notes.sign(note.id, saved.version)


def _captured_visit(ctx: AppContext, t: Target) -> object:
    _signed_visit(ctx, t)
    return ChargeCaptureService(ctx).capture(_latest_visit(ctx, t))


def _latest_visit(ctx: AppContext, t: Target) -> str:
    return str(
        _one(
            ctx,
            "SELECT id FROM encounter WHERE patient_id = ? AND status = 'signed' "
            "ORDER BY created_at DESC",
            t.patient_id,
        )["id"]
    )


def _proposed_charge(ctx: AppContext, t: Target) -> dict[str, Any]:
    return _one(
        ctx,
        "SELECT id, version FROM charge WHERE patient_id = ? AND status = 'proposed' "
        "ORDER BY created_at DESC",
        t.patient_id,
    )


def _confirm(ctx: AppContext, t: Target) -> object:
    charge = _proposed_charge(ctx, t)
    changes = ChargeChanges(modifiers=("25",), diagnosis_pointers=(1,))
    return ChargeCaptureService(ctx).confirm(charge["id"], changes, charge["version"])


def _discard(ctx: AppContext, t: Target) -> object:
    return ChargeCaptureService(ctx).discard(_proposed_charge(ctx, t)["id"], "Not billed")


CASES = [
    UseCase(
        "FeeScheduleService.list_schedules",
        Permission.VIEW_ACCOUNTS,
        ACCOUNTS,
        lambda c, t: FeeScheduleService(c).list_schedules(),
        audited=False,  # a price list names no patient
    ),
    UseCase(
        "FeeScheduleService.items",
        Permission.VIEW_ACCOUNTS,
        ACCOUNTS,
        lambda c, t: FeeScheduleService(c).items(_self_pay(c)["id"]),
        audited=False,
    ),
    UseCase(
        "FeeScheduleService.hcpcs_codes",
        Permission.VIEW_ACCOUNTS,
        ACCOUNTS,
        lambda c, t: FeeScheduleService(c).hcpcs_codes("J1030"),
        audited=False,
    ),
    UseCase(
        "FeeScheduleService.add_schedule",
        Permission.POST_CHARGES,
        CHARGES,
        lambda c, t: FeeScheduleService(c).add_schedule(
            FeeScheduleInput("Target Health 2026", payer_id=t.payer_id)
        ),
    ),
    UseCase(
        "FeeScheduleService.update_schedule",
        Permission.POST_CHARGES,
        CHARGES,
        lambda c, t: FeeScheduleService(c).update_schedule(
            _self_pay(c)["id"],
            FeeScheduleInput("Self-pay and uninsured", is_default=True),
            _self_pay(c)["version"],
        ),
    ),
    UseCase(
        "FeeScheduleService.save_item",
        Permission.POST_CHARGES,
        CHARGES,
        lambda c, t: FeeScheduleService(c).save_item(
            _self_pay(c)["id"], FeeItemInput("J1100", "", 300)
        ),
    ),
    UseCase(
        "FeeScheduleService.set_price",
        Permission.POST_CHARGES,
        CHARGES,
        lambda c, t: FeeScheduleService(c).set_price(_item(c)["id"], 14500, _item(c)["version"]),
    ),
    UseCase(
        "FeeScheduleService.import_csv",
        Permission.POST_CHARGES,
        CHARGES,
        lambda c, t: FeeScheduleService(c).import_csv(_self_pay(c)["id"], FEE_FILE),
    ),
    UseCase(
        "ChargeCaptureService.capture",
        Permission.POST_CHARGES,
        CHARGES,
        lambda c, t: ChargeCaptureService(c).capture(_latest_visit(c, t)),
        prepare=_signed_visit,
        prepare_as=PHYSICIAN,
    ),
    UseCase(
        "ChargeCaptureService.confirm",
        Permission.POST_CHARGES,
        CHARGES,
        _confirm,
        prepare=_captured_visit,
        prepare_as=PHYSICIAN,
    ),
    UseCase(
        "ChargeCaptureService.discard",
        Permission.POST_CHARGES,
        CHARGES,
        _discard,
        prepare=_captured_visit,
        prepare_as=PHYSICIAN,
    ),
    UseCase(
        "ChargeCaptureService.for_encounter",
        Permission.VIEW_ACCOUNTS,
        ACCOUNTS,
        lambda c, t: ChargeCaptureService(c).for_encounter(_latest_visit(c, t)),
        prepare=_captured_visit,
        prepare_as=PHYSICIAN,
    ),
    UseCase(
        "ChargeCaptureService.proposed",
        Permission.POST_CHARGES,
        CHARGES,
        lambda c, t: ChargeCaptureService(c).proposed(),
    ),
    UseCase(
        "ChargeCaptureService.visits_to_bill",
        Permission.POST_CHARGES,
        CHARGES,
        lambda c, t: ChargeCaptureService(c).visits_to_bill(),
    ),
    UseCase(
        "CodingAssistant.suggest",
        Permission.POST_CHARGES,
        CHARGES,
        lambda c, t: CodingAssistant(c).suggest(_latest_visit(c, t)),
        prepare=_signed_visit,
        prepare_as=PHYSICIAN,
    ),
]

SERVICES: list[type] = [FeeScheduleService, ChargeCaptureService, CodingAssistant]
