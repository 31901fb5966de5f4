"""The demo practice's schedule set-up: appointment types, rooms and providers' hours."""

from __future__ import annotations

from datetime import time

from sqlalchemy import select

from app.models import Location
from app.services.context import AppContext
from app.services.schedule_data import HoursInput
from app.services.schedule_setup import AppointmentTypeInput, ScheduleSetupService

DEMO_TYPES = (
    # name, minutes, colour, new patients only, nurse visit
    ("New patient visit", 40, "#3A7BD5", True, False),
    ("Follow-up", 20, "#2E9E6A", False, False),
    ("Annual physical", 40, "#8E6BBF", False, False),
    ("Sick visit", 15, "#D9822B", False, False),
    ("Immunization", 15, "#C2417A", False, True),
)
DEMO_ROOMS = ("Exam 1", "Exam 2", "Exam 3", "Procedure room")

# username: [(weekdays, start, end, break start, break end)]
_H = time
Stretch = tuple[tuple[int, ...], time, time, time | None, time | None]
DEMO_HOURS: dict[str, list[Stretch]] = {
    "drpatel": [((0, 1, 2, 3, 4), _H(8), _H(17), _H(12), _H(13))],
    "drokafor": [((0, 1, 2, 3), _H(9), _H(18), _H(13), _H(14)), ((5,), _H(9), _H(12), None, None)],
    "nkim": [((0, 1, 2, 3, 4), _H(8, 30), _H(16, 30), _H(12, 30), _H(13))],
}


def seed_schedule_setup(ctx: AppContext, user_ids: dict[str, str]) -> None:
    """Types, rooms and weekly hours for the demo's physicians and nurse."""
    setup = ScheduleSetupService(ctx)
    nurse = user_ids["nkim"]
    doctors = tuple(user_ids[name] for name in ("drpatel", "drokafor"))
    for name, minutes, colour, new_only, nurse_visit in DEMO_TYPES:
        setup.save_appointment_type(
            AppointmentTypeInput(
                name, minutes, colour, (nurse,) if nurse_visit else doctors, new_only
            )
        )
    for room in DEMO_ROOMS:
        setup.save_room(room)
    location_id = _first_location(ctx)
    for username, stretches in DEMO_HOURS.items():
        provider_id = user_ids[username]
        setup.set_hours(
            provider_id,
            [
                HoursInput(provider_id, location_id, day, start, end, break_start, break_end)
                for days, start, end, break_start, break_end in stretches
                for day in days
            ],
        )


def _first_location(ctx: AppContext) -> str:
    with ctx.unit_of_work() as uow:
        location_id = uow.session.scalar(select(Location.id).order_by(Location.created_at))
        assert location_id is not None
        return location_id
