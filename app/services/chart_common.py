"""What every charting service shares: finding the patient whose chart is open, checking a
reason, and marking a clinical fact "entered in error" (facts are never deleted)."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy.orm import Session

from app.models import Patient, PatientStatus
from app.models.base import SyncMixin
from app.models.clinical_base import EnteredInErrorMixin
from app.services.context import UnitOfWork
from app.services.errors import ConcurrentChange, DomainError, NotFound

MAX_REASON = 500
Fact = TypeVar("Fact", bound=EnteredInErrorMixin)


def chart_patient(session: Session, patient_id: str) -> Patient:
    """The patient whose chart is being read or written; a merged record points elsewhere."""
    patient = session.get(Patient, patient_id)
    if patient is None or patient.deleted_at is not None:
        raise NotFound("That patient record does not exist.")
    if patient.status is PatientStatus.MERGED:
        raise DomainError("This record was merged into another; open that one instead.")
    return patient


def required_reason(reason: str, what: str = "why") -> str:
    text = " ".join(reason.split())
    if not text:
        raise DomainError(f"Say {what}: the reason stays in the chart.")
    if len(text) > MAX_REASON:
        raise DomainError(f"Keep the reason under {MAX_REASON} characters.")
    return text


def check_version(row: SyncMixin, expected_version: int | None, what: str) -> None:
    """Refuse to overwrite a copy someone else saved since it was read."""
    if expected_version is not None and row.version != expected_version:
        raise ConcurrentChange(f"Someone else changed this {what}; reload it and try again.")


def mark_entered_in_error(uow: UnitOfWork, fact: Fact, reason: str, what: str) -> Fact:
    """Strike `fact` through (it stays readable, with who, when and why)."""
    if fact.error_at is not None:
        raise DomainError(f"This {what} is already marked entered in error.")
    actor = uow.ctx.actor
    fact.error_reason = required_reason(reason)
    fact.error_at = uow.ctx.clock.now()
    fact.error_by_id = actor.user_id if actor else None
    return fact
