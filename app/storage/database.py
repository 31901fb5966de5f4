"""Where a practice lives on disk, and opening it: create, open, migrate (backup first)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine

from app.storage import migrate
from app.storage.backup import write_backup
from app.storage.engine import open_engine
from app.storage.files import ensure_private_dir
from app.storage.paths import PracticePaths

__all__ = ["PracticeMissing", "PracticePaths", "create_database", "open_database"]


class PracticeMissing(Exception):
    pass


def create_database(paths: PracticePaths, key: bytes) -> Engine:
    """A new, empty, encrypted database at the current schema."""
    ensure_private_dir(paths.data_dir)
    if paths.database.exists():
        raise FileExistsError(f"A practice already exists in {paths.data_dir}.")
    engine = open_engine(paths.database, key)
    with engine.begin() as connection:
        migrate.upgrade(connection)
    paths.database.chmod(0o600)
    return engine


def open_database(paths: PracticePaths, key: bytes, *, run_migrations: bool = True) -> Engine:
    """Open the practice; if its schema is older, write an encrypted backup, then migrate."""
    if not paths.database.exists():
        raise PracticeMissing(f"No practice database in {paths.data_dir}.")
    engine = open_engine(paths.database, key)
    if run_migrations:
        current = migrate.current_revision(engine)
        if current != migrate.head_revision():
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            out = paths.backups / f"before-migration-{current or 'empty'}-{stamp}.stethos-backup"
            write_backup(paths.data_dir, key, out)
            with engine.begin() as connection:
                migrate.upgrade(connection)
    return engine
