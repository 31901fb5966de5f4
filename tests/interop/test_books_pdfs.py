"""The practice's printed reports (issue #6): the day's closing report and A/R aging, every
amount as the books have it, and no patient anywhere (they are totals only)."""

from __future__ import annotations

import io
from datetime import date, datetime

from pypdf import PdfReader

from app.interop.aging_pdf import AgingSheet, aging_pdf
from app.interop.day_close_pdf import DayCloseSheet, ProviderLine, day_close_pdf
from app.interop.money_text import share_text

PRACTICE = "Riverside Family Medicine"
PRINTED = datetime(2026, 1, 5, 17, 45)


def _text(pdf: bytes) -> tuple[str, dict[str, str]]:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return text, {k: str(v) for k, v in (reader.metadata or {}).items()}


def _day(problems: tuple[str, ...] = (), closed: str | None = None) -> DayCloseSheet:
    return DayCloseSheet(
        practice_name=PRACTICE,
        day=date(2026, 1, 5),
        lines=[("Charges", 37_000), ("Receipts", -8_500), ("Adjustments", -2_000)],
        net_cents=26_500,
        receipts_by_method=[("Cash", 4_000), ("Card", 3_000), ("Check", 1_500)],
        providers=[
            ProviderLine("Daniel Okafor", 20_000, 0),
            ProviderLine("Priya Patel", 17_000, 4_000),
        ],
        problems=problems,
        closed=closed,
        printed_at=PRINTED,
    )


def test_the_day_report_prints_its_lines_methods_providers_and_who_closed_it() -> None:
    text, meta = _text(
        day_close_pdf(_day(closed="Closed by Luis Romero on Jan 5, 2026 at 5:42 PM"))
    )

    for expected in (
        PRACTICE.upper(), "Daily close", "Monday, January 5, 2026",
        "Closed by Luis Romero on Jan 5, 2026 at 5:42 PM", "Balanced",
        "Charges", "$370.00", "Receipts", "−$85.00", "Adjustments", "−$20.00",
        "Net change in A/R", "$265.00",
        "Cash", "$40.00", "Card", "$30.00", "Check", "$15.00", "Total received", "$85.00",
        "Daniel Okafor", "$200.00", "Priya Patel", "$170.00",
        "Printed Jan 5, 2026 5:45 PM", "Page 1 of 1",
    ):  # fmt: skip
        assert expected in text, expected
    assert meta["/Title"] == "Daily close 2026-01-05"
    assert "Does not balance" not in text


def test_a_day_that_does_not_balance_prints_why_and_that_it_is_open() -> None:
    problem = "Cash payments received add up to $70.00, but the ledger shows $65.00."

    text, _meta = _text(day_close_pdf(_day(problems=(problem,))))

    assert "Does not balance" in text
    assert problem in text.replace("\n", " ")
    assert "Not closed yet" in text
    assert "Balanced" not in text


def test_the_aging_report_prints_each_age_its_share_and_the_net() -> None:
    sheet = AgingSheet(
        practice_name=PRACTICE,
        as_of=date(2026, 1, 5),
        buckets=("0–30", "31–60", "61–90", "91–120", "120+"),
        patient_cents=(300, 1_200, 0, 0, 0),
        insurance_cents=(0, 0, 3_200, 19_200, 25_600),
        patient_credit_cents=1_000,
        insurance_credit_cents=500,
        printed_at=PRINTED,
    )

    text, meta = _text(aging_pdf(sheet))

    for expected in (
        "A/R aging", "As of Monday, January 5, 2026", "0–30", "120+",
        "Patient", "$15.00", "Insurance", "$480.00", "Total", "$495.00",
        "Share of total", "1%", "2%", "6%", "39%", "52%", "100%",
        "Open balances", "Unapplied credit, patients", "−$10.00",
        "Unapplied credit, insurance", "−$5.00", "Net A/R", "$480.00",
    ):  # fmt: skip
        assert expected in text, expected
    assert sheet.net_cents == 49_500 - 1_500
    assert meta["/Title"] == "A/R aging 2026-01-05"


def test_shares_are_whole_percents_and_say_so_when_there_is_nothing() -> None:
    assert share_text(1, 3) == "33%"
    assert share_text(2, 3) == "67%"
    assert share_text(1, 1_000) == "<1%"
    assert share_text(0, 1_000) == "0%"
    assert share_text(0, 0) == "—"
