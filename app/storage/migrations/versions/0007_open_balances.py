"""open balances: each charge's open balance per responsibility and each account's unapplied
credit, kept by triggers on ledger_entry (derived and local, never synced), filled from the
entries already posted

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.models.ledger import OPEN_BALANCE_TRIGGERS

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

_RESPONSIBILITY = sa.Enum(
    "patient", "insurance", name="responsibility", native_enum=False, length=20
)


def upgrade() -> None:
    op.create_table(
        "charge_balance",
        sa.Column("charge_id", sa.String(length=36), nullable=False),
        sa.Column("responsibility", _RESPONSIBILITY, nullable=False),
        sa.Column("service_on", sa.Date(), nullable=False),
        sa.Column("patient_id", sa.String(length=36), nullable=False),
        sa.Column("open_cents", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["charge_id"], ["charge.id"], name=op.f("fk_charge_balance_charge_id_charge")
        ),
        sa.PrimaryKeyConstraint("charge_id", "responsibility", name=op.f("pk_charge_balance")),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_charge_balance_patient", "charge_balance", ["patient_id"], unique=False)
    op.create_table(
        "account_credit",
        sa.Column("patient_id", sa.String(length=36), nullable=False),
        sa.Column("responsibility", _RESPONSIBILITY, nullable=False),
        sa.Column("credit_cents", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("patient_id", "responsibility", name=op.f("pk_account_credit")),
        sqlite_with_rowid=False,
    )
    # What the triggers would have kept, had they been there from the first entry.
    op.execute(
        "INSERT INTO charge_balance (charge_id, responsibility, service_on, patient_id, "
        "open_cents) SELECT e.charge_id, e.responsibility, c.service_on, c.patient_id, "
        "SUM(e.amount_cents) FROM ledger_entry e JOIN charge c ON c.id = e.charge_id "
        "GROUP BY e.charge_id, e.responsibility HAVING SUM(e.amount_cents) != 0"
    )
    op.execute(
        "INSERT INTO account_credit (patient_id, responsibility, credit_cents) "
        "SELECT patient_id, responsibility, -SUM(amount_cents) FROM ledger_entry "
        "WHERE charge_id IS NULL GROUP BY patient_id, responsibility "
        "HAVING SUM(amount_cents) != 0"
    )
    for statement in OPEN_BALANCE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS ledger_entry_account_credit")
    op.execute("DROP TRIGGER IF EXISTS ledger_entry_charge_balance")
    op.drop_table("account_credit")
    op.drop_index("ix_charge_balance_patient", table_name="charge_balance")
    op.drop_table("charge_balance")
