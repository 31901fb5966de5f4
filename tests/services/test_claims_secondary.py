"""Secondary claims (issue #7, coordination of benefits): when the primary payer pays and
the patient has a secondary coverage, the patient's share stays with insurance, build_ready
bills the secondary payer once with the primary's payment and adjustments (837P loops
2320/2330/2430, valid for pyx12), the secondary's own 835 settles the rest, and a reversal
by the primary undoes what the secondary claim reports."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.interop.claim_document import Adjustment, OtherPayerLine
from app.interop.cms1500_pdf import cms1500_pdf
from app.models import ClaimStatus, SubscriberRelationship
from app.services.claim_imports import ClaimImportService
from app.services.claims import ClaimService
from app.services.context import AppContext
from app.services.errors import DomainError
from app.services.insurance import CoverageInput, CoverageService, PayerInput, PayerService
from tests.interop.x12_helpers import assert_valid_x12
from tests.interop.x12_samples import PAID_DAY, claim_payment, line_payment, make_835, remittance
from tests.services.helpers import query
from tests.services.permission_cases_claims import insured_patient, set_up_billing, visit
from tests.services.test_claim_imports import _assert_reconciles, _controls, _entries, _open

S = ClaimStatus
Login = Callable[[str], AppContext]
OFFICE, LAB = ("99213", 12_500), ("36415", 1_500)


@pytest.fixture
def desk(login: Login) -> AppContext:
    return login("frontdesk")


@pytest.fixture
def biller(login: Login) -> AppContext:
    ctx = login("billing")
    set_up_billing(ctx)
    return ctx


def _add_secondary(desk: AppContext, patient_id: str, **dates: date) -> None:
    payer = PayerService(desk).add_payer(
        PayerInput("Beta Mutual", "BETA2", "PO Box 200", "Peoria", "IL", "61602")
    )
    CoverageService(desk).add(
        patient_id,
        CoverageInput(
            payer.id, 2, "BM55501", SubscriberRelationship.SELF, group_number="B-77", **dates
        ),
    )


def _send(biller: AppContext, out: Path) -> None:
    for claim in ClaimService(biller).build_ready():
        ClaimService(biller).mark_ready(claim.id)
    ClaimService(biller).submit_ready(out)


def _claims(ctx: AppContext, priority: int) -> list[dict[str, object]]:
    return query(ctx, "SELECT * FROM claim WHERE priority = ? ORDER BY rowid", priority)


def _primary_835(control_number: str, office: str, lab: str, status: str = "1") -> bytes:
    """Acme allows $100 of the office visit: pays $80, $20 contractual (CO-45), the
    patient's coinsurance $15 (PR-2) and copay $10 (PR-3); the lab is paid in full."""
    return make_835(
        remittance(
            claim_payment(
                control_number,
                line_payment(
                    *OFFICE,
                    8_000,
                    Adjustment("CO", "45", 2_000),
                    Adjustment("PR", "2", 1_500),
                    Adjustment("PR", "3", 1_000),
                    control=office,
                ),
                line_payment(*LAB, 1_500, control=lab),
                status=status,
            )
        )
    )


def _paid_by_primary(
    desk: AppContext, biller: AppContext, tmp_path: Path
) -> tuple[str, list[str], dict[str, object]]:
    patient = insured_patient(desk, "Okafor")
    _add_secondary(desk, patient)
    _, charges = visit(biller, patient, (OFFICE, LAB))
    _send(biller, tmp_path)
    (primary,) = _claims(biller, 1)
    office, lab = _controls(biller, primary["id"])
    ClaimImportService(biller).import_file(
        _primary_835(str(primary["control_number"]), office, lab), "acme.835"
    )
    return patient, charges, primary


