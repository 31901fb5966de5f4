"""charting: encounters, notes and addenda, note templates and snippets, vitals, problems,
allergies, medications, past and family history, social history, immunizations, documents

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.base

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "note_snippet",
        sa.Column("shortcut", sa.String(length=30), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_note_snippet")),
    )
    with op.batch_alter_table("note_snippet", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_note_snippet_shortcut"), ["shortcut"], unique=False)

    op.create_table(
        "note_template",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("doctor", "nursing", "progress", name="notekind", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column(
            "encounter_type",
            sa.Enum(
                "office_visit",
                "telehealth",
                "phone",
                "nursing_visit",
                name="encountertype",
                native_enum=False,
                length=20,
            ),
            nullable=True,
        ),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_note_template")),
    )
    op.create_table(
        "allergy",
        sa.Column("patient_id", sa.String(length=36), nullable=False),
        sa.Column("no_known", sa.Boolean(), nullable=False),
        sa.Column("substance", sa.String(length=200), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "medication",
                "food",
                "environment",
                "other",
                name="allergycategory",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "type",
            sa.Enum("allergy", "intolerance", name="allergytype", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("reaction", sa.String(length=300), nullable=True),
        sa.Column(
            "severity",
            sa.Enum("mild", "moderate", "severe", name="severity", native_enum=False, length=20),
            nullable=True,
        ),
        sa.Column(
            "criticality",
            sa.Enum(
                "low", "high", "unable-to-assess", name="criticality", native_enum=False, length=20
            ),
            nullable=True,
        ),
        sa.Column("onset_on", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "active", "inactive", "resolved", name="allergystatus", native_enum=False, length=20
            ),
            nullable=False,
        ),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("error_reason", sa.String(length=500), nullable=True),
        sa.Column("error_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("error_by_id", sa.String(length=36), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_allergy_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allergy")),
    )
    with op.batch_alter_table("allergy", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_allergy_patient_id"), ["patient_id"], unique=False)

    op.create_table(
        "family_history",
        sa.Column("patient_id", sa.String(length=36), nullable=False),
        sa.Column("relative", sa.String(length=40), nullable=False),
        sa.Column("condition", sa.String(length=300), nullable=False),
        sa.Column("icd10_code", sa.String(length=10), nullable=True),
        sa.Column("age_at_onset", sa.Integer(), nullable=True),
        sa.Column("deceased", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("error_reason", sa.String(length=500), nullable=True),
        sa.Column("error_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("error_by_id", sa.String(length=36), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_family_history_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_family_history")),
    )
    with op.batch_alter_table("family_history", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_family_history_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "medication",
        sa.Column("patient_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("rxnorm_code", sa.String(length=20), nullable=True),
        sa.Column("sig", sa.String(length=300), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum("active", "stopped", name="medicationstatus", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("stopped_on", sa.Date(), nullable=True),
        sa.Column("stop_reason", sa.String(length=300), nullable=True),
        sa.Column("prescriber", sa.String(length=200), nullable=True),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("error_reason", sa.String(length=500), nullable=True),
        sa.Column("error_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("error_by_id", sa.String(length=36), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_medication_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_medication")),
    )
    with op.batch_alter_table("medication", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_medication_patient_id"), ["patient_id"], unique=False)

    op.create_table(
        "past_history",
        sa.Column("patient_id", sa.String(length=36), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("medical", "surgical", name="historykind", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("icd10_code", sa.String(length=10), nullable=True),
        sa.Column("when_text", sa.String(length=40), nullable=True),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("error_reason", sa.String(length=500), nullable=True),
        sa.Column("error_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("error_by_id", sa.String(length=36), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_past_history_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_past_history")),
    )
    with op.batch_alter_table("past_history", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_past_history_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "social_history",
        sa.Column("patient_id", sa.String(length=36), nullable=False),
        sa.Column(
            "smoking_status",
            sa.Enum(
                "never",
                "former",
                "current_every_day",
                "current_some_days",
                "current_unknown_frequency",
                "unknown",
                name="smokingstatus",
                native_enum=False,
                length=30,
            ),
            nullable=False,
        ),
        sa.Column("tobacco_note", sa.String(length=300), nullable=True),
        sa.Column("alcohol", sa.String(length=300), nullable=True),
        sa.Column("drugs", sa.String(length=300), nullable=True),
        sa.Column("occupation", sa.String(length=200), nullable=True),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_social_history_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_social_history")),
        sa.UniqueConstraint("patient_id", name=op.f("uq_social_history_patient_id")),
    )
    op.create_table(
        "encounter",
        sa.Column("patient_id", sa.String(length=36), nullable=False),
        sa.Column("provider_id", sa.String(length=36), nullable=False),
        sa.Column("location_id", sa.String(length=36), nullable=True),
        sa.Column("appointment_id", sa.String(length=36), nullable=True),
        sa.Column(
            "type",
            sa.Enum(
                "office_visit",
                "telehealth",
                "phone",
                "nursing_visit",
                name="encountertype",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("starts_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "open",
                "signed",
                "entered_in_error",
                name="encounterstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("signed_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("signed_by_id", sa.String(length=36), nullable=True),
        sa.Column("error_reason", sa.String(length=500), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["appointment_id"],
            ["appointment.id"],
            name=op.f("fk_encounter_appointment_id_appointment"),
        ),
        sa.ForeignKeyConstraint(
            ["location_id"], ["location.id"], name=op.f("fk_encounter_location_id_location")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_encounter_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["user_account.id"], name=op.f("fk_encounter_provider_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_encounter")),
    )
    with op.batch_alter_table("encounter", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_encounter_appointment_id"), ["appointment_id"], unique=False
        )
        batch_op.create_index(
            "ix_encounter_patient_start", ["patient_id", "starts_at"], unique=False
        )

    op.create_table(
        "clinical_document",
        sa.Column("patient_id", sa.String(length=36), nullable=False),
        sa.Column(
            "category",
            sa.Enum(
                "lab_report",
                "imaging_report",
                "letter",
                "referral",
                "consent",
                "other",
                name="documentcategory",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("document_on", sa.Date(), nullable=False),
        sa.Column("media_type", sa.String(length=60), nullable=False),
        sa.Column("byte_count", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("imported_by_id", sa.String(length=36), nullable=False),
        sa.Column("encounter_id", sa.String(length=36), nullable=True),
        sa.Column("reviewer_id", sa.String(length=36), nullable=True),
        sa.Column("reviewed_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("review_note", sa.String(length=1000), nullable=True),
        sa.Column("error_reason", sa.String(length=500), nullable=True),
        sa.Column("error_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("error_by_id", sa.String(length=36), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["encounter_id"],
            ["encounter.id"],
            name=op.f("fk_clinical_document_encounter_id_encounter"),
        ),
        sa.ForeignKeyConstraint(
            ["imported_by_id"],
            ["user_account.id"],
            name=op.f("fk_clinical_document_imported_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_clinical_document_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"],
            ["user_account.id"],
            name=op.f("fk_clinical_document_reviewer_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinical_document")),
    )
    with op.batch_alter_table("clinical_document", schema=None) as batch_op:
        batch_op.create_index(
            "ix_clinical_document_patient_date", ["patient_id", "document_on"], unique=False
        )

    op.create_table(
        "clinical_note",
        sa.Column("patient_id", sa.String(length=36), nullable=False),
        sa.Column("encounter_id", sa.String(length=36), nullable=True),
        sa.Column(
            "kind",
            sa.Enum("doctor", "nursing", "progress", name="notekind", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("template_id", sa.String(length=36), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("author_id", sa.String(length=36), nullable=False),
        sa.Column("written_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "awaiting_cosign",
                "signed",
                "entered_in_error",
                name="notestatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("draft_saved_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("signed_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("signed_by_id", sa.String(length=36), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=True),
        sa.Column("cosigner_id", sa.String(length=36), nullable=True),
        sa.Column("cosigned_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("error_reason", sa.String(length=500), nullable=True),
        sa.Column("error_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("error_by_id", sa.String(length=36), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"], ["user_account.id"], name=op.f("fk_clinical_note_author_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["cosigner_id"],
            ["user_account.id"],
            name=op.f("fk_clinical_note_cosigner_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["encounter_id"], ["encounter.id"], name=op.f("fk_clinical_note_encounter_id_encounter")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_clinical_note_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["note_template.id"],
            name=op.f("fk_clinical_note_template_id_note_template"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinical_note")),
    )
    with op.batch_alter_table("clinical_note", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_clinical_note_encounter_id"), ["encounter_id"], unique=False
        )
        batch_op.create_index(
            "ix_clinical_note_patient_time", ["patient_id", "written_at"], unique=False
        )

    op.create_table(
        "immunization",
        sa.Column("patient_id", sa.String(length=36), nullable=False),
        sa.Column("cvx_code", sa.String(length=4), nullable=False),
        sa.Column("vaccine", sa.String(length=200), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("given_here", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("lot_number", sa.String(length=40), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=True),
        sa.Column("site", sa.String(length=40), nullable=True),
        sa.Column("route", sa.String(length=20), nullable=True),
        sa.Column("dose", sa.String(length=40), nullable=True),
        sa.Column("given_by_id", sa.String(length=36), nullable=True),
        sa.Column("encounter_id", sa.String(length=36), nullable=True),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("error_reason", sa.String(length=500), nullable=True),
        sa.Column("error_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("error_by_id", sa.String(length=36), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["encounter_id"], ["encounter.id"], name=op.f("fk_immunization_encounter_id_encounter")
        ),
        sa.ForeignKeyConstraint(
            ["given_by_id"],
            ["user_account.id"],
            name=op.f("fk_immunization_given_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_immunization_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_immunization")),
    )
    with op.batch_alter_table("immunization", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_immunization_patient_id"), ["patient_id"], unique=False
        )

    op.create_table(
        "problem",
        sa.Column("patient_id", sa.String(length=36), nullable=False),
        sa.Column("icd10_code", sa.String(length=10), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("onset_on", sa.Date(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "active", "resolved", "inactive", name="problemstatus", native_enum=False, length=20
            ),
            nullable=False,
        ),
        sa.Column("resolved_on", sa.Date(), nullable=True),
        sa.Column("note", sa.String(length=1000), nullable=True),
        sa.Column("encounter_id", sa.String(length=36), nullable=True),
        sa.Column("error_reason", sa.String(length=500), nullable=True),
        sa.Column("error_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("error_by_id", sa.String(length=36), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["encounter_id"], ["encounter.id"], name=op.f("fk_problem_encounter_id_encounter")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_problem_patient_id_patient")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_problem")),
    )
    with op.batch_alter_table("problem", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_problem_patient_id"), ["patient_id"], unique=False)

    op.create_table(
        "vitals_set",
        sa.Column("patient_id", sa.String(length=36), nullable=False),
        sa.Column("encounter_id", sa.String(length=36), nullable=True),
        sa.Column("taken_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("taken_by_id", sa.String(length=36), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("error_reason", sa.String(length=500), nullable=True),
        sa.Column("error_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("error_by_id", sa.String(length=36), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["encounter_id"], ["encounter.id"], name=op.f("fk_vitals_set_encounter_id_encounter")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_vitals_set_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["taken_by_id"],
            ["user_account.id"],
            name=op.f("fk_vitals_set_taken_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vitals_set")),
    )
    with op.batch_alter_table("vitals_set", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_vitals_set_encounter_id"), ["encounter_id"], unique=False
        )
        batch_op.create_index(
            "ix_vitals_set_patient_taken", ["patient_id", "taken_at"], unique=False
        )

    op.create_table(
        "document_content",
        sa.Column("document_id", sa.String(length=36), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["clinical_document.id"],
            name=op.f("fk_document_content_document_id_clinical_document"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_content")),
        sa.UniqueConstraint("document_id", name=op.f("uq_document_content_document_id")),
    )
    op.create_table(
        "note_addendum",
        sa.Column("note_id", sa.String(length=36), nullable=False),
        sa.Column("author_id", sa.String(length=36), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("signed_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"], ["user_account.id"], name=op.f("fk_note_addendum_author_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["note_id"], ["clinical_note.id"], name=op.f("fk_note_addendum_note_id_clinical_note")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_note_addendum")),
    )
    with op.batch_alter_table("note_addendum", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_note_addendum_note_id"), ["note_id"], unique=False)

    op.create_table(
        "vital_observation",
        sa.Column("vitals_set_id", sa.String(length=36), nullable=False),
        sa.Column("patient_id", sa.String(length=36), nullable=False),
        sa.Column("taken_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("loinc_code", sa.String(length=10), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column(
            "flag",
            sa.Enum(
                "normal",
                "low",
                "high",
                "critical_low",
                "critical_high",
                name="vitalflag",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_vital_observation_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["vitals_set_id"],
            ["vitals_set.id"],
            name=op.f("fk_vital_observation_vitals_set_id_vitals_set"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_vital_observation")),
    )
    with op.batch_alter_table("vital_observation", schema=None) as batch_op:
        batch_op.create_index(
            "ix_vital_observation_patient_code_taken",
            ["patient_id", "loinc_code", "taken_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_vital_observation_vitals_set_id"), ["vitals_set_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("vital_observation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_vital_observation_vitals_set_id"))
        batch_op.drop_index("ix_vital_observation_patient_code_taken")

    op.drop_table("vital_observation")
    with op.batch_alter_table("note_addendum", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_note_addendum_note_id"))

    op.drop_table("note_addendum")
    op.drop_table("document_content")
    with op.batch_alter_table("vitals_set", schema=None) as batch_op:
        batch_op.drop_index("ix_vitals_set_patient_taken")
        batch_op.drop_index(batch_op.f("ix_vitals_set_encounter_id"))

    op.drop_table("vitals_set")
    with op.batch_alter_table("problem", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_problem_patient_id"))

    op.drop_table("problem")
    with op.batch_alter_table("immunization", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_immunization_patient_id"))

    op.drop_table("immunization")
    with op.batch_alter_table("clinical_note", schema=None) as batch_op:
        batch_op.drop_index("ix_clinical_note_patient_time")
        batch_op.drop_index(batch_op.f("ix_clinical_note_encounter_id"))

    op.drop_table("clinical_note")
    with op.batch_alter_table("clinical_document", schema=None) as batch_op:
        batch_op.drop_index("ix_clinical_document_patient_date")

    op.drop_table("clinical_document")
    with op.batch_alter_table("encounter", schema=None) as batch_op:
        batch_op.drop_index("ix_encounter_patient_start")
        batch_op.drop_index(batch_op.f("ix_encounter_appointment_id"))

    op.drop_table("encounter")
    op.drop_table("social_history")
    with op.batch_alter_table("past_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_past_history_patient_id"))

    op.drop_table("past_history")
    with op.batch_alter_table("medication", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_medication_patient_id"))

    op.drop_table("medication")
    with op.batch_alter_table("family_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_family_history_patient_id"))

    op.drop_table("family_history")
    with op.batch_alter_table("allergy", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_allergy_patient_id"))

    op.drop_table("allergy")
    op.drop_table("note_template")
    with op.batch_alter_table("note_snippet", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_note_snippet_shortcut"))

    op.drop_table("note_snippet")
