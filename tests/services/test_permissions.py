"""Who may do what (DESIGN §3): every role × every use case, from an explicit table.

The expected outcomes are written out here, not read from ROLE_PERMISSIONS, so a wrong entry
in that table makes this test fail. To cover a new use case, add one `UseCase(...)` entry to
USE_CASES (and its service class to SERVICES if it is new).
"""

from __future__ import annotations

import inspect
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from app.models import PatientStatus, Role, SexAtBirth
from app.services.appointments import AppointmentService
from app.services.audit import AuditService
from app.services.auth import sign_in
from app.services.availability import AvailabilityService
from app.services.calendar import CalendarService
from app.services.clock import FakeClock
from app.services.context import AppContext
from app.services.demo import DemoPractice
from app.services.errors import PermissionDenied
from app.services.insurance import CoverageInput, CoverageService, PayerInput, PayerService
from app.services.maintenance import MaintenanceService
from app.services.patient_data import PatientInput, PhoneInput
from app.services.patient_merge import PatientMergeService
from app.services.patient_search import PatientSearch
from app.services.patients import PatientService
from app.services.permissions import Permission
from app.services.reminders import ReminderService
from app.services.schedule_print import SchedulePrintService
from app.services.schedule_setup import ScheduleSetupService
from app.services.settings import SettingsService
from app.services.users import NewUser, UserAdminService
from app.services.waitlist import WaitlistService
from app.storage.database import PracticePaths
from tests.conftest import DEMO_PASSWORD, FAST_KDF
from tests.services import scheduling_helpers as sched
from tests.services.helpers import audit_events, data_snapshot, query, user_id
from tests.services.permission_table import (
    ADMIN_ONLY,
    EVERYONE,
    PATIENT_DESK,
    PAYER_DESK,
    Target,
    UseCase,
    more_cases,
)
from tests.services.reminder_cases import (
    REMINDER_GATEWAYS,
    REMINDER_TEMPLATE,
    KeptMessages,
    reminder_due,
    reminder_queued,
)

# The demo user who plays each role. Every role must be here (checked below).
ACTOR = {
    Role.ADMIN: "admin",
    Role.PHYSICIAN: "drpatel",
    Role.NURSE: "nkim",
    Role.RECEPTIONIST: "frontdesk",
    Role.BILLER: "billing",
}


def _new_user(ctx: AppContext, t: Target) -> object:
    return UserAdminService(ctx).create_user(
        NewUser("jlee", "Jordan Lee", Role.NURSE, "a sunny day in may")
    )


def _disable_target(ctx: AppContext, t: Target) -> object:
    return UserAdminService(ctx).disable_user(t.user_id)


PNG = b"\x89PNG\r\n\x1a\n" + bytes(32)
TARGET_PATIENT = PatientInput(
    "Tess", "Target", date(1980, 5, 6), SexAtBirth.FEMALE, phones=(PhoneInput("312-555-0190"),)
)


def _make_target(admin: AppContext) -> None:
    """A patient with a primary coverage, and a duplicate record of her (once per template)."""
    patients = PatientService(admin)
    patient = patients.register(TARGET_PATIENT)
    patients.register(TARGET_PATIENT, confirm_not_duplicate=True)
    payer = PayerService(admin).add_payer(PayerInput("Target Health", "TGT01"))
    CoverageService(admin).add(patient.id, CoverageInput(payer.id, 1, "TGT-1"))


def _target(ctx: AppContext) -> Target:
    """The target's ids, read straight from the database (no use case, no audit event)."""
    (first, second) = query(
        ctx,
        "SELECT p.id, c.id AS coverage_id, c.payer_id FROM patient p "
        "LEFT JOIN coverage c ON c.patient_id = p.id WHERE p.last_name = 'Target' ORDER BY p.mrn",
    )
    return Target(
        user_id(ctx, TARGET_USER),
        first["id"],
        second["id"],
        first["payer_id"],
        first["coverage_id"],
    )


