"""Human identifiers made offline without collisions: device prefix + local counter."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Device, IdCounter


def next_number(
    session: Session, device_id: str, counter: str, width: int = 6, *, kind: str = ""
) -> str:
    """The next identifier for `counter` on this device, e.g. "K7M000042" — or with a
    `kind` letter, "R-K7M000042" for a receipt, so it is never mistaken for an MRN.

    Runs inside the caller's transaction (BEGIN IMMEDIATE), so two windows on one machine
    cannot take the same value; other machines have other prefixes.
    """
    number = reserve_numbers(session, device_id, counter, 1, width)[0]
    return f"{kind}-{number}" if kind else number


def reserve_numbers(
    session: Session, device_id: str, counter: str, count: int, width: int = 6
) -> list[str]:
    """`count` consecutive identifiers at once (bulk imports)."""
    with session.no_autoflush:
        prefix = session.scalar(select(Device.id_prefix).where(Device.id == device_id))
        if prefix is None:
            raise RuntimeError("this database has no device record")
        row = session.get(IdCounter, counter)
    if row is None:
        row = IdCounter(name=counter, last_value=0)
        session.add(row)
    first = row.last_value + 1
    row.last_value += count
    return [f"{prefix}{value:0{width}d}" for value in range(first, first + count)]
