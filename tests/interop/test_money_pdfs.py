"""Receipts and statements as printed (issue #6): every amount in dollars and cents as the
ledger has it, the patient's name on the page but never in the file's metadata."""

from __future__ import annotations

import io
from datetime import date, datetime

from pypdf import PdfReader

from app.interop.money_text import dollars
from app.interop.receipt_pdf import Receipt, ReceiptLine, receipt_pdf
from app.interop.statement_pdf import (
    AGING_BUCKETS,
    PatientStatement,
    StatementLine,
    statement_pdf,
    statements_pdf,
)

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


def test_a_batch_prints_each_statement_from_a_new_page_with_its_own_page_count() -> None:
    def statement(number: str, name: str, visits: int) -> PatientStatement:
        line = StatementLine(
            date(2025, 12, 1), "Office visit, established patient", 9000, 0, 0, 9000
        )
        return PatientStatement(
            *PRACTICE,
            statement_number=number,
            issued_on=date(2026, 1, 5),
            due_on=date(2026, 2, 4),
            account_number=f"ACCT-{number}",
            bill_to_name=name,
            bill_to_address=("1 Main St",),
            patient_name=name,
            lines=[line] * visits,
            aging_cents=(9000 * visits, 0, 0, 0, 0),
            amount_due_cents=9000 * visits,
            message=None,
            printed_at=datetime(2026, 1, 5, 9, 0),
        )

    batch = [statement("S1", "Ann Short", 1), statement("S2", "Bo Long", 60)]
    batch.append(statement("S3", "Cy Short", 2))
    reader = PdfReader(io.BytesIO(statements_pdf(batch)))
    pages = [page.extract_text() for page in reader.pages]

    firsts = [next((s.bill_to_name for s in batch if s.bill_to_name in p), None) for p in pages]
    assert firsts[0] == "Ann Short" and firsts[-1] == "Cy Short" and firsts[1] == "Bo Long"
    long_pages = len(pages) - 2
    assert long_pages >= 2  # 60 visits do not fit on one page
    assert firsts[2:-1] == [None] * (long_pages - 1)  # his statement goes on, nobody else's
    counts = ["Page 1 of 1", *(f"Page {n} of {long_pages}" for n in range(1, long_pages + 1))]
    for text, footer in zip(pages, [*counts, "Page 1 of 1"], strict=True):
        assert footer in text, footer
    assert "Amount due: $5,400.00" in pages[1]
    assert "Short" not in str(reader.metadata) and "Long" not in str(reader.metadata)
