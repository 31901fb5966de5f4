"""A tiny publish/subscribe bus for change notices (no Qt here; the UI bridges to signals)."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

Handler = Callable[[Any], None]


@dataclass(frozen=True)
class UsersChanged:
    user_ids: tuple[str, ...]


@dataclass(frozen=True)
class SettingsChanged:
    keys: tuple[str, ...]


class EventBus:
    def __init__(self) -> None:
        self._handlers: dict[type, list[Handler]] = defaultdict(list)
        self._lock = threading.Lock()

    def subscribe(self, notice_type: type, handler: Handler) -> Callable[[], None]:
        with self._lock:
            self._handlers[notice_type].append(handler)

        def unsubscribe() -> None:
            with self._lock:
                if handler in self._handlers[notice_type]:
                    self._handlers[notice_type].remove(handler)

        return unsubscribe

    def publish(self, notice: object) -> None:
        with self._lock:
            handlers = list(self._handlers[type(notice)])
        for handler in handlers:
            handler(notice)


@dataclass(frozen=True)
class PatientsChanged:
    patient_ids: tuple[str, ...]


@dataclass(frozen=True)
class AppointmentsChanged:
    appointment_ids: tuple[str, ...]


@dataclass(frozen=True)
class ScheduleSetupChanged:
    """Hours, blocks, rooms or appointment types changed: calendars redraw their shading."""


@dataclass(frozen=True)
class ChartChanged:
    """Something in these patients' charts changed (a note, vitals, a list entry, a document)."""

    patient_ids: tuple[str, ...]


@dataclass(frozen=True)
class FeeSchedulesChanged:
    """A fee schedule or its prices changed: price lists and open charge forms reload."""

    schedule_ids: tuple[str, ...]


@dataclass(frozen=True)
class ChargesChanged:
    """Charges of these patients were proposed, changed or discarded."""

    patient_ids: tuple[str, ...]


@dataclass(frozen=True)
class LedgerChanged:
    """Bus notice: these patients' accounts changed (a balance, a payment, a charge)."""

    patient_ids: tuple[str, ...]


@dataclass(frozen=True)
class DayClosed:
    """The books of a business day were closed: day-close screens elsewhere show it."""

    day: date


@dataclass(frozen=True)
class ClaimsChanged:
    """These claims were built, changed status, or had their worklist fields changed."""

    claim_ids: tuple[str, ...]
