"""Documents in the chart: the type comes from the bytes, bad files are refused with a
reason, the same file is not filed twice, bytes live only in the encrypted database, every
opening is audited, and only a physician signs a document off."""

from __future__ import annotations

import io
import os
import tempfile
import zlib
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from PIL import Image
from PySide6.QtGui import QImage
from reportlab.pdfgen.canvas import Canvas

from app.models import DocumentCategory, Encounter, EncounterType, SexAtBirth
from app.services.bus import ChartChanged, EventBus
from app.services.clock import FakeClock
from app.services.context import AppContext
from app.services.documents import DocumentInput, DocumentService
from app.services.errors import DomainError, NotFound, PermissionDenied
from app.services.patient_data import PatientInput
from app.services.patients import PatientService
from tests.services.conftest import SignInAs
from tests.services.helpers import audit_events, query, user_id

Login = Callable[[str], AppContext]
TODAY = date(2026, 1, 5)  # the FakeClock's day in the practice (America/Chicago)


def pdf_bytes(text: str = "CBC with differential") -> bytes:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=True)  # the same text gives the same bytes
    canvas.drawString(72, 720, text)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def image_bytes(kind: str, colour: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (24, 16), colour).save(buffer, format=kind)
    return buffer.getvalue()


def new_patient(ctx: AppContext, first: str = "Dora", last: str = "Docs") -> str:
    data = PatientInput(first, last, date(1975, 3, 4), SexAtBirth.FEMALE)
    return PatientService(ctx).register(data, confirm_not_duplicate=True).id


def filed(
    data: bytes,
    filename: str = "cbc.pdf",
    title: str = "CBC",
    category: DocumentCategory = DocumentCategory.LAB_REPORT,
    on: date = date(2025, 12, 30),
    encounter_id: str | None = None,
) -> DocumentInput:
    return DocumentInput(data, filename, category, title, on, encounter_id)


def test_a_nurse_imports_a_scanned_pdf_into_the_encrypted_database(
    sign_in_as: SignInAs, clock: FakeClock
) -> None:
    bus = EventBus()
    notices: list[object] = []
    bus.subscribe(ChartChanged, notices.append)
    nurse = sign_in_as("nkim", bus=bus)
    patient_id = new_patient(nurse)
    data = pdf_bytes()
    before = audit_events(nurse)

    view = DocumentService(nurse).import_document(patient_id, filed(data, title="  CBC   Quest "))

    assert (view.title, view.category_label, view.document_on) == (
        "CBC Quest",
        "Lab report",
        date(2025, 12, 30),
    )
    assert (view.media_type, view.byte_count) == ("application/pdf", len(data))
    assert view.imported_by_name == "Hannah Kim"
    assert view.imported_at == clock.now()
    assert view.awaiting_review and not view.in_error and view.reviewer_name is None
    (stored,) = query(nurse, "SELECT data FROM document_content WHERE document_id = ?", view.id)
    assert stored["data"] == data
    (row,) = query(nurse, "SELECT sha256, patient_id FROM clinical_document")
    assert row == {"sha256": view.sha256, "patient_id": patient_id}
    new = audit_events(nurse)[len(before) :]
    assert [(e["action"], e["category"], e["patient_id"], e["entity_id"]) for e in new] == [
        ("create", "document", patient_id, view.id)
    ]
    assert notices == [ChartChanged((patient_id,))]


def test_importing_writes_no_file_outside_the_database(login: Login) -> None:
    nurse = login("nkim")
    patient_id = new_patient(nurse)
    folders = (nurse.vault.paths.data_dir, tempfile.gettempdir())

    def files() -> set[str]:
        found = set()
        for folder in folders:
            for root, _, names in os.walk(folder):
                found |= {os.path.join(root, n) for n in names if not n.endswith(("-wal", "-shm"))}
        return found

    before = files()
    document = DocumentService(nurse).import_document(patient_id, filed(pdf_bytes()))
    DocumentService(nurse).content(document.id)
    assert files() == before


@pytest.mark.parametrize(
    ("kind", "media_type"),
    [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("TIFF", "image/tiff")],
)
def test_images_are_accepted_by_their_bytes_whatever_their_name(
    login: Login, kind: str, media_type: str
) -> None:
    nurse = login("nkim")
    patient_id = new_patient(nurse)
    data = image_bytes(kind)
    view = DocumentService(nurse).import_document(patient_id, filed(data, filename="scan.pdf"))
    assert view.media_type == media_type
    # What is accepted is what the in-app viewer can show.
    assert not QImage.fromData(DocumentService(nurse).content(view.id).data).isNull()