def test_the_primary_pays_and_the_secondary_is_billed_for_the_patients_share(
    desk: AppContext, biller: AppContext, tmp_path: Path
) -> None:
    patient = insured_patient(desk, "Okafor")
    _add_secondary(desk, patient)
    _, (office_charge, lab_charge) = visit(biller, patient, (OFFICE, LAB))
    _send(biller, tmp_path)
    (primary,) = _claims(biller, 1)
    office, lab = _controls(biller, primary["id"])

    summary = ClaimImportService(biller).import_file(
        _primary_835(str(primary["control_number"]), office, lab), "acme.835"
    )

    # The $25 patient share stays with insurance for the secondary payer.
    assert (summary.paid_cents, summary.adjusted_cents) == (9_500, 2_000)
    assert (summary.patient_cents, summary.secondary_cents) == (0, 2_500)
    assert _entries(biller, office_charge) == [
        ("payment", -8_000, "insurance", None),
        ("adjustment", -2_000, "insurance", "45"),
    ]
    assert _open(biller, office_charge) == {"insurance": 2_500}
    _assert_reconciles(biller, patient)

    built = ClaimService(biller).build_ready()
    (secondary,) = built
    assert (secondary.priority, secondary.payer_name) == (2, "Beta Mutual")
    assert secondary.total_cents == 14_000
    assert ClaimService(biller).build_ready() == []  # a secondary is built once

    document = ClaimService(biller).document(secondary.id)
    assert document.subscriber.payer_responsibility == "S"
    assert document.subscriber.member_id == "BM55501"
    other = document.other_payer
    assert other is not None
    assert (other.payer.name, other.payer.payer_id) == ("ACME1 Health", "ACME1")
    assert other.subscriber.member_id == "XJH123456789"
    assert other.subscriber.payer_responsibility == "P"
    assert (other.paid_cents, other.paid_on, other.patient_relationship_code) == (
        9_500,
        PAID_DAY,
        "18",
    )
    assert [line.other_payer for line in document.lines] == [
        OtherPayerLine(
            8_000,
            (
                Adjustment("CO", "45", 2_000),
                Adjustment("PR", "2", 1_500),
                Adjustment("PR", "3", 1_000),
            ),
            PAID_DAY,
        ),
        OtherPayerLine(1_500, (), PAID_DAY),
    ]
    assert [p for p in ClaimService(biller).check(secondary.id) if p.blocks_submission] == []
    form = PdfReader(io.BytesIO(cms1500_pdf([document], form=False)))
    assert "95 00" in form.pages[0].extract_text()  # box 29, amount paid: Acme's payment

    ClaimService(biller).mark_ready(secondary.id)
    data = (tmp_path / ClaimService(biller).submit_ready(tmp_path).file_name).read_bytes()
    assert_valid_x12(data)
    text = data.decode()
    assert "SBR*S*18*B-77" in text and "SBR*P*18*GRP7788" in text
    assert "AMT*D*95~" in text and "AMT*EAF*25~" in text
    assert "SVD*ACME1*80*HC:99213**1~CAS*CO*45*20~CAS*PR*2*15**3*10~" in text

    # Beta pays the coinsurance, leaves the copay to the patient, and names Acme's part
    # (CARC 23, already settled by Acme's payment and adjustment) without posting it again.
    era = make_835(
        remittance(
            claim_payment(
                secondary.control_number,
                line_payment(
                    *OFFICE,
                    1_500,
                    Adjustment("OA", "23", 10_000),
                    Adjustment("PR", "3", 1_000),
                    control=office,
                ),
                line_payment(*LAB, 0, Adjustment("OA", "23", 1_500), control=lab),
            ),
            trace_number="BETA-EFT-1",
        )
    )
    second = ClaimImportService(biller).import_file(era, "beta.835")

    assert (second.paid_cents, second.adjusted_cents, second.patient_cents) == (1_500, 0, 1_000)
    assert second.review == ()
    assert _open(biller, office_charge) == {"insurance": 0, "patient": 1_000}
    assert _open(biller, lab_charge) == {"insurance": 0}
    (row,) = query(biller, "SELECT status FROM claim WHERE id = ?", secondary.id)
    assert row["status"] == S.PAID
    _assert_reconciles(biller, patient)


def test_without_a_secondary_in_force_the_share_goes_to_the_patient(
    desk: AppContext, biller: AppContext, tmp_path: Path
) -> None:
    patient = insured_patient(desk, "Okafor")
    # The secondary ended before the visit (SERVICE_DAY): nobody else pays for it.
    _add_secondary(desk, patient, terminated_on=date(2025, 11, 30))
    _, (office_charge, _lab) = visit(biller, patient, (OFFICE, LAB))
    _send(biller, tmp_path)
    (primary,) = _claims(biller, 1)
    office, lab = _controls(biller, primary["id"])

    summary = ClaimImportService(biller).import_file(
        _primary_835(str(primary["control_number"]), office, lab), "acme.835"
    )

    assert (summary.patient_cents, summary.secondary_cents) == (2_500, 0)
    assert _open(biller, office_charge) == {"insurance": 0, "patient": 2_500}
    assert ClaimService(biller).build_ready() == []
    _assert_reconciles(biller, patient)


