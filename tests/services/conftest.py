"""Fixtures for service tests (on top of tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from app.services.auth import sign_in
from app.services.bus import EventBus
from app.services.clock import FakeClock
from app.services.context import AppContext
from app.services.demo import DemoPractice
from tests.conftest import DEMO_PASSWORD, FAST_KDF

SignInAs = Callable[..., AppContext]


@pytest.fixture
def sign_in_as(practice: DemoPractice, clock: FakeClock) -> Iterator[SignInAs]:
    """Like `login`, but also takes a second-factor code and a bus:
    `sign_in_as("drpatel", totp_code="123456")`."""
    opened: list[AppContext] = []

    def _sign_in(
        username: str,
        password: str = DEMO_PASSWORD,
        totp_code: str | None = None,
        *,
        bus: EventBus | None = None,
    ) -> AppContext:
        ctx = sign_in(
            practice.paths, username, password, totp_code, clock=clock, bus=bus, kdf=FAST_KDF
        )
        opened.append(ctx)
        return ctx

    yield _sign_in
    for ctx in opened:
        ctx.close()
