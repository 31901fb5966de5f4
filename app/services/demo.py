"""The demo practice: every role has a user, so every screen can be tried.

Later capabilities add their own demo data here (patients, schedule, charts, billing), so
the demo always shows everything Stethos can do.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from app.models import Role
from app.services.auth import sign_in
from app.services.clock import Clock
from app.services.demo_appointments import seed_demo_appointments
from app.services.demo_billing import seed_demo_billing
from app.services.demo_charts import seed_demo_charts
from app.services.demo_claims import seed_demo_claims
from app.services.demo_patients import seed_demo_patients
from app.services.demo_reminders import seed_reminder_templates
from app.services.demo_schedule import seed_schedule_setup
from app.services.fee_schedules import seed_demo_fee_schedule
from app.services.practice_setup import NewPractice, create_practice
from app.services.users import NewUser, UserAdminService
from app.storage.database import PracticePaths
from app.storage.keyslots import DEFAULT_KDF, KdfParams
from app.terminology.identifiers import npi_check_digit

DEMO_PRACTICE_NAME = "Riverside Family Medicine"
DEMO_TIME_ZONE = "America/Chicago"
ADMIN_USERNAME = "admin"
BILLER_USERNAME = "billing"  # sends the demo's statements
# Enough for three providers' year of visits to come to a believable few visits per
# patient; `stethos demo --patients N` for more.
DEMO_PATIENTS = 1500


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    role: Role
    credentials: str | None = None
    provider: bool = False


DEMO_STAFF = (
    DemoUser("admin", "Morgan Avery", Role.ADMIN),
    DemoUser("drpatel", "Priya Patel", Role.PHYSICIAN, "MD", provider=True),
    DemoUser("drokafor", "Daniel Okafor", Role.PHYSICIAN, "DO", provider=True),
    DemoUser("nkim", "Hannah Kim", Role.NURSE, "RN"),
    DemoUser("frontdesk", "Luis Romero", Role.RECEPTIONIST),
    DemoUser("billing", "Grace Whitfield", Role.BILLER),
)


@dataclass(frozen=True)
class DemoPractice:
    paths: PracticePaths
    recovery_code: str
    users: tuple[DemoUser, ...]


def demo_npi(rng: random.Random) -> str:
    first_nine = "1" + "".join(str(rng.randrange(10)) for _ in range(8))
    return first_nine + npi_check_digit(first_nine)


def create_demo_practice(
    paths: PracticePaths,
    password: str,
    *,
    seed: int = 1,
    patients: int = 0,
    clock: Clock | None = None,
    kdf: KdfParams = DEFAULT_KDF,
) -> DemoPractice:
    """A demo practice whose users all sign in with `password`, with `patients` patients."""
    rng = random.Random(seed)
    admin = DEMO_STAFF[0]
    created = create_practice(
        paths,
        NewPractice(
            DEMO_PRACTICE_NAME, DEMO_TIME_ZONE, admin.username, admin.display_name, password
        ),
        clock=clock,
        kdf=kdf,
    )
    ctx = sign_in(paths, admin.username, password, clock=clock, kdf=kdf)
    try:
        users = UserAdminService(ctx)
        user_ids = {admin.username: ctx.actor.user_id if ctx.actor else ""}
        for person in DEMO_STAFF[1:]:
            user_ids[person.username] = users.create_user(
                NewUser(
                    person.username,
                    person.display_name,
                    person.role,
                    password,
                    credentials=person.credentials,
                    npi=demo_npi(rng) if person.provider else None,
                    must_change_password=False,
                )
            ).id
        seed_schedule_setup(ctx, user_ids)
        seed_reminder_templates(ctx)
        seed_demo_fee_schedule(ctx)
        if patients:
            seed_demo_patients(ctx, patients, seed)
            seed_demo_appointments(ctx, seed)
            seed_demo_charts(ctx, seed)
            biller = sign_in(paths, BILLER_USERNAME, password, clock=clock, kdf=kdf)
            try:
                seed_demo_billing(biller, seed)
                seed_demo_claims(biller, seed, paths.data_dir, demo_npi(rng))
            finally:
                biller.close()
    finally:
        ctx.close()
    return DemoPractice(paths, created.recovery_code, DEMO_STAFF)
