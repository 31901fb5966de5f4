"""Registration is search-first (issue #3): saving someone who is probably already registered
raises PossibleDuplicate, listing the likely records best first, unless the person at the
desk confirms it is someone else."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from app.models import SexAtBirth
from app.services.context import AppContext
from app.services.patient_data import PatientInput, PhoneInput
from app.services.patient_merge import PatientMergeService
from app.services.patient_search import PatientSearch
from app.services.patients import PatientService, PossibleDuplicate
from tests.services.helpers import audit_events, data_snapshot

Login = Callable[[str], AppContext]


def person(first: str, last: str, born: date, *phones: str, **more: Any) -> PatientInput:
    return PatientInput(
        first_name=first,
        last_name=last,
        date_of_birth=born,
        sex_at_birth=more.pop("sex", SexAtBirth.FEMALE),
        phones=tuple(PhoneInput(p) for p in phones),
        **more,
    )


@pytest.fixture
def desk(login: Login) -> PatientService:
    return PatientService(login("frontdesk"))


def refused_as_duplicate(patients: PatientService, data: PatientInput) -> PossibleDuplicate:
    """Register `data`, expecting the warning; and check that nothing was saved."""
    ctx = patients.ctx
    before, events = data_snapshot(ctx), audit_events(ctx)
    with pytest.raises(PossibleDuplicate) as warned:
        patients.register(data)
    assert data_snapshot(ctx) == before
    assert audit_events(ctx) == events
    return warned.value


def test_same_name_and_date_of_birth_is_a_likely_duplicate(desk: PatientService) -> None:
    existing = desk.register(person("Maria", "Delgado", date(1985, 3, 14), "312-555-0142"))

    warning = refused_as_duplicate(desk, person("Maria", "Delgado", date(1985, 3, 14)))

    (candidate,) = warning.candidates
    assert candidate.hit.id == existing.id
    assert candidate.hit.mrn == existing.mrn
    assert candidate.hit.phone == "(312) 555-0142"  # enough to tell at a glance
    assert candidate.reasons == ("same or similar name", "same date of birth")
    assert candidate.score == 0.8
    assert str(warning) == (
        f"This patient may already be registered: Delgado, Maria ({existing.mrn})."
    )


def test_accents_and_case_do_not_hide_a_duplicate(desk: PatientService) -> None:
    existing = desk.register(person("Renée", "Núñez", date(1968, 12, 25)))
    warning = refused_as_duplicate(desk, person("RENEE", "nunez", date(1968, 12, 25)))
    assert [c.hit.id for c in warning.candidates] == [existing.id]


def test_day_and_month_swapped_is_a_likely_duplicate(desk: PatientService) -> None:
    existing = desk.register(person("Maria", "Delgado", date(1985, 3, 4)))

    warning = refused_as_duplicate(desk, person("Maria", "Delgado", date(1985, 4, 3)))

    (candidate,) = warning.candidates
    assert candidate.hit.id == existing.id
    assert candidate.reasons == ("same or similar name", "date of birth differs by one typo")


def test_one_digit_slip_in_the_year_is_a_likely_duplicate(desk: PatientService) -> None:
    existing = desk.register(person("Maria", "Delgado", date(1985, 3, 14)))
    warning = refused_as_duplicate(desk, person("Maria", "Delgado", date(1986, 3, 14)))
    assert [(c.hit.id, c.reasons[-1]) for c in warning.candidates] == [
        (existing.id, "date of birth differs by one typo")
    ]


def test_a_name_typo_with_the_same_birth_date_and_phone(desk: PatientService) -> None:
    existing = desk.register(person("Katherine", "Johnson", date(1979, 11, 2), "(773) 555-0199"))

    # Keyed in a hurry: two slips in the name, and the phone typed another way.
    warning = refused_as_duplicate(
        desk, person("Kathrine", "Jonson", date(1979, 11, 2), "773.555.0199")
    )

    (candidate,) = warning.candidates
    assert candidate.hit.id == existing.id
    assert candidate.reasons == (
        "same or similar name",
        "same date of birth",
        "same phone number",
    )
    assert candidate.score > 1


def test_first_and_last_name_swapped(desk: PatientService) -> None:
    existing = desk.register(person("Mary", "Johnson", date(1990, 7, 4)))
    warning = refused_as_duplicate(desk, person("Johnson", "Mary", date(1990, 7, 4)))
    (candidate,) = warning.candidates
    assert candidate.hit.id == existing.id
    assert candidate.reasons == ("first and last name swapped", "same date of birth")


def test_a_preferred_name_matches_the_legal_one(desk: PatientService) -> None:
    existing = desk.register(
        person("Robert", "Johnson", date(1985, 3, 14), preferred_name="Bob", sex=SexAtBirth.MALE)
    )
    warning = refused_as_duplicate(
        desk, person("Bob", "Johnson", date(1985, 3, 14), sex=SexAtBirth.MALE)
    )
    assert [(c.hit.id, c.reasons[0]) for c in warning.candidates] == [
        (existing.id, "same or similar name")
    ]


def test_twins_are_not_flagged_unless_they_share_a_phone(desk: PatientService) -> None:
    """What the code does with twins (same birth date, same last name, different first
    names): "same last name" (0.15) + "same date of birth" (0.4) stays under the 0.6
    threshold, so the second twin is saved without a question. Twins who share the family
    phone add "same phone number" (0.3) and are flagged; the desk confirms and saves."""
    born = date(2012, 5, 20)
    olivia = desk.register(person("Olivia", "Brennan", born, guarantor_name="Sean Brennan"))

    emma = desk.register(person("Emma", "Brennan", born, guarantor_name="Sean Brennan"))
    assert emma.id != olivia.id

    desk.register(person("Noah", "Walsh", born, "312-555-0150", guarantor_name="Aine Walsh"))
    twin = person("Liam", "Walsh", born, "312-555-0150", guarantor_name="Aine Walsh")
    warning = refused_as_duplicate(desk, twin)
    (candidate,) = warning.candidates
    assert candidate.reasons == ("same last name", "same date of birth", "same phone number")
    assert candidate.hit.display_name == "Walsh, Noah"

    liam = desk.register(twin, confirm_not_duplicate=True)
    assert liam.first_name == "Liam"


def test_a_common_name_with_another_birth_date_is_not_a_duplicate(desk: PatientService) -> None:
    first = desk.register(person("John", "Smith", date(1980, 6, 20), sex=SexAtBirth.MALE))
    second = desk.register(person("John", "Smith", date(1992, 11, 5), sex=SexAtBirth.MALE))
    assert first.id != second.id
    assert first.mrn != second.mrn


def test_a_shared_phone_alone_is_not_a_duplicate(desk: PatientService) -> None:
    """Families share a phone: a husband and wife are two patients."""
    desk.register(person("Maria", "Delgado", date(1985, 3, 14), "312-555-0142"))
    husband = desk.register(
        person("Jorge", "Delgado", date(1983, 8, 9), "312-555-0142", sex=SexAtBirth.MALE)
    )
    assert husband.first_name == "Jorge"


def test_confirming_it_is_someone_else_saves_the_record(login: Login) -> None:
    ctx = login("frontdesk")
    patients = PatientService(ctx)
    existing = patients.register(person("Maria", "Delgado", date(1985, 3, 14)))
    refused_as_duplicate(patients, person("Maria", "Delgado", date(1985, 3, 14)))

    second = patients.register(
        person("Maria", "Delgado", date(1985, 3, 14)), confirm_not_duplicate=True
    )

    assert second.id != existing.id
    assert [e["action"] for e in audit_events(ctx) if e["patient_id"] == second.id] == ["create"]
    hits = PatientSearch(ctx).search("Delgado, Maria")
    assert {h.id for h in hits} == {existing.id, second.id}


def test_candidates_are_ranked_by_score(desk: PatientService) -> None:
    born = date(1985, 3, 4)
    swapped = desk.register(person("Maria", "Delgado", date(1985, 4, 3)))
    same = desk.register(
        person("Maria", "Delgado", born, "773-555-0101"), confirm_not_duplicate=True
    )
    same_and_phone = desk.register(
        person("Maria", "Delgado", born, "312-555-0142"), confirm_not_duplicate=True
    )
    similar = desk.register(person("Marie", "Delgato", born), confirm_not_duplicate=True)

    warning = refused_as_duplicate(desk, person("Maria", "Delgado", born, "312 555 0142"))

    ranked = [c.hit.id for c in warning.candidates]
    assert ranked == [same_and_phone.id, same.id, similar.id, swapped.id]
    scores = [c.score for c in warning.candidates]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] > scores[1] > scores[2] > scores[3]


def test_a_merged_record_is_not_offered_as_a_duplicate(login: Login) -> None:
    admin = login("admin")
    patients = PatientService(admin)
    kept = patients.register(person("Maria", "Delgado", date(1985, 3, 14)))
    gone = patients.register(
        person("Maria", "Delgado", date(1985, 3, 14), "312-555-0142"), confirm_not_duplicate=True
    )
    PatientMergeService(admin).merge(kept.id, gone.id)

    warning = refused_as_duplicate(patients, person("Maria", "Delgado", date(1985, 3, 14)))
    assert [c.hit.id for c in warning.candidates] == [kept.id]


@pytest.mark.parametrize(
    ("saved_as", "typed"),
    [("(312) 555-0142", "+1 312 555 0142"), ("+49 30 123456", "+49 (30) 123-456")],
    ids=["us", "abroad"],
)
def test_the_same_phone_is_recognised_however_it_was_typed(
    desk: PatientService, saved_as: str, typed: str
) -> None:
    """Same name and phone but a different birth date (someone keyed it wrongly)."""
    existing = desk.register(person("Anna", "Schulz", date(1961, 2, 1), saved_as))
    warning = refused_as_duplicate(desk, person("Anna", "Schulz", date(1976, 9, 28), typed))
    assert [(c.hit.id, c.reasons) for c in warning.candidates] == [
        (existing.id, ("same or similar name", "same phone number"))
    ]
