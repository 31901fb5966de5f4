"""The appeal letter of a denied claim (issue #7): drawn from the claim, the patient, the
coverage and the payer; a read, audited, that leaves the claim as it was."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from app.models import Claim, ClaimStatus
from app.services.claim_appeals import ClaimAppealService
from app.services.claims import ClaimService
from app.services.claims_lifecycle import move
from app.services.context import AppContext
from app.services.errors import DomainError
from tests.interop.pdf_text import pdf_text
from tests.services.helpers import audit_events
from tests.services.permission_cases_claim_editing import claim_built_for
from tests.services.permission_cases_claims import insured_patient, set_up_billing, visit

Login = Callable[[str], AppContext]


@pytest.fixture
def biller(login: Login) -> AppContext:
    ctx = login("billing")
    set_up_billing(ctx)
    return ctx


def denied_claim(biller: AppContext, patient: str, out: Path) -> str:
    """A claim sent, accepted as PAYER-77 and denied (as the 835 import records it)."""
    visit(biller, patient, (("99213", 12_500), ("36415", 1_500)))
    claims = ClaimService(biller)
    claim = claim_built_for(biller, patient)
    claims.mark_ready(claim.id)
    claims.submit_ready(out)
    claims.accept(claim.id, "PAYER-77")
    with biller.unit_of_work() as uow:
        row = uow.session.get(Claim, claim.id)
        assert row is not None
        move(uow, row, ClaimStatus.DENIED, "Not medically necessary")
        row.denial_reason, row.denial_codes = "Not deemed a medical necessity", ["CO-50"]
    return claim.id


def test_the_letter_of_a_denied_claim_names_patient_claim_denial_and_argument(
    login: Login, biller: AppContext, tmp_path: Path
) -> None:
    patient = insured_patient(login("frontdesk"), "Okonkwo")
    claim_id = denied_claim(biller, patient, tmp_path)
    number = ClaimService(biller).claim(claim_id).summary.control_number
    reads = len(audit_events(biller))

    pdf = ClaimAppealService(biller).letter(
        claim_id, "The A1C trend in the note shows why the visit was needed.", ["Medical records"]
    )

    text = " ".join(pdf_text(pdf).split())
    for expected in (
        "Noah Okonkwo",
        "March 14, 1975",
        "XJH123456789",
        f"reconsideration of claim {number}",
        "PAYER-77",
        "ACME1 Health",
        "$140.00",
        "Not deemed a medical necessity; CO-50",
        "The A1C trend in the note shows why the visit was needed.",
        "Medical records",
        "Grace Whitfield",  # the practice's billing contact signs
    ):
        assert expected in text, expected
    (event,) = audit_events(biller)[reads:]
    assert (event["action"], event["patient_id"], event["detail"]) == (
        "read",
        patient,
        "appeal letter",
    )
    assert ClaimService(biller).claim(claim_id).summary.status is ClaimStatus.DENIED


def test_no_letter_without_an_argument_or_for_a_claim_not_denied(
    login: Login, biller: AppContext
) -> None:
    patient = insured_patient(login("frontdesk"))
    visit(biller, patient)
    draft = claim_built_for(biller, patient)
    appeals = ClaimAppealService(biller)
    with pytest.raises(DomainError, match="is draft; only a denied or partly paid claim"):
        appeals.letter(draft.id, "Please pay.")
    with pytest.raises(DomainError, match="Write why the payer should reconsider"):
        appeals.letter(draft.id, "  \n\n ")
