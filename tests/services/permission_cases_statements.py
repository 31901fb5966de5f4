"""Permission-table rows for patient statements (issue #6): reading a statement or the
account's past ones is VIEW_ACCOUNTS (physician, receptionist, biller); issuing them, one or
a batch, is POST_CHARGES (physician, biller), like the rest of the billing of charges."""

from __future__ import annotations

from app.models import Responsibility
from app.services.context import AppContext
from app.services.ledger import LedgerService
from app.services.permissions import Permission
from app.services.statements import StatementService
from tests.services.permission_cases_ledger import (
    ACCOUNT_READERS,
    BILLER,
    CHARGE_POSTERS,
    post_new_charge,
)
from tests.services.permission_table import Target, UseCase


def _patient_owes(ctx: AppContext, t: Target) -> object:
    """A posted charge moved to the patient (the target is insured), so a statement is due."""
    charge_id = post_new_charge(ctx, t.patient_id)
    return LedgerService(ctx).transfer(charge_id, 10_000, Responsibility.PATIENT)


CASES = [
    UseCase(
        "StatementService.preview",
        Permission.VIEW_ACCOUNTS,
        ACCOUNT_READERS,
        lambda c, t: StatementService(c).preview(t.patient_id),
        prepare=_patient_owes,
        prepare_as=BILLER,
    ),
    UseCase(
        "StatementService.issue",
        Permission.POST_CHARGES,
        CHARGE_POSTERS,
        lambda c, t: StatementService(c).issue(t.patient_id),
        prepare=_patient_owes,
        prepare_as=BILLER,
    ),
    UseCase(
        "StatementService.issue_batch",
        Permission.POST_CHARGES,
        CHARGE_POSTERS,
        lambda c, t: StatementService(c).issue_batch(1_000),
        prepare=_patient_owes,
        prepare_as=BILLER,
    ),
    UseCase(
        "StatementService.for_patient",
        Permission.VIEW_ACCOUNTS,
        ACCOUNT_READERS,
        lambda c, t: StatementService(c).for_patient(t.patient_id),
    ),
]
SERVICES: list[type] = [StatementService]
