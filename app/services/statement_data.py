"""Plain data the statement use cases return. The printable part is the PDF's own input
(app.interop.statement_pdf.PatientStatement), so the screen hands it straight to
`statement_pdf` or, for a batch, `statements_pdf`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.interop.statement_pdf import PatientStatement

DUE_DAYS = 30  # a statement asks to be paid within this many days of its date
# With no earlier statement, a paid-up charge still shows if it moved this recently.
FIRST_PERIOD_DAYS = 30
MAX_MESSAGE = 500  # Statement.message
PRINT, EMAIL = "print", "email"  # Statement.sent_by


@dataclass(frozen=True)
class StatementData:
    statement_id: str | None  # None: a preview; nothing was recorded
    patient_id: str
    patient_open_cents: int  # the patient's part of the open charges
    credit_cents: int  # the patient's unapplied credit, taken off the amount due
    insurance_pending_cents: int
    sent_by: str  # PRINT or EMAIL
    emailed_to: str | None  # the address the "statement is ready" e-mail was queued for
    printable: PatientStatement

    @property
    def amount_due_cents(self) -> int:
        return self.printable.amount_due_cents


@dataclass(frozen=True)
class StatementSummary:
    """One past statement, as the account's history lists it."""

    id: str
    statement_number: str
    issued_on: date
    amount_due_cents: int
    sent_by: str
    message: str | None
