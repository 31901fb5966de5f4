"""A practice with one submitted claim and the payer's 835 for it, which pays the claim
in full and also pays a claim Stethos never sent (left on the review list).
Shared by the review service and Remittances screen tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.interop.claim_document import Adjustment
from app.services.claims import ClaimService
from app.services.context import AppContext
from tests.interop.x12_samples import claim_payment, line_payment, make_835, remittance
from tests.services.helpers import query
from tests.services.permission_cases_claims import insured_patient, set_up_billing, visit

PAID_CENTS = 10_000  # paid on our claim (after a $25.00 contractual adjustment)
STRAY_CLAIM = "C-NOT-OURS"


@dataclass(frozen=True)
class SubmittedClaim:
    claim_id: str
    patient_id: str
    era: bytes  # the 835 answering it


def submitted_claim_and_835(desk: AppContext, biller: AppContext, out: Path) -> SubmittedClaim:
    set_up_billing(biller)
    patient = insured_patient(desk)
    encounter, _charges = visit(biller, patient)
    claims = ClaimService(biller)
    for claim in claims.build_ready():
        claims.mark_ready(claim.id)
    claims.submit_ready(out)
    (row,) = query(biller, "SELECT id, control_number FROM claim WHERE encounter_id = ?", encounter)
    (line,) = query(biller, "SELECT control FROM claim_line WHERE claim_id = ?", row["id"])
    era = make_835(
        remittance(
            claim_payment(
                str(row["control_number"]),
                line_payment(
                    "99213", 12_500, 10_000, Adjustment("CO", "45", 2_500), control=line["control"]
                ),
            ),
            claim_payment(
                STRAY_CLAIM, line_payment("99212", 9_000, 6_000, Adjustment("CO", "45", 3_000))
            ),
        )
    )
    return SubmittedClaim(str(row["id"]), patient, era)
