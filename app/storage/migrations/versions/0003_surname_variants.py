"""surname variants for typo-tolerant search

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from app.models.search_index import one_deletion_variants

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        "surname_variant",
        sa.Column("variant", sa.String(length=100), nullable=False),
        sa.Column("last_key", sa.String(length=100), nullable=False),
        sa.PrimaryKeyConstraint("variant", "last_key", name=op.f("pk_surname_variant")),
        sqlite_with_rowid=False,
    )
    connection = op.get_bind()
    surnames = connection.exec_driver_sql("SELECT DISTINCT last_key FROM patient").scalars()
    rows = [
        {"variant": variant, "last_key": key}
        for key in surnames
        for variant in one_deletion_variants(key)
    ]
    if rows:
        op.bulk_insert(table, rows)


def downgrade() -> None:
    op.drop_table("surname_variant")
