"""Registering and keeping patients' demographics (issue #3), against the real encrypted
database: every field round-trips, MRNs, validation that changes nothing, optimistic
locking, tombstones, status, photo, audit, change notices and no plaintext on disk."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from app.models import PatientStatus, PhoneKind, SexAtBirth
from app.services.auth import sign_in
from app.services.bus import PatientsChanged
from app.services.clock import FakeClock
from app.services.context import AppContext
from app.services.demo import DemoPractice
from app.services.errors import ConcurrentChange, DomainError, NotFound
from app.services.patient_data import ContactInput, PatientInput, PhoneInput
from app.services.patients import PatientService
from app.storage.database import PracticePaths
from tests.conftest import DEMO_PASSWORD, FAST_KDF
from tests.services.helpers import audit_events, data_snapshot, query

Login = Callable[[str], AppContext]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(64)
FIVE_MB = 5 * 1024 * 1024


def person(**changes: Any) -> PatientInput:
    """An adult with one mobile phone; `changes` override any field."""
    base = PatientInput(
        first_name="Maria",
        last_name="Delgado",
        date_of_birth=date(1985, 3, 14),
        sex_at_birth=SexAtBirth.FEMALE,
        phones=(PhoneInput("(312) 555-0142"),),
    )
    return replace(base, **changes)


def events_for(ctx: AppContext, patient_id: str) -> list[tuple[str, str]]:
    return [
        (e["action"], e["category"]) for e in audit_events(ctx) if e["patient_id"] == patient_id
    ]


@pytest.fixture(scope="module")
def refusing_desk(
    demo_template: DemoPractice, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AppContext]:
    """The front desk on one practice shared by the refusal tests: a refused save changes
    nothing, and each of those tests checks exactly that."""
    folder = tmp_path_factory.mktemp("refusals") / "practice"
    shutil.copytree(demo_template.paths.data_dir, folder)
    ctx = sign_in(
        PracticePaths(folder), "frontdesk", DEMO_PASSWORD, clock=FakeClock(), kdf=FAST_KDF
    )
    yield ctx
    ctx.close()


# -- register and read back ------------------------------------------------------------


def test_register_then_get_round_trips_every_field(login: Login) -> None:
    desk = login("frontdesk")
    patients = PatientService(desk)
    data = PatientInput(
        first_name="  Maria ",
        middle_name="Elena",
        last_name="Delgado-Núñez",
        suffix="II",
        preferred_name="Mari",
        date_of_birth="3/14/1985",  # as typed on the form
        sex_at_birth=SexAtBirth.FEMALE,
        gender_identity="Woman",
        pronouns="she/her",
        phones=(PhoneInput("(312) 555-0142"), PhoneInput("773.555.0199", PhoneKind.HOME)),
        email="  Maria.Delgado@Example.COM ",
        address_line1="1200 W Lake St",
        address_line2="Apt 4B",
        city="Chicago",
        state="il",
        postal_code="60607",
        preferred_language="Spanish",
        race="White",
        ethnicity="Hispanic or Latino",
        consent_sms=True,
        consent_email=False,
        consent_voicemail=True,
        emergency_contacts=(ContactInput("Jorge Delgado", "spouse", "312 555 0177"),),
        guarantor_name="Jorge Delgado",
        guarantor_relationship="spouse",
        guarantor_phone="(312) 555-0177",
    )

    saved = patients.register(data)

    assert saved.first_name == "Maria"
    assert (saved.middle_name, saved.last_name, saved.suffix) == ("Elena", "Delgado-Núñez", "II")
    assert saved.preferred_name == "Mari"
    assert saved.date_of_birth == date(1985, 3, 14)
    assert saved.age == "40 y"
    assert saved.sex_at_birth is SexAtBirth.FEMALE
    assert (saved.gender_identity, saved.pronouns) == ("Woman", "she/her")
    assert [(p.kind, p.number, p.display) for p in saved.phones] == [
        (PhoneKind.MOBILE, "+13125550142", "(312) 555-0142"),
        (PhoneKind.HOME, "+17735550199", "(773) 555-0199"),
    ]
    assert saved.primary_phone == "(312) 555-0142"
    assert saved.email == "Maria.Delgado@example.com"
    assert (saved.address_line1, saved.address_line2) == ("1200 W Lake St", "Apt 4B")
    assert (saved.city, saved.state, saved.postal_code) == ("Chicago", "IL", "60607")
    assert saved.preferred_language == "Spanish"
    assert (saved.race, saved.ethnicity) == ("White", "Hispanic or Latino")
    assert (saved.consent_sms, saved.consent_email, saved.consent_voicemail) == (True, False, True)
    assert [(c.name, c.relationship, c.phone) for c in saved.contacts] == [
        ("Jorge Delgado", "spouse", "+13125550177")
    ]
    assert (saved.guarantor_name, saved.guarantor_relationship) == ("Jorge Delgado", "spouse")
    assert saved.guarantor_phone == "+13125550177"
    assert saved.guarantor_patient_id is None
    assert saved.status is PatientStatus.ACTIVE
    assert saved.deceased_on is None and saved.merged_into_id is None
    assert saved.version == 1
    assert saved.display_name == "Delgado-Núñez II, Maria E. “Mari”"

    # Another person, on another sign-in, reads exactly what was saved.
    assert PatientService(login("drpatel")).get(saved.id) == saved


def test_blank_optional_fields_are_stored_as_nothing(login: Login) -> None:
    saved = PatientService(login("frontdesk")).register(
        person(middle_name="  ", email=" ", city="", state="", phones=(PhoneInput("  "),))
    )
    assert (saved.middle_name, saved.email, saved.city, saved.state) == (None, None, None, None)
    assert saved.phones == ()
    assert saved.primary_phone is None


def test_a_minor_may_have_a_registered_parent_as_guarantor(login: Login) -> None:
    patients = PatientService(login("frontdesk"))
    parent = patients.register(person())
    child = patients.register(
        person(
            first_name="Sofia",
            date_of_birth=date(2019, 6, 2),
            guarantor_patient_id=parent.id,
            guarantor_relationship="mother",
        )
    )
    assert child.guarantor_patient_id == parent.id
    assert child.age == "6 y"
    with pytest.raises(NotFound, match="guarantor is not a registered patient"):
        patients.register(
            person(first_name="Lucas", date_of_birth=date(2020, 1, 1), guarantor_patient_id="x")
        )
    with pytest.raises(DomainError, match="cannot be their own guarantor"):
        patients.update(parent.id, person(guarantor_patient_id=parent.id), parent.version)


def test_babies_ages_are_in_weeks_and_months(login: Login) -> None:
    patients = PatientService(login("frontdesk"))
    baby = patients.register(
        person(first_name="Leo", date_of_birth=date(2025, 12, 20), guarantor_name="Ana Delgado")
    )
    assert baby.age == "2 wk"
    toddler = patients.register(
        person(first_name="Mia", date_of_birth=date(2024, 6, 1), guarantor_name="Ana Delgado")
    )
    assert toddler.age == "19 mo"


def test_reading_a_missing_record_is_not_found(login: Login) -> None:
    with pytest.raises(NotFound, match="does not exist"):
        PatientService(login("nkim")).get("no-such-patient")


# -- MRNs ------------------------------------------------------------------------------


def test_mrns_are_the_device_prefix_and_a_six_digit_counter(login: Login) -> None:
    desk = login("frontdesk")
    patients = PatientService(desk)
    (prefix,) = [
        row["id_prefix"]
        for row in query(desk, "SELECT id_prefix FROM device WHERE id = ?", desk.device_id)
    ]
    # A refused registration does not use up a number.
    with pytest.raises(DomainError):
        patients.register(person(last_name=""))

    mrns = [
        patients.register(
            person(first_name=f"Pat{chr(65 + n % 26)}{n}", date_of_birth=date(1950 + n, 1, 2)),
            confirm_not_duplicate=True,
        ).mrn
        for n in range(50)
    ]

    assert mrns == [f"{prefix}{n:06d}" for n in range(1, 51)]
    assert len(set(mrns)) == 50
    # The counter survives signing out: the next person on this device gets the next number.
    desk.close()
    again = login("nkim")
    assert PatientService(again).register(person(first_name="Zed")).mrn == f"{prefix}000051"


# -- validation ------------------------------------------------------------------------

REFUSALS = [
    pytest.param(person(first_name="  "), "legal first and last name", id="no-first-name"),
    pytest.param(person(last_name=""), "legal first and last name", id="no-last-name"),
    pytest.param(
        person(date_of_birth=date(2026, 1, 6)), "cannot be in the future", id="dob-future"
    ),
    pytest.param(person(date_of_birth="1/6/2026"), "cannot be in the future", id="typed-future"),
    pytest.param(person(date_of_birth="2/30/1985"), "is not a real date", id="dob-impossible"),
    pytest.param(person(date_of_birth=date(1899, 12, 31)), "before 1900", id="dob-before-1900"),
    pytest.param(person(phones=(PhoneInput("555-01"),)), "number of digits", id="bad-phone"),
    pytest.param(person(phones=(PhoneInput("555-0142"),)), "area code", id="no-area-code"),
    pytest.param(person(email="maria@"), "not a valid e-mail address", id="bad-email"),
    pytest.param(
        person(date_of_birth=date(2015, 5, 5)), "under 18 needs a guarantor", id="minor-alone"
    ),
    pytest.param(person(state="ILL"), "two-letter state code", id="three-letter-state"),
    pytest.param(
        person(emergency_contacts=(ContactInput("Jorge", "spouse", "12"),)),
        "number of digits",
        id="bad-contact-phone",
    ),
    pytest.param(person(guarantor_phone="nope"), "not a phone number", id="bad-guarantor-phone"),
]


@pytest.mark.parametrize(("data", "message"), REFUSALS)
def test_invalid_registration_is_refused_and_changes_nothing(
    refusing_desk: AppContext, data: PatientInput, message: str
) -> None:
    desk = refusing_desk
    notices: list[object] = []
    unsubscribe = desk.bus.subscribe(PatientsChanged, notices.append)
    before, events = data_snapshot(desk), audit_events(desk)
    try:
        with pytest.raises(DomainError) as refused:
            PatientService(desk).register(data)
    finally:
        unsubscribe()
    assert message in str(refused.value)
    assert data_snapshot(desk) == before  # no patient, phone, contact, nor MRN used up
    assert audit_events(desk) == events  # in particular no "create"
    assert notices == []


def test_the_future_is_judged_in_the_practice_time_zone(login: Login, clock: FakeClock) -> None:
    """At 9 pm in Chicago it is already tomorrow in UTC; a baby born "tomorrow" is refused."""
    clock.advance(timedelta(hours=13))  # 6 January, 03:00 UTC: 5 January, 21:00 in Chicago
    assert clock.now().date() == date(2026, 1, 6)
    patients = PatientService(login("frontdesk"))
    guarded = person(guarantor_name="Ana Delgado")
    with pytest.raises(DomainError, match="cannot be in the future"):
        patients.register(replace(guarded, date_of_birth=date(2026, 1, 6)))
    born_today = patients.register(replace(guarded, date_of_birth=date(2026, 1, 5)))
    assert born_today.age == "0 wk"


def test_invalid_update_is_refused_and_changes_nothing(login: Login) -> None:
    desk = login("frontdesk")
    patients = PatientService(desk)
    saved = patients.register(person())
    before, events = data_snapshot(desk), audit_events(desk)
    for data, message in [
        (person(email="not an address"), "not a valid e-mail"),
        (person(state="Illinois"), "two-letter state"),
        (person(date_of_birth=date(2030, 1, 1)), "in the future"),
    ]:
        with pytest.raises(DomainError, match=message):
            patients.update(saved.id, data, saved.version)
    assert data_snapshot(desk) == before
    assert audit_events(desk) == events


# -- updates ---------------------------------------------------------------------------


def test_update_with_a_stale_version_is_refused(login: Login) -> None:
    """Two people open the same record; the second to save is told to reload."""
    desk, nurse = login("frontdesk"), login("nkim")
    saved = PatientService(desk).register(person())
    opened_by_nurse = PatientService(nurse).get(saved.id)

    # The front desk changes only the phone number.
    changed = PatientService(desk).update(
        saved.id, person(phones=(PhoneInput("312-555-0999"),)), saved.version
    )
    assert changed.version > saved.version

    before, events = data_snapshot(nurse), audit_events(nurse)
    with pytest.raises(ConcurrentChange, match="Someone else changed this patient"):
        PatientService(nurse).update(
            saved.id, person(email="maria@example.com"), opened_by_nurse.version
        )
    assert data_snapshot(nurse) == before
    assert [e for e in audit_events(nurse)[len(events) :] if e["action"] == "update"] == []
    assert PatientService(nurse).get(saved.id).phones[0].number == "+13125550999"

    # Reloaded, the nurse's change goes through.
    fresh = PatientService(nurse).get(saved.id)
    retried = person(phones=(PhoneInput("312-555-0999"),), email="maria@example.com")
    assert PatientService(nurse).update(saved.id, retried, fresh.version).email == retried.email


def test_update_replaces_phones_and_contacts_and_keeps_the_old_rows_as_tombstones(
    login: Login,
) -> None:
    desk = login("frontdesk")
    patients = PatientService(desk)
    saved = patients.register(
        person(
            phones=(PhoneInput("312-555-0142"), PhoneInput("773-555-0199", PhoneKind.WORK)),
            emergency_contacts=(ContactInput("Jorge Delgado", "spouse", "312-555-0177"),),
        )
    )

    updated = patients.update(
        saved.id,
        person(
            last_name="Delgado Ruiz",
            phones=(PhoneInput("630-555-0123", PhoneKind.HOME),),
            emergency_contacts=(ContactInput("Ana Ruiz", "sister", "847-555-0100"),),
        ),
        saved.version,
    )

    assert updated.last_name == "Delgado Ruiz"
    assert [(p.kind, p.number) for p in updated.phones] == [(PhoneKind.HOME, "+16305550123")]
    assert [(c.name, c.relationship) for c in updated.contacts] == [("Ana Ruiz", "sister")]
    assert PatientService(desk).get(saved.id) == updated

    phones = query(
        desk, "SELECT number, deleted_at FROM patient_phone WHERE patient_id = ?", saved.id
    )
    assert sorted((p["number"], p["deleted_at"] is None) for p in phones) == [
        ("+13125550142", False),
        ("+16305550123", True),
        ("+17735550199", False),
    ]
    contacts = query(
        desk, "SELECT name, deleted_at FROM emergency_contact WHERE patient_id = ?", saved.id
    )
    assert sorted((c["name"], c["deleted_at"] is None) for c in contacts) == [
        ("Ana Ruiz", True),
        ("Jorge Delgado", False),
    ]


def test_saving_the_same_phones_again_adds_no_rows(login: Login) -> None:
    desk = login("frontdesk")
    patients = PatientService(desk)
    saved = patients.register(person())
    patients.update(saved.id, person(city="Evanston"), saved.version)
    rows = query(desk, "SELECT deleted_at FROM patient_phone WHERE patient_id = ?", saved.id)
    assert [r["deleted_at"] for r in rows] == [None]


# -- status ----------------------------------------------------------------------------


def test_deceased_needs_a_date_between_birth_and_today(login: Login) -> None:
    desk = login("frontdesk")
    patients = PatientService(desk)
    saved = patients.register(person(date_of_birth=date(1950, 6, 1)))
    before = data_snapshot(desk)
    for deceased_on, message in [
        (None, "Enter the date of death"),
        (date(1950, 5, 31), "between birth and today"),
        (date(2026, 1, 6), "between birth and today"),
    ]:
        with pytest.raises(DomainError, match=message):
            patients.set_status(saved.id, PatientStatus.DECEASED, deceased_on)
    assert data_snapshot(desk) == before

    died = patients.set_status(saved.id, PatientStatus.DECEASED, date(2020, 5, 31))
    assert (died.status, died.deceased_on) == (PatientStatus.DECEASED, date(2020, 5, 31))
    assert died.age == "69 y"  # the age at death, not today's
    assert patients.get(saved.id).deceased_on == date(2020, 5, 31)

    # Recorded in error: back to inactive, and the date goes with it.
    inactive = patients.set_status(saved.id, PatientStatus.INACTIVE)
    assert (inactive.status, inactive.deceased_on) == (PatientStatus.INACTIVE, None)
    assert patients.set_status(saved.id, PatientStatus.ACTIVE).status is PatientStatus.ACTIVE


def test_death_today_and_on_the_birth_date_are_allowed(login: Login) -> None:
    patients = PatientService(login("frontdesk"))
    adult = patients.register(person())
    assert patients.set_status(adult.id, PatientStatus.DECEASED, date(2026, 1, 5)).deceased_on
    baby = patients.register(
        person(first_name="Noa", date_of_birth=date(2025, 3, 3), guarantor_name="Ana Delgado")
    )
    died = patients.set_status(baby.id, PatientStatus.DECEASED, date(2025, 3, 3))
    assert died.age == "0 wk"


def test_merged_is_not_a_status_to_set_by_hand(login: Login) -> None:
    patients = PatientService(login("frontdesk"))
    saved = patients.register(person())
    with pytest.raises(DomainError, match="Use Merge"):
        patients.set_status(saved.id, PatientStatus.MERGED)
    assert patients.get(saved.id).status is PatientStatus.ACTIVE


# -- photo -----------------------------------------------------------------------------


def test_photo_accepts_png_and_jpeg_and_refuses_anything_else(login: Login) -> None:
    desk = login("frontdesk")
    patients = PatientService(desk)
    saved = patients.register(person())
    assert patients.photo(saved.id) is None

    patients.set_photo(saved.id, PNG)
    assert patients.photo(saved.id) == PNG
    patients.set_photo(saved.id, JPEG)
    assert patients.photo(saved.id) == JPEG

    before = data_snapshot(desk)
    for image, message in [
        (b"GIF89a" + bytes(64), "must be a JPEG or PNG"),
        (b"%PDF-1.7\n" + bytes(64), "must be a JPEG or PNG"),
        (b"", "must be a JPEG or PNG"),
        (PNG + bytes(FIVE_MB), "larger than 5 MB"),
    ]:
        with pytest.raises(DomainError, match=message):
            patients.set_photo(saved.id, image)
    assert data_snapshot(desk) == before
    assert patients.photo(saved.id) == JPEG

    at_limit = PNG + bytes(FIVE_MB - len(PNG))
    patients.set_photo(saved.id, at_limit)
    assert patients.photo(saved.id) == at_limit

    patients.set_photo(saved.id, None)  # removed
    assert patients.photo(saved.id) is None


# -- audit -----------------------------------------------------------------------------


def test_reading_a_record_writes_a_read_event_for_that_patient(login: Login) -> None:
    desk, doctor = login("frontdesk"), login("drpatel")
    saved = PatientService(desk).register(person())
    before = audit_events(doctor)

    PatientService(doctor).get(saved.id)
    PatientService(doctor).photo(saved.id)

    new = audit_events(doctor)[len(before) :]
    assert [
        (e["action"], e["category"], e["patient_id"], e["user_name"], e["outcome"]) for e in new
    ] == [
        ("read", "demographics", saved.id, "drpatel", "success"),
        ("read", "photo", saved.id, "drpatel", "success"),
    ]


def test_every_change_writes_an_audit_event_for_the_patient(login: Login) -> None:
    desk = login("frontdesk")
    patients = PatientService(desk)
    saved = patients.register(person())
    updated = patients.update(saved.id, person(city="Chicago"), saved.version)
    patients.set_status(updated.id, PatientStatus.INACTIVE)
    patients.set_photo(saved.id, PNG)
    patients.set_photo(saved.id, None)

    assert events_for(desk, saved.id) == [
        ("create", "demographics"),
        ("update", "demographics"),
        ("update", "demographics"),
        ("update", "photo"),
        ("update", "photo"),
    ]
    status_change = [e for e in audit_events(desk) if e["detail"] == "inactive"]
    assert [e["patient_id"] for e in status_change] == [saved.id]
    assert {e["user_name"] for e in audit_events(desk) if e["patient_id"] == saved.id} == {
        "frontdesk"
    }


# -- change notices --------------------------------------------------------------------


def test_change_notices_are_published_after_the_commit(login: Login) -> None:
    desk = login("frontdesk")
    patients = PatientService(desk)
    seen: list[tuple[tuple[str, ...], int]] = []

    def on_change(notice: PatientsChanged) -> None:
        # A screen refreshing from the notice must already see the change (committed).
        (patient_id,) = notice.patient_ids
        rows = query(desk, "SELECT version FROM patient WHERE id = ?", patient_id)
        seen.append((notice.patient_ids, rows[0]["version"]))

    desk.bus.subscribe(PatientsChanged, on_change)
    saved = patients.register(person())
    updated = patients.update(saved.id, person(city="Chicago"), saved.version)
    died = patients.set_status(saved.id, PatientStatus.DECEASED, date(2025, 12, 1))
    patients.set_photo(saved.id, PNG)

    assert [ids for ids, _ in seen] == [(saved.id,)] * 4
    assert [version for _, version in seen][:3] == [saved.version, updated.version, died.version]

    with pytest.raises(DomainError):
        patients.update(saved.id, person(email="bad"), died.version)
    assert len(seen) == 4  # nothing saved, nothing announced


# -- encryption at rest ----------------------------------------------------------------


def test_names_and_birth_dates_are_not_readable_in_the_database_files(
    login: Login, practice: DemoPractice
) -> None:
    desk = login("frontdesk")
    saved = PatientService(desk).register(
        person(
            first_name="Quenby",
            last_name="Thistlewood",
            date_of_birth=date(1971, 8, 23),
            email="quenby.thistlewood@example.com",
            phones=(PhoneInput("(312) 555-0187"),),
        )
    )
    PatientService(desk).set_photo(saved.id, PNG)
    # The data is there for whoever holds the key ...
    stored = query(desk, "SELECT last_name, date_of_birth FROM patient WHERE id = ?", saved.id)
    assert stored == [{"last_name": "Thistlewood", "date_of_birth": "1971-08-23"}]
    secrets = ["Thistlewood", "Quenby", "1971-08-23", "quenby.thistlewood", "3125550187"]

    def assert_unreadable() -> list[str]:
        names = []
        for path in sorted(practice.paths.data_dir.rglob("*")):
            if not path.is_file():
                continue
            names.append(path.name)
            data = path.read_bytes()
            for text in secrets:
                for encoding in ("utf-8", "utf-16-le"):
                    assert text.encode(encoding) not in data, f"{text!r} readable in {path.name}"
        return names

    assert "practice.db" in assert_unreadable()  # while open (the WAL holds the new pages)
    desk.close()
    assert "practice.db" in assert_unreadable()  # and after signing out
