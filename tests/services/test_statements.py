"""Patient statements (issue #6): which lines show, aging of the patient's part, credit off
the amount due, who the bill goes to, the batch threshold, numbering, the e-mail through the
reminder queue (only with an address and consent, and never with services), and audit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest

from app.models import OutboundMessage, PaymentMethod, Responsibility, SexAtBirth
from app.services.clock import FakeClock
from app.services.context import AppContext
from app.services.errors import DomainError
from app.services.insurance import PayerService
from app.services.ledger import LedgerService
from app.services.ledger_data import PaymentInput
from app.services.patient_data import PatientInput
from app.services.patients import PatientService
from app.services.payments import PaymentService
from app.services.reminder_sending import reason_not_to_send
from app.services.statements import StatementService
from tests.services.helpers import audit_events, query
from tests.services.permission_cases_ledger import TODAY, money_rows, new_patient, post_new_charge

PATIENT = Responsibility.PATIENT
Login = Callable[[str], AppContext]


@pytest.fixture
def desk(login: Login) -> AppContext:
    return login("frontdesk")


@pytest.fixture
def biller(login: Login) -> AppContext:
    return login("billing")


def _owes(desk: AppContext, biller: AppContext, cents: int, last_name: str, **kw: object) -> str:
    """An uninsured patient with one charge of `cents`, all theirs."""
    patient = _register(desk, last_name, **kw) if kw else new_patient(desk, last_name)
    post_new_charge(biller, patient, cents)
    return patient


def _register(desk: AppContext, last_name: str, first_name: str = "Ana", **kw: object) -> str:
    data = PatientInput(first_name, last_name, date(1980, 2, 2), SexAtBirth.FEMALE, **kw)  # type: ignore[arg-type]
    return PatientService(desk).register(data, confirm_not_duplicate=True).id


def _visits_of_an_insured_patient(desk: AppContext, biller: AppContext) -> str:
    """Three visits: 10 days ago (insurance pending, copay owed), 45 days ago (insurance
    paid and adjusted, the rest the patient's), 157 days ago (paid in full today); $15 of
    cash kept as credit."""
    patient = new_patient(desk, insured=True)
    ledger, payments = LedgerService(biller), PaymentService(biller)
    recent = post_new_charge(biller, patient, 10_000, service_on=TODAY - timedelta(days=10))
    ledger.transfer(recent, 2_000, PATIENT, "Copay")
    older = post_new_charge(biller, patient, 8_000, service_on=TODAY - timedelta(days=45))
    payer = next(p for p in PayerService(desk).list_payers() if p.payer_code == "LEDG1")
    paid = PaymentInput(PaymentMethod.INSURANCE, 5_000, applied=[(older, 5_000)], payer_id=payer.id)
    payments.take_payment(patient, paid)
    ledger.adjust(older, -1_000, "Contractual adjustment", "45")
    ledger.transfer(older, 2_000, PATIENT, "Deductible")
    oldest = post_new_charge(biller, patient, 5_000, service_on=TODAY - timedelta(days=157))
    ledger.transfer(oldest, 5_000, PATIENT)
    payments.take_payment(
        patient, PaymentInput(PaymentMethod.CASH, 5_000, applied=[(oldest, 5_000)])
    )
    payments.take_payment(patient, PaymentInput(PaymentMethod.CASH, 1_500, applied=[]))
    return patient


def test_a_statement_shows_each_visit_the_aging_and_the_amount_due_less_credit(
    desk: AppContext, biller: AppContext
) -> None:
    patient = _visits_of_an_insured_patient(desk, biller)

    statement = StatementService(biller).preview(patient, "  Thank you!  ")

    doc = statement.printable
    assert [(ln.charged_cents, ln.paid_cents, ln.insurance_pending_cents, ln.you_owe_cents)
            for ln in doc.lines] == [
        (5_000, 5_000, 0, 0),  # paid in full today: it moved since there was no statement
        (8_000, 6_000, 0, 2_000),
        (10_000, 0, 8_000, 2_000),
    ]  # fmt: skip
    assert [ln.service_on for ln in doc.lines] == sorted(ln.service_on for ln in doc.lines)
    assert (statement.patient_open_cents, statement.credit_cents) == (4_000, 1_500)
    assert statement.insurance_pending_cents == 8_000
    assert doc.amount_due_cents == 2_500
    # The $15 credit pays the oldest balance first: the aging adds up to the amount due.
    assert tuple(doc.aging_cents) == (2_000, 500, 0, 0, 0)
    assert (doc.issued_on, doc.due_on) == (TODAY, TODAY + timedelta(days=30))
    assert doc.message == "Thank you!"
    assert statement.statement_id is None
    assert query(biller, "SELECT * FROM statement") == []


def test_a_paid_up_visit_leaves_the_statement_once_a_statement_has_shown_it(
    desk: AppContext, biller: AppContext, clock: FakeClock
) -> None:
    patient = _visits_of_an_insured_patient(desk, biller)
    statements = StatementService(biller)
    statements.issue(patient)

    clock.advance(timedelta(days=40))
    later = statements.preview(patient).printable

    assert [(ln.charged_cents, ln.you_owe_cents) for ln in later.lines] == [
        (8_000, 2_000),
        (10_000, 2_000),
    ]
    # 50 and 85 days after their visits, less the credit on the oldest.
    assert tuple(later.aging_cents) == (0, 2_000, 500, 0, 0)


def test_the_bill_goes_to_the_guarantor(desk: AppContext, biller: AppContext) -> None:
    address = {"address_line1": "44 Elm St", "city": "Springfield", "state": "IL"}
    parent = _register(desk, "Lopez", "Maria", postal_code="62704", **address)
    child = _owes(desk, biller, 7_000, "Lopez", first_name="Sofia", guarantor_patient_id=parent)
    named = _owes(
        desk,
        biller,
        3_000,
        "Nguyen",
        first_name="Bao",
        address_line1="9 Oak Ave",
        guarantor_name="Linh Nguyen",
        guarantor_relationship="Mother",
        guarantor_phone="+12175550199",
    )
    adult = _owes(desk, biller, 2_000, "Smith", first_name="Joe", address_line1="1 Pine Rd")
    statements = StatementService(biller)

    to_parent = statements.preview(child).printable
    to_named = statements.preview(named).printable
    to_self = statements.preview(adult).printable

    assert (to_parent.bill_to_name, tuple(to_parent.bill_to_address)) == (
        "Maria Lopez",
        ("44 Elm St", "Springfield, IL 62704"),
    )
    assert to_parent.patient_name == "Sofia Lopez"
    assert (to_named.bill_to_name, tuple(to_named.bill_to_address)) == (
        "Linh Nguyen",
        ("9 Oak Ave",),
    )
    assert (to_self.bill_to_name, tuple(to_self.bill_to_address)) == ("Joe Smith", ("1 Pine Rd",))


def test_a_batch_bills_exactly_the_accounts_owing_the_minimum_with_numbers_in_order(
    desk: AppContext, biller: AppContext
) -> None:
    below = _owes(desk, biller, 999, "Below")
    exactly = _owes(desk, biller, 1_000, "Exactly")
    above = _owes(desk, biller, 25_000, "Above")
    insurance_owes = new_patient(desk, "Insured", insured=True)
    post_new_charge(biller, insurance_owes, 50_000)
    credit_brings_under = _owes(desk, biller, 5_000, "Credited")
    PaymentService(biller).take_payment(
        credit_brings_under, PaymentInput(PaymentMethod.CASH, 4_500, applied=[])
    )

    batch = StatementService(biller).issue_batch(1_000, "Please call us about a payment plan.")

    assert {s.patient_id for s in batch} == {exactly, above}
    assert [s.patient_id for s in batch] == [above, exactly]  # by name, as they are filed
    numbers = [s.printable.statement_number for s in batch]
    prefix = numbers[0][:-6]
    assert prefix.startswith("S-")  # never mistaken for an MRN or a receipt
    assert numbers == [f"{prefix}{n:06d}" for n in (1, 2)]
    rows = query(
        biller,
        "SELECT patient_id, statement_number, issued_on, balance_cents, sent_by, message "
        "FROM statement ORDER BY statement_number",
    )
    assert [(r["patient_id"], r["balance_cents"], r["sent_by"]) for r in rows] == [
        (above, 25_000, "print"),
        (exactly, 1_000, "print"),
    ]
    assert {r["message"] for r in rows} == {"Please call us about a payment plan."}
    assert below not in {r["patient_id"] for r in rows}


def test_statements_are_listed_newest_first_and_audited(
    desk: AppContext, biller: AppContext
) -> None:
    patient = _owes(desk, biller, 4_000, "Audit")
    statements = StatementService(biller)
    first = statements.issue(patient)
    PaymentService(biller).take_payment(patient, PaymentInput(PaymentMethod.CASH, 1_000))
    second = statements.issue(patient)

    history = statements.for_patient(patient)

    assert [(h.id, h.amount_due_cents, h.issued_on) for h in history] == [
        (second.statement_id, 3_000, TODAY),
        (first.statement_id, 4_000, TODAY),
    ]
    created = [
        (e["action"], e["category"], e["patient_id"], e["entity_id"])
        for e in audit_events(biller)
        if e["entity_id"] in (first.statement_id, second.statement_id)
    ]
    assert created == [
        ("create", "billing", patient, first.statement_id),
        ("create", "billing", patient, second.statement_id),
    ]
    reads = [e for e in audit_events(biller) if e["detail"] == "statements"]
    assert [(e["action"], e["patient_id"]) for e in reads] == [("read", patient)]


def test_nothing_owed_or_a_bad_minimum_is_refused_and_nothing_is_written(
    desk: AppContext, biller: AppContext
) -> None:
    insured = new_patient(desk, "Pending", insured=True)
    post_new_charge(biller, insured, 9_000)  # all of it insurance's
    statements = StatementService(biller)
    before = money_rows(biller)

    with pytest.raises(DomainError, match="owes nothing"):
        statements.issue(insured)
    with pytest.raises(DomainError, match=r"\$0.01 or more"):
        statements.issue_batch(0)
    with pytest.raises(DomainError, match="under 500 characters"):
        statements.issue(insured, "x" * 501)

    assert money_rows(biller) == before
    assert query(biller, "SELECT * FROM statement") == []


def _emails(ctx: AppContext) -> list[dict[str, object]]:
    return query(ctx, "SELECT * FROM outbound_message ORDER BY rowid")


def test_the_statement_email_is_queued_for_the_guarantor_without_services(
    desk: AppContext, biller: AppContext
) -> None:
    parent = _register(desk, "Lopez", "Maria", email="maria@example.com", consent_email=True)
    child = _owes(desk, biller, 7_000, "Lopez", first_name="Sofia", guarantor_patient_id=parent)

    sent = StatementService(biller).issue(child, by_email=True)

    [message] = _emails(biller)
    assert (message["patient_id"], message["recipient"], message["status"]) == (
        parent,
        "maria@example.com",
        "queued",
    )
    assert message["appointment_id"] is None
    body = str(message["body"])
    assert sent.printable.statement_number in body
    assert "$70.00" in body and "February 4, 2026" in body
    for private in ("99213", "Service", "I10", "Sofia"):  # code, description, diagnosis, who
        assert private not in body and private not in str(message["subject"])
    assert (sent.sent_by, sent.emailed_to) == ("email", "maria@example.com")
    [row] = query(biller, "SELECT sent_by, outbound_message_id FROM statement")
    assert row == {"sent_by": "email", "outbound_message_id": message["id"]}
    # The reminder queue will really send it: its own checks before sending pass.
    with biller.unit_of_work() as uow:
        queued = uow.session.get(OutboundMessage, str(message["id"]))
        assert queued is not None
        assert reason_not_to_send(uow.session, queued, biller.clock.now()) is None


def test_no_email_without_an_address_or_consent(desk: AppContext, biller: AppContext) -> None:
    no_consent = _owes(desk, biller, 2_000, "Noconsent", email="nc@example.com")
    no_address = _owes(desk, biller, 2_000, "Noaddress", consent_email=True)
    reachable = _owes(desk, biller, 2_000, "Reachable", email="r@example.com", consent_email=True)
    statements = StatementService(biller)
    before = money_rows(biller)

    with pytest.raises(DomainError, match="has not agreed to e-mail"):
        statements.issue(no_consent, by_email=True)
    with pytest.raises(DomainError, match="no e-mail address on file"):
        statements.issue(no_address, by_email=True)
    assert money_rows(biller) == before and _emails(biller) == []

    batch = statements.issue_batch(1_000, by_email=True)

    assert {(s.patient_id, s.sent_by) for s in batch} == {
        (no_consent, "print"),
        (no_address, "print"),
        (reachable, "email"),
    }
    assert [m["recipient"] for m in _emails(biller)] == ["r@example.com"]
