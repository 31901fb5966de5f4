"""Fee schedules: the demo's self-pay list, a practice's own CSV file (all or nothing, every
bad line named), prices in exact cents, one default schedule, HCPCS Level II descriptions."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.models import CodeSystem
from app.services.billing_data import (
    FeeItemInput,
    FeeScheduleInput,
    format_cents,
    price_cents,
)
from app.services.bus import FeeSchedulesChanged
from app.services.context import AppContext
from app.services.errors import ConcurrentChange, DomainError
from app.services.fee_schedule_file import DEMO_FEE_FILE, HCPCS_FILE, read_fee_file
from app.services.fee_schedules import FeeScheduleService
from app.services.insurance import PayerInput, PayerService
from tests.services.helpers import audit_events, data_snapshot

Login = Callable[[str], AppContext]
HEADER = "code,description,price,units,default ICD-10-CM\n"


@pytest.fixture
def biller(login: Login) -> AppContext:
    return login("billing")


def _new_schedule(ctx: AppContext, name: str = "Prairie Mutual 2026") -> str:
    return FeeScheduleService(ctx).add_schedule(FeeScheduleInput(name)).id


def _file(*lines: str, header: str = HEADER) -> bytes:
    return (header + "".join(f"{line}\n" for line in lines)).encode("utf-8")


def test_the_demo_practice_has_a_default_self_pay_schedule_in_our_own_words(
    biller: AppContext,
) -> None:
    fees = FeeScheduleService(biller)
    (schedule,) = fees.list_schedules()
    assert (schedule.name, schedule.is_default, schedule.active) == ("Self-pay", True, True)
    items = {i.code: i for i in fees.items(schedule.id)}
    assert schedule.item_count == len(items) == 61
    visit = items["99214"]
    assert (visit.code_system, visit.price_cents, visit.price_text) == (
        CodeSystem.CPT,
        19500,
        "$195.00",
    )
    assert visit.description == "Return office visit, moderate-complexity decisions"
    assert items["90471"].default_icd10 == "Z23"
    assert items["99396"].default_icd10 == "Z00.00"
    assert items["J1050"].code_system is CodeSystem.HCPCS
    assert (items["J1050"].price_cents, items["J1050"].default_units) == (50, 150)
    # Every E/M and preventive code the coding assistant can propose has a price.
    wanted = {f"992{n:02d}" for n in (2, 3, 4, 5, 11, 12, 13, 14, 15)}
    wanted |= {f"9938{n}" for n in range(1, 8)} | {f"9939{n}" for n in range(1, 8)}
    assert wanted <= items.keys()


def test_the_shipped_files_read_clean_and_cite_their_sources() -> None:
    lines, problems = read_fee_file(DEMO_FEE_FILE.read_bytes())
    assert problems == [] and len(lines) == 61
    assert "our own plain-language wording" in DEMO_FEE_FILE.read_text().splitlines()[0]
    assert "Centers for Medicare & Medicaid Services" in HCPCS_FILE.read_text().splitlines()[0]


def test_importing_a_good_file_writes_every_line_in_exact_cents(biller: AppContext) -> None:
    fees = FeeScheduleService(biller)
    schedule_id = _new_schedule(biller)
    data = (
        "\ufeffCode,Description,Price,Units,Default_ICD10\r\n"  # Excel's BOM and line ends
        "# the practice's 2026 list\r\n"
        "99213,Return visit,135.00,,\r\n"
        "\r\n"
        '99214,"Return visit, moderate","$1,234.56",1,\r\n'
        "0001F,A measure reported,0.01,,\r\n"
        "0042T,Emerging technology,19.9,2,\r\n"
        "j3420,Vitamin B12 shot,10,1,e538\r\n"
        "90471,Vaccine given,30.10,1,z23\r\n"
    ).encode("utf-8")

    report = fees.import_csv(schedule_id, data)

    assert report.problems == ()
    assert (report.lines_read, report.added, report.updated, report.unchanged) == (6, 6, 0, 0)
    assert report.written
    items = {i.code: i for i in fees.items(schedule_id)}
    assert {code: i.price_cents for code, i in items.items()} == {
        "0001F": 1,
        "0042T": 1990,
        "90471": 3010,
        "99213": 13500,
        "99214": 123456,
        "J3420": 1000,
    }
    assert items["0042T"].default_units == 2
    assert items["J3420"].code_system is CodeSystem.HCPCS
    assert items["J3420"].default_icd10 == "E53.8"  # the code set's form, with its dot
    assert items["99214"].description == "Return visit, moderate"
    event = audit_events(biller)[-1]
    assert (event["action"], event["category"], event["entity_id"]) == (
        "import",
        "fee_schedule",
        schedule_id,
    )


def test_importing_again_replaces_changed_lines_and_keeps_the_rest(biller: AppContext) -> None:
    fees = FeeScheduleService(biller)
    schedule_id = _new_schedule(biller)
    fees.import_csv(schedule_id, _file("99213,Return visit,135.00,,", "99214,Longer,195,,"))

    again = fees.import_csv(schedule_id, _file("99213,Return visit,135.00,,", "99215,Top,270,,"))

    assert (again.added, again.updated, again.unchanged) == (1, 0, 1)
    changed = fees.import_csv(schedule_id, _file("99213,Return visit,140.00,,"))
    assert (changed.added, changed.updated, changed.unchanged) == (0, 1, 0)
    prices = {i.code: i.price_cents for i in fees.items(schedule_id)}
    assert prices == {"99213": 14000, "99214": 19500, "99215": 27000}


BAD_LINES = [
    ("9921,Too short,10.00,,", "9921 is not a procedure code"),
    ("992130,Too long,10.00,,", "992130 is not a procedure code"),
    ("0042X,Wrong letter,10.00,,", "0042X is not a procedure code"),
    ("W1234,Not a Level II letter,10.00,,", "W1234 is not a procedure code"),
    (",No code,10.00,,", "the procedure code is missing"),
    ("99213,,10.00,,", "the description is missing"),
    ("99213,Visit,10.001,,", "is not dollars and cents"),
    ("99213,Visit,ten,,", "is not dollars and cents"),
    ('99213,Visit,"1,00.00",,', "is not dollars and cents"),
    ("99213,Visit,0.00,,", "must be more than $0.00"),
    ("99213,Visit,-5.00,,", "must be more than $0.00"),
    ("99213,Visit,100000.01,,", "is more than $100,000.00"),
    ("99213,Visit,10.00,0,", "units must be a whole number from 1 to 999"),
    ("99213,Visit,10.00,1.5,", "units must be a whole number from 1 to 999"),
    ("99213,Visit,10.00,1,E11", "E11 is a category, not a billable ICD-10-CM code"),
    ("99213,Visit,10.00,1,Q99.99", "Q99.99 is not an ICD-10-CM code"),
]


@pytest.mark.parametrize(("bad", "reason"), BAD_LINES)
def test_a_bad_line_is_named_with_its_line_and_nothing_is_written(
    biller: AppContext, bad: str, reason: str
) -> None:
    fees = FeeScheduleService(biller)
    schedule_id = _new_schedule(biller)
    before, events = data_snapshot(biller), audit_events(biller)

    report = fees.import_csv(schedule_id, _file("99212,Good line,90.00,,", bad))

    assert not report.ok and not report.written
    assert [(p.line, reason in p.reason) for p in report.problems] == [(3, True)]
    assert (report.added, report.updated, report.unchanged) == (0, 0, 0)
    assert data_snapshot(biller) == before  # the good line was not written either
    assert audit_events(biller) == events


def test_every_bad_line_is_listed_and_a_repeated_code_names_its_first_line(
    biller: AppContext,
) -> None:
    report = FeeScheduleService(biller).import_csv(
        _new_schedule(biller),
        _file(
            "99213,Visit,135.00,,",
            "99214,,abc,,",
            "99213,Same code again,140.00,,",
        ),
    )
    assert [(p.line, p.code, p.reason) for p in report.problems] == [
        (3, "99214", "the description is missing"),
        (3, "99214", "the price 'abc' is not dollars and cents like 125.00"),
        (4, "99213", "99213 is already on line 2"),
    ]
    assert report.lines_read == 3


@pytest.mark.parametrize(
    ("data", "line", "reason"),
    [
        (b"", 0, "The file is empty"),
        (b"code,price\n99213,10.00\n", 1, "missing: description"),
        (b"code,description,price\n", 1, "The file has no fee lines."),
        (b"code,description,price,fee\n", 1, "Two columns of the header mean"),
        (b"\x00\x81\x8d\x8f\x90\x9d" * 3, 0, "not a text (CSV) file"),
    ],
)
def test_a_file_that_is_not_a_fee_file_is_refused_whole(
    biller: AppContext, data: bytes, line: int, reason: str
) -> None:
    report = FeeScheduleService(biller).import_csv(_new_schedule(biller), data)
    assert len(report.problems) == 1
    assert report.problems[0].line == line and reason in report.problems[0].reason


def test_a_windows_1252_file_from_excel_reads(biller: AppContext) -> None:
    fees = FeeScheduleService(biller)
    schedule_id = _new_schedule(biller)
    data = "code,description,price\n99213,Visite établie,135.00\n"
    report = fees.import_csv(schedule_id, data.encode("cp1252"))
    assert report.ok
    assert fees.items(schedule_id)[0].description == "Visite établie"


def test_prices_are_read_exactly_without_floating_point() -> None:
    assert price_cents("0.29") == 29  # float("0.29") * 100 == 28.999999999999996
    assert price_cents("$1,005.10") == 100510
    assert price_cents(" 12.5 ") == 1250
    assert format_cents(100510) == "$1,005.10"
    assert format_cents(-500) == "−$5.00"


def test_one_default_schedule_at_a_time(biller: AppContext) -> None:
    fees = FeeScheduleService(biller)
    self_pay = fees.list_schedules()[0]
    sliding = fees.add_schedule(FeeScheduleInput("Sliding scale", is_default=True))

    schedules = {s.name: s for s in fees.list_schedules()}
    assert schedules["Sliding scale"].is_default and not schedules["Self-pay"].is_default
    assert fees.list_schedules()[0].id == sliding.id  # the default is listed first
    with pytest.raises(ConcurrentChange):
        fees.update_schedule(
            self_pay.id, FeeScheduleInput("Self-pay", is_default=True), self_pay.version
        )


def test_schedule_rules_are_explained(biller: AppContext) -> None:
    fees = FeeScheduleService(biller)
    payer = PayerService(biller).add_payer(PayerInput("Prairie Mutual", "PRMU1"))
    with pytest.raises(DomainError, match="already a fee schedule named Self-pay"):
        fees.add_schedule(FeeScheduleInput("self-pay"))
    with pytest.raises(DomainError, match="cannot belong to a payer"):
        fees.add_schedule(FeeScheduleInput("Prairie", payer_id=payer.id, is_default=True))
    with pytest.raises(DomainError, match="must be in use"):
        fees.add_schedule(FeeScheduleInput("Old", is_default=True, active=False))
    with pytest.raises(DomainError, match="Name the fee schedule"):
        fees.add_schedule(FeeScheduleInput("  "))
    schedule = fees.add_schedule(FeeScheduleInput("Prairie Mutual", payer_id=payer.id))
    assert (schedule.payer_name, schedule.item_count) == ("Prairie Mutual", 0)


def test_saving_an_item_and_setting_its_price(login: Login) -> None:
    doctor = login("drpatel")  # a physician may keep the fee schedule too (POST_CHARGES)
    changes: list[object] = []
    doctor.bus.subscribe(FeeSchedulesChanged, changes.append)
    fees = FeeScheduleService(doctor)
    schedule_id = fees.list_schedules()[0].id

    shot = fees.save_item(schedule_id, FeeItemInput("j1100", "", 300))
    assert (shot.code, shot.code_system, shot.description) == (
        "J1100",
        CodeSystem.HCPCS,
        "Dexamethasone sodium phosphate injection, per 1 mg",  # from our HCPCS list
    )
    repriced = fees.set_price(shot.id, 350, shot.version)
    assert (repriced.price_cents, repriced.version) == (350, shot.version + 1)
    assert changes == [FeeSchedulesChanged((schedule_id,))] * 2
    with pytest.raises(ConcurrentChange):
        fees.set_price(shot.id, 400, shot.version)
    with pytest.raises(DomainError, match=r"more than \$0\.00"):
        fees.set_price(shot.id, 0, repriced.version)
    with pytest.raises(DomainError, match="not a procedure code"):
        fees.save_item(schedule_id, FeeItemInput("ABCDE", "Nonsense", 100))
    with pytest.raises(DomainError, match="Describe 99499"):
        fees.save_item(schedule_id, FeeItemInput("99499", " ", 100))
    with pytest.raises(DomainError, match="E11 is a category"):
        fees.save_item(schedule_id, FeeItemInput("99213", "Visit", 100, default_icd10="E11"))
    updated = fees.save_item(schedule_id, FeeItemInput("99213", "Return visit", 14000, 1, "i10"))
    assert (updated.price_cents, updated.default_icd10) == (14000, "I10")


def test_hcpcs_level_ii_codes_are_found_by_code_or_words(biller: AppContext) -> None:
    fees = FeeScheduleService(biller)
    assert [c.code for c in fees.hcpcs_codes("j103")] == ["J1030"]
    assert [c.code for c in fees.hcpcs_codes("wellness visit")] == ["G0438", "G0439"]
    assert len(fees.hcpcs_codes()) == 46
