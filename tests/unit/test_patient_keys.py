"""Normalising what people type about patients: names, phones, e-mail, dates of birth, ages."""

from __future__ import annotations

from datetime import date

import pytest

from app.services.errors import DomainError
from app.services.patient_keys import (
    age_label,
    display_phone,
    fold,
    looks_like_date,
    normalise_email,
    normalise_phone,
    parse_birth_date,
    sound_key,
)

TODAY = date(2026, 1, 5)


# -- names -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Johnson", "johnson"),
        ("  JOHNSON  ", "johnson"),
        ("O'Brien", "obrien"),
        ("D’Angelo", "dangelo"),  # typographic apostrophe, as pasted from a letter
        ("Jean-Luc", "jeanluc"),
        ("Smith Jones", "smithjones"),
        ("Müller", "muller"),
        ("Zoë", "zoe"),
        ("José", "jose"),
        ("Ó Briéin-Smith", "obrieinsmith"),
        ("Nguyễn", "nguyen"),
        # Letters Unicode does not split into base + accent still fold to what people type.
        ("Łukasz", "lukasz"),
        ("Đặng", "dang"),
        ("Søren", "soren"),
        ("Straße", "strasse"),
        (None, ""),
        ("", ""),
    ],
)
def test_fold_is_what_the_search_keys_compare(typed: str | None, folded: str) -> None:
    assert fold(typed) == folded


def test_accented_and_plain_spellings_fold_alike() -> None:
    assert fold("Renée O’Connor-Núñez") == fold("renee oconnor nunez")


@pytest.mark.parametrize(
    ("typed", "registered"),
    [
        ("Jonson", "Johnson"),
        ("Jonsen", "Johnson"),
        ("Smyth", "Smith"),
        ("Katherine", "Catherine"),
        ("Philips", "Phillips"),
        ("Garsia", "Garcia"),
        ("Browne", "Brown"),
        ("Reed", "Reid"),
        ("O'Neil", "ONeil"),
    ],
)
def test_misheard_spellings_share_a_sound_key(typed: str, registered: str) -> None:
    assert sound_key(typed) == sound_key(registered) != ""


@pytest.mark.parametrize(
    ("a", "b"), [("Smith", "Jones"), ("Johnson", "Jackson"), ("Brown", "Green")]
)
def test_different_names_have_different_sound_keys(a: str, b: str) -> None:
    assert sound_key(a) != sound_key(b)


def test_sound_key_of_nothing_is_empty() -> None:
    assert sound_key("") == ""
    assert sound_key("-'") == ""


# -- phones ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "312-555-0123",
        "(312) 555-0123",
        "312.555.0123",
        "312 555 0123",
        "3125550123",
        "1-312-555-0123",
        "+1 312 555 0123",
        "+1 (312) 555-0123",
        " 312-555-0123 ",
    ],
)
def test_us_phone_formats_become_e164(typed: str) -> None:
    assert normalise_phone(typed) == "+13125550123"


def test_foreign_numbers_keep_their_country_code() -> None:
    assert normalise_phone("+44 20 7946 0958") == "+442079460958"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("12", "wrong number of digits"),
        ("911", "wrong number of digits"),
        ("(312) 555-012", "wrong number of digits"),
        ("312 555 0123 4567", "wrong number of digits"),
        ("555-0123", "needs its area code"),  # a local number cannot be dialled from a chart
        ("call me", "is not a phone number"),
        ("", "is not a phone number"),
    ],
)
def test_impossible_phone_numbers_are_refused_with_a_clear_message(
    typed: str, message: str
) -> None:
    with pytest.raises(DomainError) as refused:
        normalise_phone(typed)
    assert message in str(refused.value)
    assert f"“{typed}”" in str(refused.value)  # the message quotes what was typed


def test_display_phone_reads_like_staff_write_it() -> None:
    assert display_phone("+13125550123") == "(312) 555-0123"
    assert display_phone("+442079460958") == "+44 20 7946 0958"
    assert display_phone(normalise_phone("773.555.9876")) == "(773) 555-9876"


# -- e-mail ----------------------------------------------------------------------------


