"""Finding patients the way the front desk types (issue #3): names (prefix, "last, first",
small typos), dates of birth, phone numbers or their last digits, MRN and member ID."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import pytest

from app.models import PatientStatus, SexAtBirth
from app.services.auth import sign_in
from app.services.clock import FakeClock
from app.services.context import AppContext
from app.services.demo import DemoPractice
from app.services.insurance import CoverageInput, CoverageService, PayerInput, PayerService
from app.services.patient_data import PatientInput, PhoneInput
from app.services.patient_merge import PatientMergeService
from app.services.patient_search import PatientHit, PatientSearch
from app.services.patients import PatientService
from app.storage.database import PracticePaths
from tests.conftest import DEMO_PASSWORD, FAST_KDF
from tests.services.helpers import audit_events

Login = Callable[[str], AppContext]


def person(
    first: str, last: str, born: date, phone: str | None = None, **more: Any
) -> PatientInput:
    return PatientInput(
        first_name=first,
        last_name=last,
        date_of_birth=born,
        sex_at_birth=more.pop("sex", SexAtBirth.FEMALE),
        phones=(PhoneInput(phone),) if phone else (),
        **more,
    )


# Everyone in the shared practice. Only John's and Mary's phones end alike (0199).
PEOPLE = {
    "robert": person(
        "Robert", "Johnson", date(1985, 3, 14), "(312) 555-0142", sex=SexAtBirth.MALE,
        preferred_name="Bob",
    ),
    "mary": person("Mary", "Johnson", date(1990, 7, 4), "773-555-0199"),
    "john": person("John", "Abbott", date(1972, 9, 30), "630-555-0199", sex=SexAtBirth.MALE),
    "jonathan": person(
        "Jonathan", "Smith", date(1979, 11, 2), "847-555-0123", sex=SexAtBirth.MALE
    ),
    "kathleen": person("Kathleen", "O'Brien", date(2001, 2, 3), "708-555-0166"),
    "renee": person("Renée", "Núñez", date(1968, 12, 25), "815-555-0188"),
    "helen": person("Helen", "Park", date(1940, 4, 1)),
}  # fmt: skip
MEMBER_ID = "XQZ 1234 5678"  # as printed on Mary's card


@dataclass
class Town:
    ctx: AppContext
    ids: dict[str, str]
    mrns: dict[str, str]

    def search(self, text: str) -> list[PatientHit]:
        return PatientSearch(self.ctx).search(text)

    def who(self, text: str) -> list[str]:
        """The keys of PEOPLE that a search finds, in the order shown."""
        names = {patient_id: key for key, patient_id in self.ids.items()}
        return [names.get(hit.id, hit.display_name) for hit in self.search(text)]


@pytest.fixture(scope="module")
def town(demo_template: DemoPractice, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Town]:
    """One practice for the module's read-only searches (searches add only audit events)."""
    folder = tmp_path_factory.mktemp("search") / "practice"
    shutil.copytree(demo_template.paths.data_dir, folder)
    ctx = sign_in(
        PracticePaths(folder), "frontdesk", DEMO_PASSWORD, clock=FakeClock(), kdf=FAST_KDF
    )
    patients = PatientService(ctx)
    saved = {key: patients.register(data) for key, data in PEOPLE.items()}
    patients.set_status(saved["renee"].id, PatientStatus.INACTIVE)
    patients.set_status(saved["helen"].id, PatientStatus.DECEASED, date(2020, 4, 30))
    payer = PayerService(ctx).add_payer(PayerInput("Lakeshore Health Plan", "LKSH1"))
    CoverageService(ctx).add(saved["mary"].id, CoverageInput(payer.id, 1, MEMBER_ID))
    yield Town(ctx, {k: r.id for k, r in saved.items()}, {k: r.mrn for k, r in saved.items()})
    ctx.close()


# -- names -----------------------------------------------------------------------------


def test_a_last_name_prefix_finds_everyone_with_it_in_name_order(town: Town) -> None:
    assert town.who("Johns") == ["mary", "robert"]
    assert town.who("johnson") == ["mary", "robert"]
    assert town.who("SMI") == ["jonathan"]


def test_one_word_also_matches_first_names(town: Town) -> None:
    # "John" is the start of Johnson (last name) and of John Abbott's first name.
    assert town.who("john") == ["john", "mary", "robert"]
    assert town.who("Kath") == ["kathleen"]
    assert town.who("Jonath") == ["jonathan"]


