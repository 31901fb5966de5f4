"""Shared fixtures: a real encrypted demo practice, copied from a template per test."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.services.auth import sign_in
from app.services.clock import FakeClock
from app.services.context import AppContext
from app.services.demo import DEMO_STAFF, DemoPractice, create_demo_practice
from app.storage.database import PracticePaths
from app.storage.keyslots import KdfParams

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # Qt tests never need a screen

# Cheap Argon2 for tests only: slots carry their own parameters, so the code path is the
# same as production; only the cost differs. Production slots use DEFAULT_KDF.
FAST_KDF = KdfParams(time_cost=1, memory_kib=1024, parallelism=1)
DEMO_PASSWORD = "riverside demo 2026"


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> DemoPractice:
    paths = PracticePaths(tmp_path_factory.mktemp("template") / "practice")
    return create_demo_practice(paths, DEMO_PASSWORD, clock=FakeClock(), kdf=FAST_KDF)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def practice(tmp_path: Path, demo_template: DemoPractice) -> DemoPractice:
    """A private copy of the demo practice for one test."""
    target = tmp_path / "practice"
    shutil.copytree(demo_template.paths.data_dir, target)
    return DemoPractice(PracticePaths(target), demo_template.recovery_code, DEMO_STAFF)


@pytest.fixture
def login(practice: DemoPractice, clock: FakeClock) -> Iterator[Callable[[str], AppContext]]:
    """Sign in to the test's practice as a demo user: `login("admin")`."""
    opened: list[AppContext] = []

    def _login(username: str, password: str = DEMO_PASSWORD) -> AppContext:
        ctx = sign_in(practice.paths, username, password, clock=clock, kdf=FAST_KDF)
        opened.append(ctx)
        return ctx

    yield _login
    for ctx in opened:
        ctx.close()


@pytest.fixture
def admin(login: Callable[[str], AppContext]) -> AppContext:
    return login("admin")