def _version(ctx: AppContext, table: str, row_id: str) -> int:
    """Read without a use case (no audit event), as the edit form would already hold it."""
    return int(query(ctx, f"SELECT version FROM {table} WHERE id = ?", row_id)[0]["version"])


def _update_patient(ctx: AppContext, t: Target) -> object:
    version = _version(ctx, "patient", t.patient_id)
    data = PatientInput("Tess", "Target", date(1980, 5, 6), SexAtBirth.FEMALE, city="Peoria")
    return PatientService(ctx).update(t.patient_id, data, version)


def _update_coverage(ctx: AppContext, t: Target) -> object:
    version = _version(ctx, "coverage", t.coverage_id)
    data = CoverageInput(t.payer_id, 1, "TGT-1", copay_cents=2500)
    return CoverageService(ctx).update(t.coverage_id, data, version)


def _merge_a_new_pair(ctx: AppContext, t: Target) -> object:
    patients = PatientService(ctx)
    kept = patients.register(
        PatientInput("Una", "Undo", date(1990, 1, 2), SexAtBirth.FEMALE),
        confirm_not_duplicate=True,
    )
    gone = patients.register(
        PatientInput("Una", "Undo", date(1990, 1, 2), SexAtBirth.FEMALE),
        confirm_not_duplicate=True,
    )
    return PatientMergeService(ctx).merge(kept.id, gone.id)


def _undo_latest_merge(ctx: AppContext, t: Target) -> object:
    (merge,) = query(
        ctx,
        "SELECT id FROM patient_merge WHERE undone_at IS NULL ORDER BY created_at DESC LIMIT 1",
    )
    return PatientMergeService(ctx).undo(merge["id"])


