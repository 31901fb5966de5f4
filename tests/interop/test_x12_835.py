"""835 remittances: what the biller's import sees for paid, partly paid, denied and
reversed claims, provider adjustments, and files that do not balance or are not 835s."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from app.interop.claim_document import Adjustment
from app.interop.x12_835 import read_835, read_remittances
from app.interop.x12_835_write import write_835
from app.interop.x12_read import transaction_kind
from tests.interop.x12_helpers import assert_valid_x12
from tests.interop.x12_samples import (
    PAID_DAY,
    SERVICE_DAY,
    SetAck,
    claim_payment,
    envelope,
    line_payment,
    make_835,
    make_999,
    provider_adjustment,
    remittance,
)

CO45 = Adjustment("CO", "45", 2500)  # charge exceeds the fee schedule
PR2 = Adjustment("PR", "2", 2000)  # coinsurance


def _paid_in_part() -> bytes:
    line = line_payment("99213", 12500, 8000, CO45, PR2, control="CHG-1", modifiers=["25"])
    return make_835(remittance(claim_payment("C100", line)))


def test_a_paid_claim_reads_back_with_payer_payee_and_check() -> None:
    line = line_payment("99213", 12500, 10000, Adjustment("CO", "45", 2500), control="CHG-1")
    data = make_835(remittance(claim_payment("C100", line), trace_number="CHK555"))
    assert_valid_x12(data)

    result = read_835(data)

    assert result.problems == ()
    assert (result.payer_name, result.payer_id) == ("ACME HEALTH PLAN", "ACME1")
    assert (result.payee_npi, result.payee_tax_id) == ("1234567893", "371234567")
    assert (result.trace_number, result.payment_method) == ("CHK555", "CHK")
    assert (result.total_paid_cents, result.paid_on) == (10000, PAID_DAY)
    [claim] = result.claims
    assert (claim.patient_control_number, claim.status_code) == ("C100", "1")
    assert (claim.charge_cents, claim.paid_cents, claim.payer_claim_number) == (
        12500,
        10000,
        "PCNC100",
    )
    [paid_line] = claim.lines
    assert paid_line.line_control_number == "CHG-1"
    assert paid_line.service_on == SERVICE_DAY


def test_a_partly_paid_line_keeps_contractual_and_coinsurance_apart() -> None:
    data = _paid_in_part()
    assert_valid_x12(data)

    [claim] = read_835(data).claims

    assert claim.paid_cents == 8000
    assert claim.patient_responsibility_cents == 2000
    [line] = claim.lines
    assert (line.procedure_code, line.modifiers) == ("99213", ("25",))
    assert line.adjustments == (CO45, PR2)
    assert claim.adjustments == ()  # these were line-level


def test_a_denied_claim_has_its_reason_at_claim_level() -> None:
    denied = claim_payment(
        "C200",
        status="4",
        charge_cents=20000,
        paid_cents=0,
        adjustments=[Adjustment("CO", "97", 20000)],
        remark_codes=["M15"],
    )
    data = make_835(remittance(denied))
    assert_valid_x12(data)

    result = read_835(data)

    [claim] = result.claims
    assert claim.is_denied and claim.status_text == "denied"
    assert claim.adjustments == (Adjustment("CO", "97", 20000),)
    assert claim.remark_codes == ("M15",)
    assert (result.total_paid_cents, result.problems) == (0, ())


def test_a_reversal_carries_negative_amounts_and_still_balances() -> None:
    reversed_line = line_payment("99213", -12500, -10000, Adjustment("CO", "45", -2500))
    original = line_payment("99213", 12500, 9000, Adjustment("CO", "45", 3500))
    data = make_835(
        remittance(
            claim_payment("C300", reversed_line, status="22"),
            claim_payment("C300", original, status="1"),
        )
    )
    assert_valid_x12(data)

    result = read_835(data)

    reversal, corrected = result.claims
    assert reversal.is_reversal and not corrected.is_reversal
    assert (reversal.charge_cents, reversal.paid_cents) == (-12500, -10000)
    assert reversal.lines[0].adjustments == (Adjustment("CO", "45", -2500),)
    assert result.total_paid_cents == -1000  # the payer takes back $10.00 net
    assert result.problems == ()
    assert b"BPR*I*10*D*CHK" in data  # a debit, amount written without a sign


def test_many_reasons_in_one_group_fill_cas_segments_of_six_and_all_come_back() -> None:
    reasons = [Adjustment("CO", str(code), 100) for code in (45, 59, 94, 131, 142, 144, 253)]
    line = line_payment("97110", 10700, 10000, *reasons)
    data = make_835(remittance(claim_payment("C400", line)))
    assert_valid_x12(data)

    [claim] = read_835(data).claims

    assert claim.lines[0].adjustments == tuple(reasons)
    cas = [s for s in data.decode().split("~") if s.startswith("CAS")]
    reasons_per_segment = [s.split("*")[2::3] for s in cas]
    assert reasons_per_segment == [["45", "59", "94", "131", "142", "144"], ["253"]]


def test_claim_and_line_adjustments_together_balance_the_claim() -> None:
    line = line_payment("99214", 20000, 15000, Adjustment("CO", "45", 5000))
    claim = claim_payment(
        "C500", line, paid_cents=14000, adjustments=[Adjustment("OA", "23", 1000)]
    )
    data = make_835(remittance(claim))

    result = read_835(data)

    assert result.problems == ()
    assert result.claims[0].adjustments == (Adjustment("OA", "23", 1000),)
    assert sum(a.amount_cents for a in result.claims[0].all_adjustments) == 6000


def test_provider_level_adjustments_reduce_or_add_to_the_payment() -> None:
    line = line_payment("99213", 12500, 10000, CO45)
    recovery = provider_adjustment("WO", 3000, "PCNC077")
    interest = provider_adjustment("L6", -125)
    data = make_835(
        remittance(claim_payment("C600", line), provider_adjustments=[recovery, interest])
    )
    assert_valid_x12(data)

    result = read_835(data)

    assert result.total_paid_cents == 10000 - 3000 + 125
    assert result.provider_adjustments == (recovery, interest)
    assert result.provider_adjustments[0].fiscal_period_on == date(2026, 12, 31)
    assert result.problems == ()


def test_an_unbalanced_claim_and_payment_are_reported_not_raised() -> None:
    short_line = line_payment("99213", 12500, 8000, CO45)  # $20.00 unexplained
    data = make_835(remittance(claim_payment("C700", short_line), total_paid_cents=9000))

    result = read_835(data)

    assert result.claims[0].paid_cents == 8000
    assert len(result.problems) == 3
    line_problem, claim_problem, total_problem = result.problems
    assert line_problem == (
        "Claim C700, line 99213: charge $125.00 minus paid $80.00 is $45.00,"
        " but the adjustments add up to $25.00."
    )
    assert claim_problem.startswith("Claim C700: charge $125.00 minus paid $80.00")
    assert "$90.00" in total_problem and "$80.00" in total_problem


def test_a_damaged_amount_or_date_becomes_a_problem() -> None:
    text = _paid_in_part().decode().replace("CLP*C100*1*125*80", "CLP*C100*1*12X*80")
    text = text.replace("DTM*472*20260202", "DTM*472*20261302")

    result = read_835(text.encode())

    assert "Claim C100, charge: '12X' is not an amount." in result.problems
    assert "Claim C100, line 99213, date: '20261302' is not a date." in result.problems
    assert result.claims[0].lines[0].service_on is None


def test_a_wrong_segment_count_is_reported() -> None:
    text = _paid_in_part().decode()
    count = text.split("SE*")[1].split("*")[0]
    broken = text.replace(f"SE*{count}*", f"SE*{int(count) + 3}*")

    assert any("cut short or damaged" in p for p in read_835(broken.encode()).problems)


@pytest.mark.parametrize("line_end", ["\n", "\r\n"])
def test_line_breaks_between_segments_are_ignored(line_end: str) -> None:
    flat = _paid_in_part()
    broken = flat.decode().replace("~", "~" + line_end).encode()

    assert read_835(broken) == read_835(flat)


def test_an_eft_payment_method_is_read() -> None:
    text = _paid_in_part().decode()
    bank = "BPR*I*80*C*ACH*CCP*01*999999992*DA*123456*1234567890**01*999988880*DA*98765*20260302"
    eft = text.replace(text[text.index("BPR") : text.index("~", text.index("BPR"))], bank)

    result = read_835(eft.encode())

    assert (result.payment_method, result.total_paid_cents) == ("ACH", 8000)
    assert result.paid_on == PAID_DAY


def test_everything_written_reads_back_equal() -> None:
    line = replace(
        line_payment("99214", 30000, 18000, Adjustment("CO", "45", 10000), PR2, control="L9"),
        units=Decimal(2),
        allowed_cents=24000,
        remark_codes=("N130", "M80"),
        submitted_procedure_code="99215",
        submitted_modifiers=("25",),
    )
    second = line_payment("81002", 2500, 0, Adjustment("CO", "97", 2500), control="L10")
    claim = replace(
        claim_payment("C800", line, second, remark_codes=["MA01"]),
        statement_from=SERVICE_DAY,
        statement_through=SERVICE_DAY,
    )
    original = remittance(claim, provider_adjustments=[provider_adjustment("FB", 500)])
    data = make_835(original)
    assert_valid_x12(data)

    assert read_835(data) == original


def test_a_file_with_several_payments_is_read_with_read_remittances() -> None:
    first = remittance(claim_payment("C1", line_payment("99213", 100, 100)), trace_number="A")
    second = remittance(claim_payment("C2", line_payment("99213", 200, 200)), trace_number="B")
    data = write_835([first, second], envelope())
    assert_valid_x12(data)

    assert [r.trace_number for r in read_remittances(data)] == ["A", "B"]
    with pytest.raises(ValueError, match="holds 2 payments"):
        read_835(data)


def test_files_that_are_not_835s_are_refused() -> None:
    with pytest.raises(ValueError, match="999 acknowledgement, not an 835"):
        read_835(make_999(SetAck("0001")))
    with pytest.raises(ValueError, match="not an 835 remittance"):
        read_835(b"Patient,Amount\nRivera,80.00\n")


def test_an_importer_can_tell_the_kinds_apart() -> None:
    assert transaction_kind(_paid_in_part()) == "835"
    assert transaction_kind(make_999(SetAck("0001"))) == "999"


def test_the_writer_makes_check_and_no_payment_files_only() -> None:
    eft = remittance(claim_payment("C1", line_payment("99213", 100, 100)), payment_method="ACH")
    with pytest.raises(ValueError, match="CHK"):
        make_835(eft)
    nothing = remittance(
        claim_payment("C1", status="4", charge_cents=100, paid_cents=0,
                      adjustments=[Adjustment("CO", "29", 100)]),
        payment_method="NON",
    )  # fmt: skip
    data = make_835(nothing)
    assert_valid_x12(data)
    assert b"BPR*H*0*C*NON" in data
    assert read_835(data).payment_method == "NON"
