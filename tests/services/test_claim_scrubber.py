"""The claim scrubber: a clean claim passes; each thing a payer would reject is named for
the biller with the field to fix; the practice's own rules (as data) apply, per payer
when they say so; a rule that cannot work is refused before it is saved."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from app.interop.claim_document import Claim, Person
from app.services.chart_lists_data import default_icd10_catalog
from app.services.claim_scrubber import (
    PracticeRule,
    RuleKind,
    ScrubContext,
    ScrubProblem,
    Severity,
    check_rule,
    has_errors,
    scrub,
)
from app.terminology.icd10cm import Icd10Code
from tests.services.claim_factory import (
    BILLING_NPI,
    SCRUB_TODAY,
    SERVICE_DAY,
    make_billing_provider,
    make_claim,
    make_line,
    make_patient,
    make_rendering_provider,
    make_secondary_claim,
    make_subscriber,
)

CONTEXT = ScrubContext(today=SCRUB_TODAY)


def _only(claim: Claim, context: ScrubContext = CONTEXT) -> ScrubProblem:
    problems = scrub(claim, context)
    assert len(problems) == 1, problems
    return problems[0]


def _rule(**values: object) -> PracticeRule:
    defaults: dict[str, object] = {
        "name": "Rule",
        "field": "lines.procedure_code",
        "kind": RuleKind.REQUIRED,
    }
    return PracticeRule(**(defaults | values))  # type: ignore[arg-type]


def test_clean_claims_pass() -> None:
    assert scrub(make_claim(), CONTEXT) == []
    assert scrub(make_claim(patient=make_patient()), CONTEXT) == []
    assert scrub(make_secondary_claim(), CONTEXT) == []
    # The dot is allowed too: the code is looked up either way.
    assert scrub(make_claim(diagnosis_codes=("E11.9", "i10")), CONTEXT) == []


def test_a_mistyped_npi_is_caught_by_its_check_digit() -> None:
    typo = BILLING_NPI[:9] + str((int(BILLING_NPI[9]) + 1) % 10)
    problem = _only(make_claim(billing_provider=make_billing_provider(npi=typo)))
    assert problem.field == "billing_provider.npi"
    assert problem.message.startswith(f"The billing provider's NPI {typo} is not a valid NPI")
    assert problem.blocks_submission


def test_a_rendering_npi_must_be_ten_digits() -> None:
    claim = make_claim(rendering_provider=make_rendering_provider(npi="12345"))
    problem = _only(claim)
    assert problem.field == "rendering_provider.npi"
    assert problem.message == "The NPI of Grace Okafor must be 10 digits; it is “12345”."


@pytest.mark.parametrize(
    ("claim", "field", "message"),
    [
        (
            make_claim(billing_provider=make_billing_provider(tax_id="37-1234567")),
            "billing_provider.tax_id",
            "The practice's tax ID (EIN) must be 9 digits without a dash; it is “37-1234567”.",
        ),
        (
            make_claim(
                billing_provider=make_billing_provider(
                    address=replace(make_billing_provider().address, postal_code="62701")
                )
            ),
            "billing_provider.address.postal_code",
            "The billing address needs the 9-digit ZIP code (ZIP+4) on a claim; it is “62701”.",
        ),
        (
            make_claim(payer=replace(make_claim().payer, payer_id=" ")),
            "payer.payer_id",
            "The payer Acme Health Plan has no payer ID; add it to the payer's details.",
        ),
        (
            make_claim(subscriber=make_subscriber(member_id="")),
            "subscriber.member_id",
            "The subscriber's member ID is missing; it is on the insurance card.",
        ),
        (
            make_claim(subscriber=make_subscriber(person=Person("Lindqvist", ""))),
            "subscriber.person.first_name",
            "The subscriber's first name is missing.",
        ),
        (
            make_claim(subscriber=make_subscriber(sex="X")),
            "subscriber.sex",
            "The subscriber's sex on a claim must be F, M or U (unknown); it is “X”.",
        ),
        (
            make_claim(patient=make_patient(person=Person("", "Noah"))),
            "patient.person.last_name",
            "The patient's last name is missing.",
        ),
        (
            make_claim(patient=make_patient(relationship_code="99")),
            "patient.relationship_code",
            "The patient's relationship to the subscriber (99) is not one a claim can carry: "
            "spouse, child, employee, other or unknown.",
        ),
        (
            make_claim(place_of_service="98"),
            "place_of_service",
            "The claim's place of service “98” is not a place-of-service code a practice bills "
            "from (11 is the office; 02 and 10 are telehealth).",
        ),
        (
            make_claim(frequency_code="7"),
            "payer_claim_number",
            "A corrected claim must give the payer's claim number of the claim it replaces "
            "(from the remittance or the payer's portal).",
        ),
        (
            make_claim(frequency_code="8"),
            "payer_claim_number",
            "A void claim must give the payer's claim number of the claim it replaces "
            "(from the remittance or the payer's portal).",
        ),
        (
            make_secondary_claim(other_payer=None),
            "other_payer",
            "This is a secondary claim, but it has no primary payer's payment; post the "
            "primary payer's remittance first.",
        ),
        (
            make_claim(control_number="ENC-" + "9" * 20),
            "control_number",
            f"The claim number ENC-{'9' * 20} is longer than 20 characters; payers would cut it "
            "and could not match their payment to it.",
        ),
    ],
)
def test_each_claim_field_check_names_the_field(claim: Claim, field: str, message: str) -> None:
    problem = _only(claim)
    assert (problem.field, problem.message, problem.severity) == (field, message, Severity.ERROR)


def test_a_corrected_claim_with_the_payer_claim_number_passes() -> None:
    assert scrub(make_claim(frequency_code="7", payer_claim_number="2025031400123"), CONTEXT) == []


@pytest.mark.parametrize(
    ("codes", "field", "message"),
    [
        (
            ("E11", "I10"),
            "diagnosis_codes[1]",
            "Diagnosis 1 E11 (Type 2 diabetes mellitus) is a category, not a billable code; "
            "choose a more specific code under it.",
        ),
        (("E119", "Q9999"), "diagnosis_codes[2]", "Diagnosis 2 “Q9999” is not an ICD-10-CM code."),
        (
            ("E119", "I10", "E11.9"),
            "diagnosis_codes[3]",
            "Diagnosis 3 (E11.9) repeats diagnosis 1; list each diagnosis once.",
        ),
        ((), "diagnosis_codes", "The claim has no diagnosis; add at least one."),
    ],
)
def test_diagnosis_codes_must_exist_be_billable_and_appear_once(
    codes: tuple[str, ...], field: str, message: str
) -> None:
    lines = (make_line(diagnosis_pointers=(1,)),)
    problems = scrub(make_claim(diagnosis_codes=codes, lines=lines), CONTEXT)
    assert (field, message) in [(p.field, p.message) for p in problems]


def test_at_most_twelve_diagnoses() -> None:
    thirteen = [
        "E119",
        "I10",
        "J069",
        "R051",
        "Z0000",
        "E6601",
        "E785",
        "M5450",
        "K219",
        "F419",
        "G43909",
        "N390",
        "L309",
    ]
    problem = _only(make_claim(diagnosis_codes=thirteen))
    assert problem.message.startswith("The claim has 13 diagnoses; a claim holds at most 12.")


@pytest.mark.parametrize(
    ("line", "field", "message"),
    [
        (
            make_line(diagnosis_pointers=(1, 3)),
            "lines[2].diagnosis_pointers",
            "Line 2 points to diagnosis 3, but the claim has only 2.",
        ),
        (
            make_line(diagnosis_pointers=(0,)),
            "lines[2].diagnosis_pointers",
            "Line 2 points to diagnosis 0; diagnoses are numbered from 1.",
        ),
        (
            make_line(diagnosis_pointers=()),
            "lines[2].diagnosis_pointers",
            "Line 2 points to no diagnosis; choose one.",
        ),
        (
            make_line(diagnosis_pointers=(1, 2, 1, 2, 1)),
            "lines[2].diagnosis_pointers",
            "Line 2 points to 5 diagnoses; a line points to at most 4.",
        ),
        (
            make_line(modifiers=("25", "Q")),
            "lines[2].modifiers",
            "Line 2: Q is not a modifier: modifiers are two letters or digits.",
        ),
        (
            make_line(modifiers=("25", "59", "95", "GT", "QW")),
            "lines[2].modifiers",
            "Line 2: a charge takes at most 4 modifiers.",
        ),
        (
            make_line(units=1000),
            "lines[2].units",
            "Line 2: units must be a whole number from 1 to 999; it is 1000.",
        ),
        (
            make_line(charge_cents=0),
            "lines[2].charge_cents",
            "Line 2: the charge must be more than $0.00.",
        ),
        (
            make_line(procedure_code="9921"),
            "lines[2].procedure_code",
            "Line 2: “9921” is not a CPT or HCPCS code.",
        ),
        (
            make_line(place_of_service="1"),
            "lines[2].place_of_service",
            "Line 2: place of service “1” is not a place-of-service code a practice bills from "
            "(11 is the office; 02 and 10 are telehealth).",
        ),
        (
            make_line(service_on=SCRUB_TODAY + timedelta(days=1)),
            "lines[2].service_on",
            "Line 2: the date of service 03/21/2025 is in the future.",
        ),
    ],
)
def test_each_line_check_names_the_line(line: object, field: str, message: str) -> None:
    claim = make_claim(lines=(make_line(), line))
    problem = _only(claim)
    assert (problem.field, problem.message, problem.severity) == (field, message, Severity.ERROR)


def test_a_claim_needs_a_service_line() -> None:
    assert _only(make_claim(lines=())).message == "The claim has no service lines."


def test_timely_filing_warns_in_the_last_30_days_and_stops_after_the_limit() -> None:
    lines = (make_line(service_on=date(2025, 1, 9)), make_line(service_on=date(2025, 1, 2)))
    claim = make_claim(lines=lines)
    deadline = date(2025, 1, 2) + timedelta(days=90)  # April 2

    def at(today: date) -> list[ScrubProblem]:
        return scrub(claim, ScrubContext(today=today, timely_filing_days=90))

    assert at(deadline - timedelta(days=31)) == []
    warning = at(deadline - timedelta(days=30))
    assert [(p.field, p.severity) for p in warning] == [("lines[2].service_on", Severity.WARNING)]
    assert warning[0].message == (
        "Send this claim soon: the payer's 90-day filing limit for line 2 (seen 01/02/2025) "
        "ends 04/02/2025, in 30 days."
    )
    assert not has_errors(warning)
    assert at(deadline)[0].severity is Severity.WARNING  # the last day still counts
    late = at(deadline + timedelta(days=1))
    assert [(p.field, p.severity) for p in late] == [("lines[2].service_on", Severity.ERROR)]
    assert late[0].message.startswith(
        "Line 2 (seen 01/02/2025) is past the payer's 90-day filing limit, which ended 04/02/2025."
    )
    assert has_errors(late)


def test_the_default_filing_limit_is_a_year() -> None:
    assert ScrubContext(today=SCRUB_TODAY).timely_filing_days == 365
    late = SERVICE_DAY + timedelta(days=366)
    assert [p.rule for p in scrub(make_claim(), ScrubContext(today=late))] == ["timely_filing"]


def test_the_code_set_can_be_a_catalog_or_a_lookup() -> None:
    catalog = ScrubContext(today=SCRUB_TODAY, icd10=default_icd10_catalog())
    assert scrub(make_claim(), catalog) == []
    known = {"E119": Icd10Code("E11.9", "Type 2 diabetes", True)}
    lookup = ScrubContext(today=SCRUB_TODAY, icd10=lambda code: known.get(code.replace(".", "")))
    problem = _only(make_claim(), lookup)
    assert problem.message == "Diagnosis 2 “I10” is not an ICD-10-CM code."


# -- the practice's own rules ------------------------------------------------------------


def test_required_rule_checks_every_line() -> None:
    rule = _rule(name="Charge ids", field="lines.line_control_number")
    claim = make_claim(lines=(make_line(), make_line(line_control_number=None)))
    problem = _only(claim, replace(CONTEXT, rules=[rule]))
    assert (problem.field, problem.message, problem.rule) == (
        "lines[2].line_control_number",
        "Line 2: line control number is missing.",
        "Charge ids",
    )


def test_required_rule_on_an_absent_optional_part_has_nothing_to_check() -> None:
    rule = _rule(field="patient.address")
    assert scrub(make_claim(patient=None), replace(CONTEXT, rules=[rule])) == []
    assert _only(make_claim(patient=make_patient(address=None)), replace(CONTEXT, rules=[rule]))


def test_pattern_rule_with_the_practice_message() -> None:
    rule = _rule(
        name="Acme member ids",
        field="subscriber.member_id",
        kind=RuleKind.PATTERN,
        argument=r"[A-Z]{3}\d{9}",
        message="Acme member IDs are three letters and nine digits.",
    )
    context = replace(CONTEXT, rules=[rule])
    assert scrub(make_claim(), context) == []
    problem = _only(make_claim(subscriber=make_subscriber(member_id="XJH12345")), context)
    assert (problem.field, problem.message) == (
        "subscriber.member_id",
        "Acme member IDs are three letters and nine digits.",
    )


def test_one_of_and_not_one_of_rules_check_lists_item_by_item() -> None:
    only_office = _rule(name="Office only", field="place_of_service", kind="one_of", argument="11")
    no_95 = _rule(
        name="No 95",
        field="lines.modifiers",
        kind=RuleKind.NOT_ONE_OF,
        argument="95, gt",
        severity=Severity.WARNING,
    )
    context = replace(CONTEXT, rules=[only_office, no_95])
    claim = make_claim(place_of_service="02", lines=(make_line(modifiers=("25", "95")),))
    problems = scrub(claim, context)
    assert [(p.field, p.message, p.severity) for p in problems] == [
        ("place_of_service", "Place of service “02” is not one of: 11.", Severity.ERROR),
        ("lines[1].modifiers[2]", "Line 1: modifier 2 “95” is not allowed.", Severity.WARNING),
    ]
    assert scrub(make_claim(), context) == []


def test_max_days_after_service_rule() -> None:
    rule = _rule(
        name="Bill within a week",
        field="lines.service_on",
        kind=RuleKind.MAX_DAYS_AFTER_SERVICE,
        argument="7",
    )
    context = replace(CONTEXT, rules=[rule])
    recent = make_line(service_on=SCRUB_TODAY - timedelta(days=7))
    old = make_line(service_on=SCRUB_TODAY - timedelta(days=8))
    problem = _only(make_claim(lines=(recent, old)), context)
    assert (problem.field, problem.message) == (
        "lines[2].service_on",
        "Line 2: date of service 03/12/2025 was 8 days ago; this practice bills within 7 days.",
    )


def test_a_payer_rule_applies_only_to_that_payer() -> None:
    rule = _rule(
        name="Acme wants the group number",
        field="subscriber.group_number",
        payer_id="acme1",
        message="Acme needs the group number from the card.",
    )
    context = replace(CONTEXT, rules=[rule])
    no_group = make_subscriber(group_number=None)
    assert _only(make_claim(subscriber=no_group), context).message == (
        "Acme needs the group number from the card."
    )
    other_payer = replace(make_claim().payer, payer_id="OTHER9")
    assert scrub(make_claim(subscriber=no_group, payer=other_payer), context) == []


@pytest.mark.parametrize(
    ("rule", "reason"),
    [
        (_rule(field="lines.procedur_code"), "“lines” has no field “procedur_code”; its fields"),
        (_rule(field="patient.sex.code"), "“patient.sex” has no parts"),
        (_rule(field=""), "Choose the field the rule checks"),
        (_rule(name=" "), "Give the rule a name."),
        (_rule(kind="longer_than"), "“longer_than” is not a kind of rule"),
        (
            _rule(kind=RuleKind.PATTERN, argument="[A-Z"),
            "The pattern “[A-Z” is not a valid regular expression: unterminated character set.",
        ),
        (_rule(kind=RuleKind.PATTERN, argument=""), "Write the pattern the value must match."),
        (_rule(kind=RuleKind.ONE_OF, argument=" , "), "List the values, separated by commas"),
        (
            _rule(kind=RuleKind.MAX_DAYS_AFTER_SERVICE, argument="a week"),
            "Write the number of days as a whole number, for example 90.",
        ),
        (
            _rule(kind=RuleKind.MAX_DAYS_AFTER_SERVICE, argument="30"),
            "“lines.procedure_code” is not a date",
        ),
        (
            _rule(field="subscriber", kind=RuleKind.ONE_OF, argument="A"),
            "“subscriber” is a group of fields; choose one of its fields: person,",
        ),
    ],
)
def test_a_rule_that_cannot_work_is_refused(rule: PracticeRule, reason: str) -> None:
    reasons = check_rule(rule)
    assert any(r.startswith(reason) for r in reasons), reasons


def test_good_rules_are_accepted() -> None:
    for rule in (
        _rule(),
        _rule(field="subscriber.person.last_name", kind=RuleKind.PATTERN, argument=r"[A-Z].*"),
        _rule(field="other_payer.payer.payer_id", kind=RuleKind.NOT_ONE_OF, argument="X"),
        _rule(field="lines.service_on", kind="max_days_after_service", argument="90"),
        _rule(field="patient"),
    ):
        assert check_rule(rule) == [], rule


def test_a_broken_saved_rule_is_shown_and_skipped() -> None:
    broken = _rule(name="Old rule", field="lines.cpt", kind=RuleKind.REQUIRED)
    problem = _only(make_claim(), replace(CONTEXT, rules=[broken]))
    assert problem.severity is Severity.WARNING
    assert problem.message.startswith("The practice rule “Old rule” cannot be used: “lines” has")
