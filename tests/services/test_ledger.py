"""The patient ledger (issue #6): posting charges, adjustments, write-offs, transfers,
reversal instead of edit, the account view, and A/R aging."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
import sqlcipher3

from app.models import Charge, ChargeStatus, EntryKind, PaymentMethod, Responsibility
from app.services.bus import LedgerChanged
from app.services.clock import FakeClock
from app.services.context import AppContext
from app.services.errors import DomainError
from app.services.ledger import LedgerService
from app.services.ledger_data import PaymentInput
from app.services.ledger_reports import AgingService
from app.services.payments import PaymentService
from tests.services.helpers import audit_events, query, raw_db, user_id
from tests.services.permission_cases_ledger import (
    TODAY,
    make_charge,
    money_rows,
    new_patient,
    post_new_charge,
)

PATIENT, INSURANCE = Responsibility.PATIENT, Responsibility.INSURANCE
Login = Callable[[str], AppContext]


@pytest.fixture
def desk(login: Login) -> AppContext:
    return login("frontdesk")


@pytest.fixture
def biller(login: Login) -> AppContext:
    return login("billing")


def _entries(ctx: AppContext, patient_id: str) -> list[dict[str, object]]:
    return query(ctx, "SELECT * FROM ledger_entry WHERE patient_id = ? ORDER BY rowid", patient_id)


def _status(ctx: AppContext, charge_id: str) -> str:
    return str(query(ctx, "SELECT status FROM charge WHERE id = ?", charge_id)[0]["status"])


# -- posting ------------------------------------------------------------------------------


def test_a_charge_is_billed_to_insurance_only_if_covered_on_its_service_date(
    desk: AppContext, biller: AppContext
) -> None:
    patient = new_patient(desk, insured_from=date(2025, 7, 1), insured_until=date(2025, 12, 31))
    covered = make_charge(biller, patient, 12_500, service_on=date(2025, 8, 1))
    after_it_ended = make_charge(biller, patient, 8_000, service_on=TODAY)
    ledger = LedgerService(biller)

    first = ledger.post_charge(covered)
    second = ledger.post_charge(after_it_ended)

    assert (first.kind, first.amount_cents, first.responsibility) == (
        EntryKind.CHARGE,
        12_500,
        INSURANCE,
    )
    assert (second.amount_cents, second.responsibility) == (8_000, PATIENT)
    assert first.business_day == TODAY
    assert first.provider_id == user_id(biller, "drpatel")
    assert first.posted_by_id == user_id(biller, "billing")
    assert _status(biller, covered) == _status(biller, after_it_ended) == "posted"
    account = ledger.account(patient)
    assert (account.balance_cents, account.insurance_cents, account.patient_cents) == (
        20_500,
        12_500,
        8_000,
    )


def test_an_uninsured_patients_charge_is_theirs(desk: AppContext, biller: AppContext) -> None:
    patient = new_patient(desk)
    entry = LedgerService(biller).post_charge(make_charge(biller, patient))
    assert entry.responsibility is PATIENT


def test_a_charge_posts_once(desk: AppContext, biller: AppContext) -> None:
    patient = new_patient(desk)
    charge = post_new_charge(biller, patient)
    before = money_rows(biller)
    with pytest.raises(DomainError, match="already on the ledger"):
        LedgerService(biller).post_charge(charge)
    assert money_rows(biller) == before


def _unconfirmed(ctx: AppContext, patient_id: str, **changes: object) -> str:
    """A proposed charge as capture leaves it when it could not price or point it."""
    charge_id = make_charge(ctx, patient_id, service_on=date(2025, 12, 2), code="99214")
    with ctx.unit_of_work() as uow:
        charge = uow.session.get(Charge, charge_id)
        assert charge is not None
        for name, value in changes.items():
            setattr(charge, name, value)
    return charge_id


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({"unit_price_cents": 0, "amount_cents": 0, "fee_schedule_item_id": None}, "has no price"),
        ({"diagnosis_pointers": []}, "points to no diagnosis"),
        ({"diagnosis_pointers": [2]}, "points to no diagnosis"),  # the visit has one diagnosis
    ],
)
def test_an_unconfirmed_charge_is_refused_naming_the_line(
    desk: AppContext, biller: AppContext, changes: dict[str, object], why: str
) -> None:
    patient = new_patient(desk)
    charge = _unconfirmed(biller, patient, **changes)
    before = money_rows(biller)
    with pytest.raises(DomainError, match=f"99214 on 12/02/2025 {why}. Confirm it first: "):
        LedgerService(biller).post_charge(charge)
    assert money_rows(biller) == before
    assert _status(biller, charge) == "proposed"


# -- the account ---------------------------------------------------------------------------


def test_the_account_lists_entries_oldest_first_with_a_running_balance(
    desk: AppContext, biller: AppContext
) -> None:
    patient = new_patient(desk, insured=True)
    older = post_new_charge(biller, patient, 10_000, service_on=date(2025, 11, 3))
    newer = post_new_charge(biller, patient, 4_000, service_on=date(2025, 12, 1))
    ledger = LedgerService(biller)
    ledger.transfer(older, 3_000, PATIENT)
    payment = PaymentService(biller).take_payment(
        patient, PaymentInput(PaymentMethod.CASH, 5_000, applied=[(older, 2_000)])
    )
    events_before = len(audit_events(biller))

    account = ledger.account(patient)

    assert [(e.kind, e.amount_cents, e.running_balance_cents) for e in account.entries] == [
        (EntryKind.CHARGE, 10_000, 10_000),
        (EntryKind.CHARGE, 4_000, 14_000),
        (EntryKind.TRANSFER, -3_000, 11_000),
        (EntryKind.TRANSFER, 3_000, 14_000),
        (EntryKind.PAYMENT, -2_000, 12_000),
        (EntryKind.PAYMENT, -3_000, 9_000),
    ]
    assert account.balance_cents == 9_000
    assert (account.patient_cents, account.insurance_cents) == (1_000 - 3_000, 7_000 + 4_000)
    assert account.unapplied_credit_cents == 3_000
    assert [(c.receipt_number, c.credit_cents) for c in account.credits] == [
        (payment.receipt_number, 3_000)
    ]
    opens = {c.charge_id: (c.patient_open_cents, c.insurance_open_cents) for c in account.charges}
    assert opens == {older: (1_000, 7_000), newer: (0, 4_000)}
    assert [c.charge_id for c in account.open_charges] == [older, newer]
    assert account.entries[0].procedure_code == "99213"
    assert account.entries[-1].receipt_number == payment.receipt_number
    read = audit_events(biller)[events_before:]
    assert [(e["action"], e["category"], e["patient_id"]) for e in read] == [
        ("read", "billing", patient)
    ]


# -- adjustments, write-offs and transfers -------------------------------------------------


def test_an_adjustment_raises_or_lowers_a_charge_and_needs_a_reason(
    desk: AppContext, biller: AppContext
) -> None:
    patient = new_patient(desk, insured=True)
    charge = post_new_charge(biller, patient, 10_000)
    ledger = LedgerService(biller)
    before = money_rows(biller)
    with pytest.raises(DomainError, match="Say why"):
        ledger.adjust(charge, -500, "   ")
    with pytest.raises(DomainError, match="amount"):
        ledger.adjust(charge, 0, "nothing")
    with pytest.raises(DomainError, match=r"open balance on this charge is \$100.00"):
        ledger.adjust(charge, -10_001, "too much")
    assert money_rows(biller) == before

    lowered = ledger.adjust(charge, -2_500, "Contractual adjustment", "co45")
    raised = ledger.adjust(charge, 700, "Supply added", responsibility=PATIENT)

    assert (lowered.amount_cents, lowered.responsibility, lowered.reason_code) == (
        -2_500,
        INSURANCE,
        "CO45",
    )
    assert lowered.reason == "Contractual adjustment"
    assert (raised.amount_cents, raised.responsibility) == (700, PATIENT)
    assert ledger.account(patient).balance_cents == 10_000 - 2_500 + 700


def test_a_write_off_cannot_exceed_the_open_balance(desk: AppContext, biller: AppContext) -> None:
    patient = new_patient(desk)
    charge = post_new_charge(biller, patient, 6_000)
    PaymentService(biller).take_payment(patient, PaymentInput(PaymentMethod.CASH, 5_000))
    ledger = LedgerService(biller)
    before = money_rows(biller)

    with pytest.raises(DomainError, match=r"open balance on this charge is \$10.00"):
        ledger.write_off(charge, 1_001, "Small balance")
    with pytest.raises(DomainError, match="more than zero"):
        ledger.write_off(charge, -5, "Small balance")
    assert money_rows(biller) == before

    entry = ledger.write_off(charge, 1_000, "Small balance")
    assert (entry.kind, entry.amount_cents) == (EntryKind.WRITE_OFF, -1_000)
    assert ledger.account(patient).balance_cents == 0


def test_a_transfer_moves_responsibility_in_two_entries_that_net_to_zero(
    desk: AppContext, biller: AppContext
) -> None:
    patient = new_patient(desk, insured=True)
    charge = post_new_charge(biller, patient, 9_000)
    ledger = LedgerService(biller)

    out, back = ledger.transfer(charge, 2_000, PATIENT, "Deductible")

    assert (out.responsibility, out.amount_cents) == (INSURANCE, -2_000)
    assert (back.responsibility, back.amount_cents) == (PATIENT, 2_000)
    assert out.kind is back.kind is EntryKind.TRANSFER
    account = ledger.account(patient)
    assert (account.balance_cents, account.patient_cents, account.insurance_cents) == (
        9_000,
        2_000,
        7_000,
    )
    before = money_rows(biller)
    with pytest.raises(DomainError, match=r"Only \$20.00 of this charge is the patient's"):
        ledger.transfer(charge, 2_001, INSURANCE)
    assert money_rows(biller) == before


# -- reversal instead of edit --------------------------------------------------------------


def test_a_line_is_corrected_by_its_exact_opposite_once(
    desk: AppContext, biller: AppContext
) -> None:
    patient = new_patient(desk)
    charge = post_new_charge(biller, patient, 5_000)
    ledger = LedgerService(biller)
    adjustment = ledger.adjust(charge, -1_000, "Courtesy discount")

    (reversal,) = ledger.reverse(adjustment.id, "Discount not approved")

    assert (reversal.kind, reversal.amount_cents, reversal.reverses_id) == (
        EntryKind.REVERSAL,
        1_000,
        adjustment.id,
    )
    assert (reversal.charge_id, reversal.responsibility) == (charge, PATIENT)
    assert reversal.reason == "Discount not approved"
    before = money_rows(biller)
    with pytest.raises(DomainError, match="already reversed"):
        ledger.reverse(adjustment.id, "again")
    with pytest.raises(DomainError, match="cannot be reversed"):
        ledger.reverse(reversal.id, "undo the undo")
    with pytest.raises(DomainError, match="Say why"):
        ledger.reverse(charge, "")
    assert money_rows(biller) == before
    account = ledger.account(patient)
    assert account.balance_cents == 5_000
    assert [line.reversed for line in account.entries] == [False, True, False]


def test_reversing_a_charge_voids_it_and_its_payments_become_credit(
    desk: AppContext, biller: AppContext
) -> None:
    patient = new_patient(desk)
    charge = post_new_charge(biller, patient, 8_000)
    ledger, payments = LedgerService(biller), PaymentService(biller)
    ledger.adjust(charge, -500, "Prompt-pay discount")
    payment = payments.take_payment(patient, PaymentInput(PaymentMethod.CARD, 3_000, "4242"))
    charge_entry = _entries(biller, patient)[0]["id"]

    posted = ledger.reverse(str(charge_entry), "Wrong patient")

    assert _status(biller, charge) == "voided"
    assert sorted((e.kind, e.amount_cents, e.charge_id is not None) for e in posted) == sorted(
        [
            (EntryKind.REVERSAL, 3_000, True),  # the payment comes off the charge ...
            (EntryKind.PAYMENT, -3_000, False),  # ... and stays on the account as credit
            (EntryKind.REVERSAL, 500, True),
            (EntryKind.REVERSAL, -8_000, True),
        ]
    )
    account = ledger.account(patient)
    assert account.balance_cents == -3_000
    assert account.unapplied_credit_cents == 3_000
    assert [(c.payment_id, c.credit_cents) for c in account.credits] == [(payment.id, 3_000)]
    (voided,) = account.charges
    assert (voided.status, voided.open_cents) == (ChargeStatus.VOIDED, 0)
    with pytest.raises(DomainError, match="voided"):
        ledger.adjust(charge, 100, "late fee")


def test_reversing_a_payment_on_a_charge_returns_it_to_credit(
    desk: AppContext, biller: AppContext
) -> None:
    patient = new_patient(desk)
    wrong = post_new_charge(biller, patient, 4_000, service_on=date(2025, 12, 1))
    right = post_new_charge(biller, patient, 4_000, code="99214")
    payment = PaymentService(biller).take_payment(patient, PaymentInput(PaymentMethod.CASH, 4_000))
    assert payment.applied == ((wrong, 4_000),)  # oldest first
    applied = next(e for e in _entries(biller, patient) if e["payment_id"])
    ledger = LedgerService(biller)

    ledger.reverse(str(applied["id"]), "Meant for the 99214")
    credit = ledger.account(patient)
    moved = PaymentService(biller).apply_credit(patient, [(right, 4_000)])

    assert (credit.balance_cents, credit.unapplied_credit_cents) == (4_000, 4_000)
    assert moved.applied == ((right, 4_000),)
    assert moved.remaining_credit_cents == 0
    opens = {c.charge_id: c.open_cents for c in ledger.account(patient).charges}
    assert opens == {wrong: 4_000, right: 0}


def test_reversing_an_adjustment_that_payments_now_cover_is_refused(
    desk: AppContext, biller: AppContext
) -> None:
    patient = new_patient(desk)
    charge = post_new_charge(biller, patient, 5_000)
    ledger = LedgerService(biller)
    raised = ledger.adjust(charge, 2_000, "Extended visit")
    PaymentService(biller).take_payment(patient, PaymentInput(PaymentMethod.CASH, 7_000))
    before = money_rows(biller)

    with pytest.raises(DomainError, match="would leave the patient's part of the charge at"):
        ledger.reverse(raised.id, "Not extended after all")

    assert money_rows(biller) == before


def test_reversing_one_half_of_a_transfer_reverses_both(
    desk: AppContext, biller: AppContext
) -> None:
    patient = new_patient(desk, insured=True)
    charge = post_new_charge(biller, patient, 9_000)
    ledger = LedgerService(biller)
    ledger.transfer(charge, 1_000, PATIENT)
    out, _ = ledger.transfer(charge, 1_000, PATIENT)

    posted = ledger.reverse(out.id, "Deductible already met")

    assert sorted((e.responsibility, e.amount_cents) for e in posted) == [
        (INSURANCE, 1_000),
        (PATIENT, -1_000),
    ]
    account = ledger.account(patient)
    assert (account.patient_cents, account.insurance_cents) == (1_000, 8_000)


def test_reversing_credit_needs_the_credit_to_be_there(
    desk: AppContext, biller: AppContext
) -> None:
    patient = new_patient(desk)
    charge = make_charge(biller, patient, 2_000)
    payments = PaymentService(biller)
    payment = payments.take_payment(patient, PaymentInput(PaymentMethod.CHEQUE, 5_000, "1042"))
    (credit,) = _entries(biller, patient)
    LedgerService(biller).post_charge(charge)
    payments.apply_credit(patient)
    before = money_rows(biller)

    with pytest.raises(DomainError, match="already applied to charges or refunded"):
        LedgerService(biller).reverse(str(credit["id"]), "Cheque bounced")
    assert money_rows(biller) == before

    moved = next(e for e in _entries(biller, patient) if e["reason"] == "Credit applied to charges")
    with pytest.raises(DomainError, match="moved credit onto charges"):
        LedgerService(biller).reverse(str(moved["id"]), "undo")
    assert payment.unapplied_cents == 5_000


def test_the_database_refuses_to_change_or_delete_a_ledger_entry(
    desk: AppContext, biller: AppContext
) -> None:
    patient = new_patient(desk)
    post_new_charge(biller, patient, 5_000)
    (entry,) = _entries(biller, patient)

    with raw_db(biller) as db:
        with pytest.raises(sqlcipher3.dbapi2.IntegrityError, match="never changed"):
            db.execute("UPDATE ledger_entry SET amount_cents = 1 WHERE id = ?", (entry["id"],))
        with pytest.raises(sqlcipher3.dbapi2.IntegrityError, match="never deleted"):
            db.execute("DELETE FROM ledger_entry WHERE id = ?", (entry["id"],))

    assert _entries(biller, patient) == [entry]


def test_every_ledger_write_is_audited_and_announced(desk: AppContext, biller: AppContext) -> None:
    patient = new_patient(desk, insured=True)
    charge = make_charge(biller, patient, 5_000)
    notices: list[LedgerChanged] = []
    biller.bus.subscribe(LedgerChanged, notices.append)
    ledger = LedgerService(biller)
    before = len(audit_events(biller))

    ledger.post_charge(charge)
    ledger.adjust(charge, -100, "Contractual")
    ledger.write_off(charge, 100, "Small balance")
    ledger.transfer(charge, 100, PATIENT)
    adjustment = ledger.adjust(charge, 50, "Fee")
    ledger.reverse(adjustment.id, "Fee waived")

    events = audit_events(biller)[before:]
    assert [(e["action"], e["category"], e["patient_id"], e["entity_id"]) for e in events] == [
        ("post_charge", "billing", patient, charge),
        ("adjustment", "billing", patient, charge),
        ("write_off", "billing", patient, charge),
        ("transfer", "billing", patient, charge),
        ("adjustment", "billing", patient, charge),
        ("reverse", "billing", patient, adjustment.id),
    ]
    assert notices == [LedgerChanged((patient,))] * 6


# -- A/R aging ------------------------------------------------------------------------------


def _aging_practice(desk: AppContext, biller: AppContext) -> dict[str, str]:
    """Charges 0, 30, 31, 60, 61, 90, 91, 120 and 121 days before TODAY, insured and not."""
    insured = new_patient(desk, "Insured", insured=True)
    uninsured = new_patient(desk, "Selfpay")
    for days, cents in ((0, 100), (30, 200), (31, 400), (60, 800), (61, 1_600)):
        post_new_charge(biller, uninsured, cents, service_on=TODAY - timedelta(days=days))
    for days, cents in ((90, 3_200), (91, 6_400), (120, 12_800), (121, 25_600)):
        post_new_charge(biller, insured, cents, service_on=TODAY - timedelta(days=days))
    return {"insured": insured, "uninsured": uninsured}


def test_aging_puts_open_balances_in_buckets_by_days_since_service(
    login: Login, desk: AppContext, biller: AppContext
) -> None:
    _aging_practice(desk, biller)

    report = AgingService(login("admin")).aging(TODAY)

    assert report.patient.as_dict() == {
        "0-30": 100 + 200,
        "31-60": 400 + 800,
        "61-90": 1_600,
        "91-120": 0,
        "120+": 0,
    }
    assert report.insurance.as_dict() == {
        "0-30": 0,
        "31-60": 0,
        "61-90": 3_200,
        "91-120": 6_400 + 12_800,
        "120+": 25_600,
    }
    month_later = AgingService(biller).aging(TODAY + timedelta(days=31))  # each 31 days older
    assert month_later.patient.cents == (0, 100, 200 + 400, 800 + 1_600, 0)


def test_aging_reconciles_with_the_accounts_and_counts_only_entries_up_to_its_date(
    desk: AppContext, biller: AppContext, clock: FakeClock
) -> None:
    patients = _aging_practice(desk, biller)
    clock.advance(timedelta(days=2))
    PaymentService(biller).take_payment(
        patients["uninsured"], PaymentInput(PaymentMethod.CASH, 1_000)
    )
    PaymentService(biller).take_payment(
        patients["insured"], PaymentInput(PaymentMethod.CASH, 700, applied=[])
    )
    ledger, aging = LedgerService(biller), AgingService(biller)

    now = aging.aging(TODAY + timedelta(days=2))
    then = aging.aging(TODAY)

    accounts = [ledger.account(p) for p in patients.values()]
    assert now.total_cents == sum(a.balance_cents for a in accounts)
    assert now.by_responsibility == {
        PATIENT: sum(a.patient_cents for a in accounts),
        INSURANCE: sum(a.insurance_cents for a in accounts),
    }
    assert now.patient.total_cents - now.patient_credit_cents == now.by_responsibility[PATIENT]
    assert now.patient_credit_cents == 700
    # Two days on, every charge is two days older; the $10 paid the oldest one first.
    assert now.patient.cents == (100, 200 + 400, 800 + 1_600 - 1_000, 0, 0)
    assert now.insurance.cents == (0, 0, 0, 3_200 + 6_400, 12_800 + 25_600)
    # As of TODAY, neither payment had been made.
    assert then.patient.cents == (100 + 200, 400 + 800, 1_600, 0, 0)
    assert then.patient_credit_cents == 0