USE_CASES = [
    UseCase(
        "UserAdminService.list_users",
        Permission.MANAGE_USERS,
        ADMIN_ONLY,
        lambda c, t: UserAdminService(c).list_users(),
    ),
    UseCase("UserAdminService.create_user", Permission.MANAGE_USERS, ADMIN_ONLY, _new_user),
    UseCase("UserAdminService.disable_user", Permission.MANAGE_USERS, ADMIN_ONLY, _disable_target),
    UseCase(
        "UserAdminService.enable_user",
        Permission.MANAGE_USERS,
        ADMIN_ONLY,
        lambda c, t: UserAdminService(c).enable_user(t.user_id, "back at work again"),
        prepare=_disable_target,
    ),
    UseCase(
        "UserAdminService.reset_password",
        Permission.MANAGE_USERS,
        ADMIN_ONLY,
        lambda c, t: UserAdminService(c).reset_password(t.user_id, "temporary words here"),
    ),
    UseCase(
        "UserAdminService.change_role",
        Permission.MANAGE_USERS,
        ADMIN_ONLY,
        lambda c, t: UserAdminService(c).change_role(t.user_id, Role.NURSE),
    ),
    UseCase(
        "SettingsService.set_auto_lock_minutes",
        Permission.MANAGE_SETTINGS,
        ADMIN_ONLY,
        lambda c, t: SettingsService(c).set_auto_lock_minutes(3),
    ),
    UseCase(
        "AuditService.recent",
        Permission.VIEW_AUDIT_LOG,
        ADMIN_ONLY,
        lambda c, t: AuditService(c).recent(),
    ),
    UseCase(
        "AuditService.verify_chain",
        Permission.VERIFY_DATA,
        ADMIN_ONLY,
        lambda c, t: AuditService(c).verify_chain(),
    ),
    # Patients (issue #3)
    UseCase(
        "PatientService.register",
        Permission.REGISTER_PATIENTS,
        PATIENT_DESK,
        lambda c, t: PatientService(c).register(
            PatientInput("Nora", "Newcomb", date(1991, 2, 3), SexAtBirth.FEMALE)
        ),
    ),
    UseCase("PatientService.update", Permission.REGISTER_PATIENTS, PATIENT_DESK, _update_patient),
    UseCase(
        "PatientService.possible_duplicates",
        Permission.REGISTER_PATIENTS,
        PATIENT_DESK,
        lambda c, t: PatientService(c).possible_duplicates(TARGET_PATIENT),
    ),
    UseCase(
        "PatientService.get",
        Permission.VIEW_PATIENTS,
        EVERYONE,
        lambda c, t: PatientService(c).get(t.patient_id),
    ),
    UseCase(
        "PatientService.set_status",
        Permission.REGISTER_PATIENTS,
        PATIENT_DESK,
        lambda c, t: PatientService(c).set_status(t.patient_id, PatientStatus.INACTIVE),
    ),
    UseCase(
        "PatientService.set_photo",
        Permission.REGISTER_PATIENTS,
        PATIENT_DESK,
        lambda c, t: PatientService(c).set_photo(t.patient_id, PNG),
    ),
    UseCase(
        "PatientService.photo",
        Permission.VIEW_PATIENTS,
        EVERYONE,
        lambda c, t: PatientService(c).photo(t.patient_id),
    ),
    UseCase(
        "PatientSearch.search",
        Permission.VIEW_PATIENTS,
        EVERYONE,
        lambda c, t: PatientSearch(c).search("Target, Tess"),
    ),
    UseCase(
        "PayerService.list_payers",
        Permission.VIEW_PATIENTS,
        EVERYONE,
        lambda c, t: PayerService(c).list_payers(),
        audited=False,  # the payer list is reference data, not a patient's
    ),
    UseCase(
        "PayerService.add_payer",
        Permission.MANAGE_PAYERS,
        PAYER_DESK,
        lambda c, t: PayerService(c).add_payer(PayerInput("Prairie Mutual", "PRMU2")),
    ),
    UseCase(
        "CoverageService.coverages",
        Permission.VIEW_PATIENTS,
        EVERYONE,
        lambda c, t: CoverageService(c).coverages(t.patient_id),
    ),
    UseCase(
        "CoverageService.add",
        Permission.REGISTER_PATIENTS,
        PATIENT_DESK,
        lambda c, t: CoverageService(c).add(t.patient_id, CoverageInput(t.payer_id, 2, "TGT-2")),
    ),
    UseCase("CoverageService.update", Permission.REGISTER_PATIENTS, PATIENT_DESK, _update_coverage),
    UseCase(
        "CoverageService.remove",
        Permission.REGISTER_PATIENTS,
        PATIENT_DESK,
        lambda c, t: CoverageService(c).remove(t.coverage_id),
    ),
    UseCase(
        "CoverageService.set_card_images",
        Permission.REGISTER_PATIENTS,
        PATIENT_DESK,
        lambda c, t: CoverageService(c).set_card_images(t.coverage_id, PNG, PNG),
    ),
    UseCase(
        "CoverageService.card_image",
        Permission.VIEW_PATIENTS,
        EVERYONE,
        lambda c, t: CoverageService(c).card_image(t.coverage_id, "front"),
    ),
    UseCase(
        "PatientMergeService.merge",
        Permission.MERGE_PATIENTS,
        ADMIN_ONLY,
        lambda c, t: PatientMergeService(c).merge(t.patient_id, t.duplicate_id),
    ),
    UseCase(
        "PatientMergeService.undo",
        Permission.MERGE_PATIENTS,
        ADMIN_ONLY,
        _undo_latest_merge,
        prepare=_merge_a_new_pair,
    ),
    UseCase(
        "PatientMergeService.merges_for",
        Permission.VIEW_PATIENTS,
        EVERYONE,
        lambda c, t: PatientMergeService(c).merges_for(t.patient_id),
    ),
    # Reminders (issue #4)
    UseCase(
        "ReminderService.templates",
        Permission.SCHEDULE,
        PATIENT_DESK,
        lambda c, t: ReminderService(c).templates(),
        audited=False,  # the practice's wording, not a patient's data
    ),
    UseCase(
        "ReminderService.save_template",
        Permission.SCHEDULE,
        PATIENT_DESK,
        lambda c, t: ReminderService(c).save_template(REMINDER_TEMPLATE),
    ),
    UseCase(
        "ReminderService.queue_due_reminders",
        Permission.SCHEDULE,
        PATIENT_DESK,
        lambda c, t: ReminderService(c).queue_due_reminders(),
        prepare=reminder_due,
    ),
    UseCase(
        "ReminderService.send_due",
        Permission.SCHEDULE,
        PATIENT_DESK,
        lambda c, t: ReminderService(c).send_due(KeptMessages()),
        prepare=reminder_queued,
    ),
    UseCase(
        "ReminderService.messages",
        Permission.SCHEDULE,
        PATIENT_DESK,
        lambda c, t: ReminderService(c).messages(t.patient_id),
    ),
    UseCase(
        "ReminderService.configured_transport",
        Permission.SCHEDULE,
        PATIENT_DESK,
        lambda c, t: ReminderService(c).configured_transport(),
        audited=False,  # builds the gateways' clients; reads no patient data
    ),
    UseCase(
        "ReminderService.gateway_settings",
        Permission.MANAGE_SETTINGS,
        ADMIN_ONLY,
        lambda c, t: ReminderService(c).gateway_settings(),
        audited=False,  # settings, not patient data
    ),
    UseCase(
        "ReminderService.save_gateway_settings",
        Permission.MANAGE_SETTINGS,
        ADMIN_ONLY,
        lambda c, t: ReminderService(c).save_gateway_settings(REMINDER_GATEWAYS),
    ),
    # Scheduling (issue #4); the calls live in tests/services/scheduling_helpers.py
    UseCase("AppointmentService.book", Permission.SCHEDULE, PATIENT_DESK, sched.book),
    UseCase("AppointmentService.book_series", Permission.SCHEDULE, PATIENT_DESK, sched.book_series),
    UseCase("AppointmentService.request", Permission.SCHEDULE, PATIENT_DESK, sched.request),
    UseCase(
        "AppointmentService.accept_request",
        Permission.SCHEDULE,
        PATIENT_DESK,
        sched.accept_request,
        prepare=sched.requested_visit,
    ),
    UseCase(
        "AppointmentService.decline_request",
        Permission.SCHEDULE,
        PATIENT_DESK,
        sched.decline_request,
        prepare=sched.requested_visit,
    ),
    UseCase(
        "AppointmentService.move",
        Permission.SCHEDULE,
        PATIENT_DESK,
        sched.move,
        prepare=sched.booked_visit,
    ),
    UseCase(
        "AppointmentService.reschedule",
        Permission.SCHEDULE,
        PATIENT_DESK,
        sched.reschedule,
        prepare=sched.booked_visit,
    ),
    UseCase(
        "AppointmentService.set_status",
        Permission.SCHEDULE,
        PATIENT_DESK,
        sched.confirm,
        prepare=sched.booked_visit,
    ),
    UseCase(
        "AppointmentService.check_in",
        Permission.SCHEDULE,
        PATIENT_DESK,
        sched.check_in,
        prepare=sched.booked_visit,
    ),
    UseCase(
        "AppointmentService.cancel",
        Permission.SCHEDULE,
        PATIENT_DESK,
        sched.cancel,
        prepare=sched.booked_visit,
    ),
    UseCase(
        "AppointmentService.get",
        Permission.SCHEDULE,
        PATIENT_DESK,
        sched.get,
        prepare=sched.booked_visit,
    ),
    UseCase("AppointmentService.for_patient", Permission.SCHEDULE, PATIENT_DESK, sched.for_patient),
    UseCase(
        "ScheduleSetupService.providers",
        Permission.SCHEDULE,
        PATIENT_DESK,
        lambda c, t: ScheduleSetupService(c).providers(),
        audited=False,  # the practice's set-up, not a patient's data
    ),
    UseCase(
        "ScheduleSetupService.appointment_types",
        Permission.SCHEDULE,
        PATIENT_DESK,
        lambda c, t: ScheduleSetupService(c).appointment_types(),
        audited=False,  # the practice's set-up, not a patient's data
    ),
    UseCase(
        "ScheduleSetupService.locations",
        Permission.SCHEDULE,
        PATIENT_DESK,
        lambda c, t: ScheduleSetupService(c).locations(),
        audited=False,  # the practice's set-up, not a patient's data
    ),
    UseCase(
        "ScheduleSetupService.rooms",
        Permission.SCHEDULE,
        PATIENT_DESK,
        lambda c, t: ScheduleSetupService(c).rooms(),
        audited=False,  # the practice's set-up, not a patient's data
    ),
    UseCase(
        "ScheduleSetupService.hours",
        Permission.SCHEDULE,
        PATIENT_DESK,
        lambda c, t: ScheduleSetupService(c).hours(),
        audited=False,  # the practice's set-up, not a patient's data
    ),
    UseCase(
        "ScheduleSetupService.blocks",
        Permission.SCHEDULE,
        PATIENT_DESK,
        lambda c, t: ScheduleSetupService(c).blocks(date(2026, 1, 5), date(2026, 1, 31)),
        prepare=sched.blocked,
        audited=False,  # staff's blocked time, not a patient's data
    ),
    UseCase(
        "ScheduleSetupService.save_appointment_type",
        Permission.MANAGE_SETTINGS,
        ADMIN_ONLY,
        sched.save_appointment_type,
    ),
    UseCase(
        "ScheduleSetupService.save_room",
        Permission.MANAGE_SETTINGS,
        ADMIN_ONLY,
        lambda c, t: ScheduleSetupService(c).save_room("Exam 9"),
    ),
    UseCase(
        "ScheduleSetupService.set_hours", Permission.MANAGE_SETTINGS, ADMIN_ONLY, sched.set_hours
    ),
    UseCase("ScheduleSetupService.block_time", Permission.SCHEDULE, PATIENT_DESK, sched.blocked),
    UseCase(
        "ScheduleSetupService.add_holiday",
        Permission.SCHEDULE,
        PATIENT_DESK,
        lambda c, t: ScheduleSetupService(c).add_holiday(date(2026, 5, 25), "Memorial Day"),
    ),
    UseCase(
        "ScheduleSetupService.remove_block",
        Permission.SCHEDULE,
        PATIENT_DESK,
        sched.remove_block,
        prepare=sched.blocked,
    ),
    UseCase(
        "CalendarService.range",
        Permission.SCHEDULE,
        PATIENT_DESK,
        lambda c, t: CalendarService(c).range(date(2026, 1, 5), 7, with_history=True),
        prepare=sched.booked_visit,
    ),
    UseCase(
        "CalendarService.month_counts",
        Permission.SCHEDULE,
        PATIENT_DESK,
        lambda c, t: CalendarService(c).month_counts(date(2026, 1, 1), date(2026, 1, 31)),
    ),
    UseCase(
        "AvailabilityService.find_next_available",
        Permission.SCHEDULE,
        PATIENT_DESK,
        sched.find_next_available,
        audited=False,  # free times name no patient
    ),
    UseCase("WaitlistService.add", Permission.SCHEDULE, PATIENT_DESK, sched.waiting),
    UseCase(
        "WaitlistService.entries",
        Permission.SCHEDULE,
        PATIENT_DESK,
        lambda c, t: WaitlistService(c).entries(),
        prepare=sched.waiting,
    ),
    UseCase(
        "WaitlistService.remove",
        Permission.SCHEDULE,
        PATIENT_DESK,
        sched.remove_entry,
        prepare=sched.waiting,
    ),
    UseCase(
        "WaitlistService.offers_for",
        Permission.SCHEDULE,
        PATIENT_DESK,
        sched.offers_for,
        prepare=sched.freed_visit,
    ),
    UseCase(
        "WaitlistService.book_offer",
        Permission.SCHEDULE,
        PATIENT_DESK,
        sched.book_offer,
        prepare=sched.waiting,
    ),
    UseCase(
        "SchedulePrintService.day_schedule_pdf",
        Permission.SCHEDULE,
        PATIENT_DESK,
        lambda c, t: SchedulePrintService(c).day_schedule_pdf(
            date(2026, 1, 5), user_id(c, "drpatel")
        ),
        prepare=sched.booked_visit,
    ),
    # Keeping the practice file safe
    UseCase(
        "MaintenanceService.backup",
        Permission.BACKUP_DATA,
        ADMIN_ONLY,
        lambda c, t: MaintenanceService(c).backup(c.vault.paths.backups / "t.stethos-backup"),
    ),
    UseCase(
        "MaintenanceService.verify",
        Permission.VERIFY_DATA,
        ADMIN_ONLY,
        lambda c, t: MaintenanceService(c).verify(),
    ),
    UseCase(
        # Withdraws every other user's key slot: allowed calls run on a private practice.
        "MaintenanceService.rotate_key",
        Permission.ROTATE_KEY,
        ADMIN_ONLY,
        lambda c, t: MaintenanceService(c).rotate_key(DEMO_PASSWORD),
    ),
]

