"""The account's totals in one read (issue #6), as the patient banner shows them: what the
patient owes, what insurance owes, and the credit held, the same as the full account says."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from app.models import PaymentMethod, Responsibility
from app.services.context import AppContext
from app.services.errors import NotFound
from app.services.ledger import LedgerService
from app.services.ledger_data import AccountBalance, PaymentInput
from app.services.payments import PaymentService
from tests.services.helpers import audit_events
from tests.services.permission_cases_ledger import new_patient, post_new_charge

Login = Callable[[str], AppContext]


@pytest.fixture
def desk(login: Login) -> AppContext:
    return login("frontdesk")


@pytest.fixture
def biller(login: Login) -> AppContext:
    return login("billing")


def test_the_balance_splits_patient_insurance_and_credit_like_the_account(
    desk: AppContext, biller: AppContext
) -> None:
    patient = new_patient(desk, insured=True)
    older = post_new_charge(biller, patient, 10_000, service_on=date(2025, 11, 3))
    post_new_charge(biller, patient, 4_000, service_on=date(2025, 12, 1))
    LedgerService(biller).transfer(older, 3_000, Responsibility.PATIENT)
    PaymentService(desk).take_payment(
        patient, PaymentInput(PaymentMethod.CASH, 5_000, applied=[(older, 2_000)])
    )
    events_before = len(audit_events(desk))

    balance = LedgerService(desk).balance(patient)

    # The patient owes $10 on the charge and holds $30 credit; insurance owes $70 + $40.
    assert balance == AccountBalance(1_000 - 3_000, 7_000 + 4_000, 3_000)
    account = LedgerService(desk).account(patient)
    assert balance == AccountBalance(
        account.patient_cents, account.insurance_cents, account.unapplied_credit_cents
    )
    read = audit_events(desk)[events_before:][:1]
    assert [(e["action"], e["category"], e["patient_id"]) for e in read] == [
        ("read", "billing", patient)
    ]


def test_a_new_account_is_all_zero_and_an_unknown_patient_is_not_found(desk: AppContext) -> None:
    patient = new_patient(desk)
    assert LedgerService(desk).balance(patient) == AccountBalance(0, 0, 0)
    with pytest.raises(NotFound):
        LedgerService(desk).balance("no-such-patient")
