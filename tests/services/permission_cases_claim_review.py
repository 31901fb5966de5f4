"""Permission-table rows for resolving the claims review list and reading the payers'
claim rules (the Remittances and Claim setup screens): only the biller."""

from __future__ import annotations

from app.services.claim_imports import ClaimImportService
from app.services.claim_payer_rules import PayerClaimRulesService
from app.services.claim_review import ClaimReviewService
from app.services.context import AppContext
from app.services.permissions import Permission
from tests.interop.x12_samples import ClaimAck, make_277ca
from tests.services.helpers import query
from tests.services.permission_cases_claims import BILLERS
from tests.services.permission_table import Target, UseCase


def _review_item(ctx: AppContext, t: Target) -> object:
    """A 277CA about a claim Stethos never sent leaves one item on the review list (a new
    claim number each time, so the file is never one imported before)."""
    n = len(query(ctx, "SELECT id FROM claim_review_item"))
    return ClaimImportService(ctx).import_file(make_277ca(ClaimAck(f"C-UNKNOWN{n}")), "odd.277")


def _item_id(ctx: AppContext) -> str:
    return str(query(ctx, "SELECT id FROM claim_review_item ORDER BY rowid")[-1]["id"])


CASES = [
    UseCase(
        "ClaimReviewService.resolve",
        Permission.MANAGE_CLAIMS,
        BILLERS,
        lambda c, t: ClaimReviewService(c).resolve(_item_id(c), "Not ours; told the payer"),
        prepare=_review_item,
        prepare_as="billing",
    ),
    UseCase(
        "PayerClaimRulesService.payers",
        Permission.MANAGE_CLAIMS,
        BILLERS,
        lambda c, t: PayerClaimRulesService(c).payers(),
    ),
]
SERVICES: list[type] = [ClaimReviewService, PayerClaimRulesService]