# Services whose every public method is a use case in the table, except these reads that
# every signed-in person needs (the auto-lock delay applies to everyone).
SERVICES = [
    UserAdminService,
    SettingsService,
    AuditService,
    PatientService,
    PatientSearch,
    PayerService,
    CoverageService,
    PatientMergeService,
    MaintenanceService,
    ReminderService,
    AppointmentService,
    ScheduleSetupService,
    CalendarService,
    AvailabilityService,
    WaitlistService,
    SchedulePrintService,
]
_MORE_CASES, _MORE_SERVICES = more_cases()
USE_CASES += _MORE_CASES
SERVICES += _MORE_SERVICES
OPEN_TO_EVERYONE = {
    "SettingsService.get",
    "SettingsService.auto_lock_minutes",
    "SettingsService.billing_starts_on",
}

TARGET_USER = "drokafor"  # a physician who is not the physician actor


# -- practices -------------------------------------------------------------------------

SignInFn = Callable[[str], AppContext]


@pytest.fixture(scope="module")
def table_template(
    demo_template: DemoPractice, tmp_path_factory: pytest.TempPathFactory
) -> PracticePaths:
    """The demo practice plus the target patient, made once for the module."""
    paths = PracticePaths(tmp_path_factory.mktemp("table") / "practice")
    shutil.copytree(demo_template.paths.data_dir, paths.data_dir)
    admin = sign_in(paths, "admin", DEMO_PASSWORD, clock=FakeClock(), kdf=FAST_KDF)
    _make_target(admin)
    admin.close()
    return paths


