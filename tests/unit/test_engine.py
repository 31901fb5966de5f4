"""The SQLCipher engine (DESIGN §2): encrypted at rest, safe pragmas on every connection."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from app.storage.engine import DatabaseKeyError, connect_raw, open_engine
from app.storage.keyslots import new_database_key

SECRET_TEXT = "Jane Roe, DOB 1961-04-12, HIV positive"


@pytest.fixture
def key() -> bytes:
    return new_database_key()


@pytest.fixture
def db_path(tmp_path: Path, key: bytes) -> Path:
    """An encrypted file holding one committed row of tell-tale text."""
    path = tmp_path / "practice.db"
    engine = open_engine(path, key)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute(text("INSERT INTO note (body) VALUES (:b)"), {"b": SECRET_TEXT})
    engine.dispose()
    return path


def _pragmas(connection: object) -> dict[str, object]:
    execute = connection.execute  # type: ignore[attr-defined]
    return {
        name: execute(f"PRAGMA {name}").fetchone()[0]
        for name in (
            "journal_mode",
            "foreign_keys",
            "temp_store",
            "synchronous",
            "cipher_memory_security",
        )
    }


EXPECTED_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "temp_store": 2,  # MEMORY: no plaintext temp files
    "synchronous": 2,  # FULL
    "cipher_memory_security": "0",  # see connect_raw: costs much, protects little
}


def test_a_wrong_key_raises_database_key_error(db_path: Path) -> None:
    with pytest.raises(DatabaseKeyError):
        open_engine(db_path, new_database_key())
    with pytest.raises(DatabaseKeyError):
        connect_raw(db_path, new_database_key())


def test_a_file_that_is_not_a_database_raises_database_key_error(
    tmp_path: Path, key: bytes
) -> None:
    path = tmp_path / "practice.db"
    path.write_bytes(b"this is a letter to the clinic, not a database" * 100)
    with pytest.raises(DatabaseKeyError):
        open_engine(path, key)


def test_a_plain_sqlite_reader_cannot_read_the_file(db_path: Path) -> None:
    raw = db_path.read_bytes()
    assert not raw.startswith(b"SQLite format 3")
    assert SECRET_TEXT.encode() not in raw
    plain = sqlite3.connect(db_path)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="not a database"):
            plain.execute("SELECT * FROM sqlite_master").fetchall()
    finally:
        plain.close()


def test_no_plaintext_reaches_the_wal_file(tmp_path: Path, key: bytes) -> None:
    path = tmp_path / "practice.db"
    engine = open_engine(path, key)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)")
            conn.execute(text("INSERT INTO note (body) VALUES (:b)"), {"b": SECRET_TEXT})
        wal = path.with_name(path.name + "-wal")
        assert wal.exists()  # still open: the change sits in the WAL
        assert SECRET_TEXT.encode() not in wal.read_bytes()
    finally:
        engine.dispose()


def test_every_connection_has_the_safety_pragmas(db_path: Path, key: bytes) -> None:
    # Pooled engine: the database worker thread and any other thread get their own
    # connection, and each one is keyed and configured.
    engine = open_engine(db_path, key)
    seen: dict[str, dict[str, object]] = {}

    def check(name: str) -> None:
        connection = engine.raw_connection()
        try:
            seen[name] = _pragmas(connection)
        finally:
            connection.close()

    try:
        check("main")
        workers = [threading.Thread(target=check, args=(f"worker{i}",)) for i in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    finally:
        engine.dispose()
    assert seen == {name: EXPECTED_PRAGMAS for name in ("main", "worker0", "worker1")}

    # Unpooled engine: each checkout is a fresh connection.
    unpooled = open_engine(db_path, key, pooled=False)
    try:
        for _ in range(3):
            connection = unpooled.raw_connection()
            try:
                assert _pragmas(connection) == EXPECTED_PRAGMAS
            finally:
                connection.close()
    finally:
        unpooled.dispose()


def test_foreign_keys_are_enforced(db_path: Path, key: bytes) -> None:
    engine = open_engine(db_path, key)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "CREATE TABLE attachment (id INTEGER PRIMARY KEY,"
                " note_id INTEGER NOT NULL REFERENCES note(id))"
            )
        with pytest.raises(Exception, match="FOREIGN KEY"), engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO attachment (note_id) VALUES (999)")
    finally:
        engine.dispose()


def test_a_committed_row_survives_reopening(db_path: Path, key: bytes) -> None:
    engine: Engine = open_engine(db_path, key)
    try:
        with engine.connect() as conn:
            bodies = conn.execute(text("SELECT body FROM note")).scalars().all()
    finally:
        engine.dispose()
    assert bodies == [SECRET_TEXT]


def test_a_rolled_back_row_is_gone_after_reopening(db_path: Path, key: bytes) -> None:
    engine = open_engine(db_path, key)
    with engine.connect() as conn:
        conn.execute(text("INSERT INTO note (body) VALUES ('draft')"))
        conn.rollback()
    engine.dispose()
    connection = connect_raw(db_path, key)
    try:
        rows = connection.execute("SELECT body FROM note").fetchall()
    finally:
        connection.close()
    assert rows == [(SECRET_TEXT,)]
