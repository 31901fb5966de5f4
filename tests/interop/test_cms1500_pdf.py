"""The CMS-1500 (02/12) claim form (issue #7): every piece of data printed where its box is,
the red replica for the record, the data-only overlay shifted by the printer offset, long
claims continued on further pages."""

from __future__ import annotations

import io
from dataclasses import dataclass, replace
from datetime import date
from itertools import pairwise
from typing import Any

import pytest
from pypdf import PageObject, PdfReader
from pypdf.generic import ContentStream

from app.interop.claim_document import (
    Address,
    BillingProvider,
    Claim,
    OtherPayer,
    OtherPayerLine,
    PatientParty,
    Payer,
    Person,
    RenderingProvider,
    ServiceLine,
    Subscriber,
)
from app.interop.cms1500_layout import CHAR_WIDTH, FIELDS, LAST_LINE, spot_rect
from app.interop.cms1500_pdf import cms1500_pdf
from app.terminology.identifiers import npi_check_digit

SIGNED = date(2026, 2, 10)
SEEN = date(2026, 2, 2)


def npi(first_nine: str) -> str:
    return first_nine + npi_check_digit(first_nine)


PRACTICE = BillingProvider(
    "Riverside Family Medicine, P.C.",
    npi("123456789"),
    "37-1234567",
    Address("120 Main St.", "Springfield", "IL", "627011234", line2="Suite #200"),
    phone="2175550100",
)
DOCTOR = RenderingProvider(Person("Okafor", "Ada", "N"), npi("176543210"))
ACME = Payer("Acme Health", "ACME1", Address("PO Box 1000", "Chicago", "IL", "60601"))
BLUE = Payer("Blue Shield", "BLUE2")
HOME = Address("5 Elm St", "Springfield", "IL", "62702")
MARIA = Subscriber(
    Person("Lopez", "Maria", "Elena"), "XJH123456789", date(1980, 5, 14), "F", HOME, "GRP-77"
)


def line(code: str = "99213", cents: int = 12500, **changes: object) -> ServiceLine:
    base = ServiceLine(code, cents, 1, (1,), SEEN)
    return replace(base, **changes)  # type: ignore[arg-type]


