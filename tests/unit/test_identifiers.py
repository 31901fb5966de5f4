"""NPI check digits (CMS: Luhn over the 9 digits prefixed with 80840)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.terminology.identifiers import npi_check_digit, npi_is_valid


def cms_luhn_valid(npi: str) -> bool:
    """The CMS rule, written out independently: Luhn over "80840" + all ten digits."""
    total = 0
    for position, char in enumerate(reversed("80840" + npi)):
        digit = int(char)
        if position % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


# Worked out by hand with the rule above (1234567893 is the CMS example).
VALID = ["1234567893", "1111111112", "1000000004", "1999999992", "2987654326", "1555555550"]


@pytest.mark.parametrize("npi", VALID)
def test_known_valid_npis_pass(npi: str) -> None:
    assert cms_luhn_valid(npi)  # the examples themselves are right
    assert npi_is_valid(npi)
    assert npi_check_digit(npi[:9]) == npi[9]


@pytest.mark.parametrize(
    "npi",
    [
        "1234567890",  # wrong check digit
        "1234567894",
        "1234567839",  # two digits swapped
        "2134567893",
        "123456789",  # too short
        "12345678933",  # too long
        "123456789X",
        "1234-567893",
        " 1234567893",
        "1234567893\n",  # a pasted line break is not part of an NPI
        "١٢٣٤٥٦٧٨٩٣",  # Arabic-Indic digits: not what a claim may carry
        "١٢٣٤٥٦٧٨٩3",
        "",
    ],
)
def test_invalid_npis_fail(npi: str) -> None:
    assert not npi_is_valid(npi)


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_the_check_digit_follows_the_cms_rule(first_nine: str) -> None:
    npi = first_nine + npi_check_digit(first_nine)
    assert cms_luhn_valid(npi)
    assert npi_is_valid(npi)


@given(
    st.text(alphabet="0123456789", min_size=9, max_size=9),
    st.integers(0, 9),
    st.integers(1, 9),
)
def test_any_single_mistyped_digit_is_caught(first_nine: str, position: int, bump: int) -> None:
    npi = first_nine + npi_check_digit(first_nine)
    typo = npi[:position] + str((int(npi[position]) + bump) % 10) + npi[position + 1 :]
    assert not npi_is_valid(typo)
