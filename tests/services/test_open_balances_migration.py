"""Migration 0007 on a practice that already has a ledger: the open balances are filled from
the entries posted before it, and the triggers keep them from then on."""

from __future__ import annotations

from collections.abc import Callable

from alembic import command

from app.models import PaymentMethod, Responsibility
from app.services.context import AppContext
from app.services.ledger import LedgerService
from app.services.ledger_data import PaymentInput
from app.services.payments import PaymentService
from app.storage.database import open_database
from app.storage.engine import open_engine
from app.storage.migrate import alembic_config, head_revision
from tests.services.helpers import query, raw_db
from tests.services.permission_cases_ledger import new_patient, post_new_charge

BALANCES = (
    "SELECT charge_id, responsibility, service_on, patient_id, open_cents FROM charge_balance "
    "ORDER BY charge_id, responsibility"
)
CREDITS = "SELECT * FROM account_credit ORDER BY patient_id, responsibility"


def test_an_older_ledger_gets_its_open_balances(login: Callable[[str], AppContext]) -> None:
    desk, biller = login("frontdesk"), login("billing")
    payments = PaymentService(biller)
    paid, insured = new_patient(desk, "Paid"), new_patient(desk, "Insured", insured=True)
    post_new_charge(biller, paid, 6_000)
    payments.take_payment(paid, PaymentInput(PaymentMethod.CASH, 8_000))  # $20 credit
    charge = post_new_charge(biller, insured, 9_000)
    LedgerService(biller).transfer(charge, 2_000, to=Responsibility.PATIENT)
    before = query(biller, BALANCES), query(biller, CREDITS)
    assert before[0] and before[1]
    # The database as 0006 left it: later migrations undone, no balance tables, no triggers.
    engine = open_engine(biller.vault.paths.database, biller.vault.database_key)
    with engine.begin() as connection:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.downgrade(config, "0007")
    engine.dispose()
    with raw_db(biller) as db:
        db.execute("DROP TRIGGER ledger_entry_charge_balance")
        db.execute("DROP TRIGGER ledger_entry_account_credit")
        db.execute("DROP TABLE charge_balance")
        db.execute("DROP TABLE account_credit")
        db.execute("UPDATE alembic_version SET version_num = '0006'")

    open_database(biller.vault.paths, biller.vault.database_key).dispose()

    assert (query(biller, BALANCES), query(biller, CREDITS)) == before
    assert query(biller, "SELECT version_num FROM alembic_version") == [
        {"version_num": head_revision()}
    ]
    payments.take_payment(insured, PaymentInput(PaymentMethod.CASH, 500))  # triggers are back
    assert query(
        biller,
        "SELECT open_cents FROM charge_balance WHERE charge_id = ? AND responsibility = 'patient'",
        charge,
    ) == [{"open_cents": 1_500}]
