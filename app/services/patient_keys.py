"""Normalising what people type about patients: names, phones, e-mail, dates of birth."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

import jellyfish
import phonenumbers
from email_validator import EmailNotValidError, validate_email

from app.services.errors import DomainError

DEFAULT_REGION = "US"
_NON_ALNUM = re.compile(r"[^a-z0-9]")
# Latin letters that Unicode does not decompose into a base letter plus an accent.
_UNDECOMPOSED = str.maketrans(
    {"ł": "l", "đ": "d", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe", "þ": "th", "ı": "i"}
)


def fold(text: str | None) -> str:
    """Lower case, accents removed, only letters and digits: "O'Brién-Smith" → "obriensmith"."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(_UNDECOMPOSED))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_ALNUM.sub("", plain.lower())


def sound_key(name: str) -> str:
    """Metaphone of the folded name: "Jonson" and "Johnson" share JNSN."""
    folded = "".join(ch for ch in fold(name) if ch.isalpha())
    return jellyfish.metaphone(folded)[:40] if folded else ""


def name_similarity(a: str, b: str) -> float:
    return jellyfish.jaro_winkler_similarity(fold(a), fold(b))


def normalise_phone(raw: str, region: str = DEFAULT_REGION) -> str:
    """E.164 form (+13125550123), or DomainError with what is wrong."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        raise DomainError(f"“{raw}” is not a phone number.") from None
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason == phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY:
        raise DomainError(f"“{raw}” needs its area code.")
    if reason != phonenumbers.ValidationResult.IS_POSSIBLE:
        raise DomainError(f"“{raw}” has the wrong number of digits for a phone number.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str, region: str = DEFAULT_REGION) -> str:
    """How staff read a number: (312) 555-0123 at home, +44 20 7946 0958 abroad."""
    if region == "US" and len(e164) == 12 and e164.startswith("+1"):
        # North American numbers have one fixed shape; this path is hot in search lists.
        return f"({e164[2:5]}) {e164[5:8]}-{e164[8:]}"
    number = phonenumbers.parse(e164, region)
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if phonenumbers.region_code_for_number(number) == region
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


def national_digits_reversed(e164: str) -> str:
    number = phonenumbers.parse(e164, None)
    return str(number.national_number)[::-1]


def normalise_email(raw: str) -> str:
    try:
        return validate_email(raw.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise DomainError(f"“{raw}” is not a valid e-mail address ({exc}).") from None


_DATE_SHAPE = re.compile(r"^\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}$|^\d{8}$")


def looks_like_date(text: str) -> bool:
    return bool(_DATE_SHAPE.match(text.strip()))


def parse_birth_date(text: str, today: date) -> date:
    """Dates as people type them (US order): 3/14/1985, 03-14-85, 1985-03-14, 03141985.

    Two-digit years are put in the past century when they would otherwise be in the future.
    """
    raw = text.strip()
    if re.fullmatch(r"\d{8}", raw):  # MMDDYYYY, as typed on a keypad
        raw = f"{raw[:2]}/{raw[2:4]}/{raw[4:]}"
    if not looks_like_date(raw):
        raise DomainError(f"“{text}” is not a date. Type it like 3/14/1985.")
    parts = re.split(r"[/.\-]", raw)
    # Year first only when written with four digits (1985-03-14); otherwise always US order:
    # "13/01/1985" is refused rather than silently read as the 13th of January.
    year_first = len(parts[0]) == 4
    year, month, day = (int(parts[i]) for i in ((0, 1, 2) if year_first else (2, 0, 1)))
    two_digit_year = not year_first and len(parts[2]) == 2
    if two_digit_year:
        year += today.year // 100 * 100
    try:
        parsed = date(year, month, day)
        if two_digit_year and parsed > today:
            parsed = date(year - 100, month, day)
    except ValueError:
        raise DomainError(f"“{text}” is not a real date.") from None
    return parsed


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def age_label(birth: date, today: date) -> str:
    """ "34 y", or months/weeks for babies, as clinicians write it."""
    years = age_on(birth, today)
    if years >= 2:
        return f"{years} y"
    months = (today.year - birth.year) * 12 + today.month - birth.month
    if today.day < birth.day:
        months -= 1
    if months >= 1:
        return f"{months} mo"
    return f"{(today - birth).days // 7} wk"
