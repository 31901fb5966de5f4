"""Plain data the scheduling services take and return (safe to pass between threads).

Times the user sees are local wall times in the practice's zone, as naive datetimes;
`starts_at`/`ends_at` are the same instants in UTC."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from app.models.appointment import AppointmentStatus, PartOfDay
from app.models.schedule_setup import BlockKind


class Scope(enum.StrEnum):
    """Which occurrences of a series an edit or a cancellation applies to."""

    THIS = "this"
    FOLLOWING = "following"
    ALL = "all"


@dataclass(frozen=True)
class BookingInput:
    patient_id: str
    provider_id: str
    type_id: str
    wall_start: datetime  # local wall time, naive
    minutes: int | None = None  # None: the type's default length
    location_id: str | None = None  # None: where the provider works that day
    room_id: str | None = None
    reason: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class Recurrence:
    """Every `interval` weeks on `weekdays` (0 = Monday), until a date or for a count."""

    interval_weeks: int = 1
    weekdays: tuple[int, ...] = ()  # empty: the weekday of the first visit
    until: date | None = None
    count: int | None = None


@dataclass(frozen=True)
class Conflict:
    kind: str  # "appointment", "patient", "room", "blocked", "hours"
    message: str
    wall_start: datetime | None = None


@dataclass(frozen=True)
class AppointmentView:
    id: str
    version: int
    patient_id: str
    patient_name: str
    mrn: str
    provider_id: str
    provider_name: str
    location_id: str
    room_id: str | None
    room_name: str | None
    type_id: str
    type_name: str
    colour: str
    wall_start: datetime
    wall_end: datetime
    starts_at: datetime
    ends_at: datetime
    minutes: int
    status: AppointmentStatus
    status_changed_at: datetime
    arrived_at: datetime | None
    reason: str | None
    notes: str | None
    series_id: str | None
    detached: bool
    copay_due_cents: int | None
    cancel_reason: str | None
    late_cancel: bool
    rescheduled_to_id: str | None
    # Filled in for the day view: visits so far, and who the patient usually sees when
    # that is not the booked provider.
    visit_count: int | None = None
    usual_provider_name: str | None = None

    @property
    def is_recurring(self) -> bool:
        return self.series_id is not None


@dataclass(frozen=True)
class ProviderView:
    id: str
    name: str
    physician: bool = True  # False: a nurse, whose visits (shots, checks) are no one's usual


@dataclass(frozen=True)
class LocationView:
    id: str
    name: str


@dataclass(frozen=True)
class RoomView:
    id: str
    name: str
    location_id: str
    active: bool


@dataclass(frozen=True)
class AppointmentTypeView:
    id: str
    version: int
    name: str
    default_minutes: int
    colour: str
    provider_ids: tuple[str, ...]
    new_patients_only: bool
    active: bool

    def offered_by(self, provider_id: str) -> bool:
        return not self.provider_ids or provider_id in self.provider_ids


@dataclass(frozen=True)
class HoursInput:
    provider_id: str
    location_id: str
    weekday: int
    starts: time
    ends: time
    break_starts: time | None = None
    break_ends: time | None = None


@dataclass(frozen=True)
class HoursView(HoursInput):
    id: str = ""


@dataclass(frozen=True)
class BlockView:
    id: str
    provider_id: str | None
    kind: BlockKind
    wall_start: datetime
    wall_end: datetime
    reason: str


@dataclass(frozen=True)
class Unavailable:
    """A stretch the calendar shades for one provider: off hours, a break, a block."""

    provider_id: str
    wall_start: datetime
    wall_end: datetime
    kind: str  # "off", "break", "block", "holiday"
    label: str


@dataclass(frozen=True)
class CalendarRange:
    first_day: date
    days: int
    providers: tuple[ProviderView, ...]
    appointments: tuple[AppointmentView, ...]
    unavailable: tuple[Unavailable, ...]


@dataclass(frozen=True)
class Slot:
    provider_id: str
    provider_name: str
    location_id: str
    wall_start: datetime
    minutes: int

    @property
    def wall_end(self) -> datetime:
        return self.wall_start + timedelta(minutes=self.minutes)


@dataclass(frozen=True)
class SlotSearch:
    type_id: str
    provider_ids: tuple[str, ...] = ()  # empty: anyone who offers the type
    part_of_day: PartOfDay = PartOfDay.ANY
    first_day: date | None = None  # None: today
    last_day: date | None = None  # None: 90 days on
    minutes: int | None = None  # None: the type's default length
    limit: int = 5


@dataclass(frozen=True)
class WaitlistView:
    id: str
    version: int
    patient_id: str
    patient_name: str
    type_id: str
    type_name: str
    provider_ids: tuple[str, ...]
    part_of_day: PartOfDay
    earliest: date
    latest: date
    current_appointment_id: str | None
    current_wall_start: datetime | None
    notes: str | None


@dataclass(frozen=True)
class WaitlistOffer:
    """A freed slot and the waiting patient it suits best."""

    entry: WaitlistView
    slot: Slot
