"""The A/R aging report, printed: open balances by days since the date of service, for the
patients' and the insurers' parts, the share of each age, and the credit that no charge
holds yet. Totals only: no patient is named. Pure reportlab; amounts are integer cents."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from reportlab.platypus import Paragraph, Spacer

from app.interop.money_text import share_text
from app.interop.report_layout import (
    NOTE,
    AmountRow,
    amount_table,
    heading,
    long_day,
    report_pdf,
)


@dataclass(frozen=True)
class AgingSheet:
    practice_name: str
    as_of: date
    buckets: Sequence[str]  # the ages' headings: "0–30", ... "120+"
    patient_cents: Sequence[int]  # one amount per bucket
    insurance_cents: Sequence[int]
    patient_credit_cents: int  # unapplied credit, positive
    insurance_credit_cents: int
    printed_at: datetime  # wall time

    @property
    def bucket_totals(self) -> list[int]:
        return [p + i for p, i in zip(self.patient_cents, self.insurance_cents, strict=True)]

    @property
    def credit_cents(self) -> int:
        return self.patient_credit_cents + self.insurance_credit_cents

    @property
    def net_cents(self) -> int:
        """What the accounts owe in all: the open balances less the credit."""
        return sum(self.bucket_totals) - self.credit_cents


def aging_pdf(sheet: AgingSheet) -> bytes:
    totals = sheet.bucket_totals
    grand = sum(totals)
    rows = [
        AmountRow("Patient", (*sheet.patient_cents, sum(sheet.patient_cents))),
        AmountRow("Insurance", (*sheet.insurance_cents, sum(sheet.insurance_cents))),
        AmountRow("Total", (*totals, grand), total=True),
        AmountRow(
            "Share of total", tuple(share_text(c, grand) for c in (*totals, grand)), note=True
        ),
    ]
    story: list[Any] = [
        *heading(sheet.practice_name, "A/R aging", f"As of {long_day(sheet.as_of)}"),
        Paragraph("Open balances by days since the date of service.", NOTE),
        Spacer(1, 6),
        amount_table(("", *sheet.buckets, "Total"), rows, label_share=0.2),
        Spacer(1, 14),
        amount_table(("Accounts receivable", "Amount"), _net_rows(sheet), label_share=0.7),
    ]
    return report_pdf(
        story,
        title=f"A/R aging {sheet.as_of.isoformat()}",
        practice_name=sheet.practice_name,
        printed_at=sheet.printed_at,
    )


def _net_rows(sheet: AgingSheet) -> Sequence[AmountRow]:
    return (
        AmountRow("Open balances", (sum(sheet.bucket_totals),)),
        AmountRow("Unapplied credit, patients", (-sheet.patient_credit_cents,)),
        AmountRow("Unapplied credit, insurance", (-sheet.insurance_credit_cents,)),
        AmountRow("Net A/R", (sheet.net_cents,), total=True),
    )