def test_a_preferred_name_finds_the_person(town: Town) -> None:
    (hit,) = town.search("Bob")
    assert hit.id == town.ids["robert"]
    assert hit.display_name == "Johnson, Robert “Bob”"
    assert town.who("Bob Johnson") == ["robert"]
    assert town.who("Johnson, Bob") == ["robert"]


@pytest.mark.parametrize(
    "typed",
    ["Johnson, Mary", "johnson,mary", "Johnson, M", "JOHN, MA", "Mary Johnson", "Johnson Mary"],
)
def test_last_first_and_first_last(town: Town, typed: str) -> None:
    assert town.who(typed) == ["mary"]


def test_last_name_with_a_comma_and_no_first_name(town: Town) -> None:
    assert town.who("Johnson,") == ["mary", "robert"]


@pytest.mark.parametrize("typed", ["O'Brien", "obrien", "O’BRIEN", "obr"])
def test_apostrophes_do_not_matter(town: Town, typed: str) -> None:
    assert town.who(typed) == ["kathleen"]


@pytest.mark.parametrize("typed", ["Nunez", "Núñez", "renee nunez", "Nunez, Renee"])
def test_accents_do_not_matter(town: Town, typed: str) -> None:
    assert town.who(typed) == ["renee"]


@pytest.mark.parametrize("typed", ["Jonson", "Jonsen", "Johnsen"])
def test_small_typos_in_the_last_name_sound_like_the_name(town: Town, typed: str) -> None:
    hits = town.search(typed)
    assert {h.id for h in hits} == {town.ids["mary"], town.ids["robert"]}
    assert {h.matched_by for h in hits} == {"sounds like"}


def test_a_typo_with_a_first_name_finds_only_that_person(town: Town) -> None:
    assert town.who("Jonson, Mary") == ["mary"]
    assert town.who("Mary Jonson") == ["mary"]


def test_a_slip_later_in_the_word_is_forgiven(town: Town) -> None:
    # "Smiht" does not sound like Smith to Metaphone (SMT vs SM0); the finder also looks at
    # names that start the same way and are spelled almost alike.
    assert town.who("Smiht") == ["jonathan"]


def test_names_that_are_not_there_find_nobody(town: Town) -> None:
    assert town.who("Zimmerman") == []
    assert town.who("Mary Abbott") == []


def test_name_and_date_of_birth_together(town: Town) -> None:
    assert town.who("Johnson 3/14/1985") == ["robert"]
    assert town.who("Johnson 7/4/90") == ["mary"]
    assert town.who("Johnson 03141985") == ["robert"]
    assert town.who("Johnson 1/1/2000") == []


# -- dates of birth, phones, identifiers -----------------------------------------------


@pytest.mark.parametrize("typed", ["3/14/1985", "03/14/1985", "03-14-85", "1985-03-14", "03141985"])
def test_date_of_birth_in_the_formats_people_type(town: Town, typed: str) -> None:
    hits = town.search(typed)
    assert [h.id for h in hits] == [town.ids["robert"]]
    assert hits[0].matched_by == "date of birth"


def test_an_impossible_date_finds_nobody(town: Town) -> None:
    assert town.search("2/30/1985") == []


@pytest.mark.parametrize(
    "typed",
    [
        "(312) 555-0142",
        "312-555-0142",
        "312.555.0142",
        "3125550142",
        "+1 312 555 0142",
        "1-312-555-0142",
        "555-0142",
        "5550142",
        "0142",
    ],
)
def test_phone_in_several_formats_and_its_last_digits(town: Town, typed: str) -> None:
    hits = town.search(typed)
    assert [h.id for h in hits] == [town.ids["robert"]]
    assert hits[0].matched_by == "phone"


def test_last_digits_shared_by_several_phones_find_each_owner(town: Town) -> None:
    assert town.who("0199") == ["john", "mary"]  # in name order
    assert town.who("773-555-0199") == ["mary"]
    assert town.who("(630) 555-0199") == ["john"]
    assert town.who("199") == []  # fewer than four digits is not a phone search


def test_mrn_finds_exactly_one_person(town: Town) -> None:
    mrn = town.mrns["kathleen"]
    for typed in (mrn, mrn.lower(), f" {mrn} "):
        hits = town.search(typed)
        assert [h.id for h in hits] == [town.ids["kathleen"]], typed
        assert hits[0].matched_by == "MRN"


