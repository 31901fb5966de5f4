"""Change capture: every change to a syncable row writes an outbox row in the same flush.

Sync reads only this table; no other code knows about sync. Each row records what changed
(field → [old, new]), the version it was based on, a hybrid logical clock reading and a
per-device sequence, so the server can order, deduplicate and three-way merge.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import Integer, String, Text, event, insert, inspect, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.models.base import Base, SyncMixin, new_id, utc_now

# Columns the outbox leaves out of the field diff: they travel as row metadata instead.
_META_COLUMNS = {"version", "updated_at", "created_at"}


class SyncOutbox(Base):
    __tablename__ = "sync_outbox"

    device_seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    device_id: Mapped[str] = mapped_column(String(36))
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[str] = mapped_column(String(36), index=True)
    operation: Mapped[str] = mapped_column(String(10))  # insert, update, delete
    changes: Mapped[str] = mapped_column(Text)  # JSON {field: [old, new]}
    base_version: Mapped[int] = mapped_column(Integer)
    hlc: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[str | None] = mapped_column(String(36))
    pushed_at: Mapped[str | None] = mapped_column(String(40))


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    return value


class HybridLogicalClock:
    """Physical milliseconds plus a counter: ordered even when wall clocks step back."""

    @staticmethod
    def next_after(last: str | None, now_ms: int) -> str:
        last_ms, last_count = (0, 0)
        if last:
            ms_text, count_text = last.split(".")
            last_ms, last_count = int(ms_text), int(count_text)
        if now_ms > last_ms:
            return f"{now_ms:015d}.{0:05d}"
        return f"{last_ms:015d}.{last_count + 1:05d}"


def _row_changes(obj: SyncMixin, operation: str) -> dict[str, list[Any]]:
    state = inspect(obj)
    changes: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in _META_COLUMNS:
            continue
        if operation == "insert":  # every value is new: no attribute history to work out
            value = getattr(obj, attr.key)
            if value is not None:
                changes[attr.key] = [None, _plain(value)]
            continue
        history = state.attrs[attr.key].history
        if history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if old != new:
                changes[attr.key] = [_plain(old), _plain(new)]
    return changes


@event.listens_for(Session, "before_flush")
def capture_changes(session: Session, flush_context: Any, instances: Any) -> None:
    device_id = session.info.get("device_id")
    if device_id is None:
        return  # maintenance sessions (setup, migrations) before a device exists
    pending: list[tuple[SyncMixin, str]] = []
    for obj in session.new:
        if isinstance(obj, SyncMixin):
            if obj.id is None:
                obj.id = new_id()
            if obj.origin_device is None:
                obj.origin_device = device_id
            pending.append((obj, "insert"))
    for obj in session.dirty:
        if isinstance(obj, SyncMixin) and session.is_modified(obj, include_collections=False):
            tombstoned = bool(inspect(obj).attrs["deleted_at"].history.added) and obj.is_deleted
            pending.append((obj, "delete" if tombstoned else "update"))
    for obj in session.deleted:
        if isinstance(obj, SyncMixin):
            raise RuntimeError(
                f"{type(obj).__name__} rows are never hard-deleted; set deleted_at instead"
            )
    if not pending:
        return

    with session.no_autoflush:
        # The newest row carries both the highest sequence and the latest clock (each row's
        # clock is after the one before), and the sequence is the table's rowid: one seek,
        # where max(hlc) would read the whole outbox on every write.
        last = session.execute(
            select(SyncOutbox.device_seq, SyncOutbox.hlc)
            .order_by(SyncOutbox.device_seq.desc())
            .limit(1)
        ).first()
    next_seq = (last[0] if last else 0) + 1
    hlc = last[1] if last else None
    now_ms = int(session.info.get("clock", utc_now)().astimezone(UTC).timestamp() * 1000)
    rows: list[dict[str, Any]] = []
    for obj, operation in pending:
        hlc = HybridLogicalClock.next_after(hlc, now_ms)
        changes = _row_changes(obj, operation)
        if operation == "update" and not changes:
            continue
        rows.append(
            {
                "device_seq": next_seq,
                "device_id": device_id,
                "table_name": type(obj).__tablename__,  # type: ignore[attr-defined]
                "row_id": obj.id,
                "operation": operation,
                "changes": json.dumps(changes, sort_keys=True, default=str),
                "base_version": 0 if operation == "insert" else obj.version,
                "hlc": hlc,
                "user_id": session.info.get("user_id"),
                "pushed_at": None,
            }
        )
        next_seq += 1
    if rows:
        # One INSERT for the flush's outbox rows, on the flush's own connection and
        # transaction (a bulk posting writes thousands: no ORM object per row).
        session.connection().execute(insert(SyncOutbox), rows)
