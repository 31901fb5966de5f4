"""The 837P writer: every file it makes passes pyx12, and bad input never reaches a file."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from app.interop.claim_document import (
    Address,
    Adjustment,
    BillingProvider,
    Claim,
    ClaimBatch,
    OtherPayer,
    OtherPayerLine,
    PatientParty,
    Payer,
    Person,
    RenderingProvider,
    ServiceLine,
    Submitter,
    Subscriber,
)
from app.interop.x12_837p import write_837p
from app.interop.x12_common import format_amount, parse_amount, split_segments
from app.terminology.identifiers import npi_check_digit
from tests.interop.x12_helpers import assert_valid_x12, x12_errors


def npi(first_nine: str) -> str:
    return first_nine + npi_check_digit(first_nine)


PRACTICE = BillingProvider(
    organization_name="Riverside Family Medicine",
    npi=npi("123456789"),
    tax_id="123456789",
    address=Address("12 River Rd", "Springfield", "IL", "627011234"),
    taxonomy_code="207Q00000X",
)
OTHER_PRACTICE = replace(PRACTICE, organization_name="Lakeside Clinic", npi=npi("198765432"))
DOCTOR = RenderingProvider(Person("Okafor", "Ada", "N"), npi("176543210"), "207Q00000X")
ACME = Payer("Acme Health", "ACME1")
BLUE = Payer("Blue Shield", "BLUE2", Address("1 Payer Plaza", "Chicago", "IL", "60601"))
HOME = Address("5 Elm St", "Springfield", "IL", "62702", line2="Apt 3")
MARIA = Subscriber(
    Person("Garcia", "Maria"), "MBR1001", date(1980, 4, 2), "F", HOME, group_number="GRP77"
)
JOHN = Subscriber(
    Person("Smith", "John", suffix="Jr"),
    "XJ55",
    date(1975, 1, 30),
    "M",
    HOME,
    group_name="Smith Co",
)
LILY = PatientParty(Person("Garcia", "Lily"), date(2015, 9, 9), "F", HOME, relationship_code="19")
SUBMITTER = Submitter(
    name="Riverside Family Medicine",
    submitter_id="RFM001",
    contact_name="Pat Biller",
    contact_phone="2175550100",
    receiver_name="Clearing House Inc",
    receiver_id="CLEARHOUSE",
    contact_email="billing@riverside.example",
)


def line(code: str = "99213", cents: int = 12500, **changes: object) -> ServiceLine:
    base = ServiceLine(code, cents, 1, (1,), date(2026, 3, 2))
    return replace(base, **changes)


def claim(number: str = "C1", **changes: object) -> Claim:
    base = Claim(
        control_number=number,
        billing_provider=PRACTICE,
        rendering_provider=DOCTOR,
        payer=ACME,
        subscriber=MARIA,
        patient=None,
        place_of_service="11",
        diagnosis_codes=("J069",),
        lines=(line(),),
    )
    return replace(base, **changes)


def batch(*claims: Claim, **changes: object) -> ClaimBatch:
    base = ClaimBatch(
        submitter=SUBMITTER,
        claims=claims,
        interchange_number=42,
        created_at_date=date(2026, 3, 5),
        created_at_time="0930",
        batch_id="B42",
    )
    return replace(base, **changes)


def segments(data: bytes) -> list[list[str]]:
    return split_segments(data.decode("ascii"))


def find(data: bytes, segment_id: str, first: str | None = None) -> list[list[str]]:
    return [s for s in segments(data) if s[0] == segment_id and (first is None or s[1] == first)]


# A secondary claim: Acme paid 80.00 of line 1 and 0 of line 2 (deductible); Blue is billed.
SECONDARY = claim(
    "C9",
    payer=BLUE,
    subscriber=replace(JOHN, payer_responsibility="S", filing_indicator="BL"),
    patient=None,
    lines=(
        line(
            cents=12500,
            line_control_number="CHG-1",
            other_payer=OtherPayerLine(
                8000, (Adjustment("CO", "45", 2500), Adjustment("PR", "2", 2000)), date(2026, 3, 20)
            ),
        ),
        line(
            "81002",
            1550,
            line_control_number="CHG-2",
            other_payer=OtherPayerLine(0, (Adjustment("PR", "1", 1550),), date(2026, 3, 20)),
        ),
    ),
    other_payer=OtherPayer(ACME, JOHN, paid_cents=8000),
)


def test_self_insured_patient_makes_a_valid_file_with_the_claim_fields() -> None:
    data = write_837p(batch(claim(onset_on=date(2026, 2, 28), prior_authorization="AUTH9")))
    assert_valid_x12(data)
    [sbr] = find(data, "SBR")
    assert sbr[1:3] == ["P", "18"]  # the subscriber is the patient
    assert find(data, "PAT") == []  # so no 2000C loop
    [clm] = find(data, "CLM")
    assert clm[1:3] == ["C1", "125"]
    assert clm[5] == "11:B:1"
    assert ["DTP", "431", "D8", "20260228"] in segments(data)
    assert ["REF", "G1", "AUTH9"] in segments(data)
    assert ["NM1", "85", "2", "RIVERSIDE FAMILY MEDICINE", "", "", "", "", "XX", PRACTICE.npi] in (
        segments(data)
    )
    assert ["REF", "EI", "123456789"] in segments(data)
    assert ["PRV", "BI", "PXC", "207Q00000X"] in segments(data)
    assert ["DMG", "D8", "19800402", "F"] in segments(data)


def test_dependent_child_gets_a_patient_loop_under_the_parent() -> None:
    data = write_837p(batch(claim(patient=LILY)))
    assert_valid_x12(data)
    hls = find(data, "HL")
    assert [h[1:] for h in hls] == [
        ["1", "", "20", "1"],
        ["2", "1", "22", "1"],
        ["3", "2", "23", "0"],
    ]
    [sbr] = find(data, "SBR")
    assert sbr[2] == ""  # the subscriber is not the patient
    assert ["PAT", "19"] in segments(data)
    assert ["NM1", "QC", "1", "GARCIA", "LILY"] in segments(data)
    assert ["DMG", "D8", "20150909", "F"] in segments(data)
    # The parent's birth date is not sent when the parent is not the patient.
    assert len(find(data, "DMG")) == 1


def test_claims_are_grouped_by_provider_subscriber_and_payer() -> None:
    claims = (
        claim("A1"),
        claim("A2", payer=BLUE),
        claim("A3"),  # same provider, subscriber and payer as A1
        claim("A4", subscriber=JOHN),
        claim("A5", patient=LILY),  # Maria's child, Acme
        claim("A6", billing_provider=OTHER_PRACTICE),
    )
    data = write_837p(batch(*claims))
    assert_valid_x12(data)
    hls = [h[1:] for h in find(data, "HL")]
    levels = [h[2] for h in hls]
    assert levels.count("20") == 2  # two billing providers
    assert levels.count("22") == 5  # Maria/Acme, Maria/Blue, John/Acme, Maria-for-Lily, Lakeside
    assert levels.count("23") == 1
    assert [h[0] for h in hls] == [str(n) for n in range(1, len(hls) + 1)]
    # The claims of one subscriber and payer share one 2000B loop.
    order = [s[1] for s in segments(data) if s[0] in ("HL", "CLM")]
    assert order[order.index("A1") + 1] == "A3"
    assert len(find(data, "CLM")) == 6


def test_secondary_claim_carries_the_primary_payers_adjudication() -> None:
    data = write_837p(batch(SECONDARY))
    assert_valid_x12(data)
    sbrs = find(data, "SBR")
    assert [s[1] for s in sbrs] == ["S", "P"]  # Blue is secondary; the 2320 payer (Acme) paid first
    assert sbrs[1][2] == "18"
    assert ["AMT", "D", "80"] in segments(data)
    assert ["NM1", "PR", "2", "ACME HEALTH", "", "", "", "", "PI", "ACME1"] in segments(data)
    svds = find(data, "SVD")
    assert [s[1:4] for s in svds] == [["ACME1", "80", "HC:99213"], ["ACME1", "0", "HC:81002"]]
    assert ["CAS", "CO", "45", "25"] in segments(data)
    assert ["CAS", "PR", "2", "20"] in segments(data)
    assert ["CAS", "PR", "1", "15.5"] in segments(data)
    assert find(data, "DTP", "573") == [["DTP", "573", "D8", "20260320"]] * 2
    assert ["REF", "6R", "CHG-1"] in segments(data)


def test_patient_liability_left_by_the_primary_payer_is_sent() -> None:
    data = write_837p(batch(SECONDARY))
    # PR 2 (20.00 coinsurance) on line 1 plus PR 1 (15.50 deductible) on line 2.
    assert ["AMT", "EAF", "35.5"] in segments(data)


def test_secondary_claim_without_line_adjudication_dates_the_claim_payment() -> None:
    other = OtherPayer(
        ACME,
        JOHN,
        paid_cents=8000,
        adjustments=(Adjustment("CO", "45", 4500),),
        paid_on=date(2026, 3, 21),
    )
    unadjudicated = replace(SECONDARY, other_payer=other, lines=(line(),))
    data = write_837p(batch(unadjudicated))
    assert_valid_x12(data)
    assert find(data, "SVD") == []
    assert find(data, "DTP", "573") == [["DTP", "573", "D8", "20260321"]]
    with pytest.raises(ValueError, match="adjudication date is missing"):
        write_837p(batch(replace(unadjudicated, other_payer=replace(other, paid_on=None))))


def test_claim_level_adjustments_group_reasons_in_one_cas() -> None:
    other = OtherPayer(
        ACME,
        JOHN,
        paid_cents=8000,
        adjustments=(Adjustment("CO", "45", 2500), Adjustment("CO", "253", 10)),
    )
    data = write_837p(batch(replace(SECONDARY, other_payer=other, lines=(SECONDARY.lines[0],))))
    assert_valid_x12(data)
    assert ["CAS", "CO", "45", "25", "", "253", "0.1"] in segments(data)


def test_corrected_claim_names_the_claim_it_replaces() -> None:
    data = write_837p(batch(claim(frequency_code="7", payer_claim_number="PAYER-CLM-778")))
    assert_valid_x12(data)
    assert find(data, "CLM")[0][5] == "11:B:7"
    assert ["REF", "F8", "PAYER-CLM-778"] in segments(data)
    assert find(write_837p(batch(claim())), "REF", "F8") == []


def test_twelve_diagnoses_four_modifiers_and_several_units() -> None:
    codes = (
        "E119",
        "I10",
        "E785",
        "J449",
        "M545",
        "R51",
        "Z0000",
        "K219",
        "F419",
        "G4733",
        "N390",
        "R05",
    )
    busy = claim(
        diagnosis_codes=codes,
        lines=(
            line(
                "97110",
                9000,
                units=3,
                modifiers=("GP", "59", "KX", "XU"),
                diagnosis_pointers=(5, 1, 12, 2),
            ),
            line("J1885", 1234, units=2, place_of_service="22"),
            line("99213", 12500, place_of_service="11"),  # same as the claim: not repeated
        ),
    )
    data = write_837p(batch(busy))
    assert_valid_x12(data)
    [hi] = find(data, "HI")
    assert hi[1] == "ABK:E119"
    assert hi[2:] == [f"ABF:{code}" for code in codes[1:]]
    sv1s = find(data, "SV1")
    assert sv1s[0][1:5] == ["HC:97110:GP:59:KX:XU", "90", "UN", "3"]
    assert sv1s[0][7] == "5:1:12:2"
    assert sv1s[1][1:6] == ["HC:J1885", "12.34", "UN", "2", "22"]
    assert len(sv1s[2]) == 8 and sv1s[2][5] == ""
    [clm] = find(data, "CLM")
    assert clm[2] == "227.34"


def test_control_counts_match_the_file() -> None:
    data = write_837p(batch(claim("A1"), claim("A2", patient=LILY), SECONDARY), line_breaks=True)
    assert_valid_x12(data)
    text = data.decode("ascii")
    assert text.count("~\n") == len(segments(data))
    segs = segments(data)
    st_at = next(i for i, s in enumerate(segs) if s[0] == "ST")
    se_at = next(i for i, s in enumerate(segs) if s[0] == "SE")
    assert segs[se_at][1] == str(se_at - st_at + 1)
    assert segs[se_at][2] == segs[st_at][2]
    assert find(data, "GE") == [["GE", "1", "42"]]
    assert find(data, "GS")[0][6] == "42"
    assert find(data, "IEA") == [["IEA", "1", "000000042"]]
    isa = text.split("~")[0]
    assert len(isa) + 1 == 106 and isa[3] == "*" and isa[-1] == ":"
    assert segs[0][13] == "000000042" and segs[0][15] == "T"


def test_compact_output_has_no_line_breaks_and_production_flag() -> None:
    data = write_837p(batch(claim(), production=True))
    assert b"\n" not in data
    assert data.endswith(b"IEA*1*000000042~")
    assert segments(data)[0][15] == "P"


def test_text_is_cleaned_of_separators_and_unsupported_characters() -> None:
    odd = replace(
        MARIA,
        person=Person("O'Brien*Núñez", "Zoë~Ann"),
        address=replace(HOME, line1="5 Elm St: Unit ^4"),
    )
    data = write_837p(batch(claim(subscriber=odd)))
    assert_valid_x12(data)
    [nm1] = find(data, "NM1", "IL")
    assert nm1[3:5] == ["O'BRIEN NUNEZ", "ZOE ANN"]
    assert ["N3", "5 ELM ST UNIT 4", "APT 3"] in segments(data)


@pytest.mark.parametrize(
    ("cents", "text"),
    [(12500, "125"), (12550, "125.5"), (12555, "125.55"), (5, "0.05"), (0, "0"), (-1050, "-10.5")],
)
def test_amounts_are_dollars_without_trailing_zeros(cents: int, text: str) -> None:
    assert format_amount(cents) == text
    assert parse_amount(text) == cents


def test_amount_parsing_refuses_what_is_not_money() -> None:
    for bad in ("12.345", "1e3", "", "12,00", "$5"):
        with pytest.raises(ValueError):
            parse_amount(bad)


THIRTEEN_DIAGNOSES = ("R05", "R51", "I10", *(f"J0{n}" for n in range(10)))


@pytest.mark.parametrize(
    ("bad_claim", "message"),
    [
        (
            claim("D13", diagnosis_codes=THIRTEEN_DIAGNOSES),
            "more than 12",
        ),
        (claim("NOLINES", lines=()), "no service lines"),
        (claim("NODX", diagnosis_codes=()), "no diagnosis"),
        (
            claim("PTR", lines=(line(diagnosis_pointers=(2,)),)),
            "diagnosis pointer 2 points at no diagnosis",
        ),
        (
            claim("MOD5", lines=(line(modifiers=("25", "59", "GP", "KX", "XU")),)),
            "more than 4 modifiers",
        ),
        (
            claim("NPI", rendering_provider=replace(DOCTOR, npi="1234567890")),
            "rendering provider NPI",
        ),
        (claim("ZIP", billing_provider=replace(PRACTICE, address=HOME)), "ZIP code"),
        (claim("F7", frequency_code="7"), "payer claim number"),
        (claim("KID", patient=replace(LILY, address=None)), "patient: address is missing"),
        (claim("UNITS", lines=(line(units=0),)), "units"),
        (claim("STATE", subscriber=replace(MARIA, address=replace(HOME, state="Il"))), "state"),
        (claim("X" * 21), "control number"),
        (
            replace(
                SECONDARY,
                control_number="COB",
                other_payer=replace(SECONDARY.other_payer, paid_cents=1),
            ),
            "sum of its line payments",
        ),
    ],
)
def test_input_the_writer_cannot_write_is_refused_naming_claim_and_field(
    bad_claim: Claim, message: str
) -> None:
    with pytest.raises(ValueError, match=message) as raised:
        write_837p(batch(claim("GOOD"), bad_claim))
    assert f"claim {bad_claim.control_number}" in str(raised.value)
    assert "claim GOOD" not in str(raised.value)


def test_empty_batch_is_refused() -> None:
    with pytest.raises(ValueError, match="no claims"):
        write_837p(batch())


def test_the_validator_catches_a_broken_file() -> None:
    # Guards the guard: a wrong segment count in SE must be reported.
    data = write_837p(batch(claim()))
    broken = data.replace(b"SE*", b"SE*9", 1)
    assert x12_errors(broken)
    assert x12_errors(b"not an X12 file at all")