@pytest.mark.parametrize("typed", ["XQZ12345678", "xqz12345678", "xqz 1234 5678", "XQZ 12345678"])
def test_member_id_ignores_case_and_spaces(town: Town, typed: str) -> None:
    hits = town.search(typed)
    assert [h.id for h in hits] == [town.ids["mary"]]
    assert hits[0].matched_by == "member ID"


def test_a_removed_coverage_no_longer_finds_the_patient(login: Login) -> None:
    desk = login("frontdesk")
    mary = PatientService(desk).register(PEOPLE["mary"])
    payer = PayerService(desk).add_payer(PayerInput("Prairie Mutual", "PRMU2"))
    coverage = CoverageService(desk).add(mary.id, CoverageInput(payer.id, 1, "pm-777 001"))
    assert [h.id for h in PatientSearch(desk).search("PM-777001")] == [mary.id]
    CoverageService(desk).remove(coverage.id)
    assert PatientSearch(desk).search("PM-777001") == []


# -- what a result shows ---------------------------------------------------------------


def test_results_carry_what_tells_two_people_apart(town: Town) -> None:
    (hit,) = town.search("Johnson, Robert")
    assert hit == PatientHit(
        id=town.ids["robert"],
        mrn=town.mrns["robert"],
        display_name="Johnson, Robert “Bob”",
        date_of_birth=date(1985, 3, 14),
        age="40 y",
        sex_at_birth=SexAtBirth.MALE,
        phone="(312) 555-0142",
        status=PatientStatus.ACTIVE,
        matched_by="name",
    )


def test_inactive_and_deceased_patients_are_still_found_with_their_status(town: Town) -> None:
    (renee,) = town.search("Nunez")
    assert renee.status is PatientStatus.INACTIVE
    (helen,) = town.search("Park, Helen")
    assert helen.status is PatientStatus.DECEASED
    assert helen.age == "80 y"  # at death
    assert helen.phone is None


def test_merged_records_never_appear(login: Login) -> None:
    admin = login("admin")
    patients = PatientService(admin)
    kept = patients.register(PEOPLE["mary"])
    duplicate = patients.register(
        replace(PEOPLE["mary"], first_name="Marie", phones=(PhoneInput("312-555-0111"),)),
        confirm_not_duplicate=True,
    )
    search = PatientSearch(admin)
    assert {h.id for h in search.search("Johnson")} == {kept.id, duplicate.id}

    PatientMergeService(admin).merge(kept.id, duplicate.id)

    for typed in (
        "Johnson",
        "Marie",
        "Johnson, Marie",
        "Jonson",
        "7/4/1990",
        "0111",
        duplicate.mrn,
    ):
        assert duplicate.id not in {h.id for h in search.search(typed)}, typed
    # The phone moved to the record that was kept, so it now finds that one.
    assert [h.id for h in search.search("312-555-0111")] == [kept.id]


# -- audit and limits ------------------------------------------------------------------


def test_a_search_writes_one_audit_event_without_the_query_text(town: Town) -> None:
    before = audit_events(town.ctx)
    town.search("Johnson, Mary")
    new = audit_events(town.ctx)[len(before) :]
    assert len(new) == 1
    (event,) = new
    assert (event["action"], event["category"], event["outcome"]) == (
        "search",
        "demographics",
        "success",
    )
    assert event["user_name"] == "frontdesk"
    assert event["patient_id"] is None
    assert event["detail"] == "1 results"
    stored = " ".join(str(value) for value in event.values()).lower()
    assert "johnson" not in stored and "mary" not in stored


def test_a_search_that_finds_nobody_shows_no_patient_and_records_nothing(town: Town) -> None:
    before = audit_events(town.ctx)
    assert town.search("Zimmerman") == []
    assert town.search("J") == []  # too short to search
    assert audit_events(town.ctx) == before


def test_results_are_limited(login: Login) -> None:
    desk = login("frontdesk")
    patients = PatientService(desk)
    born = date(1960, 1, 2)
    names = [f"Lindqvist{n:02d}" for n in range(55)]
    for name in reversed(names):
        patients.register(person("Ola", name, born), confirm_not_duplicate=True)
    search = PatientSearch(desk)

    for typed in ("1/2/1960", "Lindq", "Ola"):
        hits = search.search(typed)
        assert len(hits) == 50, typed  # the default limit
        assert [h.display_name for h in hits] == [f"{n}, Ola" for n in names[:50]], typed
    assert len(search.search("1/2/1960", limit=7)) == 7
    assert len(search.search("Lindqvist", limit=55)) == 55
