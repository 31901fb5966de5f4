"""Open balances read from the trigger-kept tables (charge_balance, account_credit), not by
adding up ledger entries: fast enough to run over the whole practice.

These are building blocks for use cases (statement batches, aging): they take a session and
check no permission and write no audit entry; the use case that calls them does both.
"""

from __future__ import annotations

from sqlalchemy import func, select, union_all
from sqlalchemy.orm import Session

from app.models import AccountCredit, ChargeOpenBalance, Responsibility


def patient_balances(session: Session, minimum_cents: int) -> list[tuple[str, int]]:
    """(patient id, what the patient owes) for every account owing at least `minimum_cents`,
    by patient id. What the patient owes is the patient's part of the open charges less the
    patient's unapplied credit (AccountView.patient_cents); insurance's part is left out.
    Accounts with nothing open and no credit are never listed, whatever the minimum."""
    patient = Responsibility.PATIENT
    owed = union_all(
        select(ChargeOpenBalance.patient_id, ChargeOpenBalance.open_cents.label("cents")).where(
            ChargeOpenBalance.responsibility == patient
        ),
        select(AccountCredit.patient_id, (-AccountCredit.credit_cents).label("cents")).where(
            AccountCredit.responsibility == patient
        ),
    ).subquery()
    total = func.sum(owed.c.cents)
    rows = session.execute(
        select(owed.c.patient_id, total)
        .group_by(owed.c.patient_id)
        .having(total >= minimum_cents)
        .order_by(owed.c.patient_id)
    )
    return [(str(patient_id), int(cents)) for patient_id, cents in rows]
