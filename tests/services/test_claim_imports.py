"""Importing the payer's answers (issue #7): 999 and 277CA move claims to accepted or
rejected; an 835 posts payments, contractual adjustments and patient responsibility to
the right charges and sides, denies, reverses, leaves what it cannot match for review,
and posts nothing more when the same file (or payment) comes again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from app.interop.claim_document import Adjustment
from app.models import ClaimStatus
from app.services.claim_imports import ClaimImportService
from app.services.claims import ClaimService
from app.services.context import AppContext
from app.services.errors import DomainError
from app.services.ledger import LedgerService
from tests.interop.x12_samples import (
    ClaimAck,
    ElementError,
    SegmentError,
    SetAck,
    claim_payment,
    line_payment,
    make_277ca,
    make_835,
    make_999,
    remittance,
)
from tests.services.helpers import query
from tests.services.permission_cases_claims import insured_patient, set_up_billing, visit

S = ClaimStatus
Login = Callable[[str], AppContext]


@pytest.fixture
def desk(login: Login) -> AppContext:
    return login("frontdesk")


@pytest.fixture
def biller(login: Login) -> AppContext:
    ctx = login("billing")
    set_up_billing(ctx)
    return ctx


def _submit(biller: AppContext, out: Path) -> None:
    for claim in ClaimService(biller).build_ready():
        ClaimService(biller).mark_ready(claim.id)
    ClaimService(biller).submit_ready(out)


def _claim(ctx: AppContext, encounter_id: str) -> dict[str, object]:
    (row,) = query(ctx, "SELECT * FROM claim WHERE encounter_id = ?", encounter_id)
    return row


def _controls(ctx: AppContext, claim_id: object) -> list[str]:
    rows = query(
        ctx, "SELECT control FROM claim_line WHERE claim_id = ? ORDER BY line_number", claim_id
    )
    return [str(r["control"]) for r in rows]


def _entries(ctx: AppContext, charge_id: str) -> list[tuple[object, ...]]:
    rows = query(
        ctx,
        "SELECT kind, amount_cents, responsibility, reason_code FROM ledger_entry "
        "WHERE charge_id = ? AND kind != 'charge' ORDER BY rowid",
        charge_id,
    )
    return [(r["kind"], r["amount_cents"], r["responsibility"], r["reason_code"]) for r in rows]


def _open(ctx: AppContext, charge_id: str) -> dict[str, int]:
    rows = query(
        ctx,
        "SELECT responsibility, SUM(amount_cents) AS cents FROM ledger_entry WHERE charge_id = ? "
        "GROUP BY responsibility",
        charge_id,
    )
    return {str(r["responsibility"]): int(r["cents"]) for r in rows}


def _assert_reconciles(ctx: AppContext, patient_id: str) -> None:
    """The account's balance is the sum of its entries, and the derived open balances
    agree with the entries charge by charge."""
    total = query(
        ctx,
        "SELECT COALESCE(SUM(amount_cents), 0) AS c FROM ledger_entry WHERE patient_id = ?",
        patient_id,
    )[0]["c"]
    balance = LedgerService(ctx).balance(patient_id)
    assert balance.patient_cents + balance.insurance_cents == total
    derived = query(
        ctx,
        "SELECT charge_id, responsibility, open_cents FROM charge_balance WHERE patient_id = ?",
        patient_id,
    )
    summed = query(
        ctx,
        "SELECT charge_id, responsibility, SUM(amount_cents) AS open_cents FROM ledger_entry "
        "WHERE patient_id = ? AND charge_id IS NOT NULL GROUP BY charge_id, responsibility "
        "HAVING SUM(amount_cents) != 0",
        patient_id,
    )
    key = lambda r: (r["charge_id"], r["responsibility"])  # noqa: E731
    assert sorted(derived, key=key) == sorted(summed, key=key)


# -- 835 -------------------------------------------------------------------------------------


def test_an_835_posts_payments_adjustments_and_patient_responsibility_once(
    desk: AppContext, biller: AppContext, tmp_path: Path
) -> None:
    ana = insured_patient(desk, "Rivera")
    ben = insured_patient(desk, "Brooks")
    paid_visit, (office, lab) = visit(biller, ana, (("99213", 12_500), ("36415", 1_500)))
    mixed_visit, (urine, ekg) = visit(
        biller, ana, (("81002", 2_000), ("93000", 3_000)), day=date(2025, 12, 16)
    )
    denied_visit, (denied_charge,) = visit(biller, ben, (("99214", 18_000),))
    _submit(biller, tmp_path)
    paid, mixed, denied = (_claim(biller, v) for v in (paid_visit, mixed_visit, denied_visit))
    p1, p2 = _controls(biller, paid["id"])
    m1, m2 = _controls(biller, mixed["id"])
    (d1,) = _controls(biller, denied["id"])
    era = make_835(
        remittance(
            claim_payment(
                str(paid["control_number"]),
                line_payment(
                    "99213",
                    12_500,
                    8_000,
                    Adjustment("CO", "45", 2_500),
                    Adjustment("PR", "2", 2_000),
                    control=p1,
                ),
                line_payment("36415", 1_500, 1_500, control=p2),
            ),
            claim_payment(
                str(mixed["control_number"]),
                line_payment(
                    "81002",
                    2_000,
                    0,
                    Adjustment("CO", "97", 2_000),
                    control=m1,
                    remark_codes=("M15",),
                ),
                line_payment("93000", 3_000, 2_500, Adjustment("OA", "23", 500), control=m2),
            ),
            claim_payment(
                str(denied["control_number"]),
                line_payment("99214", 18_000, 0, Adjustment("CO", "16", 18_000), control=d1),
                status="4",
                remark_codes=("MA130",),
            ),
            claim_payment(
                "C-NOT-OURS", line_payment("99212", 9_000, 6_000, Adjustment("CO", "45", 3_000))
            ),
        )
    )

    summary = ClaimImportService(biller).import_file(era, "acme-0302.835")

    # Paid with a contractual adjustment and coinsurance moved to the patient.
    assert _entries(biller, office) == [
        ("payment", -8_000, "insurance", None),
        ("adjustment", -2_500, "insurance", "45"),
        ("transfer", -2_000, "insurance", "2"),
        ("transfer", 2_000, "patient", "2"),
    ]
    assert _open(biller, office) == {"insurance": 0, "patient": 2_000}
    assert _open(biller, lab) == {"insurance": 0}
    # A line paid nothing (CO-97) and a line with an other adjustment (OA-23).
    assert _entries(biller, urine) == [("adjustment", -2_000, "insurance", "97")]
    assert _entries(biller, ekg) == [
        ("payment", -2_500, "insurance", None),
        ("adjustment", -500, "insurance", "23"),
    ]
    # The denied claim posts nothing: its balance stays with insurance for the worklist.
    assert _entries(biller, denied_charge) == []
    assert _open(biller, denied_charge) == {"insurance": 18_000}

    statuses = {r["id"]: r for r in query(biller, "SELECT * FROM claim")}
    assert statuses[paid["id"]]["status"] == S.PAID
    assert statuses[mixed["id"]]["status"] == S.PARTIALLY_PAID
    assert statuses[denied["id"]]["status"] == S.DENIED
    assert statuses[denied["id"]]["payer_claim_number"] == f"PCN{denied['control_number']}"
    assert "CO-16" in str(statuses[denied["id"]]["denial_codes"])
    assert "MA130" in str(statuses[denied["id"]]["denial_codes"])
    assert "M15" in str(statuses[mixed["id"]]["denial_codes"])

    # One insurance payment for Ana from this check; none for Ben (nothing paid).
    payments = query(biller, "SELECT patient_id, method, amount_cents, reference FROM payment")
    assert payments == [
        {"patient_id": ana, "method": "insurance", "amount_cents": 12_000, "reference": "CHK100200"}
    ]
    assert (summary.paid_cents, summary.adjusted_cents, summary.patient_cents) == (
        12_000,
        5_000,
        2_000,
    )
    assert summary.counts["paid"] == 1 and summary.counts["denied"] == 1
    # The unknown claim waits on the review list, for later too.
    assert [(i.control_number, i.amount_cents) for i in summary.review] == [("C-NOT-OURS", 6_000)]
    later = ClaimImportService(biller).review_items()
    assert [(i.control_number, i.file_name) for i in later] == [("C-NOT-OURS", "acme-0302.835")]
    _assert_reconciles(biller, ana)
    _assert_reconciles(biller, ben)

    # The same file again, or the same payment in another file: nothing more is posted.
    before = query(biller, "SELECT * FROM ledger_entry ORDER BY rowid")
    with pytest.raises(DomainError, match="already imported"):
        ClaimImportService(biller).import_file(era, "acme-0302-copy.835")
    resent = era.replace(b"000000001", b"000000002")
    with pytest.raises(DomainError, match="imported before"):
        ClaimImportService(biller).import_file(resent, "acme-resent.835")
    assert query(biller, "SELECT * FROM ledger_entry ORDER BY rowid") == before


def test_a_reversal_undoes_the_earlier_posting(
    desk: AppContext, biller: AppContext, tmp_path: Path
) -> None:
    patient = insured_patient(desk)
    encounter, (charge,) = visit(biller, patient)
    _submit(biller, tmp_path)
    claim = _claim(biller, encounter)
    (control,) = _controls(biller, claim["id"])
    number = str(claim["control_number"])
    first = claim_payment(
        number,
        line_payment(
            "99213",
            12_500,
            9_000,
            Adjustment("CO", "45", 2_000),
            Adjustment("PR", "3", 1_500),
            control=control,
        ),
    )
    ClaimImportService(biller).import_file(make_835(remittance(first)), "first.835")
    reversal = claim_payment(
        number,
        line_payment(
            "99213",
            -12_500,
            -9_000,
            Adjustment("CO", "45", -2_000),
            Adjustment("PR", "3", -1_500),
            control=control,
        ),
        status="22",
    )
    summary = ClaimImportService(biller).import_file(
        make_835(remittance(reversal, trace_number="CHK2"), number=2), "reversal.835"
    )

    assert _open(biller, charge) == {"insurance": 12_500, "patient": 0}
    assert summary.reversed_cents == 9_000
    # Back in adjudication through the lifecycle: the step is in the claim's history.
    detail = ClaimService(biller).claim(str(claim["id"]))
    assert detail.summary.status is S.ACCEPTED
    assert [(e.from_status, e.to_status) for e in detail.history][-2:] == [
        (S.SUBMITTED, S.PAID),
        (S.PAID, S.ACCEPTED),
    ]
    assert str(detail.history[-1].note).startswith("Payer reversed its payment; trace CHK2")
    _assert_reconciles(biller, patient)


def test_claim_level_adjustments_are_shared_among_the_lines_by_charge(
    desk: AppContext, biller: AppContext, tmp_path: Path
) -> None:
    patient = insured_patient(desk)
    encounter, (office, lab) = visit(biller, patient, (("99213", 12_500), ("36415", 1_500)))
    _submit(biller, tmp_path)
    claim = _claim(biller, encounter)
    c1, c2 = _controls(biller, claim["id"])
    # $7.00 contractual on the claim, not on a line: the claim pays $7.00 less than its
    # lines (CLP04 = SVC03 total - claim CAS). By charge: 700 x 125/140 = 625, rest 75.
    era = make_835(
        remittance(
            claim_payment(
                str(claim["control_number"]),
                line_payment("99213", 12_500, 10_000, Adjustment("CO", "45", 2_500), control=c1),
                line_payment("36415", 1_500, 1_500, control=c2),
                adjustments=[Adjustment("CO", "45", 700)],
                paid_cents=10_800,
            )
        )
    )
    summary = ClaimImportService(biller).import_file(era, "claim-level.835")

    assert summary.review == () and summary.problems == ()
    assert _entries(biller, office) == [
        ("payment", -9_375, "insurance", None),
        ("adjustment", -2_500, "insurance", "45"),
        ("adjustment", -625, "insurance", "45"),
    ]
    assert _entries(biller, lab) == [
        ("payment", -1_425, "insurance", None),
        ("adjustment", -75, "insurance", "45"),
    ]
    (payment,) = query(biller, "SELECT amount_cents FROM payment")
    assert payment["amount_cents"] == 10_800  # what the check carries for the claim
    (row,) = query(biller, "SELECT status FROM claim WHERE id = ?", claim["id"])
    assert row["status"] == S.PAID
    _assert_reconciles(biller, patient)


def test_claim_level_adjustments_that_cannot_be_shared_go_to_review(
    desk: AppContext, biller: AppContext, tmp_path: Path
) -> None:
    patient = insured_patient(desk)
    encounter, (charge,) = visit(biller, patient)
    _submit(biller, tmp_path)
    claim = _claim(biller, encounter)
    (control,) = _controls(biller, claim["id"])
    # A negative claim-level adjustment (the payer gives $3.00 back) fits no line: the
    # claim is posted by hand, not posted at the lines' own amounts.
    era = make_835(
        remittance(
            claim_payment(
                str(claim["control_number"]),
                line_payment(
                    "99213", 12_500, 1_000, Adjustment("CO", "45", 11_500), control=control
                ),
                adjustments=[Adjustment("CO", "45", -300)],
                paid_cents=1_300,
            )
        )
    )
    summary = ClaimImportService(biller).import_file(era, "odd-claim-level.835")

    assert summary.problems == ()
    assert [i.amount_cents for i in summary.review] == [1_300]
    assert "claim-level adjustments CO-45" in summary.review[0].reason
    assert _entries(biller, charge) == []
    (row,) = query(biller, "SELECT status FROM claim WHERE id = ?", claim["id"])
    assert row["status"] == S.PARTIALLY_PAID
    _assert_reconciles(biller, patient)


def test_a_line_we_cannot_match_goes_to_review_and_the_claim_is_partly_paid(
    desk: AppContext, biller: AppContext, tmp_path: Path
) -> None:
    patient = insured_patient(desk)
    encounter, (charge,) = visit(biller, patient)
    _submit(biller, tmp_path)
    claim = _claim(biller, encounter)
    (control,) = _controls(biller, claim["id"])
    era = make_835(
        remittance(
            claim_payment(
                str(claim["control_number"]),
                line_payment(
                    "99213", 12_500, 10_000, Adjustment("CO", "45", 2_500), control=control
                ),
                line_payment("99999", 4_000, 4_000, control="NOT-A-LINE"),
            )
        )
    )
    summary = ClaimImportService(biller).import_file(era, "odd.835")

    assert _open(biller, charge) == {"insurance": 0}
    assert [(i.line_control, i.amount_cents) for i in summary.review] == [("NOT-A-LINE", 4_000)]
    (row,) = query(biller, "SELECT status FROM claim WHERE id = ?", claim["id"])
    assert row["status"] == S.PARTIALLY_PAID
    _assert_reconciles(biller, patient)


# -- 999 and 277CA -----------------------------------------------------------------------------


def _group(ctx: AppContext) -> str:
    (row,) = query(ctx, "SELECT interchange_number FROM claim_file WHERE kind = '837p'")
    return str(row["interchange_number"])


def test_a_999_accepts_or_rejects_the_claims_of_its_batch(
    desk: AppContext, biller: AppContext, tmp_path: Path
) -> None:
    patient = insured_patient(desk)
    encounter, _ = visit(biller, patient)
    _submit(biller, tmp_path)
    claim = _claim(biller, encounter)
    error = SegmentError(
        "NM1",
        25,
        "2010",
        elements=[ElementError("9", "67", "7", "XYZ")],
        claim=str(claim["control_number"]),
    )
    rejected = make_999(SetAck("0001", "R", errors=[error]), group=_group(biller))

    summary = ClaimImportService(biller).import_file(rejected, "ack.999")

    (row,) = query(biller, "SELECT status, denial_reason FROM claim WHERE id = ?", claim["id"])
    assert row["status"] == S.REJECTED
    assert "NM109: invalid code 'XYZ'" in str(row["denial_reason"])
    assert summary.counts == {"rejected": 1}


def test_a_999_for_a_batch_we_never_sent_goes_to_review(
    desk: AppContext, biller: AppContext, tmp_path: Path
) -> None:
    patient = insured_patient(desk)
    encounter, _ = visit(biller, patient)
    _submit(biller, tmp_path)
    accepted = make_999(SetAck("0001"), group=_group(biller))
    ClaimImportService(biller).import_file(accepted, "ok.999")
    stranger = make_999(SetAck("0001"), group="777")

    summary = ClaimImportService(biller).import_file(stranger, "other.999")

    (row,) = query(biller, "SELECT status FROM claim WHERE encounter_id = ?", encounter)
    assert row["status"] == S.ACCEPTED
    assert len(summary.review) == 1 and "777" in summary.review[0].reason


def test_a_277ca_accepts_with_the_payers_number_or_rejects_with_the_reason(
    desk: AppContext, biller: AppContext, tmp_path: Path
) -> None:
    patient = insured_patient(desk)
    good_visit, _ = visit(biller, patient)
    bad_visit, _ = visit(biller, patient, (("99214", 18_000),), day=date(2025, 12, 16))
    _submit(biller, tmp_path)
    good, bad = _claim(biller, good_visit), _claim(biller, bad_visit)
    ack = make_277ca(
        ClaimAck(str(good["control_number"]), payer_claim_number="PAYER-778"),
        ClaimAck(
            str(bad["control_number"]),
            category="A7",
            status="164",
            charge_cents=18_000,
            free_text="SUBSCRIBER NOT FOUND",
        ),
        ClaimAck("C-UNKNOWN"),
    )

    summary = ClaimImportService(biller).import_file(ack, "acme.277")

    rows = {r["id"]: r for r in query(biller, "SELECT * FROM claim")}
    assert rows[good["id"]]["status"] == S.ACCEPTED
    assert rows[good["id"]]["payer_claim_number"] == "PAYER-778"
    assert rows[bad["id"]]["status"] == S.REJECTED
    assert "SUBSCRIBER NOT FOUND" in str(rows[bad["id"]]["denial_reason"])
    assert [i.control_number for i in summary.review] == ["C-UNKNOWN"]


def test_a_file_that_is_not_an_answer_is_refused(biller: AppContext) -> None:
    with pytest.raises(DomainError, match="not an X12 file"):
        ClaimImportService(biller).import_file(b"hello", "notes.txt")
    assert query(biller, "SELECT * FROM claim_file") == []
