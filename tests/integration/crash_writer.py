"""A writer for the crash test: commits numbered audit entries and setting changes, and
prints each number only after its transaction has committed."""

from __future__ import annotations

import sys
from pathlib import Path

from app.services.audit_chain import AuditEntry
from app.services.auth import sign_in
from app.services.settings import SettingsService
from app.storage.database import PracticePaths


def main(data_dir: str, password: str, run: str) -> None:
    ctx = sign_in(PracticePaths(Path(data_dir)), "admin", password)
    settings = SettingsService(ctx)
    print("ready", flush=True)
    number = 0
    while True:
        number += 1
        with ctx.unit_of_work() as uow:
            uow.audit(AuditEntry("crash_test", "test", detail=f"{run}:{number}"))
        settings.set_auto_lock_minutes(1 + number % 120)
        print(number, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