def test_email_is_trimmed_and_its_domain_lower_cased() -> None:
    assert normalise_email("  Ann.Lee@Example.COM ") == "Ann.Lee@example.com"
    assert normalise_email("a@b.co") == "a@b.co"


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("ann.lee", "@-sign"),
        ("ann@example", "period"),
        ("ann..lee@example.com", "two periods"),
        ("ann lee@example.com", "SPACE"),
    ],
)
def test_malformed_email_is_refused_with_the_reason(typed: str, why: str) -> None:
    with pytest.raises(DomainError) as refused:
        normalise_email(typed)
    assert f"“{typed}” is not a valid e-mail address" in str(refused.value)
    assert why in str(refused.value)


# -- dates of birth --------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["3/14/1985", "03/14/1985", "03-14-85", "3-14-1985", "3.14.1985", "1985-03-14", "03141985"],
)
def test_dates_of_birth_as_people_type_them(typed: str) -> None:
    assert looks_like_date(typed)
    assert parse_birth_date(typed, TODAY) == date(1985, 3, 14)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("1/5/26", date(2026, 1, 5)),  # today is not in the future
        ("1/6/26", date(1926, 1, 6)),  # tomorrow would be: the person was born in 1926
        ("12/31/25", date(2025, 12, 31)),
        ("3/14/85", date(1985, 3, 14)),
        ("1/1/00", date(2000, 1, 1)),
        ("2/29/00", date(2000, 2, 29)),
        ("7/4/30", date(1930, 7, 4)),
    ],
)
def test_two_digit_years_pivot_on_today(typed: str, meant: date) -> None:
    assert parse_birth_date(typed, TODAY) == meant


def test_the_pivot_moves_with_today() -> None:
    assert parse_birth_date("6/1/30", date(2031, 1, 1)) == date(2030, 6, 1)
    assert parse_birth_date("6/1/30", date(2029, 1, 1)) == date(1930, 6, 1)


@pytest.mark.parametrize(
    "typed",
    [
        "2/30/1985",
        "02/29/2023",  # not a leap year
        "13/01/1985",  # US order: there is no 13th month (not read as 13 January)
        "0/10/1985",
        "4/31/1985",
        "1985-14-03",
        "99999999",
        "00000000",
    ],
)
def test_impossible_dates_are_refused(typed: str) -> None:
    with pytest.raises(DomainError, match="is not a real date"):
        parse_birth_date(typed, TODAY)


@pytest.mark.parametrize("typed", ["March 14", "yesterday", "14th", "3/14"])
def test_text_that_is_not_a_date_is_refused_with_an_example(typed: str) -> None:
    with pytest.raises(DomainError, match=r"is not a date\. Type it like 3/14/1985"):
        parse_birth_date(typed, TODAY)


def test_leap_day_birthdays_parse() -> None:
    assert parse_birth_date("2/29/2024", TODAY) == date(2024, 2, 29)


# -- ages ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "label"),
    [
        (date(1985, 3, 14), "40 y"),
        (date(1985, 1, 5), "41 y"),  # birthday today
        (date(1985, 1, 6), "40 y"),  # birthday tomorrow
        (date(2024, 1, 5), "2 y"),
        (date(2024, 1, 6), "23 mo"),  # under two: months
        (date(2025, 1, 5), "12 mo"),
        (date(2025, 11, 5), "2 mo"),
        (date(2025, 11, 6), "1 mo"),
        (date(2025, 12, 5), "1 mo"),
        (date(2025, 12, 6), "4 wk"),  # under a month: weeks
        (date(2025, 12, 29), "1 wk"),
        (date(2025, 12, 30), "0 wk"),
        (date(2026, 1, 5), "0 wk"),  # born today
    ],
)
def test_age_label_uses_weeks_months_then_years(birth: date, label: str) -> None:
    assert age_label(birth, TODAY) == label


def test_age_of_a_leap_day_birthday_in_a_common_year() -> None:
    assert age_label(date(2000, 2, 29), date(2026, 2, 28)) == "25 y"
    assert age_label(date(2000, 2, 29), date(2026, 3, 1)) == "26 y"
