"""billing: fee schedules and their items, charges, payments, the append-only patient
ledger, daily close and statements

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.base
from app.models.ledger import APPEND_ONLY_TRIGGERS

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "daily_close",
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.Column("closed_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("closed_by_id", sa.String(length=36), nullable=False),
        sa.Column("charges_cents", sa.Integer(), nullable=False),
        sa.Column("receipts_cents", sa.Integer(), nullable=False),
        sa.Column("totals", sa.JSON(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["closed_by_id"],
            ["user_account.id"],
            name=op.f("fk_daily_close_closed_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_daily_close")),
        sa.UniqueConstraint("business_day", name=op.f("uq_daily_close_business_day")),
    )
    op.create_table(
        "fee_schedule",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("payer_id", sa.String(length=36), nullable=True),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["payer_id"], ["payer.id"], name=op.f("fk_fee_schedule_payer_id_payer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fee_schedule")),
    )
    with op.batch_alter_table("fee_schedule", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fee_schedule_payer_id"), ["payer_id"], unique=False)

    op.create_table(
        "fee_schedule_item",
        sa.Column("schedule_id", sa.String(length=36), nullable=False),
        sa.Column(
            "code_system",
            sa.Enum("cpt", "hcpcs", name="codesystem", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("code", sa.String(length=5), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("price_cents", sa.Integer(), nullable=False),
        sa.Column("default_units", sa.Integer(), nullable=False),
        sa.Column("default_icd10", sa.String(length=10), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["schedule_id"],
            ["fee_schedule.id"],
            name=op.f("fk_fee_schedule_item_schedule_id_fee_schedule"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fee_schedule_item")),
    )
    with op.batch_alter_table("fee_schedule_item", schema=None) as batch_op:
        batch_op.create_index("ix_fee_schedule_item_code", ["schedule_id", "code"], unique=False)

    op.create_table(
        "payment",
        sa.Column("patient_id", sa.String(length=36), nullable=False),
        sa.Column(
            "method",
            sa.Enum(
                "cash",
                "card",
                "cheque",
                "insurance",
                name="paymentmethod",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(length=60), nullable=True),
        sa.Column("receipt_number", sa.String(length=20), nullable=False),
        sa.Column("payer_id", sa.String(length=36), nullable=True),
        sa.Column("appointment_id", sa.String(length=36), nullable=True),
        sa.Column("received_by_id", sa.String(length=36), nullable=False),
        sa.Column("note", sa.String(length=300), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["appointment_id"],
            ["appointment.id"],
            name=op.f("fk_payment_appointment_id_appointment"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_payment_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(["payer_id"], ["payer.id"], name=op.f("fk_payment_payer_id_payer")),
        sa.ForeignKeyConstraint(
            ["received_by_id"],
            ["user_account.id"],
            name=op.f("fk_payment_received_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment")),
        sa.UniqueConstraint("receipt_number", name=op.f("uq_payment_receipt_number")),
    )
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payment_patient_id"), ["patient_id"], unique=False)

    op.create_table(
        "charge",
        sa.Column("patient_id", sa.String(length=36), nullable=False),
        sa.Column("encounter_id", sa.String(length=36), nullable=True),
        sa.Column(
            "code_system",
            sa.Enum("cpt", "hcpcs", name="codesystem", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("procedure_code", sa.String(length=5), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("modifiers", sa.JSON(), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("diagnosis_codes", sa.JSON(), nullable=False),
        sa.Column("diagnosis_pointers", sa.JSON(), nullable=False),
        sa.Column("place_of_service", sa.String(length=2), nullable=False),
        sa.Column("rendering_provider_id", sa.String(length=36), nullable=False),
        sa.Column("service_on", sa.Date(), nullable=False),
        sa.Column("unit_price_cents", sa.Integer(), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("fee_schedule_item_id", sa.String(length=36), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "proposed", "posted", "voided", name="chargestatus", native_enum=False, length=20
            ),
            nullable=False,
        ),
        sa.Column("suggestion_reason", sa.String(length=500), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["encounter_id"], ["encounter.id"], name=op.f("fk_charge_encounter_id_encounter")
        ),
        sa.ForeignKeyConstraint(
            ["fee_schedule_item_id"],
            ["fee_schedule_item.id"],
            name=op.f("fk_charge_fee_schedule_item_id_fee_schedule_item"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_charge_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["rendering_provider_id"],
            ["user_account.id"],
            name=op.f("fk_charge_rendering_provider_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_charge")),
    )
    with op.batch_alter_table("charge", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_charge_encounter_id"), ["encounter_id"], unique=False)
        batch_op.create_index(
            "ix_charge_patient_service", ["patient_id", "service_on"], unique=False
        )

    op.create_table(
        "statement",
        sa.Column("patient_id", sa.String(length=36), nullable=False),
        sa.Column("statement_number", sa.String(length=20), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("balance_cents", sa.Integer(), nullable=False),
        sa.Column("aging", sa.JSON(), nullable=False),
        sa.Column("message", sa.String(length=500), nullable=True),
        sa.Column("sent_by", sa.String(length=10), nullable=False),
        sa.Column("outbound_message_id", sa.String(length=36), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["outbound_message_id"],
            ["outbound_message.id"],
            name=op.f("fk_statement_outbound_message_id_outbound_message"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_statement_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_statement")),
        sa.UniqueConstraint("statement_number", name=op.f("uq_statement_statement_number")),
    )
    with op.batch_alter_table("statement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_statement_patient_id"), ["patient_id"], unique=False)

    op.create_table(
        "ledger_entry",
        sa.Column("patient_id", sa.String(length=36), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "charge",
                "payment",
                "adjustment",
                "write_off",
                "refund",
                "transfer",
                "reversal",
                name="entrykind",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column(
            "responsibility",
            sa.Enum("patient", "insurance", name="responsibility", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("charge_id", sa.String(length=36), nullable=True),
        sa.Column("payment_id", sa.String(length=36), nullable=True),
        sa.Column("reverses_id", sa.String(length=36), nullable=True),
        sa.Column("reason", sa.String(length=300), nullable=True),
        sa.Column("reason_code", sa.String(length=10), nullable=True),
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.Column("posted_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("posted_by_id", sa.String(length=36), nullable=True),
        sa.Column("provider_id", sa.String(length=36), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["charge_id"], ["charge.id"], name=op.f("fk_ledger_entry_charge_id_charge")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_ledger_entry_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["payment_id"], ["payment.id"], name=op.f("fk_ledger_entry_payment_id_payment")
        ),
        sa.ForeignKeyConstraint(
            ["posted_by_id"],
            ["user_account.id"],
            name=op.f("fk_ledger_entry_posted_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["user_account.id"],
            name=op.f("fk_ledger_entry_provider_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["reverses_id"],
            ["ledger_entry.id"],
            name=op.f("fk_ledger_entry_reverses_id_ledger_entry"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_entry")),
    )
    with op.batch_alter_table("ledger_entry", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ledger_entry_charge_id"), ["charge_id"], unique=False)
        batch_op.create_index("ix_ledger_entry_day", ["business_day"], unique=False)
        batch_op.create_index(
            "ix_ledger_entry_patient_posted", ["patient_id", "posted_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_ledger_entry_payment_id"), ["payment_id"], unique=False
        )
    for statement in APPEND_ONLY_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    with op.batch_alter_table("ledger_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ledger_entry_payment_id"))
        batch_op.drop_index("ix_ledger_entry_patient_posted")
        batch_op.drop_index("ix_ledger_entry_day")
        batch_op.drop_index(batch_op.f("ix_ledger_entry_charge_id"))

    op.drop_table("ledger_entry")
    with op.batch_alter_table("statement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_statement_patient_id"))

    op.drop_table("statement")
    with op.batch_alter_table("charge", schema=None) as batch_op:
        batch_op.drop_index("ix_charge_patient_service")
        batch_op.drop_index(batch_op.f("ix_charge_encounter_id"))

    op.drop_table("charge")
    with op.batch_alter_table("payment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payment_patient_id"))

    op.drop_table("payment")
    with op.batch_alter_table("fee_schedule_item", schema=None) as batch_op:
        batch_op.drop_index("ix_fee_schedule_item_code")

    op.drop_table("fee_schedule_item")
    with op.batch_alter_table("fee_schedule", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fee_schedule_payer_id"))

    op.drop_table("fee_schedule")
    op.drop_table("daily_close")
