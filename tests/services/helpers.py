"""Read the real encrypted database behind a signed-in context (for assertions only)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from app.services.context import AppContext
from app.storage.engine import connect_raw
from app.storage.keyslots import KeySlotFile

# Tables whose rows are data; the audit log and SQLite's own bookkeeping are checked apart.
_NOT_DATA = ("audit_event", "sqlite_sequence")


@contextmanager
def raw_db(ctx: AppContext) -> Iterator[Any]:
    """A separate keyed DB-API connection (autocommit), like another process would open."""
    connection = connect_raw(ctx.vault.paths.database, ctx.vault.database_key)
    try:
        yield connection
    finally:
        connection.close()


def query(ctx: AppContext, sql: str, *params: object) -> list[dict[str, Any]]:
    with raw_db(ctx) as db:
        cursor = db.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def audit_events(ctx: AppContext) -> list[dict[str, Any]]:
    return query(ctx, "SELECT * FROM audit_event ORDER BY seq")


def outbox_rows(ctx: AppContext) -> list[dict[str, Any]]:
    rows = query(ctx, "SELECT * FROM sync_outbox ORDER BY device_seq")
    for row in rows:
        row["changes"] = json.loads(row["changes"])
    return rows


def user_row(ctx: AppContext, username: str) -> dict[str, Any] | None:
    rows = query(ctx, "SELECT * FROM user_account WHERE username = ?", username)
    return rows[0] if rows else None


def user_id(ctx: AppContext, username: str) -> str:
    row = user_row(ctx, username)
    assert row is not None, username
    return str(row["id"])


def data_snapshot(ctx: AppContext) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table except the audit log, in a stable order."""
    with raw_db(ctx) as db:
        tables = [
            name
            for (name,) in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
            if name not in _NOT_DATA
        ]
        return {t: sorted(db.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}


def slot_names(ctx: AppContext) -> list[str]:
    return KeySlotFile.load(ctx.vault.paths.keyslots).user_names()