def claim(**changes: object) -> Claim:
    base = Claim(
        control_number="8XV-C000042",
        billing_provider=PRACTICE,
        rendering_provider=DOCTOR,
        payer=ACME,
        subscriber=MARIA,
        patient=None,
        place_of_service="11",
        diagnosis_codes=("J06.9", "R05"),
        lines=(
            line("99213", 12500, diagnosis_pointers=(1, 2)),
            line("87880", 3050, modifiers=("QW", "59"), units=2, diagnosis_pointers=(2,)),
        ),
        onset_on=date(2026, 1, 30),
        prior_authorization="PA-5531",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


# -- reading the PDF back ------------------------------------------------------------------


@dataclass(frozen=True)
class Printed:
    text: str
    x: float
    y: float
    font: str
    fill: tuple[float, ...]


def printed(pdf: bytes) -> list[list[Printed]]:
    """Every string on every page with where it starts (pypdf's text visitor) and the
    fill colour it was drawn in (read from the content stream, in the same order)."""
    pages = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        placed = _placed(page)
        fills = _fill_per_string(page)
        assert len(fills) == len(placed)
        pages.append([Printed(*where, fill) for where, fill in zip(placed, fills, strict=True)])
    return pages


def _placed(page: PageObject) -> list[tuple[str, float, float, str]]:
    placed: list[tuple[str, float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text.strip():
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            placed.append((text.strip(), x, y, str((font or {}).get("/BaseFont", ""))))

    page.extract_text(visitor_text=visit)
    return placed


def _fill_per_string(page: PageObject) -> list[tuple[float, ...]]:
    content = ContentStream(page.get_contents(), page.pdf)
    fill: tuple[float, ...] = (0.0,)
    saved: list[tuple[float, ...]] = []
    fills = []
    for operands, operator in content.operations:
        if operator in (b"rg", b"g"):
            fill = tuple(round(float(value), 3) for value in operands)
        elif operator == b"q":
            saved.append(fill)
        elif operator == b"Q":
            fill = saved.pop()
        elif operator == b"Tj" and str(operands[0]).strip():
            fills.append(fill)
    return fills


def data(page: list[Printed]) -> list[Printed]:
    return [item for item in page if item.font == "/Courier"]


def ink_end(item: Printed) -> float:
    """Where the last Courier 10 glyph (6 points wide) of a string ends."""
    return item.x + (len(item.text) - 1) * CHAR_WIDTH + 6.0


def in_box(page: list[Printed], key: str) -> str:
    """The data printed in a box; fails when any of it spills out of the box's cells."""
    left, bottom, right, top = spot_rect(FIELDS[key])
    found = [item for item in data(page) if left <= item.x < right and bottom < item.y < top]
    for item in found:
        assert ink_end(item) <= right, (key, item.text)
    return " ".join(item.text for item in found)


def assert_boxes(page: list[Printed], expected: dict[str, str]) -> None:
    wrong = {key: in_box(page, key) for key, text in expected.items() if in_box(page, key) != text}
    assert not wrong, wrong


def assert_all_data_in_some_box(page: list[Printed]) -> None:
    def inside(item: Printed) -> bool:
        for spot in FIELDS.values():
            left, bottom, right, top = spot_rect(spot)
            if left <= item.x and ink_end(item) <= right and bottom < item.y < top:
                return True
        return False

    stray = [item.text for item in data(page) if not inside(item)]
    assert not stray


# -- the boxes -----------------------------------------------------------------------------


def test_a_primary_claim_puts_each_field_in_its_box() -> None:
    (page,) = printed(cms1500_pdf([claim()], signed_on=SIGNED))
    assert_boxes(
        page,
        {
            "carrier.1": "ACME HEALTH",
            "carrier.2": "PO BOX 1000",
            "carrier.3": "CHICAGO IL 60601",
            "1:group": "X",
            "1:medicare": "",
            "1a": "XJH123456789",
            "2": "LOPEZ, MARIA, E",
            "3.date": "05 14 1980",
            "3:F": "X",
            "3:M": "",
            "4": "LOPEZ, MARIA, E",
            "5.street": "5 ELM ST",
            "5.city": "SPRINGFIELD",
            "5.state": "IL",
            "5.zip": "62702",
            "6:self": "X",
            "7.street": "5 ELM ST",
            "9": "",
            "10a:no": "X",
            "10b:no": "X",
            "10c:no": "X",
            "11": "GRP-77",
            "11a.date": "05 14 1980",
            "11a:F": "X",
            "11c": "ACME HEALTH",
            "11d:no": "X",
            "11d:yes": "",
            "12": "SIGNATURE ON FILE",
            "13": "SIGNATURE ON FILE",
            "14.date": "01 30 2026",
            "14.qual": "431",
            "17": "",
            "21.ind": "0",
            "21.A": "J069",
            "21.B": "R05",
            "22.code": "",
            "23": "PA-5531",
            "24A.from/1": "02 02 26",
            "24A.to/1": "02 02 26",
            "24B/1": "11",
            "24D/1": "99213",
            "24E/1": "AB",
            "24F/1": "125 00",
            "24G/1": "1",
            "24J/1": DOCTOR.npi,
            "24D/2": "87880",
            "24D.mod/2": "QW 59",
            "24E/2": "B",
            "24F/2": "30 50",
            "24G/2": "2",
            "24D/3": "",
            "25": "371234567",
            "25:ein": "X",
            "26": "8XV-C000042",
            "27:yes": "X",
            "28": "155 50",
            "29": "",
            "31": "ADA N OKAFOR",
            "31.date": "02 10 26",
            "32.1": "RIVERSIDE FAMILY MEDICINE",  # cut at a word to fit
            "32.2": "120 MAIN ST SUITE 200",
            "32.3": "SPRINGFIELD IL 62701-1234",
            "32a": "",
            "33.1": "RIVERSIDE FAMILY MEDICINE PC",
            "33.3": "SPRINGFIELD IL 62701-1234",
            "33.area": "217",
            "33.phone": "5550100",
            "33a": PRACTICE.npi,
        },
    )
    assert_all_data_in_some_box(page)


def test_amounts_end_at_the_cents_column_whatever_their_size() -> None:
    lines = (line(cents=5), line(cents=1234567))
    (page,) = printed(cms1500_pdf([claim(lines=lines)], form=False, signed_on=SIGNED))
    assert_boxes(page, {"24F/1": "0 05", "24F/2": "12345 67", "28": "12345 72"})
    cents_x = {round(ink_end(item), 2) for item in data(page) if item.text in ("0 05", "12345 67")}
    assert len(cents_x) == 1


def test_a_dependent_child_is_the_patient_and_the_parent_the_insured() -> None:
    lily = PatientParty(
        Person("Lopez", "Lily"), date(2015, 9, 9), "F", HOME, relationship_code="19"
    )
    (page,) = printed(cms1500_pdf([claim(patient=lily)], signed_on=SIGNED))
    assert_boxes(
        page,
        {
            "2": "LOPEZ, LILY",
            "3.date": "09 09 2015",
            "4": "LOPEZ, MARIA, E",
            "6:child": "X",
            "6:self": "",
            "11a.date": "05 14 1980",
        },
    )


def test_a_secondary_claim_names_the_primary_plan_and_what_it_paid() -> None:
    john = Subscriber(Person("Lopez", "John", suffix="Jr."), "W998877", date(1978, 1, 2), "M", HOME)
    paid = OtherPayerLine(9000, (), date(2026, 3, 2))
    secondary = claim(
        payer=BLUE,
        subscriber=replace(MARIA, payer_responsibility="S", filing_indicator="BL"),
        other_payer=OtherPayer(ACME, john, 9500),
        lines=(line(cents=12500, other_payer=paid), line("87880", 3050)),
    )
    (page,) = printed(cms1500_pdf([secondary], signed_on=SIGNED))
    assert_boxes(
        page,
        {
            "carrier.1": "BLUE SHIELD",
            "9": "LOPEZ JR, JOHN",
            "9a": "W998877",
            "9d": "ACME HEALTH",
            "11d:yes": "X",
            "11d:no": "",
            "28": "155 50",
            "29": "90 00",  # the line-level payments, when the claim has them
        },
    )
    without_lines = replace(secondary, lines=(line(), line("87880", 3050)))
    (page,) = printed(cms1500_pdf([without_lines], signed_on=SIGNED))
    assert in_box(page, "29") == "95 00"


def test_a_corrected_claim_names_the_claim_it_replaces_and_medicare_gets_none() -> None:
    medicare = replace(MARIA, group_number=None, filing_indicator="MB")
    corrected = claim(frequency_code="7", payer_claim_number="PCN-2026-555", subscriber=medicare)
    (page,) = printed(cms1500_pdf([corrected], signed_on=SIGNED))
    assert_boxes(
        page,
        {
            "22.code": "7",
            "22.original": "PCN-2026-555",
            "1:medicare": "X",
            "1:group": "",
            "11": "NONE",
        },
    )


def test_twelve_diagnoses_fill_a_to_l_and_refused_assignment_is_marked_no() -> None:
    codes = (
        "R05",
        "R51",
        "I10",
        "E119",
        "J020",
        "J029",
        "J301",
        "J309",
        "K219",
        "M545",
        "N390",
        "Z0000",
    )
    busy = claim(
        diagnosis_codes=codes,
        lines=(line(diagnosis_pointers=(12, 11, 10, 9), modifiers=("25", "59", "XS", "GT")),),
        accept_assignment=False,
        signature_on_file=False,
    )
    (page,) = printed(cms1500_pdf([busy], signed_on=SIGNED))
    letters = "ABCDEFGHIJKL"
    assert_boxes(page, {f"21.{letter}": code for letter, code in zip(letters, codes, strict=True)})
    assert_boxes(
        page,
        {
            "24E/1": "LKJI",
            "24D.mod/1": "25 59 XS GT",
            "27:no": "X",
            "27:yes": "",
            "12": "",
            "13": "",
        },
    )


# -- pages ---------------------------------------------------------------------------------


def test_a_nine_line_claim_continues_on_a_second_complete_page() -> None:
    lines = tuple(line(f"9921{n}", 1000 * n) for n in range(1, 10))
    pages = printed(cms1500_pdf([claim(lines=lines)], signed_on=SIGNED))
    assert len(pages) == 2
    first, second = pages
    assert [in_box(first, f"24D/{row}") for row in range(1, 7)] == [f"9921{n}" for n in range(1, 7)]
    assert [in_box(second, f"24D/{row}") for row in range(1, 7)] == [
        "99217",
        "99218",
        "99219",
        "",
        "",
        "",
    ]
    # Each page stands alone: the same header, its own lines' total.
    for page in pages:
        assert_boxes(page, {"2": "LOPEZ, MARIA, E", "26": "8XV-C000042", "1a": "XJH123456789"})
    assert in_box(first, "28") == "210 00"
    assert in_box(second, "28") == "240 00"
    notes = [item.text for page in pages for item in page if item.text.startswith("Claim ")]
    assert notes == ["Claim 8XV-C000042: page 1 of 2", "Claim 8XV-C000042: page 2 of 2"]


def test_several_claims_print_one_after_another() -> None:
    other = claim(control_number="8XV-C000043", subscriber=replace(MARIA, member_id="ZZ1"))
    pages = printed(cms1500_pdf([claim(), other], form=False, signed_on=SIGNED))
    assert [in_box(page, "26") for page in pages] == ["8XV-C000042", "8XV-C000043"]
    assert [in_box(page, "1a") for page in pages] == ["XJH123456789", "ZZ1"]


# -- replica and overlay -------------------------------------------------------------------


def test_the_replica_draws_the_form_in_red_and_the_data_in_black() -> None:
    (page,) = printed(cms1500_pdf([claim()], signed_on=SIGNED))
    captions = [item for item in page if item.font.startswith("/Helvetica")]
    caption_text = " ".join(item.text for item in captions)
    for expected in (
        "HEALTH INSURANCE CLAIM FORM",
        "1a. INSURED'S I.D. NUMBER",
        "2. PATIENT'S NAME",
        "21. DIAGNOSIS OR NATURE OF ILLNESS OR INJURY",
        "33. BILLING PROVIDER INFO & PH #",
        "APPROVED OMB-0938-1197 FORM 1500 (02-12)",
    ):
        assert expected in caption_text, expected
    red = (0.824, 0.137, 0.165)
    assert {item.fill for item in captions} == {red}
    assert {item.fill for item in data(page)} == {(0.0, 0.0, 0.0)}


def test_the_overlay_prints_the_data_only_and_the_offset_moves_all_of_it() -> None:
    document = [claim()]
    (replica,) = printed(cms1500_pdf(document, signed_on=SIGNED))
    (plain,) = printed(cms1500_pdf(document, form=False, signed_on=SIGNED))
    assert plain and all(item.font == "/Courier" for item in plain)  # no captions
    assert [(i.text, i.x, i.y) for i in plain] == [(i.text, i.x, i.y) for i in data(replica)]
    overlay = cms1500_pdf(document, form=False, offset_x_mm=2.5, offset_y_mm=-1.5, signed_on=SIGNED)
    content = PdfReader(io.BytesIO(overlay)).pages[0].get_contents()
    assert content is not None and b" re" not in content.get_data()  # no boxes or shading
    (shifted,) = printed(overlay)
    right, up = 2.5 * 72 / 25.4, 1.5 * 72 / 25.4  # negative y offset: up the page
    assert len(shifted) == len(plain)
    for before, after in zip(plain, shifted, strict=True):
        assert after.text == before.text
        assert after.x == pytest.approx(before.x + right, abs=0.01)
        assert after.y == pytest.approx(before.y + up, abs=0.01)


def test_patient_names_stay_out_of_the_file_metadata() -> None:
    metadata = PdfReader(io.BytesIO(cms1500_pdf([claim()], signed_on=SIGNED))).metadata
    assert metadata is not None and metadata.title == "CMS-1500 claim form"
    assert "LOPEZ" not in " ".join(str(value) for value in metadata.values()).upper()


def test_the_box_table_keeps_every_spot_on_the_form_and_apart_from_the_others() -> None:
    by_line: dict[int, list[tuple[int, int, str]]] = {}
    for key, spot in FIELDS.items():
        assert spot.col >= 1 and spot.col + spot.width - 1 <= 79, key
        assert 1 <= spot.line <= LAST_LINE, key
        by_line.setdefault(spot.line, []).append((spot.col, spot.col + spot.width, key))
    for spots in by_line.values():
        spots.sort()
        for (_, end, key), (start, _, next_key) in pairwise(spots):
            assert end <= start, (key, next_key)


@pytest.mark.parametrize(
    ("key", "col", "line"),
    [
        ("1a", 50, 8),
        ("2", 1, 10),
        ("4", 50, 10),
        ("21.A", 3, 38),
        ("24A.from/1", 1, 44),
        ("24J/6", 68, 54),
        ("28", 52, 56),
        ("33a", 51, 61),
    ],
)
def test_spots_match_the_print_grid_of_the_pre_printed_form(key: str, col: int, line: int) -> None:
    # The 10-per-inch, 6-lines-per-inch grid 1500 print programs share: data printed
    # elsewhere would miss the boxes of a red form. Column 1 is 0.25 in from the paper's
    # left edge, line 1 0.25 in from its top.
    left, _, _, top = spot_rect(FIELDS[key])
    assert (left, top) == pytest.approx((18 + (col - 1) * 7.2, 792 - 18 - (line - 1) * 12))