@contextmanager
def _signing_in(template: PracticePaths, folder: Path) -> Iterator[SignInFn]:
    """Sign in to a copy of `template` in `folder`, once per user (contexts are reused)."""
    shutil.copytree(template.data_dir, folder)
    paths, clock = PracticePaths(folder), FakeClock()
    contexts: dict[str, AppContext] = {}

    def _sign_in(username: str) -> AppContext:
        if username not in contexts:
            contexts[username] = sign_in(paths, username, DEMO_PASSWORD, clock=clock, kdf=FAST_KDF)
        return contexts[username]

    try:
        yield _sign_in
    finally:
        for ctx in contexts.values():
            ctx.close()


@pytest.fixture(scope="module")
def shared_sign_in(
    table_template: PracticePaths, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SignInFn]:
    """One practice for all refused calls of this module (a refused call changes nothing,
    and each test checks exactly that)."""
    with _signing_in(table_template, tmp_path_factory.mktemp("permissions") / "p") as fn:
        yield fn


@pytest.fixture
def private_sign_in(table_template: PracticePaths, tmp_path: Path) -> Iterator[SignInFn]:
    """A fresh copy for each allowed call: it may change anything (even every key slot)."""
    with _signing_in(table_template, tmp_path / "practice") as fn:
        yield fn


