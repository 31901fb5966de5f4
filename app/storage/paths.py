"""Where a practice lives on disk. Imports nothing heavy, so the sign-in window can find
the practice before SQLAlchemy and Alembic have loaded."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DATABASE_FILE_NAME = "practice.db"
SLOT_FILE_NAME = "keyslots.json"


@dataclass(frozen=True)
class PracticePaths:
    data_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / DATABASE_FILE_NAME

    @property
    def keyslots(self) -> Path:
        return self.data_dir / SLOT_FILE_NAME

    @property
    def backups(self) -> Path:
        return self.data_dir / "backups"

    @property
    def claims_outbox(self) -> Path:
        """Where 837P batches wait for the clearinghouse unless the biller chose a folder."""
        return self.data_dir / "claims-outbox"

    def exists(self) -> bool:
        return self.database.exists() and self.keyslots.exists()
