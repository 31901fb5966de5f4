"""Staff accounts. Providers (physicians, nurses who bill) carry NPI and credentials."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, SyncMixin, UtcDateTime, enum_column


class Role(enum.StrEnum):
    ADMIN = "admin"
    PHYSICIAN = "physician"
    NURSE = "nurse"
    RECEPTIONIST = "receptionist"
    BILLER = "biller"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class User(SyncMixin, Base):
    __tablename__ = "user_account"

    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    password_hash: Mapped[str] = mapped_column(String(200))  # argon2id PHC string
    password_changed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    must_change_password: Mapped[bool] = mapped_column(default=False)
    totp_secret: Mapped[str | None] = mapped_column(String(64))  # base32; None = no 2nd factor
    npi: Mapped[str | None] = mapped_column(String(10))
    credentials: Mapped[str | None] = mapped_column(String(50))  # e.g. "MD", "RN", "NP"
    disabled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None and self.deleted_at is None
