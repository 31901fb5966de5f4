"""A writer killed with SIGKILL mid-work loses no committed transaction and leaves a
database that passes `stethos verify` — tried many times, at random moments."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

from sqlalchemy import func, select

from app.models import AuditEvent
from app.services.auth import sign_in
from app.services.demo import DemoPractice
from tests.conftest import DEMO_PASSWORD
from tests.integration.cli import ROOT, stethos

KILLS = 12


def _start_writer(practice: DemoPractice, run: int) -> subprocess.Popen[str]:
    data_dir = str(practice.paths.data_dir)
    return subprocess.Popen(
        [sys.executable, "-m", "tests.integration.crash_writer", data_dir, DEMO_PASSWORD, str(run)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
    )  # fmt: skip


def _last_committed(practice: DemoPractice, run: int) -> int:
    ctx = sign_in(practice.paths, "admin", DEMO_PASSWORD)
    with ctx.unit_of_work() as uow:
        details = uow.session.scalars(
            select(AuditEvent.detail).where(
                AuditEvent.action == "crash_test", AuditEvent.detail.startswith(f"{run}:")
            )
        ).all()
        total = uow.session.scalar(select(func.count()).select_from(AuditEvent))
    ctx.close()
    assert total
    return max((int(d.split(":")[1]) for d in details if d), default=0)


def test_sigkill_never_loses_a_committed_transaction(practice: DemoPractice) -> None:
    rng = random.Random(2026)
    runs_killed_mid_work = 0
    for run in range(KILLS):
        writer = _start_writer(practice, run)
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.05, 0.6))
        os.kill(writer.pid, signal.SIGKILL)
        reported = [int(line) for line in writer.stdout.read().split() if line.isdigit()]
        writer.wait()
        # Everything the writer reported as committed is there (perhaps one more, committed
        # but killed before it could say so).
        committed = _last_committed(practice, run)
        last_reported = reported[-1] if reported else 0
        assert last_reported <= committed <= last_reported + 1
        runs_killed_mid_work += bool(reported)
        result = stethos(
            "verify",
            "--data-dir",
            str(practice.paths.data_dir),
            "--user",
            "admin",
            stdin=DEMO_PASSWORD,
        )
        assert result.returncode == 0, result.stderr
    assert runs_killed_mid_work >= KILLS // 2  # most kills really landed mid-work
