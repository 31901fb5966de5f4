"""999 and 277CA acknowledgements: which of our claim files and claims were accepted,
and, when not, why in words a biller can act on."""

from __future__ import annotations

import pytest

from app.interop.x12_ack import AckStatus, ClaimOutcome, read_277ca, read_999
from app.interop.x12_read import transaction_kind
from tests.interop.x12_helpers import assert_valid_x12
from tests.interop.x12_samples import (
    PAID_DAY,
    ClaimAck,
    ElementError,
    LineAck,
    SegmentError,
    SetAck,
    claim_payment,
    line_payment,
    make_277ca,
    make_835,
    make_999,
    remittance,
)

BAD_MEMBER_ID = SegmentError(
    "NM1", 12, "2010", elements=[ElementError("9", "67", "7", "XYZ")], claim="C0042"
)


def test_an_accepted_999_names_each_transaction_set_and_group() -> None:
    data = make_999(SetAck("0001"), SetAck("0002"), group="17")
    assert_valid_x12(data)

    results = read_999(data)

    assert [(r.group_control_number, r.transaction_control_number) for r in results] == [
        ("17", "0001"),
        ("17", "0002"),
    ]
    assert all(r.status is AckStatus.ACCEPTED and r.accepted for r in results)
    assert all(r.transaction_set_id == "837" and r.errors == () for r in results)


def test_a_rejected_set_explains_the_element_and_claim_in_words() -> None:
    data = make_999(SetAck("0001", "R", [BAD_MEMBER_ID], ["5"]))
    assert_valid_x12(data)

    [result] = read_999(data)

    assert result.status is AckStatus.REJECTED and not result.accepted
    assert result.error_texts == (
        "Claim C0042: segment NM1 (number 12 in loop 2010): NM109: invalid code 'XYZ'.",
    )
    [error] = result.errors
    assert (error.segment_id, error.segment_position, error.loop_id) == ("NM1", 12, "2010")
    assert error.claim_control_number == "C0042"


def test_a_missing_segment_without_element_detail_is_explained() -> None:
    missing = SegmentError("DMG", 14, "2010", code="3")
    data = make_999(SetAck("0001", "R", [missing], ["5", "4"]))

    [result] = read_999(data)

    assert result.error_texts == (
        "segment DMG (number 14 in loop 2010): required segment missing.",
        "segment count in the trailer is wrong",
    )


def test_accepted_with_errors_is_still_accepted() -> None:
    noted = SegmentError("REF", 30, "2300", code="I9")
    data = make_999(SetAck("0001"), SetAck("0002", "E", [noted]))

    first, second = read_999(data)

    assert first.status is AckStatus.ACCEPTED
    assert second.status is AckStatus.ACCEPTED_WITH_ERRORS and second.accepted
    assert "'not used' in this situation" in second.error_texts[0]


def test_a_whole_group_rejection_is_one_result_without_a_set_number() -> None:
    data = make_999(group="9", group_codes=["2"])

    [result] = read_999(data)

    assert (result.group_control_number, result.transaction_control_number) == ("9", None)
    assert result.transaction_set_id == "837"
    assert result.status is AckStatus.REJECTED
    assert result.error_texts == ("functional group version not supported",)


def test_an_accepted_claim_in_a_277ca_brings_the_payers_claim_number() -> None:
    data = make_277ca(ClaimAck("C0042", payer_claim_number="2026061000123", charge_cents=15050))
    assert_valid_x12(data)

    [status] = read_277ca(data)

    assert status.patient_control_number == "C0042"
    assert status.outcome is ClaimOutcome.ACCEPTED
    assert (status.category_code, status.status_code) == ("A2", "20")
    assert status.payer_claim_number == "2026061000123"
    assert (status.charge_cents, status.status_on) == (15050, PAID_DAY)
    assert (status.patient_last_name, status.patient_first_name) == ("RIVERA", "ANA")


def test_a_rejected_claim_lists_every_reason_lines_and_free_text() -> None:
    rejected = ClaimAck(
        "C0043",
        category="A7",
        status="562",
        more=[("A7", "21")],
        free_text="RENDERING NPI NOT ON FILE",
        lines=[LineAck("CHG-7", "99213", 12500, category="A7", status="454")],
    )
    data = make_277ca(ClaimAck("C0042"), rejected)
    assert_valid_x12(data)

    accepted, status = read_277ca(data)

    assert accepted.outcome is ClaimOutcome.ACCEPTED
    assert status.outcome is ClaimOutcome.REJECTED
    assert status.category_code == "A7" and status.payer_claim_number is None
    assert status.lines[0].line_control_number == "CHG-7"
    assert status.texts == (
        "rejected for invalid information (A7/562)",
        "rejected for invalid information (A7/21)",
        "line 99213: rejected for invalid information (A7/454)",
        "RENDERING NPI NOT ON FILE",
    )


def test_a_rejected_line_rejects_an_otherwise_accepted_claim() -> None:
    claim = ClaimAck("C0044", category="A2", lines=[LineAck("CHG-9", "81002", 2500)])

    [status] = read_277ca(make_277ca(claim))

    assert status.outcome is ClaimOutcome.REJECTED
    assert status.category_code == "A2"  # the claim's own status, for the record


def test_a_claim_only_received_is_not_yet_accepted() -> None:
    [status] = read_277ca(make_277ca(ClaimAck("C0045", category="A1", status="19")))

    assert status.outcome is ClaimOutcome.RECEIVED


def test_line_breaks_do_not_change_what_is_read() -> None:
    claims = (ClaimAck("C1"), ClaimAck("C2", category="A6", status="35"))
    sets = (SetAck("0001"), SetAck("0002", "R", [BAD_MEMBER_ID]))

    assert read_277ca(make_277ca(*claims, newline=True)) == read_277ca(make_277ca(*claims))
    assert read_999(make_999(*sets, newline=True)) == read_999(make_999(*sets))


def test_each_reader_refuses_the_other_kinds() -> None:
    remit = make_835(remittance(claim_payment("C1", line_payment("99213", 100, 100))))
    with pytest.raises(ValueError, match=r"835 remittance \(ERA\), not a 999"):
        read_999(remit)
    with pytest.raises(ValueError, match="999 acknowledgement, not a 277CA"):
        read_277ca(make_999(SetAck("0001")))
    with pytest.raises(ValueError, match="not a 999"):
        read_999(b"")


def test_the_kind_of_a_277ca_is_277() -> None:
    assert transaction_kind(make_277ca(ClaimAck("C1"))) == "277"
