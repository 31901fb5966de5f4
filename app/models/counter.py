"""Per-device counters behind human identifiers (MRN, invoice and claim numbers).

Each device numbers with its own prefix, so two offline machines never hand out the same
MRN. Counters are local state (not synced): the prefix makes them unique practice-wide.
"""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base


class IdCounter(Base):
    __tablename__ = "id_counter"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_value: Mapped[int] = mapped_column(Integer, default=0)
