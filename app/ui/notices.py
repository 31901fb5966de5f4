"""Change notices from the event bus, delivered as a Qt signal on the UI thread.

Services publish notices (UsersChanged, ...) from the database worker thread after a
commit. A bridge re-emits them through a signal, which Qt queues to the thread the bridge
lives on, so screens refresh safely.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, Signal

from app.services.bus import EventBus


class NoticeBridge(QObject):
    """Subscribes to some notice types; `received` fires on the UI thread for each notice."""

    received = Signal(object)

    def __init__(self, bus: EventBus, *notice_types: type, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribers: list[Callable[[], None]] = [
            bus.subscribe(notice_type, self._on_notice) for notice_type in notice_types
        ]
        self.destroyed.connect(lambda *_: self.close())

    def _on_notice(self, notice: object) -> None:
        # Any thread; the signal is queued to ours. A notice must never break the service
        # that published it (it has already committed), so a gone bridge just drops it.
        if not shiboken6.isValid(self):
            return
        with contextlib.suppress(RuntimeError):
            self.received.emit(notice)

    def close(self) -> None:
        """Stop listening (called on sign-out, and when the bridge is destroyed)."""
        for unsubscribe in self._unsubscribers:
            unsubscribe()
        self._unsubscribers.clear()
