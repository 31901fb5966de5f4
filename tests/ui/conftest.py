"""Fixtures the UI tests share."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from app.services.context import AppContext
from app.services.demo import DEMO_PRACTICE_NAME, DemoPractice
from app.ui.session import DesktopSession
from app.ui.tasks import TaskRunner


@pytest.fixture
def session_for(
    login: Callable[[str], AppContext], practice: DemoPractice
) -> Iterator[Callable[[str], DesktopSession]]:
    """`session_for("frontdesk")`: a demo user signed in, as the desktop holds them, with a
    worker of their own. The workers stop after the test."""
    runners: list[TaskRunner] = []

    def make(username: str) -> DesktopSession:
        runner = TaskRunner()
        runners.append(runner)
        return DesktopSession(login(username), runner, practice.paths, DEMO_PRACTICE_NAME)

    yield make
    for runner in runners:
        runner.shutdown()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
