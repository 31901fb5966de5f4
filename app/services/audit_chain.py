"""The audit hash chain: each entry's SHA-256 covers its fields and the previous hash."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import event as orm_event
from sqlalchemy import select, text
from sqlalchemy.orm import Session, SessionTransaction

from app.models.audit import AuditEvent

GENESIS_HASH = "0" * 64
_ISSUED = text("SELECT seq FROM sqlite_sequence WHERE name = 'audit_event'")
# session.info key: (seq, entry_hash) of the newest link this transaction appended.
_TAIL = "audit_chain_tail"


@dataclass(frozen=True)
class AuditEntry:
    """What a service knows when it records an event (the chain fields are added on append)."""

    action: str
    category: str
    outcome: str = "success"
    patient_id: str | None = None
    entity_id: str | None = None
    detail: str | None = None


def entry_hash(event: AuditEvent) -> str:
    fields = {
        "seq": event.seq,
        "occurred_at": event.occurred_at.isoformat(),
        "user_id": event.user_id,
        "user_name": event.user_name,
        "patient_id": event.patient_id,
        "action": event.action,
        "category": event.category,
        "outcome": event.outcome,
        "entity_id": event.entity_id,
        "device_id": event.device_id,
        "detail": event.detail,
        "prev_hash": event.prev_hash,
    }
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def append(
    session: Session,
    entry: AuditEntry,
    *,
    occurred_at: datetime,
    user_id: str | None,
    user_name: str | None,
    device_id: str | None,
) -> AuditEvent:
    """Add the next link. Callers hold the write lock (BEGIN IMMEDIATE), so no fork: nobody
    else appends until this transaction ends, and the tail it appended is kept in the session
    (no query, no flush per entry: a bulk import writes thousands of entries)."""
    seq, prev = _tail(session)
    event = AuditEvent(
        seq=seq,
        occurred_at=occurred_at,
        user_id=user_id,
        user_name=user_name,
        patient_id=entry.patient_id,
        action=entry.action,
        category=entry.category,
        outcome=entry.outcome,
        entity_id=entry.entity_id,
        device_id=device_id,
        detail=entry.detail,
        prev_hash=prev,
    )
    event.entry_hash = entry_hash(event)
    session.add(event)
    session.info[_TAIL] = (seq, event.entry_hash)
    return event


def _tail(session: Session) -> tuple[int, str]:
    """The next seq and the hash it links to."""
    cached = session.info.get(_TAIL)
    if cached is not None:
        return cached[0] + 1, cached[1]
    last = session.execute(
        select(AuditEvent.seq, AuditEvent.entry_hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    # Number from the highest seq ever issued, not the highest present: if someone deleted
    # the newest entries, the gap stays visible after later appends.
    issued = session.execute(_ISSUED).scalar() or 0
    seq, prev = max(issued, last[0] if last else 0), last[1] if last else GENESIS_HASH
    # Links added but not yet flushed (a caller may append under no_autoflush).
    pending = [e for e in session.new if isinstance(e, AuditEvent) and e.seq > seq]
    if pending:
        newest = max(pending, key=lambda e: e.seq)
        seq, prev = newest.seq, newest.entry_hash
    return seq + 1, prev


@orm_event.listens_for(Session, "after_transaction_end")
def _forget_tail(session: Session, transaction: SessionTransaction) -> None:
    """Committed, rolled back or a savepoint ended: the next append reads the tail again."""
    session.info.pop(_TAIL, None)


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    entries_checked: int
    first_bad_seq: int | None = None
    reason: str | None = None

    def summary(self) -> str:
        if self.ok:
            return f"audit chain intact ({self.entries_checked} entries)"
        return f"audit entry {self.first_bad_seq}: {self.reason}"


def verify(session: Session) -> ChainReport:
    """Walk the chain in order; report the first entry that is missing, altered or relinked."""
    expected_seq, prev = 1, GENESIS_HASH
    checked = 0
    rows = session.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars()
    for event in rows.yield_per(2000):
        if event.seq != expected_seq:
            return ChainReport(False, checked, expected_seq, "missing (deleted from the log)")
        if event.prev_hash != prev:
            return ChainReport(False, checked, event.seq, "does not link to the entry before it")
        if entry_hash(event) != event.entry_hash:
            return ChainReport(False, checked, event.seq, "was altered after it was written")
        prev = event.entry_hash
        expected_seq += 1
        checked += 1
        session.expunge(event)
    # AUTOINCREMENT keeps the highest seq ever issued: a deleted tail shows up here.
    issued = session.execute(_ISSUED).scalar()
    if issued is not None and issued >= expected_seq:
        return ChainReport(False, checked, expected_seq, "missing (deleted from the log)")
    return ChainReport(True, checked)
