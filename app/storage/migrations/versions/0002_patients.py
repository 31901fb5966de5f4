"""patients, insurance, id counters

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 05:26:55.400594
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.base

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "id_counter",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("last_value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_id_counter")),
    )
    op.create_table(
        "patient",
        sa.Column("mrn", sa.String(length=20), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("middle_name", sa.String(length=100), nullable=True),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("suffix", sa.String(length=20), nullable=True),
        sa.Column("preferred_name", sa.String(length=100), nullable=True),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column(
            "sex_at_birth",
            sa.Enum("female", "male", "unknown", name="sexatbirth", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("gender_identity", sa.String(length=60), nullable=True),
        sa.Column("pronouns", sa.String(length=30), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("address_line1", sa.String(length=200), nullable=True),
        sa.Column("address_line2", sa.String(length=200), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("state", sa.String(length=2), nullable=True),
        sa.Column("postal_code", sa.String(length=10), nullable=True),
        sa.Column("preferred_language", sa.String(length=40), nullable=True),
        sa.Column("race", sa.String(length=60), nullable=True),
        sa.Column("ethnicity", sa.String(length=60), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "active",
                "inactive",
                "deceased",
                "merged",
                name="patientstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("deceased_on", sa.Date(), nullable=True),
        sa.Column("consent_sms", sa.Boolean(), nullable=False),
        sa.Column("consent_email", sa.Boolean(), nullable=False),
        sa.Column("consent_voicemail", sa.Boolean(), nullable=False),
        sa.Column("photo", sa.LargeBinary(), nullable=True),
        sa.Column("guarantor_patient_id", sa.String(length=36), nullable=True),
        sa.Column("guarantor_name", sa.String(length=200), nullable=True),
        sa.Column("guarantor_relationship", sa.String(length=40), nullable=True),
        sa.Column("guarantor_phone", sa.String(length=30), nullable=True),
        sa.Column("merged_into_id", sa.String(length=36), nullable=True),
        sa.Column("last_key", sa.String(length=100), nullable=False),
        sa.Column("first_key", sa.String(length=100), nullable=False),
        sa.Column("preferred_key", sa.String(length=100), nullable=True),
        sa.Column("last_sound", sa.String(length=40), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["guarantor_patient_id"],
            ["patient.id"],
            name=op.f("fk_patient_guarantor_patient_id_patient"),
        ),
        sa.ForeignKeyConstraint(
            ["merged_into_id"], ["patient.id"], name=op.f("fk_patient_merged_into_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patient")),
        sa.UniqueConstraint("mrn", name=op.f("uq_patient_mrn")),
    )
    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.create_index("ix_patient_dob", ["date_of_birth"], unique=False)
        batch_op.create_index("ix_patient_first_key", ["first_key", "last_key"], unique=False)
        batch_op.create_index("ix_patient_preferred_key", ["preferred_key"], unique=False)
        batch_op.create_index(
            "ix_patient_last_sound",
            ["last_sound", "last_key", "first_key", "date_of_birth"],
            unique=False,
        )
        batch_op.create_index(
            "ix_patient_name_search", ["last_key", "first_key", "date_of_birth"], unique=False
        )

    op.create_table(
        "payer",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("payer_code", sa.String(length=20), nullable=False),
        sa.Column("address_line1", sa.String(length=200), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("state", sa.String(length=2), nullable=True),
        sa.Column("postal_code", sa.String(length=10), nullable=True),
        sa.Column("phone", sa.String(length=30), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payer")),
    )
    with op.batch_alter_table("payer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payer_payer_code"), ["payer_code"], unique=False)

    op.create_table(
        "coverage",
        sa.Column("patient_id", sa.String(length=36), nullable=False),
        sa.Column("payer_id", sa.String(length=36), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.String(length=40), nullable=False),
        sa.Column("group_number", sa.String(length=40), nullable=True),
        sa.Column(
            "relationship_to_subscriber",
            sa.Enum(
                "self",
                "spouse",
                "child",
                "other",
                name="subscriberrelationship",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("subscriber_first_name", sa.String(length=100), nullable=False),
        sa.Column("subscriber_last_name", sa.String(length=100), nullable=False),
        sa.Column("subscriber_date_of_birth", sa.Date(), nullable=True),
        sa.Column("effective_on", sa.Date(), nullable=True),
        sa.Column("terminated_on", sa.Date(), nullable=True),
        sa.Column("copay_cents", sa.Integer(), nullable=False),
        sa.Column("card_front", sa.LargeBinary(), nullable=True),
        sa.Column("card_back", sa.LargeBinary(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_coverage_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["payer_id"], ["payer.id"], name=op.f("fk_coverage_payer_id_payer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coverage")),
    )
    with op.batch_alter_table("coverage", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coverage_member_id"), ["member_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_coverage_patient_id"), ["patient_id"], unique=False)

    op.create_table(
        "emergency_contact",
        sa.Column("patient_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("relationship_to_patient", sa.String(length=40), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_emergency_contact_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_emergency_contact")),
    )
    with op.batch_alter_table("emergency_contact", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_emergency_contact_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "patient_merge",
        sa.Column("survivor_id", sa.String(length=36), nullable=False),
        sa.Column("duplicate_id", sa.String(length=36), nullable=False),
        sa.Column("moved_rows", sa.JSON(), nullable=False),
        sa.Column("duplicate_status", sa.String(length=20), nullable=False),
        sa.Column("merged_by", sa.String(length=36), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=True),
        sa.Column("undone_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("undone_by", sa.String(length=36), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["duplicate_id"], ["patient.id"], name=op.f("fk_patient_merge_duplicate_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["survivor_id"], ["patient.id"], name=op.f("fk_patient_merge_survivor_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patient_merge")),
    )
    with op.batch_alter_table("patient_merge", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_patient_merge_duplicate_id"), ["duplicate_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_patient_merge_survivor_id"), ["survivor_id"], unique=False
        )

    op.create_table(
        "patient_phone",
        sa.Column("patient_id", sa.String(length=36), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("mobile", "home", "work", name="phonekind", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("number", sa.String(length=30), nullable=False),
        sa.Column("digits_reversed", sa.String(length=20), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_patient_phone_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patient_phone")),
    )
    with op.batch_alter_table("patient_phone", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_patient_phone_digits_reversed"), ["digits_reversed"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_patient_phone_patient_id"), ["patient_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("patient_phone", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_patient_phone_patient_id"))
        batch_op.drop_index(batch_op.f("ix_patient_phone_digits_reversed"))

    op.drop_table("patient_phone")
    with op.batch_alter_table("patient_merge", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_patient_merge_survivor_id"))
        batch_op.drop_index(batch_op.f("ix_patient_merge_duplicate_id"))

    op.drop_table("patient_merge")
    with op.batch_alter_table("emergency_contact", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_emergency_contact_patient_id"))

    op.drop_table("emergency_contact")
    with op.batch_alter_table("coverage", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coverage_patient_id"))
        batch_op.drop_index(batch_op.f("ix_coverage_member_id"))

    op.drop_table("coverage")
    with op.batch_alter_table("payer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payer_payer_code"))

    op.drop_table("payer")
    with op.batch_alter_table("patient", schema=None) as batch_op:
        batch_op.drop_index("ix_patient_name_search")
        batch_op.drop_index("ix_patient_last_sound")
        batch_op.drop_index("ix_patient_preferred_key")
        batch_op.drop_index("ix_patient_first_key")
        batch_op.drop_index("ix_patient_dob")

    op.drop_table("patient")
    op.drop_table("id_counter")
