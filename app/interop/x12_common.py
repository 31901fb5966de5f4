"""What every X12 5010 file we write or read shares: separators, amounts, dates, text.

The 837P writer and the 835/999/277CA readers use these, so both ends agree on one
spelling. Layout facts come from the X12 5010 control segments (ISA/IEA, GS/GE) as the
implementation guides 005010X222A1 (837P) and 005010X221A1 (835) describe them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

# The fixed-width ISA segment is 106 characters including its terminator: the element
# separator is its 4th character, ISA11 (repetition) sits at 82, ISA16 (component) at 104
# and the segment terminator follows at 105.
ISA_LENGTH = 106
_ISA_REPETITION_AT = 82
_ISA_COMPONENT_AT = 104
_ISA_TERMINATOR_AT = 105


@dataclass(frozen=True)
class Separators:
    element: str = "*"
    component: str = ":"
    repetition: str = "^"
    segment: str = "~"

    def all(self) -> str:
        return self.element + self.component + self.repetition + self.segment


DEFAULT_SEPARATORS = Separators()


def format_amount(cents: int) -> str:
    """X12 decimal dollars (R type) without trailing zeros: 12500 -> '125', 12550 ->
    '125.5', 12555 -> '125.55', -500 -> '-5'."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    if part == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole}.{part:02d}".rstrip("0")


def parse_amount(text: str) -> int:
    """Integer cents from an X12 amount ('125', '125.5', '.55', '-12.3'); ValueError for
    anything that is not a plain decimal or has fractions of a cent."""
    cleaned = text.strip()
    if not re.fullmatch(r"-?(\d+\.?\d*|\.\d+)", cleaned):
        raise ValueError(f"not an X12 amount: {text!r}")
    try:
        cents = Decimal(cleaned) * 100
    except InvalidOperation as exc:  # pragma: no cover - the pattern already rules it out
        raise ValueError(f"not an X12 amount: {text!r}") from exc
    if cents != cents.to_integral_value():
        raise ValueError(f"amount has fractions of a cent: {text!r}")
    return int(cents)


def format_quantity(value: int) -> str:
    """Unit counts (SV104 etc.) are R type too: plain digits for whole numbers."""
    return str(value)


def format_date(day: date) -> str:
    """CCYYMMDD (DTP format qualifier D8, BHT04, GS04)."""
    return day.strftime("%Y%m%d")


def parse_date(text: str) -> date:
    """A CCYYMMDD date; ValueError otherwise."""
    if not re.fullmatch(r"\d{8}", text):
        raise ValueError(f"not an X12 date (CCYYMMDD): {text!r}")
    return date(int(text[:4]), int(text[4:6]), int(text[6:]))


# The X12 extended character set (X12.6): upper and lower case letters, digits, space and
# these specials. Anything else (accents, smart quotes, tabs) a receiver may reject.
_EXTENDED_SPECIALS = "!\"&'()+,-./;?=%@[]_{}\\|<>#$"
_ALLOWED = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 " + _EXTENDED_SPECIALS
)


def clean_text(value: str, separators: Separators = DEFAULT_SEPARATORS) -> str:
    """A free-text element (names, addresses) as X12 can carry it: upper case, characters
    outside the extended set and our own separators turned into spaces, runs of spaces
    collapsed. Accents are dropped (Núñez -> NUNEZ) rather than turned into spaces. Upper
    case because many payers still match names that way."""
    reserved = set(separators.all())
    folded = unicodedata.normalize("NFKD", value.upper())
    bare = "".join(c for c in folded if not unicodedata.combining(c))
    chars = (c if c in _ALLOWED and c not in reserved else " " for c in bare)
    return " ".join("".join(chars).split())


def detect_separators(data: str) -> Separators:
    """The separators an incoming interchange declares in its ISA segment."""
    start = data.lstrip()
    if not start.startswith("ISA") or len(start) < ISA_LENGTH:
        raise ValueError("not an X12 interchange: it must start with a 106-character ISA")
    return Separators(
        element=start[3],
        repetition=start[_ISA_REPETITION_AT],
        component=start[_ISA_COMPONENT_AT],
        segment=start[_ISA_TERMINATOR_AT],
    )


def split_segments(data: str, separators: Separators | None = None) -> list[list[str]]:
    """The segments of an interchange as lists of elements (element 0 is the segment id);
    line breaks around terminators are ignored."""
    seps = separators or detect_separators(data)
    segments = []
    for raw in data.split(seps.segment):
        text = raw.strip("\r\n")
        if text.strip():
            segments.append(text.split(seps.element))
    return segments
