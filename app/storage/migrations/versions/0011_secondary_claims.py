"""secondary claims: each claim line's adjudication by the payer (paid amount, date, CAS
adjustments), which a secondary claim reports to the next payer

Revision ID: 0011
Revises: 0010
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.base

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "claim_line_adjudication",
        sa.Column("claim_id", sa.String(length=36), nullable=False),
        sa.Column("claim_line_id", sa.String(length=36), nullable=False),
        sa.Column("claim_file_id", sa.String(length=36), nullable=False),
        sa.Column("trace_number", sa.String(length=50), nullable=False),
        sa.Column("claim_status_code", sa.String(length=2), nullable=False),
        sa.Column("paid_cents", sa.Integer(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("adjustments", sa.JSON(), nullable=False),
        sa.Column("reversed_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_claim_line_adjudication_claim_id_claim")
        ),
        sa.ForeignKeyConstraint(
            ["claim_line_id"],
            ["claim_line.id"],
            name=op.f("fk_claim_line_adjudication_claim_line_id_claim_line"),
        ),
        sa.ForeignKeyConstraint(
            ["claim_file_id"],
            ["claim_file.id"],
            name=op.f("fk_claim_line_adjudication_claim_file_id_claim_file"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_line_adjudication")),
    )
    op.create_index(
        op.f("ix_claim_line_adjudication_claim_id"), "claim_line_adjudication", ["claim_id"]
    )
    op.create_index(
        op.f("ix_claim_line_adjudication_claim_line_id"),
        "claim_line_adjudication",
        ["claim_line_id"],
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_claim_line_adjudication_claim_line_id"), table_name="claim_line_adjudication"
    )
    op.drop_index(op.f("ix_claim_line_adjudication_claim_id"), table_name="claim_line_adjudication")
    op.drop_table("claim_line_adjudication")
