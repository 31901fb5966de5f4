"""The printed after-visit summary: a Letter page a patient can read, every section the
visit has and none it has not, clinicians' text kept as written, nothing about the patient
in the file's metadata."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime

from pypdf import PdfReader

from app.interop.visit_summary_pdf import MedicationItem, VisitSummary, visit_summary_pdf

VISIT = VisitSummary(
    practice_name="Riverside Family Medicine",
    practice_address=("120 Main Street", "Springfield, IL 62701"),
    practice_phone="(217) 555-0100",
    patient_name="Tess Target",
    date_of_birth=date(1980, 5, 6),
    visit_date=date(2026, 1, 5),
    visit_type="Office visit",
    provider_name="Priya Patel, MD",
    reason="Blood pressure check",
    vitals=(("Blood pressure", "142/91 mmHg"), ("Pulse", "78 /min"), ("Weight", "182 lb")),
    diagnoses=("Essential (primary) hypertension (I10)",),
    assessment="Hypertension, not at goal.",
    plan="Start lisinopril 10 mg daily.\nCheck blood pressure at home twice a week.",
    instructions="Cut down on salt. Walk 30 minutes a day.",
    follow_up="Return in 4 weeks.",
    medications=(
        MedicationItem("Lisinopril 10 mg tablet", "Take 1 tablet by mouth once a day"),
        MedicationItem("Aspirin 81 mg tablet", None),
    ),
    allergies=("Penicillin: hives (severe)",),
    allergy_statement=None,
    printed_at=datetime(2026, 1, 5, 10, 40),
)


def read(pdf: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, [page.extract_text() for page in reader.pages]


def flat(text: str) -> str:
    return " ".join(text.split())


def test_a_visit_is_one_letter_page_with_every_section_in_reading_order() -> None:
    pdf = visit_summary_pdf(VISIT)
    assert pdf.startswith(b"%PDF")
    reader, (page,) = read(pdf)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)  # Letter, portrait
    text = flat(page)
    in_order = [
        "Riverside Family Medicine",
        "120 Main Street · Springfield, IL 62701 · Phone (217) 555-0100",
        "After-visit summary",
        "Tess Target",
        "05/06/1980",
        "Office visit, January 5, 2026",
        "Priya Patel, MD",
        "Why you came in",
        "Blood pressure check",
        "Your measurements today",
        "Blood pressure 142/91 mmHg",
        "Weight 182 lb",
        "What we addressed today",
        "Essential (primary) hypertension (I10)",
        "Your plan",
        "Start lisinopril 10 mg daily.",
        "Check blood pressure at home twice a week.",
        "Instructions",
        "Cut down on salt.",
        "Follow-up",
        "Return in 4 weeks.",
        "Your medications",
        "Lisinopril 10 mg tablet Take 1 tablet by mouth once a day",
        "Aspirin 81 mg tablet",
        "Your allergies",
        "Penicillin: hives (severe)",
        "Questions? Call (217) 555-0100.",
        "Printed Jan 5, 2026",
        "Page 1 of 1",
    ]
    positions = [text.find(expected) for expected in in_order]
    assert -1 not in positions, [e for e, p in zip(in_order, positions, strict=True) if p < 0]
    assert positions == sorted(positions)
    # Coded diagnoses were addressed: the free-text assessment is not repeated.
    assert "not at goal" not in text


def test_the_metadata_names_the_visit_day_not_the_patient() -> None:
    reader, _ = read(visit_summary_pdf(VISIT))
    metadata = reader.metadata
    assert metadata is not None
    assert metadata.title == "After-visit summary 2026-01-05"
    assert "Target" not in " ".join(str(value) for value in metadata.values())


def test_sections_the_visit_does_not_have_are_left_out() -> None:
    bare = replace(
        VISIT,
        practice_address=(),
        practice_phone=None,
        reason=None,
        vitals=(),
        diagnoses=(),
        plan=None,
        instructions=None,
        follow_up=None,
        medications=(),
        allergies=(),
        allergy_statement="No known allergies.",
    )
    _, (page,) = read(visit_summary_pdf(bare))
    text = flat(page)
    for missing in (
        "Why you came in",
        "Your measurements",
        "Your plan",
        "Instructions",
        "Follow-up",
        "Phone",
    ):
        assert missing not in text
    # No diagnosis was coded: the note's assessment says what was addressed.
    assert "What we addressed today Hypertension, not at goal." in text
    assert "Your medications No medications are on your list." in text
    assert "Your allergies No known allergies." in text
    assert "Questions?" not in text and "Printed Jan 5, 2026" in text


def test_clinicians_text_is_printed_as_written_not_read_as_markup() -> None:
    odd = replace(VISIT, plan="Keep A1c < 7 & BP < 130/80 <b>always</b>")
    _, (page,) = read(visit_summary_pdf(odd))
    assert "Keep A1c < 7 & BP < 130/80 <b>always</b>" in flat(page)


def test_a_long_plan_runs_onto_numbered_pages() -> None:
    plan = "\n".join(f"Step {n}: walk to the end of the street and back." for n in range(1, 90))
    _, pages = read(visit_summary_pdf(replace(VISIT, plan=plan)))
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
    everything = flat(" ".join(pages))
    assert "Step 1: walk" in everything and "Step 89: walk" in everything
    assert "Your allergies" in flat(pages[-1])
