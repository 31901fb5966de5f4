"""Registering a patient, on the worker: the patient, then their insurance.

The two are separate use cases; when the insurance is refused after the patient was saved,
the form learns which patient exists now and offers to fix just the insurance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.services.context import AppContext
from app.services.errors import DomainError
from app.services.insurance import CoverageInput, CoverageService
from app.services.patient_data import PatientInput, PatientRecord
from app.services.patient_keys import looks_like_date
from app.services.patients import PatientService


@dataclass(frozen=True)
class Registered:
    record: PatientRecord
    coverage_error: str | None = None  # the patient is saved; the insurance was refused


def register_patient(
    ctx: AppContext, data: PatientInput, coverage: CoverageInput | None, confirmed: bool
) -> Registered:
    record = PatientService(ctx).register(data, confirm_not_duplicate=confirmed)
    if coverage is None:
        return Registered(record)
    return add_coverage(ctx, record, coverage)


def add_coverage(ctx: AppContext, record: PatientRecord, coverage: CoverageInput) -> Registered:
    try:
        CoverageService(ctx).add(record.id, coverage)
    except DomainError as error:
        return Registered(record, str(error))
    return Registered(record)


@dataclass(frozen=True)
class Prefill:
    last_name: str = ""
    first_name: str = ""
    birth: str = ""
    phone: str = ""


def _name(text: str) -> str:
    """Capitalised as people write names, unless they typed capitals themselves."""
    text = text.strip()
    return text if text != text.lower() else text.title()


def prefill_from_search(text: str) -> Prefill:
    """What was typed in the search box, spread over the first fields of the form."""
    text = text.strip()
    digits = re.sub(r"\D", "", text)
    if looks_like_date(text):
        return Prefill(birth=text)
    if digits and len(digits) >= 7 and not re.search(r"[A-Za-z]", text):
        return Prefill(phone=text)
    words = [w for w in text.split() if not looks_like_date(w)]
    birth = next((w for w in text.split() if looks_like_date(w)), "")
    if "," in text:
        last, _, first = " ".join(words).partition(",")
        return Prefill(_name(last), _name(first), birth)
    if len(words) >= 2:
        return Prefill(_name(" ".join(words[1:])), _name(words[0]), birth)
    return Prefill(_name(words[0]) if words else "", "", birth)
