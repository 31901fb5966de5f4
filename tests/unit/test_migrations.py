"""Schema migrations: the models and the migration scripts agree, and a database made by an
earlier schema version opens, is backed up, and is migrated with its data intact."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.models import Base
from app.storage import migrate
from app.storage.database import PracticePaths, open_database
from app.storage.engine import open_engine
from app.storage.keyslots import KeySlotFile, new_database_key
from tests.conftest import FAST_KDF


def _practice_at(tmp_path: Path, revision: str) -> tuple[PracticePaths, bytes]:
    paths = PracticePaths(tmp_path / "practice")
    paths.data_dir.mkdir()
    key = new_database_key()
    engine = open_engine(paths.database, key)
    with engine.begin() as connection:
        migrate.upgrade(connection, revision)
        if revision != "base":
            connection.exec_driver_sql(
                "INSERT INTO practice (id, name, time_zone, created_at, updated_at, version) "
                "VALUES ('p1', 'Old Town Clinic', 'America/Denver', '2025-01-01', '2025-01-01', 1)"
            )
    engine.dispose()
    slots = KeySlotFile(paths.keyslots)
    slots.set_slot("admin", "an old admin password", key, FAST_KDF)
    slots.save()
    return paths, key


def test_models_and_migrations_agree(tmp_path: Path) -> None:
    paths, key = _practice_at(tmp_path, "head")
    engine = open_engine(paths.database, key)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []


def test_a_first_version_database_is_backed_up_and_migrated(tmp_path: Path) -> None:
    paths, key = _practice_at(tmp_path, "0001")
    engine = open_database(paths, key)
    assert migrate.current_revision(engine) == migrate.head_revision()
    with engine.connect() as connection:
        name = connection.exec_driver_sql("SELECT name FROM practice WHERE id = 'p1'").scalar()
        tables = {r[0] for r in connection.exec_driver_sql("SELECT name FROM sqlite_master")}
    engine.dispose()
    assert name == "Old Town Clinic"
    assert {"patient", "coverage", "payer"} <= tables
    backups = list(paths.backups.glob("before-migration-0001-*.stethos-backup"))
    assert len(backups) == 1
    assert b"Old Town Clinic" not in backups[0].read_bytes()


def test_a_current_database_is_not_backed_up_again(tmp_path: Path) -> None:
    paths, key = _practice_at(tmp_path, "head")
    open_database(paths, key).dispose()
    assert not paths.backups.exists()
