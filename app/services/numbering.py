"""Human identifiers made offline without collisions: device prefix + local counter."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Device, IdCounter
from app.storage.keyslots import RECOVERY_ALPHABET

PREFIX_LENGTH = 3  # device prefixes are three RECOVERY_ALPHABET symbols (practice_setup)


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
    prefix = _prefix(session, device_id)
    first = _advance(session, counter, count)
    return [f"{prefix}{value:0{width}d}" for value in range(first, first + count)]


def device_numbered(session: Session, device_id: str, counter: str, limit: int) -> int:
    """The next number in 1..`limit` that no other device hands out, for identifiers that
    must be digits: e.g. the X12 interchange control number (ISA13, nine digits) a
    clearinghouse refuses to see twice."""
    return block_number(_prefix(session, device_id), _advance(session, counter, 1), limit)


def block_number(prefix: str, sequence: int, limit: int) -> int:
    """The device's prefix picks a block of 1..`limit`, the counter's `sequence` a place in
    it (starting over when the block is used up: 37,037 nine-digit numbers per device)."""
    place = 0
    for symbol in prefix:
        place = place * len(RECOVERY_ALPHABET) + RECOVERY_ALPHABET.index(symbol)
    block = limit // len(RECOVERY_ALPHABET) ** PREFIX_LENGTH
    return place * block + (sequence - 1) % block + 1


def _prefix(session: Session, device_id: str) -> str:
    with session.no_autoflush:
        prefix = session.scalar(select(Device.id_prefix).where(Device.id == device_id))
    if prefix is None:
        raise RuntimeError("this database has no device record")
    return prefix


def _advance(session: Session, counter: str, count: int) -> int:
    """Take `count` values of the local counter; returns the first."""
    with session.no_autoflush:
        row = session.get(IdCounter, counter)
    if row is None:
        row = IdCounter(name=counter, last_value=0)
        session.add(row)
    first = row.last_value + 1
    row.last_value += count
    return first
