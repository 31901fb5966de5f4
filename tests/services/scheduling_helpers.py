"""A private demo practice per scheduling test, with patients and the staff signed in.

Signing in checks an Argon2 password hash (about half a second each), so the template
signs in once per test session; each test then opens its own copy of the template's
encrypted database with the same key and acts as any demo user (the actor is read from
the user row, as sign-in does). Everything else is the real stack: SQLCipher file,
services, audit chain, outbox.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Protocol

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from app.models import AppointmentStatus, AppointmentType, Location, Room, SexAtBirth, User
from app.services.appointments import AppointmentService
from app.services.auth import sign_in
from app.services.availability import AvailabilityService
from app.services.bus import EventBus
from app.services.clock import FakeClock
from app.services.context import Actor, AppContext
from app.services.demo import DemoPractice
from app.services.patient_data import PatientInput
from app.services.patients import PatientService
from app.services.schedule_data import (
    AppointmentView,
    BookingInput,
    HoursInput,
    Recurrence,
    Slot,
    SlotSearch,
)
from app.services.schedule_setup import AppointmentTypeInput, ScheduleSetupService
from app.services.waitlist import WaitlistInput, WaitlistService
from app.storage.database import PracticePaths
from app.storage.engine import connect_raw, open_engine
from app.storage.vault import Vault
from tests.conftest import DEMO_PASSWORD, FAST_KDF
from tests.services.helpers import data_snapshot, query

# Patients every scheduling test may book: key -> (first, last, date of birth).
PATIENTS = {
    "ana": ("Ana", "Lopez", date(1984, 2, 11)),
    "ben": ("Ben", "Okoro", date(1979, 7, 30)),
    "cara": ("Cara", "Nguyen", date(1992, 11, 3)),
    "dev": ("Dev", "Shah", date(1966, 4, 21)),
    "eve": ("Eve", "Marsh", date(2001, 9, 9)),
    "finn": ("Finn", "Walsh", date(1958, 1, 17)),
}
# The demo's appointment types (app/services/demo_schedule.py).
NEW_PATIENT = "New patient visit"  # 40 min, physicians, new patients only
FOLLOW_UP = "Follow-up"  # 20 min, physicians
PHYSICAL = "Annual physical"  # 40 min, physicians
SICK = "Sick visit"  # 15 min, physicians
IMMUNIZATION = "Immunization"  # 15 min, the nurse only


def wall(text: str) -> datetime:
    """A wall time in the practice's zone (Chicago): wall("2026-01-06 10:00"). The `clock`
    fixture starts at wall("2026-01-05 08:00"), a Monday."""
    return datetime.fromisoformat(text)


@dataclass(frozen=True)
class ScheduleTemplate:
    paths: PracticePaths
    key: bytes
    device_id: str
    actors: dict[str, Actor]
    patients: dict[str, str]  # PATIENTS key -> patient id
    types: dict[str, str]  # name -> id
    rooms: dict[str, str]  # name -> id
    location_id: str


_TEMPLATE = pytest.StashKey[ScheduleTemplate]()


def schedule_template(
    config: pytest.Config, demo: DemoPractice, tmp_path_factory: pytest.TempPathFactory
) -> ScheduleTemplate:
    """The demo practice plus PATIENTS, built once per test session."""
    if _TEMPLATE not in config.stash:
        config.stash[_TEMPLATE] = _build_template(demo, tmp_path_factory)
    return config.stash[_TEMPLATE]


def _build_template(demo: DemoPractice, factory: pytest.TempPathFactory) -> ScheduleTemplate:
    paths = PracticePaths(factory.mktemp("schedule") / "practice")
    shutil.copytree(demo.paths.data_dir, paths.data_dir)
    admin = sign_in(paths, "admin", DEMO_PASSWORD, clock=FakeClock(), kdf=FAST_KDF)
    try:
        registry = PatientService(admin)
        patients = {
            key: registry.register(PatientInput(first, last, born, SexAtBirth.FEMALE)).id
            for key, (first, last, born) in PATIENTS.items()
        }
        with admin.unit_of_work() as uow:
            session = uow.session
            actors = {
                u.username: Actor(u.id, u.username, u.display_name, u.role)
                for u in session.scalars(select(User))
            }
            types = {t.name: t.id for t in session.scalars(select(AppointmentType))}
            rooms = {r.name: r.id for r in session.scalars(select(Room))}
            location_id = session.scalar(select(Location.id).order_by(Location.created_at))
        assert location_id is not None
        return ScheduleTemplate(
            paths,
            admin.vault.database_key,
            admin.device_id,
            actors,
            patients,
            types,
            rooms,
            location_id,
        )
    finally:
        admin.close()


@dataclass
class Office:
    """One test's practice. `office.ctx("frontdesk")` acts as that demo user; every
    context shares the test's clock and one event bus."""

    template: ScheduleTemplate
    paths: PracticePaths
    clock: FakeClock
    bus: EventBus = field(default_factory=EventBus)
    _contexts: dict[str, AppContext] = field(default_factory=dict)
    _raw: Any = None  # a keyed DB-API connection for looking at rows directly

    def __post_init__(self) -> None:
        engine = open_engine(self.paths.database, self.template.key)
        self._factory = sessionmaker(engine, expire_on_commit=False)
        self._vault = Vault(self.paths, self.template.key, FAST_KDF)

    def ctx(self, username: str) -> AppContext:
        if username not in self._contexts:
            self._contexts[username] = AppContext(
                self._factory,
                self.template.device_id,
                self._vault,
                actor=self.template.actors[username],
                clock=self.clock,
                bus=self.bus,
            )
        return self._contexts[username]

    @property
    def desk(self) -> AppContext:
        """The receptionist, who does most of the booking."""
        return self.ctx("frontdesk")

    def close(self) -> None:
        if self._raw is not None:
            self._raw.close()
        bind = self._factory.kw.get("bind")
        if bind is not None:
            bind.dispose()

    # --- ids --------------------------------------------------------------------------

    def patient(self, key: str) -> str:
        return self.template.patients[key]

    def provider(self, username: str) -> str:
        return self.template.actors[username].user_id

    def type(self, name: str) -> str:
        return self.template.types[name]

    def room(self, name: str) -> str:
        return self.template.rooms[name]

    # --- doing ------------------------------------------------------------------------

    def booking(
        self,
        patient: str,
        at: str,
        provider: str = "drpatel",
        type_name: str = FOLLOW_UP,
        **changes: Any,
    ) -> BookingInput:
        return BookingInput(
            patient_id=self.patient(patient),
            provider_id=self.provider(provider),
            type_id=self.type(type_name),
            wall_start=wall(at),
            **changes,
        )

    def book(
        self,
        patient: str,
        at: str,
        provider: str = "drpatel",
        type_name: str = FOLLOW_UP,
        *,
        by: str = "frontdesk",
        **changes: Any,
    ) -> AppointmentView:
        data = self.booking(patient, at, provider, type_name, **changes)
        return AppointmentService(self.ctx(by)).book(data)

    def current(self, appointment_id: str) -> AppointmentView:
        """The appointment as it is now (an audited read, as the screen would do)."""
        return AppointmentService(self.desk).get(appointment_id)

    # --- looking at the database directly (no use case, no audit event) -------------

    def rows(self, sql: str, *params: object) -> list[dict[str, Any]]:
        if self._raw is None:
            self._raw = connect_raw(self.paths.database, self.template.key)
        cursor = self._raw.execute(sql, params)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def audit(self) -> list[dict[str, Any]]:
        return self.rows("SELECT * FROM audit_event ORDER BY seq")

    def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every data row (not the audit log): equal before and after a refusal."""
        return data_snapshot(self.desk)


@pytest.fixture(name="office")
def office_fixture(
    request: pytest.FixtureRequest,
    demo_template: DemoPractice,
    tmp_path_factory: pytest.TempPathFactory,
    tmp_path: Path,
    clock: FakeClock,
) -> Iterator[Office]:
    """A private copy of the scheduling template for one test (import this fixture:
    `from tests.services.scheduling_helpers import office_fixture  # noqa: F401`)."""
    template = schedule_template(request.config, demo_template, tmp_path_factory)
    target = tmp_path / "practice"
    shutil.copytree(template.paths.data_dir, target)
    office = Office(template, PracticePaths(target), clock)
    try:
        yield office
    finally:
        office.close()


# -- calls for the permissions table (tests/services/test_permissions.py) --------------
# Each takes (context, target) like the table's other calls; ids are read straight from
# the database, as an edit form would already hold them (no use case, no audit event).


class PatientTarget(Protocol):
    @property
    def patient_id(self) -> str: ...


def _one(ctx: AppContext, sql: str, *params: object) -> dict[str, Any]:
    return query(ctx, sql, *params)[0]


def _visit(ctx: AppContext, t: PatientTarget, at: str) -> BookingInput:
    patel = _one(ctx, "SELECT id FROM user_account WHERE username = 'drpatel'")["id"]
    follow_up = _one(ctx, "SELECT id FROM appointment_type WHERE name = ?", FOLLOW_UP)["id"]
    return BookingInput(t.patient_id, patel, follow_up, wall(at))


def _latest_visit(ctx: AppContext, t: PatientTarget) -> tuple[str, int]:
    row = _one(
        ctx,
        "SELECT id, version FROM appointment WHERE patient_id = ? ORDER BY created_at DESC",
        t.patient_id,
    )
    return row["id"], row["version"]


def _latest_entry(ctx: AppContext) -> tuple[str, int]:
    row = _one(ctx, "SELECT id, version FROM waitlist_entry ORDER BY created_at DESC")
    return row["id"], row["version"]


def booked_visit(ctx: AppContext, t: PatientTarget) -> object:
    """Today 10:00 with Dr. Patel (double-booked: prepares repeat on the shared practice)."""
    return AppointmentService(ctx).book(_visit(ctx, t, "2026-01-05 10:00"), double_book=True)


def requested_visit(ctx: AppContext, t: PatientTarget) -> object:
    return AppointmentService(ctx).request(_visit(ctx, t, "2026-01-05 10:00"))


def freed_visit(ctx: AppContext, t: PatientTarget) -> object:
    booked_visit(ctx, t)
    return AppointmentService(ctx).cancel(*_latest_visit(ctx, t), "Out of town")


def waiting(ctx: AppContext, t: PatientTarget) -> object:
    follow_up = _one(ctx, "SELECT id FROM appointment_type WHERE name = ?", FOLLOW_UP)["id"]
    return WaitlistService(ctx).add(
        WaitlistInput(t.patient_id, follow_up, date(2026, 1, 5), date(2026, 1, 31))
    )


def blocked(ctx: AppContext, t: PatientTarget) -> object:
    patel = _one(ctx, "SELECT id FROM user_account WHERE username = 'drpatel'")["id"]
    return ScheduleSetupService(ctx).block_time(
        patel, wall("2026-01-06 12:00"), wall("2026-01-06 13:00"), "Lunch meeting"
    )


def book(ctx: AppContext, t: PatientTarget) -> object:
    return AppointmentService(ctx).book(_visit(ctx, t, "2026-01-06 10:00"))


def book_series(ctx: AppContext, t: PatientTarget) -> object:
    visit = _visit(ctx, t, "2026-01-07 10:00")
    return AppointmentService(ctx).book_series(visit, Recurrence(count=2))


def request(ctx: AppContext, t: PatientTarget) -> object:
    return AppointmentService(ctx).request(_visit(ctx, t, "2026-01-08 10:00"))


def accept_request(ctx: AppContext, t: PatientTarget) -> object:
    return AppointmentService(ctx).accept_request(*_latest_visit(ctx, t))


def decline_request(ctx: AppContext, t: PatientTarget) -> object:
    return AppointmentService(ctx).decline_request(*_latest_visit(ctx, t), "No longer needed")


def move(ctx: AppContext, t: PatientTarget) -> object:
    return AppointmentService(ctx).move(*_latest_visit(ctx, t), wall("2026-01-05 11:00"))


def reschedule(ctx: AppContext, t: PatientTarget) -> object:
    return AppointmentService(ctx).reschedule(*_latest_visit(ctx, t), wall("2026-01-06 11:00"))


def confirm(ctx: AppContext, t: PatientTarget) -> object:
    return AppointmentService(ctx).set_status(*_latest_visit(ctx, t), AppointmentStatus.CONFIRMED)


def check_in(ctx: AppContext, t: PatientTarget) -> object:
    return AppointmentService(ctx).check_in(*_latest_visit(ctx, t), 2500)


def cancel(ctx: AppContext, t: PatientTarget) -> object:
    return AppointmentService(ctx).cancel(*_latest_visit(ctx, t), "Feeling better")


def get(ctx: AppContext, t: PatientTarget) -> object:
    return AppointmentService(ctx).get(_latest_visit(ctx, t)[0])


def for_patient(ctx: AppContext, t: PatientTarget) -> object:
    return AppointmentService(ctx).for_patient(t.patient_id)


def save_appointment_type(ctx: AppContext, t: PatientTarget) -> object:
    return ScheduleSetupService(ctx).save_appointment_type(
        AppointmentTypeInput("Telehealth check", 20, "#3A7BD5")
    )


def set_hours(ctx: AppContext, t: PatientTarget) -> object:
    okafor = _one(ctx, "SELECT id FROM user_account WHERE username = 'drokafor'")["id"]
    location = _one(ctx, "SELECT id FROM location")["id"]
    monday = HoursInput(okafor, location, 0, time(9), time(17))
    return ScheduleSetupService(ctx).set_hours(okafor, [monday])


def remove_block(ctx: AppContext, t: PatientTarget) -> object:
    block = _one(ctx, "SELECT id FROM blocked_time ORDER BY created_at DESC")
    return ScheduleSetupService(ctx).remove_block(block["id"])


def find_next_available(ctx: AppContext, t: PatientTarget) -> object:
    follow_up = _one(ctx, "SELECT id FROM appointment_type WHERE name = ?", FOLLOW_UP)["id"]
    return AvailabilityService(ctx).find_next_available(SlotSearch(follow_up))


def remove_entry(ctx: AppContext, t: PatientTarget) -> object:
    return WaitlistService(ctx).remove(*_latest_entry(ctx))


def offers_for(ctx: AppContext, t: PatientTarget) -> object:
    return WaitlistService(ctx).offers_for(_latest_visit(ctx, t)[0])


def book_offer(ctx: AppContext, t: PatientTarget) -> object:
    visit = _visit(ctx, t, "2026-01-06 09:00")
    location = _one(ctx, "SELECT id FROM location")["id"]
    slot = Slot(visit.provider_id, "Priya Patel", location, visit.wall_start, 20)
    return WaitlistService(ctx).book_offer(*_latest_entry(ctx), slot)
