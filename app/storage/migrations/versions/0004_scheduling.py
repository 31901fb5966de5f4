"""scheduling: hours, blocks, rooms, appointment types, appointments, series, waitlist,
reminder templates and the message queue

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.base

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: Sequence[str] | None = None
depends_on: Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "appointment_type",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("default_minutes", sa.Integer(), nullable=False),
        sa.Column("colour", sa.String(length=7), nullable=False),
        sa.Column("provider_ids", sa.JSON(), nullable=False),
        sa.Column("new_patients_only", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointment_type")),
    )
    op.create_table(
        "message_template",
        sa.Column(
            "channel",
            sa.Enum("email", "sms", name="channel", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("hours_before", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_template")),
    )
    op.create_table(
        "appointment_series",
        sa.Column("patient_id", sa.String(length=36), nullable=False),
        sa.Column("rule", sa.String(length=300), nullable=False),
        sa.Column("first_start", sa.DateTime(), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("split_from_id", sa.String(length=36), nullable=True),
        sa.Column("ended_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_appointment_series_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["split_from_id"],
            ["appointment_series.id"],
            name=op.f("fk_appointment_series_split_from_id_appointment_series"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointment_series")),
    )
    op.create_index(
        op.f("ix_appointment_series_patient_id"), "appointment_series", ["patient_id"], unique=False
    )
    op.create_table(
        "blocked_time",
        sa.Column("provider_id", sa.String(length=36), nullable=True),
        sa.Column(
            "kind",
            sa.Enum("block", "holiday", name="blockkind", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("starts_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("ends_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["user_account.id"],
            name=op.f("fk_blocked_time_provider_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_blocked_time")),
    )
    op.create_index("ix_blocked_time_range", "blocked_time", ["starts_at", "ends_at"], unique=False)
    op.create_table(
        "room",
        sa.Column("location_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["location_id"], ["location.id"], name=op.f("fk_room_location_id_location")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_room")),
    )
    op.create_table(
        "working_hours",
        sa.Column("provider_id", sa.String(length=36), nullable=False),
        sa.Column("location_id", sa.String(length=36), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("starts", sa.Time(), nullable=False),
        sa.Column("ends", sa.Time(), nullable=False),
        sa.Column("break_starts", sa.Time(), nullable=True),
        sa.Column("break_ends", sa.Time(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["location_id"], ["location.id"], name=op.f("fk_working_hours_location_id_location")
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["user_account.id"],
            name=op.f("fk_working_hours_provider_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_working_hours")),
    )
    op.create_index(
        op.f("ix_working_hours_provider_id"), "working_hours", ["provider_id"], unique=False
    )
    op.create_table(
        "appointment",
        sa.Column("patient_id", sa.String(length=36), nullable=False),
        sa.Column("provider_id", sa.String(length=36), nullable=False),
        sa.Column("location_id", sa.String(length=36), nullable=False),
        sa.Column("room_id", sa.String(length=36), nullable=True),
        sa.Column("type_id", sa.String(length=36), nullable=False),
        sa.Column("starts_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("ends_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("wall_start", sa.DateTime(), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "requested",
                "booked",
                "confirmed",
                "arrived",
                "roomed",
                "with_provider",
                "checked_out",
                "no_show",
                "cancelled",
                "rescheduled",
                "declined",
                name="appointmentstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("status_changed_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("arrived_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("notes", sa.String(length=1000), nullable=True),
        sa.Column("copay_due_cents", sa.Integer(), nullable=True),
        sa.Column("cancel_reason", sa.String(length=200), nullable=True),
        sa.Column("cancelled_by", sa.String(length=36), nullable=True),
        sa.Column("late_cancel", sa.Boolean(), nullable=False),
        sa.Column("rescheduled_to_id", sa.String(length=36), nullable=True),
        sa.Column("series_id", sa.String(length=36), nullable=True),
        sa.Column("occurrence_start", sa.DateTime(), nullable=True),
        sa.Column("detached", sa.Boolean(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["location_id"], ["location.id"], name=op.f("fk_appointment_location_id_location")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_appointment_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["user_account.id"],
            name=op.f("fk_appointment_provider_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["rescheduled_to_id"],
            ["appointment.id"],
            name=op.f("fk_appointment_rescheduled_to_id_appointment"),
        ),
        sa.ForeignKeyConstraint(["room_id"], ["room.id"], name=op.f("fk_appointment_room_id_room")),
        sa.ForeignKeyConstraint(
            ["series_id"],
            ["appointment_series.id"],
            name=op.f("fk_appointment_series_id_appointment_series"),
        ),
        sa.ForeignKeyConstraint(
            ["type_id"],
            ["appointment_type.id"],
            name=op.f("fk_appointment_type_id_appointment_type"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointment")),
    )
    op.create_index(
        "ix_appointment_patient_start", "appointment", ["patient_id", "starts_at"], unique=False
    )
    op.create_index(
        "ix_appointment_provider_start", "appointment", ["provider_id", "starts_at"], unique=False
    )
    op.create_index(
        "ix_appointment_series", "appointment", ["series_id", "occurrence_start"], unique=False
    )
    op.create_index("ix_appointment_start", "appointment", ["starts_at"], unique=False)
    op.create_table(
        "appointment_status_change",
        sa.Column("appointment_id", sa.String(length=36), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "requested",
                "booked",
                "confirmed",
                "arrived",
                "roomed",
                "with_provider",
                "checked_out",
                "no_show",
                "cancelled",
                "rescheduled",
                "declined",
                name="appointmentstatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("changed_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("changed_by", sa.String(length=36), nullable=True),
        sa.Column("note", sa.String(length=200), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["appointment_id"],
            ["appointment.id"],
            name=op.f("fk_appointment_status_change_appointment_id_appointment"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_appointment_status_change")),
    )
    op.create_index(
        op.f("ix_appointment_status_change_appointment_id"),
        "appointment_status_change",
        ["appointment_id"],
        unique=False,
    )
    op.create_table(
        "outbound_message",
        sa.Column(
            "channel",
            sa.Enum("email", "sms", name="channel", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("patient_id", sa.String(length=36), nullable=False),
        sa.Column("appointment_id", sa.String(length=36), nullable=True),
        sa.Column("template_id", sa.String(length=36), nullable=True),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "queued",
                "sent",
                "failed",
                "skipped",
                name="messagestatus",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("sent_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("updated_at", app.models.base.UtcDateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", app.models.base.UtcDateTime(), nullable=True),
        sa.Column("origin_device", sa.String(length=36), nullable=True),
        sa.ForeignKeyConstraint(
            ["appointment_id"],
            ["appointment.id"],
            name=op.f("fk_outbound_message_appointment_id_appointment"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_outbound_message_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["template_id"],
            ["message_template.id"],
            name=op.f("fk_outbound_message_template_id_message_template"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbound_message")),
    )
    op.create_index(
        op.f("ix_outbound_message_appointment_id"),
        "outbound_message",
        ["appointment_id"],
        unique=False,
    )
    op.create_index(
        "ix_outbound_message_due", "outbound_message", ["status", "next_attempt_at"], unique=False
    )
    op.create_index(
        op.f("ix_outbound_message_patient_id"), "outbound_message", ["patient_id"], unique=False
    )
    op.create_table(
        "waitlist_entry",
        sa.Column("patient_id", sa.String(length=36), nullable=False),
        sa.Column("type_id", sa.String(length=36), nullable=False),
        sa.Column("provider_ids", sa.JSON(), nullable=False),
        sa.Column(
            "part_of_day",
            sa.Enum(
                "any",
                "morning",
                "afternoon",
                "evening",
                name="partofday",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("earliest", sa.Date(), nullable=False),
        sa.Column("latest", sa.Date(), nullable=False),
        sa.Column("current_appointment_id", sa.String(length=36), nullable=True),
        sa.Column("notes", sa.String(length=500), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "waiting", "booked", "removed", name="waitliststatus", native_enum=False, length=20
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
            ["current_appointment_id"],
            ["appointment.id"],
            name=op.f("fk_waitlist_entry_current_appointment_id_appointment"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patient.id"], name=op.f("fk_waitlist_entry_patient_id_patient")
        ),
        sa.ForeignKeyConstraint(
            ["type_id"],
            ["appointment_type.id"],
            name=op.f("fk_waitlist_entry_type_id_appointment_type"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_waitlist_entry")),
    )
    op.create_index(
        op.f("ix_waitlist_entry_patient_id"), "waitlist_entry", ["patient_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_waitlist_entry_patient_id"), table_name="waitlist_entry")
    op.drop_table("waitlist_entry")
    op.drop_index(op.f("ix_outbound_message_patient_id"), table_name="outbound_message")
    op.drop_index("ix_outbound_message_due", table_name="outbound_message")
    op.drop_index(op.f("ix_outbound_message_appointment_id"), table_name="outbound_message")
    op.drop_table("outbound_message")
    op.drop_index(
        op.f("ix_appointment_status_change_appointment_id"), table_name="appointment_status_change"
    )
    op.drop_table("appointment_status_change")
    op.drop_index("ix_appointment_start", table_name="appointment")
    op.drop_index("ix_appointment_series", table_name="appointment")
    op.drop_index("ix_appointment_provider_start", table_name="appointment")
    op.drop_index("ix_appointment_patient_start", table_name="appointment")
    op.drop_table("appointment")
    op.drop_index(op.f("ix_working_hours_provider_id"), table_name="working_hours")
    op.drop_table("working_hours")
    op.drop_table("room")
    op.drop_index("ix_blocked_time_range", table_name="blocked_time")
    op.drop_table("blocked_time")
    op.drop_index(op.f("ix_appointment_series_patient_id"), table_name="appointment_series")
    op.drop_table("appointment_series")
    op.drop_table("message_template")
    op.drop_table("appointment_type")
