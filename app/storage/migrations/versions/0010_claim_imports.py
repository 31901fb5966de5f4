"""claim imports: the review list of what an imported 999 / 277CA / 835 could not apply,
and the payments (payer and trace number) an imported 835 carried

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.base

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("claim_file") as batch:
        batch.add_column(
            sa.Column("payment_keys", sa.JSON(), server_default=sa.text("'[]'"), nullable=False)
        )
    op.create_table(
        "claim_review_item",
        sa.Column("claim_file_id", sa.String(length=36), nullable=False),
        sa.Column("claim_id", sa.String(length=36), nullable=True),
        sa.Column("control_number", sa.String(length=50), nullable=True),
        sa.Column("line_control", sa.String(length=50), nullable=True),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("resolved_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("resolved_by_id", sa.String(length=36), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["claim_file_id"],
            ["claim_file.id"],
            name=op.f("fk_claim_review_item_claim_file_id_claim_file"),
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_claim_review_item_claim_id_claim")
        ),
        sa.ForeignKeyConstraint(
            ["resolved_by_id"],
            ["user_account.id"],
            name=op.f("fk_claim_review_item_resolved_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_review_item")),
    )
    op.create_index(
        op.f("ix_claim_review_item_claim_file_id"), "claim_review_item", ["claim_file_id"]
    )
    op.create_index(op.f("ix_claim_review_item_claim_id"), "claim_review_item", ["claim_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_claim_review_item_claim_id"), table_name="claim_review_item")
    op.drop_index(op.f("ix_claim_review_item_claim_file_id"), table_name="claim_review_item")
    op.drop_table("claim_review_item")
    with op.batch_alter_table("claim_file") as batch:
        batch.drop_column("payment_keys")
