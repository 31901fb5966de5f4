"""The recovery sheet: one page, the code readable as text, and what it is for."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from app.interop.recovery_pdf import recovery_sheet_pdf
from app.storage.keyslots import new_recovery_code


def _text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize("page_size", ["A4", "Letter"])
def test_the_sheet_is_one_page_carrying_the_code(page_size: str) -> None:
    code = new_recovery_code()
    pdf = recovery_sheet_pdf(
        "Riverside Family Medicine",
        code,
        date(2026, 1, 5),
        page_size=page_size,  # type: ignore[arg-type]
    )
    assert pdf.startswith(b"%PDF")
    pages, text = _text(pdf)
    assert pages == 1
    assert code in text
    assert "Riverside Family Medicine" in text
    assert "2026-01-05" in text
    assert "What this code is for" in text
    assert "Where to keep it" in text


def test_the_page_size_follows_the_choice() -> None:
    code = new_recovery_code()
    a4 = PdfReader(io.BytesIO(recovery_sheet_pdf("P", code, date(2026, 1, 5))))
    letter = PdfReader(
        io.BytesIO(recovery_sheet_pdf("P", code, date(2026, 1, 5), page_size="Letter"))
    )
    assert round(float(a4.pages[0].mediabox.width)) == 595
    assert round(float(letter.pages[0].mediabox.width)) == 612


def test_the_code_never_lands_in_the_metadata() -> None:
    code = new_recovery_code()
    reader = PdfReader(io.BytesIO(recovery_sheet_pdf("Practice", code, date(2026, 1, 5))))
    metadata = " ".join(str(value) for value in (reader.metadata or {}).values())
    assert code not in metadata