def test_the_title_defaults_to_the_file_name(login: Login) -> None:
    nurse = login("nkim")
    patient_id = new_patient(nurse)
    view = DocumentService(nurse).import_document(
        patient_id, filed(pdf_bytes(), filename="/scans/Echo report 2025.pdf", title=" ")
    )
    assert view.title == "Echo report 2025"


def _png_without_end() -> bytes:
    whole = image_bytes("PNG")
    return whole[: whole.rindex(b"IEND") - 4]


def _fake_png_header() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + zlib.compress(b"not an image at all") + b"IEND\xaeB`\x82"


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "empty.pdf", "“empty.pdf” is empty"),
        (b"Dear Dr. Patel, ...", "letter.pdf", "“letter.pdf” is not a PDF, PNG, JPEG or TIFF"),
        (b"PK\x03\x04 a word file", "letter.docx", "is not a PDF, PNG, JPEG or TIFF"),
        (b"GIF89a....", "x-ray.gif", "is not a PDF, PNG, JPEG or TIFF"),
        (pdf_bytes()[:300], "cut.pdf", "“cut.pdf” starts like a PDF but is damaged or cut short"),
        (_png_without_end(), "cut.png", "starts like a PNG image but is damaged"),
        (_fake_png_header(), "odd.png", "starts like a PNG image but is damaged"),
        (image_bytes("JPEG")[:-200], "cut.jpg", "starts like a JPEG image but is damaged"),
        (b"II*\x00\xff\xff\xff\x00" + bytes(20), "bad.tif", "starts like a TIFF image"),
        (
            b"%PDF-1.7\n" + bytes(25 * 1024 * 1024) + b"%%EOF",
            "huge.pdf",
            "“huge.pdf” is 25.0 MB; a document may be at most 25 MB",
        ),
    ],
)
def test_files_that_cannot_be_shown_are_refused_with_the_reason(
    login: Login, data: bytes, filename: str, message: str
) -> None:
    nurse = login("nkim")
    patient_id = new_patient(nurse)
    with pytest.raises(DomainError, match=message):
        DocumentService(nurse).import_document(patient_id, filed(data, filename=filename))
    assert query(nurse, "SELECT count(*) AS n FROM clinical_document") == [{"n": 0}]
    assert query(nurse, "SELECT count(*) AS n FROM document_content") == [{"n": 0}]


def test_a_file_of_exactly_25_mb_is_accepted(login: Login) -> None:
    nurse = login("nkim")
    patient_id = new_patient(nurse)
    data = b"%PDF-1.7\n" + bytes(25 * 1024 * 1024 - 16) + b"\n%%EOF\n"
    assert len(data) == 25 * 1024 * 1024
    assert DocumentService(nurse).import_document(patient_id, filed(data)).byte_count == len(data)


def test_the_same_file_twice_in_one_chart_is_refused(login: Login) -> None:
    doctor = login("drpatel")
    documents = DocumentService(doctor)
    first_patient, second_patient = new_patient(doctor), new_patient(doctor, "Ed", "Other")
    data = pdf_bytes()
    first = documents.import_document(first_patient, filed(data, title="CBC, Quest"))

    with pytest.raises(
        DomainError,
        match=r"This file is already in the chart as “CBC, Quest” \(Lab report, Dec 30, 2025\)",
    ):
        documents.import_document(first_patient, filed(data, filename="again.pdf", title="Again"))
    # Another chart may hold the same file (a letter copied to a family member's chart).
    documents.import_document(second_patient, filed(data))
    # Once the first copy is struck through, the file can be filed again (say, redated).
    documents.mark_entered_in_error(first.id, "Wrong date")
    again = documents.import_document(first_patient, filed(data, on=date(2025, 12, 29)))
    assert again.sha256 == first.sha256 and again.id != first.id


def test_a_date_in_the_future_or_another_patients_visit_is_refused(login: Login) -> None:
    doctor = login("drpatel")
    documents = DocumentService(doctor)
    patient_id, other_id = new_patient(doctor), new_patient(doctor, "Ed", "Other")
    with pytest.raises(DomainError, match="date is in the future"):
        documents.import_document(patient_id, filed(pdf_bytes(), on=TODAY + timedelta(days=1)))
    documents.import_document(patient_id, filed(pdf_bytes(), on=TODAY))  # today is fine
    with doctor.unit_of_work() as uow:
        visit = Encounter(
            patient_id=other_id,
            provider_id=user_id(doctor, "drpatel"),
            type=EncounterType.OFFICE_VISIT,
            starts_at=doctor.clock.now(),
        )
        uow.session.add(visit)
        uow.session.flush()
        visit_id = visit.id
    with pytest.raises(NotFound, match="not in this patient's chart"):
        documents.import_document(patient_id, filed(pdf_bytes("x"), encounter_id=visit_id))
    own = documents.import_document(other_id, filed(pdf_bytes("x"), encounter_id=visit_id))
    assert own.encounter_id == visit_id


