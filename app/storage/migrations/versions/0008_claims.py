"""claims: claims built from charges, their lines, status history, the X12 files written
and imported, the practice's own claim rules; payers' timely filing and filing indicator;
the practice's taxonomy, billing contact and clearinghouse ids

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.base

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None

_STATUSES = (
    "draft",
    "ready",
    "submitted",
    "accepted",
    "rejected",
    "paid",
    "partially_paid",
    "denied",
    "appealed",
    "corrected",
    "voided",
    "closed",
)


def _status() -> sa.Enum:
    return sa.Enum(*_STATUSES, name="claimstatus", native_enum=False, length=20)


def _sync_columns() -> list[sa.Column[object]]:
    """The columns every syncable row carries (app.models.base.SyncMixin)."""
    return [
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "claim_file",
        sa.Column(
            "kind",
            sa.Enum(
                "837p", "999", "277ca", "835", name="claimfilekind", native_enum=False, length=20
            ),
            nullable=False,
        ),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("interchange_number", sa.Integer(), nullable=True),
        sa.Column("claims_count", sa.Integer(), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("created_by_id", sa.String(length=36), nullable=True),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        *_sync_columns(),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_claim_file_created_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_file")),
        sa.UniqueConstraint("content_hash", name=op.f("uq_claim_file_content_hash")),
    )
    op.create_table(
        "scrub_rule",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("field", sa.String(length=100), nullable=False),
        sa.Column(
            "check",
            sa.Enum(
                "required",
                "pattern",
                "one_of",
                "not_one_of",
                "max_days_after_service",
                name="scrubcheck",
                native_enum=False,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("argument", sa.String(length=500), nullable=True),
        sa.Column("message", sa.String(length=300), nullable=False),
        sa.Column("payer_id", sa.String(length=36), nullable=True),
        sa.Column("blocks_submission", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        *_sync_columns(),
        sa.ForeignKeyConstraint(
            ["payer_id"], ["payer.id"], name=op.f("fk_scrub_rule_payer_id_payer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scrub_rule")),
    )
    op.create_table(
        "claim",
        sa.Column("patient_id", sa.String(length=36), nullable=False),
        sa.Column("encounter_id", sa.String(length=36), nullable=True),
        sa.Column("payer_id", sa.String(length=36), nullable=False),
        sa.Column("coverage_id", sa.String(length=36), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("control_number", sa.String(length=20), nullable=False),
        sa.Column("status", _status(), nullable=False),
        sa.Column("frequency_code", sa.String(length=1), nullable=False),
        sa.Column("payer_claim_number", sa.String(length=50), nullable=True),
        sa.Column("replaces_claim_id", sa.String(length=36), nullable=True),
        sa.Column("service_on", sa.Date(), nullable=False),
        sa.Column("total_cents", sa.Integer(), nullable=False),
        sa.Column("submitted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("claim_file_id", sa.String(length=36), nullable=True),
        sa.Column("owner_id", sa.String(length=36), nullable=True),
        sa.Column("next_action", sa.String(length=300), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("denial_reason", sa.String(length=500), nullable=True),
        sa.Column("denial_codes", sa.JSON(), nullable=False),
        *_sync_columns(),
        sa.ForeignKeyConstraint(
            ["claim_file_id"], ["claim_file.id"], name=op.f("fk_claim_claim_file_id_claim_file")
        ),
        sa.ForeignKeyConstraint(
            ["coverage_id"], ["coverage.id"], name=op.f("fk_claim_coverage_id_coverage")
        ),
        sa.ForeignKeyConstraint(
            ["encounter_id"], ["encounter.id"], name=op.f("fk_claim_encounter_id_encounter")
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["user_account.id"], name=op.f("fk_claim_owner_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_claim_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(["payer_id"], ["payer.id"], name=op.f("fk_claim_payer_id_payer")),
        sa.ForeignKeyConstraint(
            ["replaces_claim_id"], ["claim.id"], name=op.f("fk_claim_replaces_claim_id_claim")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim")),
        sa.UniqueConstraint("control_number", name=op.f("uq_claim_control_number")),
    )
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_encounter_id"), ["encounter_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index("ix_claim_status", ["status"], unique=False)

    op.create_table(
        "claim_event",
        sa.Column("claim_id", sa.String(length=36), nullable=False),
        sa.Column("from_status", _status(), nullable=True),
        sa.Column("to_status", _status(), nullable=False),
        sa.Column("occurred_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("user_id", sa.String(length=36), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        *_sync_columns(),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_claim_event_claim_id_claim")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_claim_event_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_event")),
    )
    with op.batch_alter_table("claim_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_event_claim_id"), ["claim_id"], unique=False)

    op.create_table(
        "claim_line",
        sa.Column("claim_id", sa.String(length=36), nullable=False),
        sa.Column("charge_id", sa.String(length=36), nullable=False),
        sa.Column("line_number", sa.Integer(), nullable=False),
        sa.Column("control", sa.String(length=50), nullable=False),
        sa.Column("charge_cents", sa.Integer(), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        *_sync_columns(),
        sa.ForeignKeyConstraint(
            ["charge_id"], ["charge.id"], name=op.f("fk_claim_line_charge_id_charge")
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_claim_line_claim_id_claim")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_line")),
    )
    with op.batch_alter_table("claim_line", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_line_charge_id"), ["charge_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_line_claim_id"), ["claim_id"], unique=False)

    with op.batch_alter_table("payer", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("timely_filing_days", sa.Integer(), server_default="365", nullable=False)
        )
        batch_op.add_column(
            sa.Column("filing_indicator", sa.String(length=2), server_default="CI", nullable=False)
        )

    with op.batch_alter_table("practice", schema=None) as batch_op:
        batch_op.add_column(sa.Column("taxonomy_code", sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column("billing_phone", sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column("billing_contact", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("clearinghouse_name", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("submitter_id", sa.String(length=15), nullable=True))
        batch_op.add_column(sa.Column("receiver_id", sa.String(length=15), nullable=True))


def downgrade() -> None:
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): a batch copy would drop the payer
    # and practice tables, which other rows refer to.
    for column in (
        "receiver_id",
        "submitter_id",
        "clearinghouse_name",
        "billing_contact",
        "billing_phone",
        "taxonomy_code",
    ):
        op.drop_column("practice", column)
    op.drop_column("payer", "filing_indicator")
    op.drop_column("payer", "timely_filing_days")
    op.drop_table("claim_line")
    op.drop_table("claim_event")
    op.drop_table("claim")
    op.drop_table("scrub_rule")
    op.drop_table("claim_file")
