"""Payments (issue #6): application rules, unapplied credit, refunds, receipts, copays at
check-in, and balancing and closing the day."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from app.models import EntryKind, LedgerEntry, Location, Payment, PaymentMethod, Responsibility
from app.services.bus import DayClosed, LedgerChanged
from app.services.clock import FakeClock
from app.services.context import AppContext
from app.services.errors import DomainError
from app.services.ledger import LedgerService
from app.services.ledger_data import PaymentInput
from app.services.ledger_reports import DailyCloseService
from app.services.payments import PaymentService
from app.services.schedule_data import AppointmentView
from tests.services import scheduling_helpers as sched
from tests.services.helpers import audit_events, query, user_id
from tests.services.permission_cases_ledger import (
    TODAY,
    make_charge,
    money_rows,
    new_patient,
    post_new_charge,
)

CASH, CARD, CHEQUE = PaymentMethod.CASH, PaymentMethod.CARD, PaymentMethod.CHEQUE
Login = Callable[[str], AppContext]


@pytest.fixture
def desk(login: Login) -> AppContext:
    return login("frontdesk")


@pytest.fixture
def biller(login: Login) -> AppContext:
    return login("billing")


def _opens(ctx: AppContext, patient_id: str) -> dict[str, int]:
    return {c.charge_id: c.open_cents for c in LedgerService(ctx).account(patient_id).charges}


# -- taking a payment ----------------------------------------------------------------------


def test_a_payment_pays_the_charges_it_names_and_the_rest_is_credit(
    desk: AppContext, biller: AppContext
) -> None:
    patient = new_patient(desk)
    first = post_new_charge(biller, patient, 6_000, service_on=date(2025, 10, 1))
    second = post_new_charge(biller, patient, 4_000)
    payments = PaymentService(desk)

    payment = payments.take_payment(
        patient,
        PaymentInput(CASH, 5_000, applied=[(second, 1_500), (second, 1_000), (first, 500)]),
    )

    assert payment.applied == ((second, 2_500), (first, 500))
    assert payment.unapplied_cents == 2_000
    assert (payment.received_on, payment.method, payment.amount_cents) == (TODAY, CASH, 5_000)
    assert _opens(biller, patient) == {first: 5_500, second: 1_500}
    account = LedgerService(biller).account(patient)
    assert (account.balance_cents, account.unapplied_credit_cents) == (5_000, 2_000)
    (row,) = query(biller, "SELECT * FROM payment WHERE id = ?", payment.id)
    assert row["received_by_id"] == user_id(biller, "frontdesk")
    assert row["receipt_number"] == payment.receipt_number
    # "R-" + the device's number: a receipt is never read as the account (MRN) number.
    mrn = query(biller, "SELECT mrn FROM patient WHERE id = ?", patient)[0]["mrn"]
    assert payment.receipt_number.startswith("R-") and payment.receipt_number != mrn


def test_without_charges_named_a_payment_pays_the_oldest_open_balance_first(
    desk: AppContext, biller: AppContext
) -> None:
    patient = new_patient(desk)
    newest = post_new_charge(biller, patient, 3_000, service_on=date(2025, 12, 20))
    oldest = post_new_charge(biller, patient, 2_000, service_on=date(2025, 9, 2))
    middle = post_new_charge(biller, patient, 2_500, service_on=date(2025, 11, 11))

    payment = PaymentService(desk).take_payment(patient, PaymentInput(CHEQUE, 6_000, "1001"))

    assert payment.applied == ((oldest, 2_000), (middle, 2_500), (newest, 1_500))
    assert payment.unapplied_cents == 0
    assert _opens(biller, patient) == {oldest: 0, middle: 0, newest: 1_500}


def test_a_payment_never_pays_more_than_a_charge_owes(desk: AppContext, biller: AppContext) -> None:
    patient = new_patient(desk)
    charge = post_new_charge(biller, patient, 3_000)
    payments = PaymentService(desk)
    payments.take_payment(patient, PaymentInput(CASH, 1_000))
    before = money_rows(biller)

    with pytest.raises(DomainError, match=r"has \$20.00 open; you cannot apply \$20.01"):
        payments.take_payment(patient, PaymentInput(CASH, 5_000, applied=[(charge, 2_001)]))
    with pytest.raises(DomainError, match=r"applied \$20.00 to charges, but the payment is"):
        payments.take_payment(patient, PaymentInput(CASH, 1_999, applied=[(charge, 2_000)]))
    with pytest.raises(DomainError, match="more than zero"):
        payments.take_payment(patient, PaymentInput(CASH, 100, applied=[(charge, 0)]))

    assert money_rows(biller) == before  # no entry, no payment, no receipt number used


def test_a_patients_payment_does_not_pay_what_insurance_owes(
    desk: AppContext, biller: AppContext
) -> None:
    patient = new_patient(desk, insured=True)
    charge = post_new_charge(biller, patient, 3_000)
    payments = PaymentService(desk)

    with pytest.raises(DomainError, match=r"Insurance's part of 99213 .* transfer it"):
        payments.take_payment(patient, PaymentInput(CASH, 1_000, applied=[(charge, 1_000)]))
    kept = payments.take_payment(patient, PaymentInput(CASH, 1_000))  # nothing is theirs yet

    assert (kept.applied, kept.unapplied_cents) == ((), 1_000)
    LedgerService(biller).transfer(charge, 1_200, Responsibility.PATIENT)
    paid = payments.take_payment(patient, PaymentInput(CARD, 200, "4242", [(charge, 200)]))
    assert paid.applied == ((charge, 200),)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (PaymentInput(CASH, 0), "more than zero"),
        (PaymentInput(CASH, -500), "more than zero"),
        (PaymentInput(CHEQUE, 500), "cheque number"),
        (PaymentInput(CARD, 500, "4111 1111 1111 1111"), "last 4 digits"),
        (PaymentInput(PaymentMethod.INSURANCE, 500), "names its payer"),
        (PaymentInput(CASH, 500, payer_id="x"), "Only an insurance payment"),
        (PaymentInput(CASH, 500, note="x" * 301), "under 300"),
    ],
)
def test_what_a_payment_cannot_be(
    desk: AppContext, biller: AppContext, data: PaymentInput, message: str
) -> None:
    patient = new_patient(desk)
    before = money_rows(biller)
    with pytest.raises(DomainError, match=message):
        PaymentService(desk).take_payment(patient, data)
    assert money_rows(biller) == before


def test_an_insurance_payment_pays_the_insurance_part(desk: AppContext, biller: AppContext) -> None:
    patient = new_patient(desk, insured=True)
    charge = post_new_charge(biller, patient, 9_000)
    (payer,) = query(biller, "SELECT payer_id FROM coverage WHERE patient_id = ?", patient)

    payment = PaymentService(biller).take_payment(
        patient, PaymentInput(PaymentMethod.INSURANCE, 7_000, "EFT-88", payer_id=payer["payer_id"])
    )

    assert payment.applied == ((charge, 7_000),)
    account = LedgerService(biller).account(patient)
    assert (account.insurance_cents, account.patient_cents) == (2_000, 0)


def test_receipt_numbers_follow_each_other(desk: AppContext) -> None:
    patient = new_patient(desk)
    payments = PaymentService(desk)
    numbers = [payments.take_payment(patient, PaymentInput(CASH, 100)).receipt_number for _ in "ab"]
    prefix = numbers[0][:-6]
    assert numbers == [f"{prefix}000001", f"{prefix}000002"]


def test_a_copay_at_check_in_waits_as_credit_for_the_visits_charge(
    desk: AppContext, biller: AppContext
) -> None:
    patient = new_patient(desk, insured=True)
    other = new_patient(desk, "Other")
    visit = sched.book(desk, SimpleNamespace(patient_id=patient))
    assert isinstance(visit, AppointmentView)
    payments = PaymentService(desk)
    with pytest.raises(DomainError, match="not this patient's"):
        payments.take_payment(other, PaymentInput(CASH, 2_500, applied=[], appointment_id=visit.id))

    copay = payments.take_payment(
        patient, PaymentInput(CARD, 2_500, "4242", applied=[], appointment_id=visit.id)
    )
    charge = post_new_charge(biller, patient, 11_000)
    LedgerService(biller).transfer(charge, 2_500, Responsibility.PATIENT, "Copay")
    moved = payments.apply_credit(patient)

    assert (copay.appointment_id, copay.unapplied_cents) == (visit.id, 2_500)
    assert moved.applied == ((charge, 2_500),)
    assert moved.remaining_credit_cents == 0
    new_lines = query(
        biller,
        "SELECT kind, amount_cents, charge_id, payment_id FROM ledger_entry "
        "WHERE patient_id = ? ORDER BY rowid",
        patient,
    )[-2:]
    assert new_lines == [  # the credit comes off the account and onto the charge
        {"kind": "payment", "amount_cents": 2_500, "charge_id": None, "payment_id": copay.id},
        {"kind": "payment", "amount_cents": -2_500, "charge_id": charge, "payment_id": copay.id},
    ]
    account = LedgerService(biller).account(patient)
    assert (account.balance_cents, account.patient_cents, account.unapplied_credit_cents) == (
        8_500,
        0,
        0,
    )


def test_applying_credit_needs_credit_and_an_open_charge(
    desk: AppContext, biller: AppContext
) -> None:
    patient = new_patient(desk)
    payments = PaymentService(desk)
    with pytest.raises(DomainError, match="no unapplied credit"):
        payments.apply_credit(patient)
    payments.take_payment(patient, PaymentInput(CASH, 1_000))
    with pytest.raises(DomainError, match="No charge on this account is open"):
        payments.apply_credit(patient)
    charge = post_new_charge(biller, patient, 3_000)
    before = money_rows(biller)
    with pytest.raises(DomainError, match=r"holds \$10.00 of the patient's credit"):
        payments.apply_credit(patient, [(charge, 1_001)])
    assert money_rows(biller) == before


# -- refunds and receipts ------------------------------------------------------------------


def test_a_refund_gives_back_only_unapplied_credit(desk: AppContext, biller: AppContext) -> None:
    patient = new_patient(desk)
    payments = PaymentService(desk)
    payment = payments.take_payment(patient, PaymentInput(CASH, 5_000))
    post_new_charge(biller, patient, 3_500)
    payments.apply_credit(patient)
    before = money_rows(biller)

    with pytest.raises(DomainError, match=r"Only \$15.00 of this payment is unapplied credit"):
        payments.refund(payment.id, 1_501, "Overpaid")
    with pytest.raises(DomainError, match="Say why"):
        payments.refund(payment.id, 500, " ")
    assert money_rows(biller) == before

    refund = payments.refund(payment.id, 1_000, "Overpaid")
    assert (refund.amount_cents, refund.remaining_credit_cents) == (1_000, 500)
    account = LedgerService(biller).account(patient)
    assert (account.balance_cents, account.unapplied_credit_cents) == (-500, 500)
    assert account.entries[-1].kind is EntryKind.REFUND
    with pytest.raises(DomainError, match=r"Only \$5.00"):
        payments.refund(payment.id, 501, "Overpaid")


def test_the_receipt_says_what_the_payment_paid(desk: AppContext, biller: AppContext) -> None:
    patient = new_patient(desk)
    charge = post_new_charge(biller, patient, 4_000, service_on=date(2025, 12, 2))
    payments = PaymentService(desk)
    payment = payments.take_payment(patient, PaymentInput(CHEQUE, 6_000, "  1234 "))
    payments.refund(payment.id, 500, "Asked for change")
    with biller.unit_of_work() as uow:  # the practice's address, as Admin would enter it
        office = uow.session.scalars(select(Location)).one()
        office.address_line1, office.city, office.state = "12 Elm Street", "Springfield", "IL"
        office.postal_code = "62701"
    before = len(audit_events(desk))

    receipt = payments.receipt(payment.id)

    assert receipt.receipt_number == payment.receipt_number
    assert (receipt.method, receipt.reference, receipt.amount_cents) == (CHEQUE, "1234", 6_000)
    assert [(line.procedure_code, line.service_on, line.cents) for line in receipt.lines] == [
        ("99213", date(2025, 12, 2), 4_000)
    ]
    assert (receipt.credit_cents, receipt.refunded_cents) == (1_500, 500)
    assert receipt.account_balance_cents == receipt.patient_balance_cents == -1_500
    assert receipt.practice_address == ("12 Elm Street", "Springfield, IL 62701")
    assert (receipt.patient_name, receipt.received_by) == ("Lee Ledger", "Luis Romero")
    assert receipt.practice_name
    assert charge
    (event,) = audit_events(desk)[before:]
    assert (event["action"], event["patient_id"], event["entity_id"]) == (
        "read",
        patient,
        payment.id,
    )


def test_every_payment_write_is_audited_and_announced(desk: AppContext, biller: AppContext) -> None:
    patient = new_patient(desk)
    post_new_charge(biller, patient, 1_000)
    notices: list[LedgerChanged] = []
    desk.bus.subscribe(LedgerChanged, notices.append)
    payments = PaymentService(desk)
    before = len(audit_events(desk))

    payment = payments.take_payment(patient, PaymentInput(CASH, 3_000, applied=[]))
    payments.apply_credit(patient)
    payments.refund(payment.id, 500, "Change")

    events = audit_events(desk)[before:]
    assert [(e["action"], e["category"], e["patient_id"]) for e in events] == [
        ("payment", "billing", patient),
        ("apply_credit", "billing", patient),
        ("refund", "billing", patient),
    ]
    assert notices == [LedgerChanged((patient,))] * 3


# -- balancing and closing the day ---------------------------------------------------------


def _busy_day(desk: AppContext, biller: AppContext) -> tuple[str, str]:
    """Charges for both doctors, payments in three methods, an adjustment, a refund, a void."""
    anna = new_patient(desk, "Anna")
    ben = new_patient(desk, "Ben", insured=True)
    patel = post_new_charge(biller, anna, 12_000)
    post_new_charge(biller, ben, 20_000, provider="drokafor")
    voided = post_new_charge(biller, anna, 5_000, code="99212")
    ledger, payments = LedgerService(biller), PaymentService(desk)
    ledger.adjust(patel, -2_000, "Courtesy")
    payments.take_payment(anna, PaymentInput(CASH, 4_000, applied=[(patel, 4_000)]))
    card = payments.take_payment(anna, PaymentInput(CARD, 3_000, "4242", applied=[(voided, 3_000)]))
    payments.take_payment(ben, PaymentInput(CHEQUE, 1_500, "77"))  # ben owes nothing: credit
    void_line = query(
        biller, "SELECT id FROM ledger_entry WHERE charge_id = ? AND kind = 'charge'", voided
    )
    ledger.reverse(void_line[0]["id"], "Duplicate")  # the card payment goes back to credit
    payments.refund(card.id, 1_000, "Duplicate charge")
    return anna, ben


def test_the_day_report_shows_charges_and_receipts_and_balances(
    desk: AppContext, biller: AppContext
) -> None:
    _busy_day(desk, biller)

    report = DailyCloseService(desk).preview(TODAY)

    assert report.balanced, report.problems
    assert report.charges_cents == 12_000 + 20_000 + 5_000
    assert report.receipts_by_method == {CARD: 3_000, CASH: 4_000, CHEQUE: 1_500}
    assert report.receipts_cents == 8_500
    assert (report.adjustments_cents, report.refunds_cents, report.transfers_cents) == (
        -2_000,
        1_000,
        0,
    )
    assert report.reversals_cents == -5_000  # the void, net of the payment kept as credit
    entries = query(desk, "SELECT SUM(amount_cents) AS s FROM ledger_entry")[0]["s"]
    assert report.net_cents == entries == report.lines_total_cents
    assert [(p.provider_name, p.charges_cents, p.payments_cents) for p in report.by_provider] == [
        ("Daniel Okafor", 20_000, 0),
        ("Priya Patel", 17_000, 4_000),  # the card payment left the voided charge
    ]
    assert report.closed_at is None
    assert audit_events(desk)[-1]["detail"] == f"day report {TODAY.isoformat()}"


def test_a_closed_day_takes_no_more_entries(
    desk: AppContext, biller: AppContext, clock: FakeClock
) -> None:
    anna, _ = _busy_day(desk, biller)
    proposed = make_charge(biller, anna)
    closing = DailyCloseService(desk)
    notices: list[DayClosed] = []
    desk.bus.subscribe(DayClosed, notices.append)

    closed = closing.close(TODAY)

    assert (closed.closed_by, closed.closed_at) == ("Luis Romero", clock.now())
    assert notices == [DayClosed(TODAY)]  # other windows' day-close screens show it
    event = audit_events(desk)[-1]
    assert (event["action"], event["category"], event["detail"]) == (
        "close_day",
        "billing",
        TODAY.isoformat(),
    )
    (row,) = query(desk, "SELECT * FROM daily_close")
    assert (row["business_day"], row["charges_cents"], row["receipts_cents"]) == (
        TODAY.isoformat(),
        37_000,
        8_500,
    )
    before = money_rows(desk)
    with pytest.raises(DomainError, match="Today's books are closed"):
        PaymentService(desk).take_payment(anna, PaymentInput(CASH, 100))
    with pytest.raises(DomainError, match="Today's books are closed"):
        LedgerService(biller).post_charge(proposed)
    with pytest.raises(DomainError, match="already closed"):
        closing.close(TODAY)
    with pytest.raises(DomainError, match="has not come yet"):
        closing.close(TODAY + timedelta(days=1))
    assert money_rows(desk) == before
    assert closing.preview(TODAY).closed_by == "Luis Romero"

    clock.advance(timedelta(days=1))  # the next business day is open
    payment = PaymentService(desk).take_payment(anna, PaymentInput(CASH, 100))
    assert payment.received_on == TODAY + timedelta(days=1)
    assert closing.preview(TODAY).net_cents == closed.net_cents


def test_a_day_that_does_not_balance_cannot_be_closed(desk: AppContext, biller: AppContext) -> None:
    patient = new_patient(desk)
    PaymentService(desk).take_payment(patient, PaymentInput(CASH, 5_000))
    # A payment whose lines do not add up to it (what a bug or a half-synced day would leave).
    with biller.unit_of_work() as uow:
        stray = Payment(
            patient_id=patient,
            method=CASH,
            amount_cents=2_000,
            received_on=TODAY,
            receipt_number="STRAY1",
            received_by_id=user_id(biller, "billing"),
        )
        uow.session.add(stray)
        uow.session.flush()
        uow.session.add(
            LedgerEntry(
                patient_id=patient,
                kind=EntryKind.PAYMENT,
                amount_cents=-1_500,
                responsibility=Responsibility.PATIENT,
                payment_id=stray.id,
                business_day=TODAY,
                posted_at=biller.clock.now(),
            )
        )

    report = DailyCloseService(desk).preview(TODAY)
    with pytest.raises(DomainError, match="does not balance: Cash payments received add up"):
        DailyCloseService(desk).close(TODAY)

    assert not report.balanced
    assert report.problems == (
        "Cash payments received add up to $70.00, but the ledger shows $65.00.",
    )
    assert query(desk, "SELECT * FROM daily_close") == []
