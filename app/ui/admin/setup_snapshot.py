"""What the Scheduling set-up tab shows, fetched in one go on the database worker: the
providers, every appointment type (inactive too), rooms, everyone's weekly hours and the
blocked time of the coming year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QCoreApplication

from app.services.context import AppContext
from app.services.practice import PracticeInfo
from app.services.schedule_data import (
    AppointmentTypeView,
    BlockView,
    HoursView,
    ProviderView,
    RoomView,
)
from app.services.schedule_setup import ScheduleSetupService

BLOCKS_AHEAD = timedelta(days=366)  # the blocked-time list: today and the year after


@dataclass(frozen=True)
class LocationChoice:
    id: str
    label: str


@dataclass(frozen=True)
class SetupSnapshot:
    today: date
    providers: tuple[ProviderView, ...]
    types: tuple[AppointmentTypeView, ...]
    rooms: tuple[RoomView, ...]
    hours: tuple[HoursView, ...]
    blocks: tuple[BlockView, ...]
    locations: tuple[LocationChoice, ...]

    def provider_name(self, provider_id: str | None) -> str:
        if provider_id is None:
            return _tr("Whole practice")
        found = next((p.name for p in self.providers if p.id == provider_id), None)
        return found or _tr("Former staff member")

    def hours_of(self, provider_id: str) -> list[HoursView]:
        return [h for h in self.hours if h.provider_id == provider_id]


def _tr(text: str) -> str:
    return QCoreApplication.translate("SchedulingSetup", text)


def load_snapshot(ctx: AppContext) -> SetupSnapshot:
    """On the worker."""
    setup = ScheduleSetupService(ctx)
    today = PracticeInfo(ctx).summary().today
    return SetupSnapshot(
        today=today,
        providers=tuple(setup.providers()),
        types=tuple(setup.appointment_types(include_inactive=True)),
        rooms=tuple(setup.rooms()),
        hours=tuple(setup.hours()),
        blocks=tuple(setup.blocks(today, today + BLOCKS_AHEAD)),
        locations=tuple(LocationChoice(place.id, place.name) for place in setup.locations()),
    )
