"""The task runner: every service call runs on ONE database worker thread.

The UI thread submits a callable and carries on; the result, the error, progress and
cancellation come back as signals on the UI thread. One worker keeps the database's
connections on a single thread and keeps use cases in the order they were asked for.

    task = runner.submit(UserAdminService(ctx).list_users)
    task.succeeded.connect(model.set_users)
    task.failed.connect(show_error)

Long work takes a `TaskControl` as its first argument (`submit_with_control`) so it can
report progress and stop early when the user cancels.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Signal

from app.services.errors import DomainError

log = logging.getLogger(__name__)

UNEXPECTED_ERROR = (
    "Something went wrong and the action was not completed. Nothing was half-saved; "
    "try again, and if it keeps happening, tell your practice administrator."
)


class TaskCancelled(Exception):
    """Raised inside a task (by `TaskControl.check`) when the user has cancelled it."""


def error_message(error: BaseException) -> str:
    """What to tell the person at the screen: a DomainError's own text, else a calm default."""
    if isinstance(error, DomainError):
        return str(error)
    return UNEXPECTED_ERROR


class TaskControl:
    """Handed to long tasks: report progress, and check whether to stop."""

    def __init__(self, report: Callable[[int, int, str], None]) -> None:
        self._cancelled = threading.Event()
        self._report = report

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def cancel(self) -> None:
        self._cancelled.set()

    def check(self) -> None:
        """Stop here (raise TaskCancelled) if the user has cancelled."""
        if self._cancelled.is_set():
            raise TaskCancelled

    def report(self, done: int, total: int, message: str = "") -> None:
        """Progress: `done` of `total` steps (total 0 means unknown), with a short note."""
        self._report(done, total, message)

    def _detach(self) -> None:
        """The task is over: later reports go nowhere (and the task can be freed at once)."""
        self._report = _ignore_progress


_TASK_IDS = itertools.count(1)


def _ignore_progress(done: int, total: int, message: str) -> None:
    return None


class Task(QObject):
    """One submitted call. Exactly one of succeeded/failed/cancelled fires, then finished."""

    succeeded = Signal(object)
    failed = Signal(object)  # the exception; show `error_message(exc)`
    cancelled = Signal()
    progressed = Signal(int, int, str)
    finished = Signal()

    def __init__(self, name: str, owner: QObject | None) -> None:
        super().__init__()
        self.id = next(_TASK_IDS)
        self.name = name
        self._owner = owner
        self.control = TaskControl(self._report_from_worker)
        self.done = False
        self._runner: TaskRunner | None = None

    def cancel(self) -> None:
        """Ask the task to stop; its result (if it still finishes) is dropped."""
        self.control.cancel()

    def _report_from_worker(self, done: int, total: int, message: str) -> None:
        runner = self._runner
        if runner is not None:
            runner._delivered.emit(_Delivery(self.id, "progress", (done, total, message)))

    def _owner_alive(self) -> bool:
        return self._owner is None or shiboken6.isValid(self._owner)


@dataclass(frozen=True)
class _Delivery:
    """What the worker sends back. It names the task by id: only the UI thread ever holds
    a task (and, through its signal connections, the widgets waiting on it), so none of
    them can be freed on the worker thread when the UI is done with it first."""

    task_id: int
    kind: str  # "success" | "failure" | "cancelled" | "progress"
    payload: Any = None


class TaskRunner(QObject):
    """Runs callables on the single database worker thread; answers on the UI thread."""

    _delivered = Signal(object)
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="stethos-db")
        self._pending: dict[int, Task] = {}
        self._closed = False
        self._delivered.connect(self._deliver)  # queued: emitted from the worker thread

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def submit(
        self,
        fn: Callable[..., Any],
        *args: Any,
        owner: QObject | None = None,
        name: str = "",
        **kwargs: Any,
    ) -> Task:
        """Run `fn(*args, **kwargs)` on the worker. Signals are skipped once `owner` is gone."""
        return self._start(lambda _control: fn(*args, **kwargs), name or _name(fn), owner)

    def submit_with_control(
        self,
        fn: Callable[..., Any],
        *args: Any,
        owner: QObject | None = None,
        name: str = "",
        **kwargs: Any,
    ) -> Task:
        """Run `fn(control, *args, **kwargs)`: the task can report progress and be cancelled."""
        return self._start(lambda control: fn(control, *args, **kwargs), name or _name(fn), owner)

    def cancel_all(self) -> None:
        for task in list(self._pending.values()):
            task.cancel()

    def shutdown(self, wait: bool = True) -> None:
        """Cancel what has not started and stop the worker (at sign-out of the app)."""
        self._closed = True
        self.cancel_all()
        self._executor.shutdown(wait=wait, cancel_futures=True)

    # -- internals ---------------------------------------------------------------------

    def _start(self, body: Callable[[TaskControl], Any], name: str, owner: QObject | None) -> Task:
        if self._closed:
            raise RuntimeError("The task runner has been shut down.")
        task = Task(name, owner)
        task._runner = self
        was_busy = self.busy
        self._pending[task.id] = task
        if not was_busy:
            self.busy_changed.emit(True)
        self._executor.submit(self._run, task.id, task.name, task.control, body)
        return task

    def _run(
        self, task_id: int, name: str, control: TaskControl, body: Callable[[TaskControl], Any]
    ) -> None:
        """On the worker thread: never touches widgets (nor holds the task), only emits the
        delivery signal."""
        if control.cancelled:
            self._delivered.emit(_Delivery(task_id, "cancelled"))
            return
        try:
            result = body(control)
        except TaskCancelled:
            self._delivered.emit(_Delivery(task_id, "cancelled"))
        except Exception as exc:
            if not isinstance(exc, DomainError):
                # Type and place only: messages and values may carry patient data.
                log.error("task %s failed: %s", name, type(exc).__name__)
            self._delivered.emit(_Delivery(task_id, "failure", exc))
        else:
            kind = "cancelled" if control.cancelled else "success"
            self._delivered.emit(_Delivery(task_id, kind, result))

    def _deliver(self, delivery: _Delivery) -> None:
        """On the UI thread."""
        task = self._pending.get(delivery.task_id)
        if task is None:
            return
        if delivery.kind == "progress":
            if not task.done and task._owner_alive():
                task.progressed.emit(*delivery.payload)
            return
        task.done = True
        task._runner = None
        task.control._detach()  # breaks the task ↔ control cycle: freed now, not by the GC
        del self._pending[task.id]
        if task._owner_alive():
            if delivery.kind == "success":
                task.succeeded.emit(delivery.payload)
            elif delivery.kind == "failure":
                task.failed.emit(delivery.payload)
            else:
                task.cancelled.emit()
            task.finished.emit()
        if not self.busy:
            self.busy_changed.emit(False)


def _name(fn: Callable[..., Any]) -> str:
    return getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None) or repr(fn)