def test_a_reversal_by_the_primary_is_in_the_history_and_the_secondary_is_stopped(
    desk: AppContext, biller: AppContext, tmp_path: Path
) -> None:
    patient, (office_charge, _lab), primary = _paid_by_primary(desk, biller, tmp_path)
    (secondary,) = ClaimService(biller).build_ready()
    number = str(primary["control_number"])
    office, lab = _controls(biller, primary["id"])
    # Nobody puts a paid claim back in adjudication by hand.
    with pytest.raises(DomainError, match="cannot be marked accepted"):
        ClaimService(biller).accept(str(primary["id"]))

    reversal = claim_payment(
        number,
        line_payment(
            "99213",
            -12_500,
            -8_000,
            Adjustment("CO", "45", -2_000),
            Adjustment("PR", "2", -1_500),
            Adjustment("PR", "3", -1_000),
            control=office,
        ),
        line_payment("36415", -1_500, -1_500, control=lab),
        status="22",
    )
    summary = ClaimImportService(biller).import_file(
        make_835(remittance(reversal, trace_number="CHK-REV"), number=2), "reversal.835"
    )

    assert summary.reversed_cents == 9_500
    assert _open(biller, office_charge) == {"insurance": 12_500}
    detail = ClaimService(biller).claim(str(primary["id"]))
    assert detail.summary.status is S.ACCEPTED
    last = detail.history[-1]
    assert (last.from_status, last.to_status) == (S.PAID, S.ACCEPTED)
    assert last.note is not None and last.note.startswith("Payer reversed its payment")
    # The draft secondary no longer has a primary payment to report: it cannot be sent.
    problems = ClaimService(biller).check(secondary.id)
    assert any(p.blocks_submission and p.field == "other_payer" for p in problems)
    _assert_reconciles(biller, patient)


def test_a_reversal_after_the_secondary_was_sent_goes_to_review(
    desk: AppContext, biller: AppContext, tmp_path: Path
) -> None:
    _patient, _charges, primary = _paid_by_primary(desk, biller, tmp_path)
    _send(biller, tmp_path)
    (secondary,) = _claims(biller, 2)
    office, lab = _controls(biller, primary["id"])
    reversal = claim_payment(
        str(primary["control_number"]),
        line_payment(
            "99213",
            -12_500,
            -8_000,
            Adjustment("CO", "45", -2_000),
            Adjustment("PR", "2", -1_500),
            Adjustment("PR", "3", -1_000),
            control=office,
        ),
        line_payment("36415", -1_500, -1_500, control=lab),
        status="22",
    )
    summary = ClaimImportService(biller).import_file(
        make_835(remittance(reversal, trace_number="CHK-REV"), number=2), "reversal.835"
    )

    (item,) = summary.review
    assert item.claim_id == secondary["id"]
    assert "already sent" in item.reason


def test_a_claim_the_primary_forwarded_itself_is_not_billed_to_the_secondary_again(
    desk: AppContext, biller: AppContext, tmp_path: Path
) -> None:
    patient = insured_patient(desk, "Okafor")
    _add_secondary(desk, patient)
    _, (office_charge, _lab) = visit(biller, patient, (OFFICE, LAB))
    _send(biller, tmp_path)
    (primary,) = _claims(biller, 1)
    office, lab = _controls(biller, primary["id"])
    # CLP02 19: processed as primary and forwarded to the secondary payer (a crossover).
    era = _primary_835(str(primary["control_number"]), office, lab, status="19")

    summary = ClaimImportService(biller).import_file(era, "acme-crossover.835")

    assert summary.secondary_cents == 2_500  # the secondary payer still owes the share
    assert _open(biller, office_charge) == {"insurance": 2_500}
    assert ClaimService(biller).build_ready() == []
