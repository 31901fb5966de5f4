"""Check digits and formats of identifiers people type (NPI for now)."""

from __future__ import annotations

import re

NPI_PATTERN = re.compile(r"[0-9]{10}")  # ASCII digits only; used with fullmatch
# The NPI check digit is Luhn over the 9 digits prefixed with 80840 (CMS, "Requirements for
# NPI check digit"), which is the same as adding 24 to the Luhn sum of the 9 digits.
_NPI_PREFIX_SUM = 24


def _luhn_sum(digits: str) -> int:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:  # rightmost of the payload is doubled (check digit not included)
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total


def npi_check_digit(first_nine: str) -> str:
    total = _luhn_sum(first_nine) + _NPI_PREFIX_SUM
    return str((10 - total % 10) % 10)


def npi_is_valid(npi: str) -> bool:
    return bool(NPI_PATTERN.fullmatch(npi)) and npi_check_digit(npi[:9]) == npi[9]