def _cases() -> list[object]:
    return [
        pytest.param(case, role, id=f"{case.name}-{role.value}")
        for case in USE_CASES
        for role in ACTOR
    ]


# -- the table -------------------------------------------------------------------------


@pytest.mark.parametrize(("case", "role"), _cases())
def test_role_may_or_may_not_run_use_case(
    case: UseCase, role: Role, request: pytest.FixtureRequest
) -> None:
    allowed = role in case.allowed
    sign_in_fn: SignInFn = request.getfixturevalue(
        "private_sign_in" if allowed else "shared_sign_in"
    )
    actor = sign_in_fn(ACTOR[role])
    target = _target(actor)
    if case.prepare:
        case.prepare(sign_in_fn(case.prepare_as), target)

    data, slots, events = data_snapshot(actor), actor.vault.snapshot(), audit_events(actor)

    if allowed:
        case.call(actor, target)
        new = audit_events(actor)[len(events) :]
        assert [e for e in new if e["outcome"] == "denied"] == []
        audited = any(e["user_name"] == ACTOR[role] for e in new)
        assert audited == case.audited, "the use case was not audited" if case.audited else new
        return

    with pytest.raises(PermissionDenied) as refused:
        case.call(actor, target)
    assert role.label in str(refused.value)
    assert data_snapshot(actor) == data
    assert actor.vault.snapshot() == slots
    new = audit_events(actor)
    assert new[: len(events)] == events
    assert actor.actor is not None
    assert [
        (e["action"], e["category"], e["outcome"], e["user_name"], e["user_id"])
        for e in new[len(events) :]
    ] == [("access", case.permission.value, "denied", ACTOR[role], actor.actor.user_id)]


