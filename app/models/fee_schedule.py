"""Fee schedules: what the practice charges for each procedure code, per schedule (self-pay,
or one per payer). CPT is licensed, so the practice imports its own codes; HCPCS Level II
codes are public."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, SyncMixin, enum_column


class CodeSystem(enum.StrEnum):
    CPT = "cpt"  # AMA CPT (Level I HCPCS): the practice brings its own licensed file
    HCPCS = "hcpcs"  # HCPCS Level II (CMS, public): supplies, drugs, some services


class FeeSchedule(SyncMixin, Base):
    __tablename__ = "fee_schedule"

    name: Mapped[str] = mapped_column(String(100))
    payer_id: Mapped[str | None] = mapped_column(ForeignKey("payer.id"), index=True)
    is_default: Mapped[bool] = mapped_column(default=False)  # self-pay: used when no payer's
    effective_on: Mapped[date | None] = mapped_column()
    active: Mapped[bool] = mapped_column(default=True)


class FeeScheduleItem(SyncMixin, Base):
    __tablename__ = "fee_schedule_item"
    __table_args__ = (Index("ix_fee_schedule_item_code", "schedule_id", "code"),)

    schedule_id: Mapped[str] = mapped_column(ForeignKey("fee_schedule.id"))
    code_system: Mapped[CodeSystem] = mapped_column(enum_column(CodeSystem))
    code: Mapped[str] = mapped_column(String(5))
    description: Mapped[str] = mapped_column(String(300))
    price_cents: Mapped[int] = mapped_column(Integer)  # per unit
    default_units: Mapped[int] = mapped_column(Integer, default=1)
    default_icd10: Mapped[str | None] = mapped_column(String(10))  # the diagnosis it usually has
    active: Mapped[bool] = mapped_column(default=True)
