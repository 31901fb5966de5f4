"""Printing a provider's day (issue #4): the booked visits of that provider on that local
day, in time order, as a PDF; the print is audited; nothing else changes."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from app.services.appointments import AppointmentService
from app.services.errors import NotFound, PermissionDenied
from app.services.schedule_print import SchedulePrintService
from tests.services.scheduling_helpers import (
    IMMUNIZATION,
    PHYSICAL,
    SICK,
    Office,
    office_fixture,  # noqa: F401
)

TUESDAY = date(2026, 1, 6)


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_sheet_lists_the_providers_day_in_time_order(office: Office) -> None:
    office.book("cara", "2026-01-06 14:00", type_name=PHYSICAL, reason="Yearly check")
    office.book("ana", "2026-01-06 08:30", reason="Blood pressure check")
    office.book("ben", "2026-01-06 10:15", type_name=SICK, reason="Sore throat")
    # Someone else's patient that day, and Dr. Patel's patient on another day.
    office.book("dev", "2026-01-06 09:00", provider="drokafor")
    office.book("eve", "2026-01-06 09:00", provider="nkim", type_name=IMMUNIZATION)
    office.book("finn", "2026-01-07 09:00")

    pdf = SchedulePrintService(office.desk).day_schedule_pdf(TUESDAY, office.provider("drpatel"))

    text = text_of(pdf)
    assert "Priya Patel, MD" in text and "Tuesday, January 6, 2026" in text
    where = [text.index(name) for name in ("Lopez, Ana", "Okoro, Ben", "Nguyen, Cara")]
    assert where == sorted(where)
    for expected in ("8:30 AM", "10:15 AM", "2:00 PM", "02/11/1984", "Sore throat", "Booked"):
        assert expected in text
    for elsewhere in ("Shah", "Marsh", "Walsh"):
        assert elsewhere not in text
    assert "3 appointments" in text


def test_a_cancelled_visit_is_kept_struck_and_counted(office: Office) -> None:
    kept = office.book("ana", "2026-01-06 08:30")
    gone = office.book("ben", "2026-01-06 09:00")
    AppointmentService(office.desk).cancel(gone.id, gone.version, "Feeling better")

    text = text_of(SchedulePrintService(office.desk).day_schedule_pdf(TUESDAY, kept.provider_id))
    assert "Okoro, Ben" in text and "Cancelled" in text
    assert "1 appointment" in text and "1 cancelled" in text


def test_the_day_is_the_practices_local_day(office: Office) -> None:
    """6:30 PM in Chicago is already the next day in UTC; it still prints on Tuesday."""
    late = AppointmentService(office.ctx("admin")).book(
        office.booking("ana", "2026-01-06 18:30"),
        double_book=True,  # after hours, on purpose
    )
    assert late.starts_at.date() == date(2026, 1, 7)
    service = SchedulePrintService(office.desk)
    assert "6:30 PM" in text_of(service.day_schedule_pdf(TUESDAY, late.provider_id))
    assert "Lopez, Ana" not in text_of(service.day_schedule_pdf(date(2026, 1, 7), late.provider_id))


def test_printing_is_audited_and_changes_nothing_else(office: Office) -> None:
    office.book("ana", "2026-01-06 08:30")
    before, events = office.snapshot(), office.audit()

    SchedulePrintService(office.ctx("nkim")).day_schedule_pdf(TUESDAY, office.provider("drpatel"))

    assert office.snapshot() == before
    new = office.audit()[len(events) :]
    assert [(e["action"], e["category"], e["user_name"], e["outcome"]) for e in new] == [
        ("print", "schedule", "nkim", "success")
    ]
    assert "2026-01-06" in new[0]["detail"] and "Priya Patel" in new[0]["detail"]
    assert new[0]["entity_id"] == office.provider("drpatel")
    assert new[0]["patient_id"] is None  # the sheet is the provider's day, not one chart


def test_a_biller_may_not_print_and_an_unknown_provider_is_refused(office: Office) -> None:
    with pytest.raises(PermissionDenied):
        SchedulePrintService(office.ctx("billing")).day_schedule_pdf(
            TUESDAY, office.provider("drpatel")
        )
    with pytest.raises(NotFound):
        SchedulePrintService(office.desk).day_schedule_pdf(TUESDAY, office.provider("frontdesk"))