def test_the_table_covers_every_role() -> None:
    assert set(ACTOR) == set(Role)


def test_every_use_case_is_guarded_and_in_the_table() -> None:
    """A data-changing method without a permission, or missing from the table, fails here."""
    table = {case.name: case for case in USE_CASES}
    assert len(table) == len(USE_CASES), "a use case appears twice"
    for service in SERVICES:
        for name, method in inspect.getmembers(service, inspect.isfunction):
            qualified = f"{service.__name__}.{name}"
            if name.startswith("_") or qualified in OPEN_TO_EVERYONE:
                continue
            assert hasattr(method, "required_permission"), f"{qualified} is not guarded"
            assert qualified in table, f"{qualified} is missing from USE_CASES"
    # And each row names a real method that declares the permission the row says.
    services = {service.__name__: service for service in SERVICES}
    for case in USE_CASES:
        service_name, method_name = case.name.split(".")
        assert service_name in services, f"add {service_name} to SERVICES"
        method = getattr(services[service_name], method_name)
        assert method.required_permission is case.permission, case.name


def test_reads_open_to_everyone_change_nothing(login: SignInFn) -> None:
    ctx = login("frontdesk")
    data, events = data_snapshot(ctx), audit_events(ctx)
    settings = SettingsService(ctx)
    assert settings.auto_lock_minutes() == 10
    assert settings.get("auto_lock_minutes") == 10
    with pytest.raises(KeyError):
        settings.get("no_such_setting")
    assert data_snapshot(ctx) == data
    assert audit_events(ctx) == events


def test_permission_is_checked_before_the_input(login: SignInFn) -> None:
    """A refused person learns nothing about the data from validation messages."""
    nurse = login("nkim")
    with pytest.raises(PermissionDenied):
        UserAdminService(nurse).create_user(NewUser("x", "", Role.PHYSICIAN, "short"))
    with pytest.raises(PermissionDenied):
        UserAdminService(nurse).disable_user("no-such-id")
    with pytest.raises(PermissionDenied):
        SettingsService(nurse).set_auto_lock_minutes(100_000)


def test_nobody_signed_in_is_refused_and_audited(login: SignInFn) -> None:
    ctx = login("admin")
    before = audit_events(ctx)
    ctx.close()  # signed out: the context no longer has an actor
    with pytest.raises(PermissionDenied, match="Nobody signed in"):
        UserAdminService(ctx).list_users()
    new = audit_events(ctx)[len(before) :]
    assert [(e["action"], e["outcome"], e["user_name"]) for e in new] == [
        ("access", "denied", None)
    ]
