"""Professional claims on the CMS-1500 (02/12) paper form: a full red replica for the record,
or the data alone for printing onto red pre-printed forms (shifted by the printer's offset
calibration). Pure reportlab; the claims service builds the Claim, nothing here reads the
database. What goes in each box follows the NUCC 1500 Claim Form Reference Instruction
Manual for form version 02/12 ("NUCC" below); where the data goes is cms1500_layout.FIELDS."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Sequence
from datetime import date

from reportlab.lib.colors import black
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.interop.claim_document import Address, Claim, OtherPayer, Person, ServiceLine, Subscriber
from app.interop.cms1500_form import draw_form
from app.interop.cms1500_layout import (
    CHAR_WIDTH,
    DIAGNOSIS_LETTERS,
    FIELDS,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    SERVICE_ROWS,
    Spot,
    baseline,
    x_at,
)

DATA_FONT = "Courier"  # fixed pitch, so every character lands in its column
DATA_SIZE = 10  # NUCC recommends 10-point type (1500 Claim Form FAQ)
# Courier is 0.6 em wide: stretch each character to the form's 10 per inch.
_CHAR_SPACE = CHAR_WIDTH - 0.6 * DATA_SIZE
_GLYPH_INSET = _CHAR_SPACE / 2  # centre each glyph in its column

# Item 1 by the claim filing indicator (X12 SBR09, 005010X222A1): one box only.
_INSURANCE_TYPE = {
    "MA": "medicare",
    "MB": "medicare",
    "MC": "medicaid",
    "CH": "tricare",
    "VA": "champva",
    "FI": "feca",
    **dict.fromkeys(("BL", "CI", "HM", "12", "13", "14", "15", "16", "17"), "group"),
}
# Item 6 by the X12 individual relationship code (PAT01).
_RELATIONSHIP = {"01": "spouse", "19": "child"}
ONSET_QUALIFIER = "431"  # Item 14: onset of current symptoms or illness (NUCC)
ICD10_INDICATOR = "0"  # Item 21: 0 = ICD-10-CM (NUCC)
_SIGNATURE_ON_FILE = "SIGNATURE ON FILE"


def cms1500_pdf(
    claims: Sequence[Claim],
    *,
    form: bool = True,
    offset_x_mm: float = 0,
    offset_y_mm: float = 0,
    signed_on: date | None = None,
) -> bytes:
    """One page per claim, more when a claim has over six service lines (each page then a
    complete form with its own lines and totals). `form=False` prints the data only, for
    red pre-printed forms; the offsets move it right and down (negative: left and up) to
    match a printer's feed. `signed_on` dates the physician's signature (Item 31); today
    when not given."""
    buffer = io.BytesIO()
    # Metadata travels with the file: no patient names in it.
    canvas = Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), pageCompression=1)
    canvas.setTitle("CMS-1500 claim form" if form else "CMS-1500 claim data")
    canvas.setAuthor("Stethos")
    canvas.setSubject("Professional claims")
    shift = (offset_x_mm * mm, -offset_y_mm * mm) if not form else (0.0, 0.0)
    signed = signed_on or date.today()
    for claim in claims:
        pages = list(_pages(claim.lines))
        for number, lines in enumerate(pages, start=1):
            if form:
                draw_form(canvas)
                if len(pages) > 1:
                    _page_note(canvas, claim, number, len(pages))
            _draw_values(
                canvas, _page_values(claim, lines, first_page=number == 1, signed_on=signed), shift
            )
            canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _page_values(
    claim: Claim, lines: Sequence[ServiceLine], *, first_page: bool, signed_on: date
) -> dict[str, str]:
    """What one page of the claim says, by FIELDS key (empty boxes left out)."""
    values = {
        **_carrier(claim),
        **_patient_and_insured(claim),
        **_condition_and_claim(claim),
        **_service_lines(claim, lines),
        **_totals(claim, lines, first_page),
        **_providers(claim, signed_on),
    }
    return {key: text for key, text in values.items() if text}


# -- the boxes -----------------------------------------------------------------------------


def _carrier(claim: Claim) -> dict[str, str]:
    payer = claim.payer
    lines = [payer.name, *(_address_lines(payer.address) if payer.address else [])]
    return {f"carrier.{index}": _clean(text) for index, text in enumerate(lines[:4], start=1)}


def _patient_and_insured(claim: Claim) -> dict[str, str]:
    subscriber = claim.subscriber
    patient = claim.patient
    person, born, sex, address = (
        (patient.person, patient.birth_date, patient.sex, patient.address)
        if patient
        else (subscriber.person, subscriber.birth_date, subscriber.sex, subscriber.address)
    )
    relationship = _RELATIONSHIP.get(patient.relationship_code, "other") if patient else "self"
    values = {
        f"1:{_INSURANCE_TYPE.get(subscriber.filing_indicator, 'other')}": "X",
        "1a": _clean(subscriber.member_id),
        "2": _name(person),
        "3.date": _long_date(born),
        **_sex("3", sex),
        "4": _name(subscriber.person),
        **_address("5", address),
        f"6:{relationship}": "X",
        **_address("7", subscriber.address),
        "11": _clean(subscriber.group_number or _medicare_group(claim)),
        "11a.date": _long_date(subscriber.birth_date),
        **_sex("11a", subscriber.sex),
        "11c": _clean(claim.payer.name),
    }
    other = claim.other_payer
    if other:  # Items 9, 9a, 9d: the plan that paid first (NUCC)
        values |= {
            "9": _name(other.subscriber.person),
            "9a": _clean(other.subscriber.member_id),
            "9d": _clean(other.payer.name),
        }
    values["11d:yes" if other else "11d:no"] = "X"
    return values


def _condition_and_claim(claim: Claim) -> dict[str, str]:
    # Items 10a-c: the claim carries no employment or accident, as its 837P says (no CLM11).
    values = {f"{item}:no": "X" for item in ("10a", "10b", "10c")}
    if claim.signature_on_file:
        values["12"] = _SIGNATURE_ON_FILE
        if claim.accept_assignment:  # Item 13 assigns benefits to the provider
            values["13"] = _SIGNATURE_ON_FILE
    if claim.onset_on:
        values |= {"14.date": _long_date(claim.onset_on), "14.qual": ONSET_QUALIFIER}
    values["21.ind"] = ICD10_INDICATOR
    for letter, code in zip(DIAGNOSIS_LETTERS, claim.diagnosis_codes, strict=False):
        values[f"21.{letter}"] = code.replace(".", "").upper()  # NUCC: no decimal point
    if claim.frequency_code in ("7", "8"):  # Item 22: replacement or void of an earlier claim
        values |= {"22.code": claim.frequency_code, "22.original": claim.payer_claim_number or ""}
    values["23"] = _clean(claim.prior_authorization or "")
    return values


def _service_lines(claim: Claim, lines: Sequence[ServiceLine]) -> dict[str, str]:
    values: dict[str, str] = {}
    npi = claim.rendering_provider.npi
    for row, line in enumerate(lines, start=1):
        served = _short_date(line.service_on)
        pointers = "".join(DIAGNOSIS_LETTERS[index - 1] for index in line.diagnosis_pointers[:4])
        values |= {
            f"24A.from/{row}": served,
            f"24A.to/{row}": served,  # NUCC: one date of service may be repeated in To
            f"24B/{row}": line.place_of_service or claim.place_of_service,
            f"24D/{row}": line.procedure_code.upper(),
            f"24D.mod/{row}": " ".join(modifier.upper() for modifier in line.modifiers[:4]),
            f"24E/{row}": pointers,
            f"24F/{row}": _amount(line.charge_cents),
            f"24G/{row}": str(line.units),
            f"24J/{row}": npi,
        }
    return values


def _totals(claim: Claim, lines: Sequence[ServiceLine], first_page: bool) -> dict[str, str]:
    provider = claim.billing_provider
    values = {
        "25": re.sub(r"\D", "", provider.tax_id),  # NUCC: no hyphens
        "25:ein": "X",
        "26": _clean(claim.control_number),
        "27:yes" if claim.accept_assignment else "27:no": "X",
        "28": _amount(sum(line.charge_cents for line in lines)),
    }
    if claim.other_payer:
        paid = _paid_on_page(claim.other_payer, claim.lines, lines, first_page)
        values["29"] = _amount(paid)
    return values


def _providers(claim: Claim, signed_on: date) -> dict[str, str]:
    provider = claim.billing_provider
    address = provider.address
    practice = [provider.organization_name, _street(address), _city_line(address)]
    phone = re.sub(r"\D", "", provider.phone or "")
    values = {
        "31": _clean(_full_name(claim.rendering_provider.person)),
        "31.date": _short_date(signed_on),
        # Item 32: where the services were given, the practice; 32a stays empty because
        # NUCC wants a facility NPI only when it differs from the billing provider's.
        **{f"32.{index}": _clean(text) for index, text in enumerate(practice, start=1)},
        **{f"33.{index}": _clean(text) for index, text in enumerate(practice, start=1)},
        "33a": provider.npi,
    }
    if len(phone) == 10:  # NUCC: area code in its place, no hyphen or space in the number
        values |= {"33.area": phone[:3], "33.phone": phone[3:]}
    return values


# -- formats the NUCC instructions ask for -------------------------------------------------


def _clean(text: str) -> str:
    """Upper case without periods, commas or other symbols (NUCC, Items 2, 5 and 33);
    hyphens, apostrophes, slashes and ampersands stay."""
    text = text.upper().replace(".", "")
    return " ".join(re.sub(r"[^A-Z0-9 \-'/&]", " ", text).split())


def _name(person: Person) -> str:
    """LAST SUFFIX, FIRST, M: commas between the parts, the suffix after the last name."""
    last = " ".join(filter(None, (person.last_name, person.suffix)))
    parts = [_clean(last), _clean(person.first_name)]
    if person.middle_name:
        parts.append(_clean(person.middle_name)[:1])
    return ", ".join(part for part in parts if part)


def _full_name(person: Person) -> str:
    return " ".join(
        filter(None, (person.first_name, person.middle_name, person.last_name, person.suffix))
    )


def _address(item: str, address: Address | None) -> dict[str, str]:
    if address is None:
        return {}
    return {
        f"{item}.street": _clean(_street(address)),
        f"{item}.city": _clean(address.city),
        f"{item}.state": _clean(address.state),
        f"{item}.zip": _zip(address.postal_code),
    }


def _address_lines(address: Address) -> list[str]:
    return [address.line1, *([address.line2] if address.line2 else []), _city_line(address)]


def _street(address: Address) -> str:
    """The form has one street line: the suite goes after the street (NUCC: "123 N Main
    Street 101")."""
    return " ".join(filter(None, (address.line1, address.line2)))


def _city_line(address: Address) -> str:
    return f"{address.city} {address.state} {_zip(address.postal_code)}"


def _zip(postal_code: str) -> str:
    digits = re.sub(r"\D", "", postal_code)
    return f"{digits[:5]}-{digits[5:]}" if len(digits) == 9 else digits  # NUCC: ZIP+4 hyphen


def _long_date(day: date) -> str:
    return day.strftime("%m %d %Y")  # MM | DD | YYYY, Items 3, 11a, 14


def _short_date(day: date) -> str:
    return day.strftime("%m %d %y")  # MM | DD | YY, Items 24A and 31


def _amount(cents: int) -> str:
    """Dollars and cents either side of the form's dotted line: no $ and no commas (NUCC)."""
    return f"{cents // 100} {cents % 100:02d}"


def _sex(item: str, sex: str) -> dict[str, str]:
    return {f"{item}:{sex}": "X"} if sex in ("M", "F") else {}


def _medicare_group(claim: Claim) -> str:
    """Medicare asks for NONE in Item 11 when no insurance is primary to it (CMS Claims
    Processing Manual, chapter 26, item 11)."""
    subscriber: Subscriber = claim.subscriber
    is_primary_medicare = (
        subscriber.filing_indicator == "MB" and subscriber.payer_responsibility == "P"
    )
    return "NONE" if is_primary_medicare else ""


def _paid_on_page(
    other: OtherPayer,
    all_lines: Sequence[ServiceLine],
    page_lines: Sequence[ServiceLine],
    first_page: bool,
) -> int:
    """Item 29: what the other payer paid for this page's lines; without line detail, the
    claim-level amount, once, on the first page."""
    if any(line.other_payer for line in all_lines):
        return sum(line.other_payer.paid_cents for line in page_lines if line.other_payer)
    return other.paid_cents if first_page else 0


def _pages(lines: Sequence[ServiceLine]) -> Iterator[Sequence[ServiceLine]]:
    for start in range(0, max(len(lines), 1), SERVICE_ROWS):
        yield lines[start : start + SERVICE_ROWS]


# -- putting it on paper -------------------------------------------------------------------


def _text_origin(spot: Spot, text: str) -> tuple[float, float]:
    """Where `text` starts in PDF points: left-aligned in its spot, or ending at its right
    edge (amounts); text too long for a box is cut to the box before it gets here."""
    col = spot.col + spot.width - len(text) if spot.right_aligned else spot.col
    return x_at(col) + _GLYPH_INSET, baseline(spot.line)


def _draw_values(canvas: Canvas, values: dict[str, str], shift: tuple[float, float]) -> None:
    canvas.setFillColor(black)
    canvas.setFont(DATA_FONT, DATA_SIZE)
    for key, text in values.items():
        spot = FIELDS[key]
        fitted = text if spot.right_aligned else _fit(text, spot.width)
        x, y = _text_origin(spot, fitted)
        canvas.drawString(x + shift[0], y + shift[1], fitted, charSpace=_CHAR_SPACE)


def _fit(text: str, width: int) -> str:
    """Cut text longer than its box, at a word when one ends inside the box."""
    if len(text) <= width:
        return text
    cut = text[: width + 1].rfind(" ")
    return text[:cut] if cut > 0 else text[:width]


def _page_note(canvas: Canvas, claim: Claim, number: int, count: int) -> None:
    """On the replica only: which page of a long claim this is (outside the form)."""
    canvas.setFont("Helvetica", 7)
    canvas.setFillColor(black)
    canvas.drawRightString(
        PAGE_WIDTH - 36, 14, f"Claim {claim.control_number}: page {number} of {count}"
    )
