"""claim delivery: when an 837P batch was handed to the clearinghouse transport, and to what

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.base

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("claim_file", sa.Column("delivered_at", app.models.base.UtcDateTime()))
    op.add_column("claim_file", sa.Column("delivered_to", sa.String(length=200)))


def downgrade() -> None:
    op.drop_column("claim_file", "delivered_to")
    op.drop_column("claim_file", "delivered_at")
