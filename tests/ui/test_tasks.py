"""The task runner, without widgets: results, errors, progress and cancel come back as signals
on the UI thread, and every call runs on the same single worker thread."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QObject, QThread
from pytestqt.qtbot import QtBot

from app.services.errors import DomainError
from app.ui.tasks import UNEXPECTED_ERROR, TaskControl, TaskRunner, error_message


@pytest.fixture
def runner(qapp: object) -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.shutdown()


def test_a_result_arrives_on_the_ui_thread(qtbot: QtBot, runner: TaskRunner) -> None:
    seen: dict[str, object] = {}

    def work(a: int, b: int) -> int:
        seen["worker"] = threading.current_thread()
        return a + b

    task = runner.submit(work, 2, b=3)
    task.succeeded.connect(lambda _: seen.setdefault("delivered_on", QThread.currentThread()))
    with qtbot.waitSignal(task.succeeded, timeout=5000) as blocker:
        pass
    assert blocker.args == [5]
    assert seen["worker"] is not threading.main_thread()
    assert seen["delivered_on"] is QThread.currentThread()  # the test runs on the UI thread


def test_all_calls_share_one_worker_thread_in_order(qtbot: QtBot, runner: TaskRunner) -> None:
    threads: list[str] = []
    order: list[int] = []

    def work(n: int) -> None:
        threads.append(threading.current_thread().name)
        order.append(n)

    tasks = [runner.submit(work, n) for n in range(5)]
    with qtbot.waitSignal(tasks[-1].finished, timeout=5000):
        pass
    assert order == [0, 1, 2, 3, 4]
    assert len(set(threads)) == 1


def test_a_domain_error_is_delivered_with_its_message(qtbot: QtBot, runner: TaskRunner) -> None:
    def refuse() -> None:
        raise DomainError("That slot is taken.")

    task = runner.submit(refuse)
    with qtbot.waitSignal(task.failed, timeout=5000) as blocker:
        pass
    assert error_message(blocker.args[0]) == "That slot is taken."


def test_an_unexpected_error_gets_a_calm_message(qtbot: QtBot, runner: TaskRunner) -> None:
    def crash() -> None:
        raise KeyError("Jane Doe 1970-01-01")

    task = runner.submit(crash)
    with qtbot.waitSignal(task.failed, timeout=5000) as blocker:
        pass
    message = error_message(blocker.args[0])
    assert message == UNEXPECTED_ERROR
    assert "Jane" not in message


def test_progress_is_reported_and_cancel_stops_the_task(qtbot: QtBot, runner: TaskRunner) -> None:
    started = threading.Event()
    release = threading.Event()
    steps: list[tuple[int, int, str]] = []

    def long_job(control: TaskControl, total: int) -> str:
        for done in range(total):
            control.check()
            control.report(done + 1, total, f"step {done + 1}")
            if done == 1:
                started.set()
                release.wait(5)
        return "finished"

    task = runner.submit_with_control(long_job, 10)
    task.progressed.connect(lambda *args: steps.append(args))
    qtbot.waitUntil(lambda: len(steps) >= 2, timeout=5000)
    assert started.is_set()
    assert steps[:2] == [(1, 10, "step 1"), (2, 10, "step 2")]
    task.cancel()
    release.set()
    with qtbot.waitSignal(task.cancelled, timeout=5000):
        pass
    assert task.done
    assert len(steps) < 10


def test_a_task_cancelled_before_it_starts_never_runs(qtbot: QtBot, runner: TaskRunner) -> None:
    gate = threading.Event()
    ran: list[str] = []
    blocker_task = runner.submit(gate.wait, 5)
    queued = runner.submit(ran.append, "ran")
    queued.cancel()
    gate.set()
    with qtbot.waitSignal(queued.cancelled, timeout=5000):
        pass
    assert blocker_task.done
    assert ran == []


def test_busy_turns_on_and_off(qtbot: QtBot, runner: TaskRunner) -> None:
    states: list[bool] = []
    runner.busy_changed.connect(states.append)
    task = runner.submit(lambda: None)
    assert runner.busy
    with qtbot.waitSignal(runner.busy_changed, timeout=5000):
        pass
    assert task.done
    assert states == [True, False]
    assert not runner.busy


def test_signals_are_skipped_when_the_owner_is_gone(qtbot: QtBot, runner: TaskRunner) -> None:
    gate = threading.Event()
    owner = QObject()
    delivered: list[object] = []
    task = runner.submit(gate.wait, 5, owner=owner)
    task.succeeded.connect(delivered.append)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not _alive(owner), timeout=5000)
    gate.set()
    qtbot.waitUntil(lambda: task.done, timeout=5000)
    assert delivered == []


def _alive(obj: QObject) -> bool:
    import shiboken6

    return shiboken6.isValid(obj)
