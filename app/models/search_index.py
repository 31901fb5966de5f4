"""Derived lookup tables for search. They hold only folded surnames, are rebuilt from the
patient table when needed, and are never synced."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import String, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.models.base import Base


class SurnameVariant(Base):
    """Each distinct folded surname under itself and every one-letter deletion of it.

    Two spellings one typing slip apart (a letter missing, extra, wrong or two letters
    swapped) share at least one entry, so "Wlls", "Smiht" and "Jekins" find Wells, Smith and
    Jenkins with one indexed lookup (the symmetric-delete idea behind SymSpell).
    """

    __tablename__ = "surname_variant"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012

    variant: Mapped[str] = mapped_column(String(100), primary_key=True)
    last_key: Mapped[str] = mapped_column(String(100), primary_key=True)


def one_deletion_variants(key: str) -> set[str]:
    """`key` and every string made by deleting one of its letters."""
    return {key} | {key[:i] + key[i + 1 :] for i in range(len(key))} if key else set()


def remember_surnames(session: Session, keys: Iterable[str]) -> None:
    """Add the variants of any surname not seen before (idempotent)."""
    rows = [
        {"variant": variant, "last_key": key}
        for key in set(keys)
        for variant in one_deletion_variants(key)
    ]
    if rows:
        session.execute(sqlite_insert(SurnameVariant).on_conflict_do_nothing(), rows)


def surnames_near(session: Session, typed_key: str) -> list[str]:
    """Known surnames at most one typing slip away from `typed_key`."""
    variants = one_deletion_variants(typed_key)
    query = select(SurnameVariant.last_key).where(SurnameVariant.variant.in_(variants)).distinct()
    return list(session.scalars(query))
