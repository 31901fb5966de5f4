"""Where each piece of data goes on the CMS-1500 (02/12) claim form, in the form's own units.

Forms printers and billing software address the 1500 form as a typewriter grid: 10
characters per inch across and 6 lines per inch down (the NUCC recommends 10-point type,
NUCC 1500 Claim Form FAQ), columns and lines counted from 1. One table (FIELDS) names every
spot we print; the red replica, the data-only overlay and the tests all read it, so a spot
moves in one place only. Box numbers are the form's Item Numbers as the NUCC 1500 Claim
Form Reference Instruction Manual (form version 02/12) names them."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.pagesizes import LETTER

PAGE_WIDTH, PAGE_HEIGHT = LETTER
CHAR_WIDTH = 72 / 10  # points per column: 10 characters per inch
LINE_HEIGHT = 72 / 6  # points per line: 6 lines per inch
LEFT = 18.0  # points from the paper's left edge to column 1
TOP = 18.0  # points from the paper's top edge to line 1
BASELINE_DROP = 9.0  # where a line's text sits, from the top of the line
SERVICE_ROWS = 6  # service lines in Item 24 on one form
LAST_LINE = 61  # items 31-33a; the form's footer is on line 62


@dataclass(frozen=True)
class Spot:
    """`width` characters starting at `col` on `line`; right-aligned text ends at its edge."""

    col: int
    line: int
    width: int
    right_aligned: bool = False


def x_at(col: float) -> float:
    """PDF x (points) of the left edge of a column; halves name the gap between two."""
    return LEFT + (col - 1) * CHAR_WIDTH


def top_of(line: float) -> float:
    """PDF y (points, from the bottom of the page) of the top edge of a line."""
    return PAGE_HEIGHT - TOP - (line - 1) * LINE_HEIGHT


def baseline(line: int) -> float:
    return top_of(line) - BASELINE_DROP


def spot_rect(spot: Spot) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) of a spot's cells in PDF points."""
    return (x_at(spot.col), top_of(spot.line + 1), x_at(spot.col + spot.width), top_of(spot.line))


# Item 1: one X for the kind of coverage, at these columns of line 8.
INSURANCE_TYPE_COLUMNS = {
    "medicare": 1,
    "medicaid": 8,
    "tricare": 15,
    "champva": 24,
    "group": 31,
    "feca": 39,
    "other": 45,
}
# Item 21: diagnoses A-L run across the box four to a line, 13 columns apart.
DIAGNOSIS_LETTERS = "ABCDEFGHIJKL"
# Item 24: the first service row's unshaded (data) line; each row is two lines.
FIRST_SERVICE_LINE = 44


def _x(col: int, line: int) -> Spot:
    return Spot(col, line, 1)


def _service_fields(row: int) -> dict[str, Spot]:
    line = FIRST_SERVICE_LINE + 2 * (row - 1)
    fields = {
        "24A.from": Spot(1, line, 8),  # MM DD YY
        "24A.to": Spot(10, line, 8),
        "24B": Spot(19, line, 2),
        "24C": Spot(22, line, 2),
        "24D": Spot(25, line, 6),
        "24D.mod": Spot(33, line, 11),  # four 2-character modifiers, a column apart
        "24E": Spot(45, line, 4),
        "24F": Spot(50, line, 8, right_aligned=True),  # dollars | cents
        "24G": Spot(59, line, 3),
        "24H": Spot(63, line, 2),
        "24I": Spot(65, line - 1, 2),  # qualifier in the shaded half
        "24J": Spot(68, line, 10),
    }
    return {f"{key}/{row}": spot for key, spot in fields.items()}