def test_listing_is_newest_first_and_opening_is_audited(login: Login) -> None:
    nurse = login("nkim")
    documents = DocumentService(nurse)
    patient_id = new_patient(nurse)
    old = documents.import_document(
        patient_id, filed(pdf_bytes("a"), title="Old", on=date(2024, 1, 2))
    )
    new = documents.import_document(
        patient_id,
        filed(image_bytes("PNG"), "xray.png", "Chest X-ray", DocumentCategory.IMAGING_REPORT),
    )
    before = audit_events(nurse)

    assert [d.title for d in documents.for_patient(patient_id)] == ["Chest X-ray", "Old"]
    opened = documents.content(old.id)

    assert (opened.media_type, opened.title) == ("application/pdf", "Old")
    assert opened.data == pdf_bytes("a")
    new_events = audit_events(nurse)[len(before) :]
    assert [(e["action"], e["category"], e["patient_id"], e["entity_id"]) for e in new_events] == [
        ("read", "document", patient_id, None),
        ("read", "document", patient_id, old.id),
    ]
    assert new.media_type == "image/png"
    with pytest.raises(NotFound):
        documents.content("no-such-document")


def test_a_physician_signs_a_document_off_and_the_queue_empties(
    login: Login, clock: FakeClock
) -> None:
    nurse, doctor = login("nkim"), login("drpatel")
    patient_id = new_patient(nurse)
    first = DocumentService(nurse).import_document(patient_id, filed(pdf_bytes("1"), title="A1c"))
    clock.advance(timedelta(minutes=5))
    second = DocumentService(nurse).import_document(patient_id, filed(pdf_bytes("2"), title="TSH"))
    struck = DocumentService(nurse).import_document(patient_id, filed(pdf_bytes("3"), title="X"))
    DocumentService(nurse).mark_entered_in_error(struck.id, "Another patient's report")

    with pytest.raises(PermissionDenied):
        DocumentService(nurse).sign_off(first.id)
    with pytest.raises(PermissionDenied):
        DocumentService(nurse).awaiting_review()

    queue = DocumentService(doctor).awaiting_review()
    assert [item.document.title for item in queue] == ["A1c", "TSH"]  # oldest first
    assert (queue[0].patient_name, queue[0].date_of_birth) == ("Docs, Dora", date(1975, 3, 4))
    assert queue[0].mrn

    clock.advance(timedelta(hours=1))
    before = audit_events(doctor)
    signed = DocumentService(doctor).sign_off(first.id, "  Normal; no change.  ")
    assert (signed.reviewer_name, signed.reviewed_at, signed.review_note) == (
        "Priya Patel",
        clock.now(),
        "Normal; no change.",
    )
    assert not signed.awaiting_review
    new = audit_events(doctor)[len(before) :]
    assert [(e["action"], e["category"], e["entity_id"]) for e in new] == [
        ("review", "document", first.id)
    ]
    with pytest.raises(DomainError, match="Priya Patel already signed this document off on Jan 5"):
        DocumentService(login("drokafor")).sign_off(first.id)
    with pytest.raises(DomainError, match="entered in error; there is nothing to sign"):
        DocumentService(doctor).sign_off(struck.id)
    assert [item.document.id for item in DocumentService(doctor).awaiting_review()] == [second.id]


def test_entered_in_error_keeps_the_document_struck_through(login: Login) -> None:
    nurse = login("nkim")
    documents = DocumentService(nurse)
    patient_id = new_patient(nurse)
    view = documents.import_document(patient_id, filed(pdf_bytes()))
    with pytest.raises(DomainError, match="Say why"):
        documents.mark_entered_in_error(view.id, "   ")
    before = audit_events(nurse)

    struck = documents.mark_entered_in_error(view.id, "Filed on the wrong patient")

    assert struck.in_error and struck.error_reason == "Filed on the wrong patient"
    assert not struck.awaiting_review
    assert [d.in_error for d in documents.for_patient(patient_id)] == [True]
    assert documents.content(view.id).data == pdf_bytes()  # still readable
    marked = audit_events(nurse)[len(before)]
    assert (marked["action"], marked["entity_id"]) == ("entered_in_error", view.id)
    with pytest.raises(DomainError, match="already marked entered in error"):
        documents.mark_entered_in_error(view.id, "Again")
