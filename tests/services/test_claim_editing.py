"""Changing a claim line (the claim editor, issue #7): on a draft claim the old charge is
reversed and a new one posted with the change (priced from the fee schedule), the line bills
the new charge, the total and the account follow, and the 837P carries the change. A claim
the payer holds, or a change that is not valid, is refused with nothing changed."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from app.interop.x12_837p import write_837p
from app.models import Claim, ClaimStatus
from app.services.claim_editing import ClaimEditService, LineChange
from app.services.claims import ClaimService
from app.services.claims_lifecycle import move
from app.services.context import AppContext
from app.services.errors import DomainError
from app.services.ledger import LedgerService
from tests.interop.x12_helpers import assert_valid_x12
from tests.services.claim_factory import make_batch
from tests.services.helpers import query
from tests.services.permission_cases_claim_editing import claim_built_for
from tests.services.permission_cases_claims import insured_patient, set_up_billing, visit

S = ClaimStatus
Login = Callable[[str], AppContext]
FEE_99213 = 13_500  # the demo "Self-pay" schedule's price, which prices a corrected line


@pytest.fixture
def desk(login: Login) -> AppContext:
    return login("frontdesk")


@pytest.fixture
def biller(login: Login) -> AppContext:
    ctx = login("billing")
    set_up_billing(ctx)
    return ctx


def _denied_then_corrected(biller: AppContext, patient: str, out: Path) -> tuple[str, str]:
    """A visit billed, sent, accepted and denied, then corrected: (original, replacement)."""
    visit(biller, patient, (("99213", 12_500), ("36415", 1_500)))
    claims = ClaimService(biller)
    claim = claim_built_for(biller, patient)
    claims.mark_ready(claim.id)
    claims.submit_ready(out)
    claims.accept(claim.id, "PAYER-77")
    with biller.unit_of_work() as uow:  # as the 835 import records a denial
        row = uow.session.get(Claim, claim.id)
        assert row is not None
        move(uow, row, S.DENIED, "CO-4 modifier missing")
    replacement = claims.correct(claim.id, "Modifier 25 was missing")
    return claim.id, replacement.id


def _entries(ctx: AppContext, patient: str) -> list[dict[str, object]]:
    return query(ctx, "SELECT * FROM ledger_entry WHERE patient_id = ? ORDER BY rowid", patient)


def test_a_modifier_added_on_a_corrected_claim_reposts_the_charge_and_reaches_the_837p(
    desk: AppContext, biller: AppContext, tmp_path: Path
) -> None:
    patient = insured_patient(desk)
    original, replacement = _denied_then_corrected(biller, patient, tmp_path)
    form = ClaimEditService(biller).line(replacement, 1)
    assert form.locked_reason is None
    assert [d.code for d in form.diagnoses] == ["E11.9", "I10"]
    assert form.diagnoses[1].description.lower().startswith("essential (primary) hypertension")
    assert form.pointers == (2, 1)
    old_charge = ClaimService(biller).claim(replacement).lines[0].charge_id

    changed = ClaimEditService(biller).change_line(
        replacement, 1, LineChange("99213", ("25",), 1, (2, 1))
    )

    # The old charge is reversed on the ledger, with the claim named as the reason.
    (reversal,) = [e for e in _entries(biller, patient) if e["kind"] == "reversal"]
    assert (reversal["charge_id"], reversal["amount_cents"]) == (old_charge, -12_500)
    assert reversal["reason"] == (
        f"Corrected on claim {ClaimService(biller).claim(replacement).summary.control_number}"
    )
    (old_row,) = query(biller, "SELECT status FROM charge WHERE id = ?", old_charge)
    assert old_row["status"] == "voided"
    # A new charge with the modifier, priced from the fee schedule, billed to insurance.
    (new_row,) = query(biller, "SELECT * FROM charge WHERE id = ?", changed.new_charge_id)
    assert new_row["modifiers"] == '["25"]' and new_row["status"] == "posted"
    assert new_row["amount_cents"] == FEE_99213
    (new_entry,) = [e for e in _entries(biller, patient) if e["charge_id"] == new_row["id"]]
    assert (new_entry["kind"], new_entry["responsibility"]) == ("charge", "insurance")
    # The claim line bills the new charge; the total follows.
    detail = ClaimService(biller).claim(replacement)
    assert (detail.lines[0].charge_id, detail.lines[0].modifiers) == (new_row["id"], ("25",))
    assert detail.lines[0].charge_cents == FEE_99213
    assert detail.summary.total_cents == changed.claim_total_cents == FEE_99213 + 1_500
    assert "Line 1 changed: 99213 ×1 $125.00 → 99213-25 ×1 $135.00" in [
        e.note for e in detail.history
    ]
    # The account reconciles, and the open balances follow the entries.
    account = LedgerService(biller).account(patient)
    assert account.balance_cents == sum(int(e["amount_cents"]) for e in _entries(biller, patient))
    assert account.insurance_cents == FEE_99213 + 1_500
    opens = query(biller, "SELECT charge_id, open_cents FROM charge_balance")
    assert {(r["charge_id"], r["open_cents"]) for r in opens} >= {(new_row["id"], FEE_99213)}
    assert old_charge not in {r["charge_id"] for r in opens}
    # The original claim still shows what was sent.
    assert ClaimService(biller).claim(original).lines[0].charge_id == old_charge
    # The 837P carries the modifier and is valid; the claim passes the scrubber.
    data = write_837p(make_batch([ClaimService(biller).document(replacement)]))
    assert_valid_x12(data)
    # (The claim lists diagnoses in the order lines point to them: I10 first here.)
    assert b"SV1*HC:99213:25*135*UN*1***1:2~" in data
    assert ClaimService(biller).mark_ready(replacement).status is S.READY
    # The new charge bills on this claim: building again makes nothing for the patient.
    assert [c for c in ClaimService(biller).build_ready() if c.patient_id == patient] == []


def test_a_submitted_claim_is_refused_with_nothing_changed(
    desk: AppContext, biller: AppContext, tmp_path: Path
) -> None:
    patient = insured_patient(desk)
    visit(biller, patient)
    claims = ClaimService(biller)
    claim = claim_built_for(biller, patient)
    claims.mark_ready(claim.id)
    claims.submit_ready(tmp_path)
    before = _entries(biller, patient)

    with pytest.raises(DomainError, match="is submitted; only a draft claim's lines can change"):
        ClaimEditService(biller).change_line(claim.id, 1, LineChange("99213", ("25",), 1, (1,)))

    assert _entries(biller, patient) == before
    assert ClaimEditService(biller).line(claim.id, 1).locked_reason is not None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (LineChange("99213", ("2X5",), 1, (1,)), "2X5 is not a modifier"),
        (LineChange("99213", ("25", "59", "76", "77", "91"), 1, (1,)), "at most 4 modifiers"),
        (LineChange("99213", (), 0, (1,)), "Units must be a whole number from 1 to 999"),
        (LineChange("9921", (), 1, (1,)), "9921 is not a procedure code"),
        (LineChange("99213", (), 1, (3,)), "pointer 3 is not one of the visit's 2 diagnoses"),
        (LineChange("99499", (), 1, (1,)), "99499 has no price in the Self-pay fee schedule"),
        (LineChange("99213", (), 1, (2, 1)), "already reads like that; nothing changed"),
    ],
)
def test_a_bad_change_is_refused_with_nothing_changed(
    desk: AppContext, biller: AppContext, change: LineChange, message: str
) -> None:
    patient = insured_patient(desk)
    visit(biller, patient)
    claim = claim_built_for(biller, patient)
    before = (_entries(biller, patient), ClaimService(biller).claim(claim.id).lines)

    with pytest.raises(DomainError, match=message):
        ClaimEditService(biller).change_line(claim.id, 1, change)

    assert (_entries(biller, patient), ClaimService(biller).claim(claim.id).lines) == before


def test_a_charge_with_payments_on_it_is_not_swapped_under_them(
    desk: AppContext, biller: AppContext
) -> None:
    patient = insured_patient(desk)
    _, (charge,) = visit(biller, patient)
    claim = claim_built_for(biller, patient)
    LedgerService(biller).adjust(charge, -2_500, "Contractual", "45")

    with pytest.raises(DomainError, match="Reverse them there first"):
        ClaimEditService(biller).change_line(claim.id, 1, LineChange("99214", (), 1, (1,)))
