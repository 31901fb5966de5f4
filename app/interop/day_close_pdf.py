"""The day's closing report, printed for the drawer and the books: what the day's entries
did to the accounts receivable, the money taken in by method, each provider's charges and
payments, whether the day balances and who closed it. Totals only: no patient is named.
Pure reportlab; amounts are integer cents."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.platypus import KeepTogether, Paragraph, Spacer

from app.interop.pdf_common import paragraph_style
from app.interop.report_layout import (
    CELL,
    NOTE,
    SECTION,
    AmountRow,
    amount_table,
    heading,
    long_day,
    report_pdf,
)

_GOOD, _BAD = HexColor("#1d6b3a"), HexColor("#a8261d")
_BALANCED = paragraph_style("day-balanced", 11, _GOOD, True, leading=15)
_UNBALANCED = paragraph_style("day-unbalanced", 11, _BAD, True, leading=15)
_PROBLEM = paragraph_style("day-problem", 10, _BAD, leading=13)


@dataclass(frozen=True)
class ProviderLine:
    name: str
    charges_cents: int
    payments_cents: int


@dataclass(frozen=True)
class DayCloseSheet:
    practice_name: str
    day: date
    lines: Sequence[tuple[str, int]]  # ("Charges", 37000), ("Receipts", -8500), ...
    net_cents: int  # the day's change of the accounts receivable
    receipts_by_method: Sequence[tuple[str, int]]  # ("Cash", 4000), ...
    providers: Sequence[ProviderLine]
    problems: Sequence[str]  # why the day does not balance; empty when it does
    closed: str | None  # "Closed by Luis Romero on Jan 5, 2026 at 5:42 PM"
    printed_at: datetime  # wall time


def day_close_pdf(sheet: DayCloseSheet) -> bytes:
    status = sheet.closed or "Not closed yet"
    story: list[Any] = [
        *heading(sheet.practice_name, "Daily close", f"{long_day(sheet.day)}  ·  {status}"),
        *_balance(sheet.problems),
        Spacer(1, 10),
        Paragraph("The day's entries", SECTION),
        Paragraph("What the day's postings did to the accounts receivable.", NOTE),
        Spacer(1, 4),
        amount_table(
            ("Line", "Amount"),
            [AmountRow(label, (cents,)) for label, cents in sheet.lines]
            + [AmountRow("Net change in A/R", (sheet.net_cents,), total=True)],
            label_share=0.7,
        ),
        Spacer(1, 16),
        _section(
            "Receipts by method",
            ("Method", "Received"),
            [AmountRow(label, (cents,)) for label, cents in sheet.receipts_by_method]
            + [
                AmountRow(
                    "Total received",
                    (sum(cents for _, cents in sheet.receipts_by_method),),
                    total=True,
                )
            ],
            0.7,
        ),
        Spacer(1, 16),
    ]
    if sheet.providers:
        story.append(
            _section(
                "By provider",
                ("Provider", "Charges", "Payments"),
                [AmountRow(p.name, (p.charges_cents, p.payments_cents)) for p in sheet.providers],
                0.5,
            )
        )
    else:
        story += [Paragraph("By provider", SECTION), Paragraph("No charges or payments.", CELL)]
    return report_pdf(
        story,
        title=f"Daily close {sheet.day.isoformat()}",
        practice_name=sheet.practice_name,
        printed_at=sheet.printed_at,
    )


def _balance(problems: Sequence[str]) -> list[Paragraph]:
    if not problems:
        return [Paragraph("Balanced: the money taken in matches the ledger.", _BALANCED)]
    return [
        Paragraph("Does not balance", _UNBALANCED),
        *(Paragraph(f"•  {escape(problem)}", _PROBLEM) for problem in problems),
    ]


def _section(
    title: str, headers: Sequence[str], rows: Sequence[AmountRow], label_share: float
) -> KeepTogether:
    return KeepTogether(
        [Paragraph(title, SECTION), Spacer(1, 4), amount_table(headers, rows, label_share)]
    )
