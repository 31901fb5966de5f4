"""The SQLCipher engine: one encrypted file, opened with a raw 256-bit key.

Every connection sends the key first, then proves it with a read, then sets the pragmas
that keep data safe: memory wiping, temp data in memory (no plaintext temp files), foreign
keys, WAL with full fsync (a killed process or a power cut loses no committed transaction).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import NullPool, QueuePool

BUSY_TIMEOUT_MS = 10_000
CACHE_KIB = 32 * 1024  # decrypted pages kept in memory; misses cost a decrypt + HMAC check


class DatabaseKeyError(Exception):
    """The key does not open this file (wrong key, or not a Stethos database)."""


def key_pragma(key: bytes) -> str:
    # Raw-key form: SQLCipher uses these bytes directly, skipping its own per-open KDF.
    return f"PRAGMA key = \"x'{key.hex()}'\""


def connect_raw(path: Path, key: bytes) -> Any:
    """A keyed DB-API connection with the safety pragmas set (autocommit mode)."""
    # check_same_thread off: the pool hands a connection to one thread at a time (the UI's
    # single database worker, a CLI, a test), and may close it from another.
    connection = sqlcipher.connect(
        str(path),
        timeout=BUSY_TIMEOUT_MS / 1000,
        isolation_level=None,
        check_same_thread=False,
    )
    try:
        connection.execute(key_pragma(key))
        # Memory security stays OFF (SQLCipher's default since 4.5.0): it mlocks and wipes
        # every SQLite allocation, which made each write several times slower here (a
        # 300-patient demo 119 s against 54 s, 50 s of it in system calls; every trigger
        # firing ~0.5 ms) while the same plaintext lives on in Python's own objects and the
        # key in the process anyway. The file, WAL and temp data stay encrypted or in memory.
        connection.execute("PRAGMA cipher_memory_security = OFF")
        try:
            connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlcipher.DatabaseError as exc:
            raise DatabaseKeyError("The key does not open this database.") from exc
        connection.execute("PRAGMA temp_store = MEMORY")
        connection.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = FULL")
    except BaseException:
        connection.close()
        raise
    return connection


def open_engine(path: Path, key: bytes, *, pooled: bool = True) -> Engine:
    """An Engine on the encrypted file at `path`; raises DatabaseKeyError for a wrong key.

    Transactions start with BEGIN IMMEDIATE: almost every unit of work writes (reads of a
    chart write an audit event), and taking the write lock up front means two processes can
    never both read the audit chain's last hash and then fork it.
    """
    connect_raw(path, key).close()  # fail here, clearly, rather than on first use

    engine = create_engine(
        "sqlite://",
        creator=lambda: connect_raw(path, key),
        module=sqlcipher,
        poolclass=QueuePool if pooled else NullPool,
    )

    @event.listens_for(engine, "begin")
    def _begin_immediate(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine
