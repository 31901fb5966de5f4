"""What a signed-in window needs: the context, the task runner, and where the practice is."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject

from app.services.context import AppContext
from app.storage.paths import PracticePaths
from app.ui.tasks import Task, TaskRunner


@dataclass
class DesktopSession:
    ctx: AppContext
    runner: TaskRunner
    paths: PracticePaths
    practice_label: str

    def run(
        self, fn: Callable[..., Any], *args: Any, owner: QObject | None = None, **kwargs: Any
    ) -> Task:
        """Run a service call on the database worker; answers arrive as the task's signals."""
        return self.runner.submit(fn, *args, owner=owner, **kwargs)
