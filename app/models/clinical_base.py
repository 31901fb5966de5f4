"""What every clinical fact shares: it is never edited away, only marked "entered in error"."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import UtcDateTime


class EnteredInErrorMixin:
    """A fact recorded by mistake stays in the chart, struck through, with who, when and why."""

    error_reason: Mapped[str | None] = mapped_column(String(500), default=None)
    error_at: Mapped[datetime | None] = mapped_column(UtcDateTime, default=None)
    error_by_id: Mapped[str | None] = mapped_column(String(36), default=None)

    @property
    def in_error(self) -> bool:
        return self.error_at is not None
