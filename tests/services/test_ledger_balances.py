"""Open balances kept by the database (charge_balance, account_credit): what statement
batches read to find the accounts that owe."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from app.models import PaymentMethod
from app.services.context import AppContext
from app.services.ledger import LedgerService
from app.services.ledger_balances import patient_balances
from app.services.ledger_data import PaymentInput
from app.services.payments import PaymentService
from tests.services.helpers import outbox_rows, query
from tests.services.permission_cases_ledger import TODAY, new_patient, post_new_charge

Login = Callable[[str], AppContext]


def _balances(ctx: AppContext, minimum_cents: int) -> dict[str, int]:
    with ctx.unit_of_work() as uow:
        return dict(patient_balances(uow.session, minimum_cents))


def test_patient_balances_are_what_each_patient_owes_less_their_credit(login: Login) -> None:
    desk, biller = login("frontdesk"), login("billing")
    payments, ledger = PaymentService(biller), LedgerService(biller)
    owes = new_patient(desk, "Owes")
    post_new_charge(biller, owes, 12_000, service_on=TODAY - timedelta(days=40))
    post_new_charge(biller, owes, 3_000)
    payments.take_payment(owes, PaymentInput(PaymentMethod.CASH, 2_000))  # oldest first
    # Insurance's part is not the patient's to pay; their credit is taken off what they owe.
    insured = new_patient(desk, "Insured", insured=True)
    post_new_charge(biller, insured, 50_000)
    partly = new_patient(desk, "Partly")
    post_new_charge(biller, partly, 4_000)
    payments.take_payment(partly, PaymentInput(PaymentMethod.CASH, 1_500, applied=[]))
    paid_up = new_patient(desk, "Paidup")
    post_new_charge(biller, paid_up, 2_500)
    payments.take_payment(paid_up, PaymentInput(PaymentMethod.CARD, 2_500, "4242"))
    in_credit = new_patient(desk, "Credit")
    payments.take_payment(in_credit, PaymentInput(PaymentMethod.CASH, 900, applied=[]))

    everyone = _balances(biller, -(10**9))
    ours = {p: everyone.get(p) for p in (owes, insured, partly, paid_up, in_credit)}

    assert ours == {owes: 13_000, insured: None, partly: 2_500, paid_up: None, in_credit: -900}
    for patient_id in (owes, partly, in_credit):
        assert everyone[patient_id] == ledger.account(patient_id).patient_cents
    over_25 = _balances(biller, 2_500)
    assert owes in over_25 and partly in over_25  # at the minimum counts
    assert in_credit not in over_25
    assert partly not in _balances(biller, 2_501)
    assert list(everyone) == sorted(everyone)


def test_the_balance_tables_stay_on_this_device(login: Login) -> None:
    desk, biller = login("frontdesk"), login("billing")
    patient = new_patient(desk)
    post_new_charge(biller, patient, 7_500)
    PaymentService(biller).take_payment(patient, PaymentInput(PaymentMethod.CASH, 10_000))

    recorded = {row["table_name"] for row in outbox_rows(biller)}

    assert "ledger_entry" in recorded
    assert not recorded & {"charge_balance", "account_credit"}
    credit = query(biller, "SELECT credit_cents FROM account_credit WHERE patient_id = ?", patient)
    assert credit == [{"credit_cents": 2_500}]
    # The charge is paid in full: no open row left for it.
    assert query(biller, "SELECT * FROM charge_balance WHERE patient_id = ?", patient) == []
