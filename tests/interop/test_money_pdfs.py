"""Receipts and statements as printed (issue #6): every amount in dollars and cents as the
ledger has it, the patient's name on the page but never in the file's metadata."""

from __future__ import annotations

import io
from datetime import date, datetime

from pypdf import PdfReader

from app.interop.money_text import dollars
from app.interop.receipt_pdf import Receipt, ReceiptLine, receipt_pdf
from app.interop.statement_pdf import AGING_BUCKETS, PatientStatement, StatementLine, statement_pdf

PRACTICE = ("Riverside Family Medicine", ("120 Main St", "Springfield, IL 62701"), "(217) 555-0100")


def _text(pdf: bytes) -> tuple[str, dict[str, str]]:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return text, {k: str(v) for k, v in (reader.metadata or {}).items()}


def test_dollars_are_printed_from_cents_exactly() -> None:
    assert dollars(0) == "$0.00"
    assert dollars(5) == "$0.05"
    assert dollars(123456789) == "$1,234,567.89"
    assert dollars(-2000) == "−$20.00"


def test_a_receipt_shows_what_was_paid_for_and_what_is_left() -> None:
    receipt = Receipt(
        *PRACTICE,
        receipt_number="8XV-R000042",
        received_on=date(2026, 1, 5),
        patient_name="Ana Lopez",
        account_number="8XV000001",
        method="Check",
        reference="Check 1042",
        amount_cents=6000,
        applied=(
            ReceiptLine(date(2025, 12, 1), "Office visit", 4000),
            ReceiptLine(date(2025, 12, 15), "Flu shot", 1500),
        ),
        unapplied_cents=500,
        balance_after_cents=-500,
        received_by="Luis Romero",
        printed_at=datetime(2026, 1, 5, 10, 30),
    )
    text, meta = _text(receipt_pdf(receipt))
    for expected in (
        "Payment receipt", "8XV-R000042", "Ana Lopez", "Check (Check 1042)",
        "Amount received: $60.00", "$40.00", "$15.00", "Kept as credit on the account: $5.00",
        "Account credit after this payment: $5.00", "Page 1 of 1",
    ):  # fmt: skip
        assert expected in text, expected
    assert "Lopez" not in " ".join(meta.values())


def test_a_statement_lists_visits_aging_and_the_return_slip() -> None:
    lines = [
        StatementLine(date(2025, 9, 3), "Office visit, established patient", 15000, 11000, 0, 4000),
        StatementLine(
            date(2025, 12, 1), "Office visit, established patient", 15000, 0, 12000, 3000
        ),
    ]
    statement = PatientStatement(
        *PRACTICE,
        statement_number="8XV-S000007",
        issued_on=date(2026, 1, 5),
        due_on=date(2026, 2, 4),
        account_number="8XV000001",
        bill_to_name="Maria Lopez",
        bill_to_address=("44 Elm St", "Springfield, IL 62704"),
        patient_name="Ana Lopez",
        lines=lines,
        aging_cents=(0, 3000, 0, 4000, 0),
        amount_due_cents=7000,
        message="Thank you for choosing Riverside.",
        printed_at=datetime(2026, 1, 5, 9, 0),
    )
    text, meta = _text(statement_pdf(statement))
    for expected in (
        "Statement", "8XV-S000007", "Maria Lopez", "44 Elm St", "Amount due: $70.00",
        "Feb 4, 2026", "$150.00", "$110.00", "$120.00", "$40.00", "$30.00",
        *AGING_BUCKETS, "Please return this part with your payment.",
        "Thank you for choosing Riverside.",
    ):  # fmt: skip
        assert expected in text, expected
    assert "Lopez" not in " ".join(meta.values())
