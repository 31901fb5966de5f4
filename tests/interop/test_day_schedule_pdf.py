"""The printed day schedule: US Letter pages a front desk can read, every visit in time
order, struck visits kept but counted apart, "Page n of m", nothing about patients in the
file's metadata."""

from __future__ import annotations

import io
import re
from datetime import date, datetime, timedelta

from pypdf import PdfReader

from app.interop.day_schedule_pdf import DaySchedule, ScheduleLine, day_schedule_pdf

DAY = date(2026, 1, 5)
PRINTED = datetime(2026, 1, 5, 7, 45)


def line(hour: int, minute: int, name: str, **changes: object) -> ScheduleLine:
    values: dict[str, object] = {
        "start": datetime(2026, 1, 5, hour, minute),
        "minutes": 20,
        "patient_name": name,
        "date_of_birth": date(1984, 2, 11),
        "mrn": "R000123",
        "visit_type": "Follow-up",
        "status": "Confirmed",
        "reason": "Blood pressure check",
        "room": "Exam 2",
    }
    values.update(changes)
    return ScheduleLine(**values)  # type: ignore[arg-type]


def schedule(*lines: ScheduleLine) -> DaySchedule:
    return DaySchedule("Riverside Family Medicine", "Priya Patel, MD", DAY, lines, PRINTED)


def read(pdf: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, [page.extract_text() for page in reader.pages]


def test_a_short_day_is_one_letter_page_with_every_visit_in_time_order() -> None:
    pdf = day_schedule_pdf(
        schedule(
            line(14, 0, "Walsh, Finn", date_of_birth=date(1958, 1, 17), mrn="R000777"),
            line(8, 30, "Lopez, Ana (Annie)", visit_type="Annual physical", minutes=40),
            line(10, 15, "Okoro, Ben", reason=None, room=None, status="Booked"),
        )
    )
    assert pdf.startswith(b"%PDF")
    reader, (text,) = read(pdf)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (792, 612)  # Letter, landscape
    for expected in (
        "Riverside Family Medicine".upper(),
        "Priya Patel, MD",
        "Monday, January 5, 2026",
    ):
        assert expected in text
    order = [text.index(name) for name in ("Lopez, Ana (Annie)", "Okoro, Ben", "Walsh, Finn")]
    assert order == sorted(order)
    assert [text.index(t) for t in ("8:30 AM", "10:15 AM", "2:00 PM")] == sorted(
        text.index(t) for t in ("8:30 AM", "10:15 AM", "2:00 PM")
    )
    for expected in ("01/17/1958", "R000777", "Annual physical", "Blood pressure check", "Exam 2"):
        assert expected in text
    assert "3 appointments" in text and "1 h 20 min booked" in text
    assert "Page 1 of 1" in text
    assert "Printed Jan 5, 2026 7:45 AM" in text


def test_a_long_day_runs_over_pages_with_the_header_on_each_and_page_numbers() -> None:
    start = datetime(2026, 1, 5, 7, 0)
    lines = [
        line(0, 0, f"Patient{n:02d}, Test", start=start + timedelta(minutes=15 * n), minutes=15)
        for n in range(40)
    ]
    _, pages = read(day_schedule_pdf(schedule(*reversed(lines))))
    assert len(pages) == 2
    assert "Page 1 of 2" in pages[0] and "Page 2 of 2" in pages[1]
    assert all("Patient" in page and "Reason" in page for page in pages)  # header repeats
    names = re.findall(r"Patient\d\d, Test", "".join(pages))
    assert names == [f"Patient{n:02d}, Test" for n in range(40)]
    assert "40 appointments" in pages[0] and "10 h 00 min booked" in pages[0]


def test_cancelled_and_missed_visits_stay_on_the_sheet_but_are_counted_apart() -> None:
    pdf = day_schedule_pdf(
        schedule(
            line(9, 0, "Lopez, Ana"),
            line(9, 20, "Okoro, Ben", status="Cancelled", struck=True),
            line(9, 40, "Nguyen, Cara", status="No-show", struck=True),
            line(10, 0, "Shah, Dev", status="Cancelled", struck=True),
        )
    )
    _, (text,) = read(pdf)
    assert all(name in text for name in ("Okoro, Ben", "Nguyen, Cara", "Shah, Dev"))
    assert "1 appointment " in text + " "
    assert "2 cancelled" in text and "1 no-show" in text


def test_an_empty_day_says_so() -> None:
    _, (text,) = read(day_schedule_pdf(schedule()))
    assert "No appointments on this day." in text
    assert "0 appointments" in text and "Page 1 of 1" in text


def test_names_with_markup_characters_print_as_written() -> None:
    _, (text,) = read(day_schedule_pdf(schedule(line(9, 0, "O'Brien & <Sons>, Pat"))))
    assert "O'Brien & <Sons>, Pat" in text


def test_no_patient_detail_in_the_file_metadata() -> None:
    reader = PdfReader(io.BytesIO(day_schedule_pdf(schedule(line(9, 0, "Lopez, Ana")))))
    metadata = " ".join(str(value) for value in (reader.metadata or {}).values())
    assert "Day schedule 2026-01-05" in metadata
    for detail in ("Lopez", "R000123", "1984", "Blood pressure"):
        assert detail not in metadata
