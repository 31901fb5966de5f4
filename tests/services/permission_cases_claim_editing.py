"""Permission-table rows for changing a claim line and writing an appeal letter (issue #7):
like every claims use case, only the biller (MANAGE_CLAIMS)."""

from __future__ import annotations

from pathlib import Path
from tempfile import TemporaryDirectory

from app.models import Claim, ClaimStatus, Patient, Role
from app.services.claim_appeals import ClaimAppealService
from app.services.claim_data import ClaimSummary
from app.services.claim_editing import ClaimEditService, LineChange
from app.services.claims import ClaimService
from app.services.claims_lifecycle import move
from app.services.context import AppContext
from app.services.permissions import Permission
from tests.services.helpers import query
from tests.services.permission_cases_claims import set_up_billing, visit
from tests.services.permission_table import Target, UseCase

BILLERS = frozenset({Role.BILLER})


def claim_built_for(ctx: AppContext, patient_id: str) -> ClaimSummary:
    """Build claims and return the one for `patient_id` (the demo practice may bill others)."""
    (claim,) = [c for c in ClaimService(ctx).build_ready() if c.patient_id == patient_id]
    return claim


def _draft(ctx: AppContext, t: Target) -> str:
    """The target patient's visit billed as a draft claim; its id."""
    set_up_billing(ctx)
    with ctx.unit_of_work() as uow:  # the subscriber's address goes on the claim
        patient = uow.session.get(Patient, t.patient_id)
        assert patient is not None
        patient.address_line1, patient.city, patient.state = "9 Oak Lane", "Peoria", "IL"
        patient.postal_code = "61602"
    visit(ctx, t.patient_id)
    return claim_built_for(ctx, t.patient_id).id


def _denied(ctx: AppContext, t: Target) -> str:
    """That claim sent, accepted and denied (as the 835 import records a denial)."""
    claim_id = _draft(ctx, t)
    claims = ClaimService(ctx)
    claims.mark_ready(claim_id)
    with TemporaryDirectory() as folder:
        claims.submit_ready(Path(folder))
    claims.accept(claim_id, "PCN-1")
    with ctx.unit_of_work() as uow:
        claim = uow.session.get(Claim, claim_id)
        assert claim is not None
        move(uow, claim, ClaimStatus.DENIED, "CO-16 claim lacks information")
    return claim_id


def _prepared_claim(ctx: AppContext, t: Target) -> str:
    """The claim just prepared for the target patient, read straight from the database (the
    row must test only the call it names)."""
    rows = query(ctx, "SELECT id FROM claim WHERE patient_id = ? ORDER BY rowid", t.patient_id)
    return str(rows[-1]["id"])


def _case(name: str, call: object, prepare: object) -> UseCase:
    return UseCase(
        name,
        Permission.MANAGE_CLAIMS,
        BILLERS,
        call,  # type: ignore[arg-type]
        prepare=prepare,  # type: ignore[arg-type]
        prepare_as="billing",
    )


CASES = [
    _case(
        "ClaimEditService.line",
        lambda c, t: ClaimEditService(c).line(_prepared_claim(c, t), 1),
        _draft,
    ),
    _case(
        "ClaimEditService.change_line",
        lambda c, t: ClaimEditService(c).change_line(
            _prepared_claim(c, t), 1, LineChange("99213", ("25",), 1, (1,))
        ),
        _draft,
    ),
    _case(
        "ClaimAppealService.letter",
        lambda c, t: ClaimAppealService(c).letter(
            _prepared_claim(c, t), "Records attached", ["Medical records"]
        ),
        _denied,
    ),
]
SERVICES: list[type] = [ClaimEditService, ClaimAppealService]
