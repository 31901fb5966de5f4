"""Claims for the claims screens' tests, made through the services: a practice set up for
billing, insured patients with posted visits, claims built, sent and answered by the payer
(a denial comes in a real 835)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.interop.claim_document import Adjustment
from app.models import ScrubCheck
from app.services.claim_data import ClaimSummary, ScrubRuleInput
from app.services.claim_imports import ClaimImportService
from app.services.claims import ClaimService
from app.services.claims_setup import ClaimSetupService
from app.services.context import AppContext
from app.services.insurance import PayerService
from tests.interop.x12_samples import claim_payment, line_payment, make_835, remittance
from tests.services.permission_cases_claims import insured_patient, visit


def built_claim(
    desk: AppContext,
    biller: AppContext,
    last_name: str,
    day: date = date(2025, 12, 15),
    payer_code: str = "ACME1",
) -> ClaimSummary:
    """A draft claim for one posted 99213 visit of a new insured patient."""
    patient = insured_patient(desk, last_name, payer_code=payer_code)
    visit(biller, patient, day=day)
    made = [c for c in ClaimService(biller).build_ready() if c.patient_id == patient]
    assert len(made) == 1, made
    return made[0]


def send(biller: AppContext, *claims: ClaimSummary, out: Path) -> None:
    service = ClaimService(biller)
    for claim in claims:
        service.mark_ready(claim.id)
    service.submit_ready(out)


def deny_by_835(biller: AppContext, claim: ClaimSummary, *, number: int = 1) -> None:
    """The payer's 835 denies the claim: CO-16 (claim lacks information), remark MA130."""
    lines = ClaimService(biller).claim(claim.id).lines
    era = make_835(
        remittance(
            claim_payment(
                claim.control_number,
                *(
                    line_payment(
                        line.procedure_code,
                        line.charge_cents,
                        0,
                        Adjustment("CO", "16", line.charge_cents),
                        control=line.control,
                    )
                    for line in lines
                ),
                status="4",
                remark_codes=("MA130",),
            ),
            trace_number=f"CHK-DENY-{number}",
        ),
        number=number,
    )
    ClaimImportService(biller).import_file(era, f"denial-{number}.835")


def strict_payer_rule(biller: AppContext, payer_name: str) -> None:
    """The practice's own rule: this payer's group numbers start with "ACM" (the test
    patients' do not, so its claims fail the scrubber)."""
    payer = next(p for p in PayerService(biller).list_payers() if p.name == payer_name)
    ClaimSetupService(biller).save_rule(
        None,
        ScrubRuleInput(
            "Group numbers",
            "subscriber.group_number",
            ScrubCheck.PATTERN,
            argument="ACM.*",
            message=f"{payer_name} group numbers start with ACM: check the insurance card.",
            payer_id=payer.id,
        ),
    )