def _diagnosis_fields() -> dict[str, Spot]:
    return {
        f"21.{letter}": Spot(3 + 13 * (index % 4), 38 + index // 4, 7)
        for index, letter in enumerate(DIAGNOSIS_LETTERS)
    }


FIELDS: dict[str, Spot] = {
    # The payer's name and address, top right ("CARRIER").
    "carrier.1": Spot(41, 2, 39),
    "carrier.2": Spot(41, 3, 39),
    "carrier.3": Spot(41, 4, 39),
    "carrier.4": Spot(41, 5, 39),
    **{f"1:{kind}": _x(col, 8) for kind, col in INSURANCE_TYPE_COLUMNS.items()},
    "1a": Spot(50, 8, 29),
    "2": Spot(1, 10, 28),
    "3.date": Spot(31, 10, 10),  # MM DD YYYY
    "3:M": _x(43, 10),
    "3:F": _x(47, 10),
    "4": Spot(50, 10, 29),
    "5.street": Spot(1, 12, 28),
    "6:self": _x(33, 12),
    "6:spouse": _x(38, 12),
    "6:child": _x(42, 12),
    "6:other": _x(47, 12),
    "7.street": Spot(50, 12, 29),
    "5.city": Spot(1, 14, 24),
    "5.state": Spot(26, 14, 3),
    "7.city": Spot(50, 14, 23),
    "7.state": Spot(74, 14, 5),
    "5.zip": Spot(1, 16, 11),
    "5.phone": Spot(15, 16, 14),
    "7.zip": Spot(50, 16, 12),
    "7.phone": Spot(65, 16, 14),
    "9": Spot(1, 18, 28),
    "11": Spot(50, 18, 29),
    "9a": Spot(1, 20, 28),
    "10a:yes": _x(35, 20),
    "10a:no": _x(41, 20),
    "11a.date": Spot(53, 20, 10),
    "11a:M": _x(68, 20),
    "11a:F": _x(75, 20),
    "10b:yes": _x(35, 22),
    "10b:no": _x(41, 22),
    "10b.state": Spot(45, 22, 2),
    "11b": Spot(50, 22, 29),
    "10c:yes": _x(35, 24),
    "10c:no": _x(41, 24),
    "11c": Spot(50, 24, 29),
    "9d": Spot(1, 26, 28),
    "10d": Spot(31, 26, 18),
    "11d:yes": _x(52, 26),
    "11d:no": _x(57, 26),
    "12": Spot(7, 29, 22),
    "12.date": Spot(35, 29, 10),
    "13": Spot(56, 29, 23),
    "14.date": Spot(2, 32, 10),  # MM DD YYYY
    "14.qual": Spot(19, 32, 3),
    "17": Spot(4, 34, 25),
    "17b": Spot(34, 34, 15),
    "19": Spot(1, 36, 48),
    "21.ind": Spot(44, 37, 1),
    **_diagnosis_fields(),
    "22.code": Spot(50, 38, 11),
    "22.original": Spot(62, 38, 17),
    "23": Spot(50, 40, 29),
    **{
        key: spot
        for row in range(1, SERVICE_ROWS + 1)
        for key, spot in _service_fields(row).items()
    },
    "25": Spot(1, 56, 15),
    "25:ssn": _x(17, 56),
    "25:ein": _x(19, 56),
    "26": Spot(23, 56, 14),
    "27:yes": _x(38, 56),
    "27:no": _x(43, 56),
    "28": Spot(52, 56, 8, right_aligned=True),
    "29": Spot(62, 56, 8, right_aligned=True),
    "33.area": Spot(67, 57, 3),
    "33.phone": Spot(71, 57, 8),
    "32.1": Spot(23, 58, 26),
    "33.1": Spot(50, 58, 29),
    "32.2": Spot(23, 59, 26),
    "33.2": Spot(50, 59, 29),
    "31": Spot(1, 60, 21),
    "32.3": Spot(23, 60, 26),
    "33.3": Spot(50, 60, 29),
    "31.date": Spot(13, 61, 8),  # MM DD YY
    "32a": Spot(24, 61, 10),
    "32b": Spot(37, 61, 12),
    "33a": Spot(51, 61, 10),
    "33b": Spot(64, 61, 15),
}
