"""What the chart's list services share (problems, allergies, medications, history,
immunizations): the struck-through mark a view carries, text and date checks written for
the user, finding a fact and its encounter, and one audit + change notice per write."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol, TypeVar, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Encounter, EncounterStatus, User
from app.models.base import SyncMixin
from app.models.clinical_base import EnteredInErrorMixin
from app.services.audit_chain import AuditEntry
from app.services.bus import ChartChanged
from app.services.chart_common import chart_patient, check_version, mark_entered_in_error
from app.services.context import UnitOfWork
from app.services.errors import DomainError, NotFound
from app.services.patients import practice_today
from app.terminology.icd10cm import Icd10Catalog, Icd10Code

MAX_NOTE = 1000
UNKNOWN_USER = "Unknown user"  # a marker whose author's account is gone (or came by sync)


@dataclass(frozen=True)
class EnteredInError:
    """Why, when and by whom a fact was struck through (the row stays in the chart)."""

    reason: str
    at: datetime  # UTC
    by_name: str  # the staff member's display name


class Struck:
    """What every list view says about being struck through (views declare the field)."""

    entered_in_error: EnteredInError | None

    @property
    def in_error(self) -> bool:
        return self.entered_in_error is not None


class PatientRow(Protocol):
    """For typing only: a syncable row of one patient's chart."""

    @property
    def id(self) -> str: ...
    @property
    def patient_id(self) -> str: ...
    @property
    def deleted_at(self) -> datetime | None: ...


class ChartFact(PatientRow, Protocol):
    """For typing only: a list row that can be struck through."""

    @property
    def error_at(self) -> datetime | None: ...
    @property
    def error_by_id(self) -> str | None: ...


Fact = TypeVar("Fact", bound=ChartFact)


def staff_names(session: Session, user_ids: Iterable[str | None]) -> dict[str, str]:
    """Display names of the staff who marked (or gave) these facts, in one query."""
    wanted = {user_id for user_id in user_ids if user_id}
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.display_name).where(User.id.in_(wanted)))
    return {user_id: name for user_id, name in rows}


def error_mark(fact: EnteredInErrorMixin, names: Mapping[str, str]) -> EnteredInError | None:
    if fact.error_at is None:
        return None
    return EnteredInError(
        reason=fact.error_reason or "",
        at=fact.error_at,
        by_name=names.get(fact.error_by_id or "", UNKNOWN_USER),
    )


def optional_text(value: str | None, limit: int, what: str) -> str | None:
    """Trimmed text (runs of spaces kept as typed inside), or None when blank."""
    text = (value or "").strip()
    if len(text) > limit:
        raise DomainError(f"Keep the {what} under {limit} characters.")
    return text or None


def required_text(value: str | None, limit: int, what: str) -> str:
    text = optional_text(value, limit, what)
    if text is None:
        raise DomainError(f"Enter the {what}.")
    return text


def same_words(text: str) -> str:
    """How two entries are compared for duplicates: case and spacing do not count."""
    return " ".join(text.split()).casefold()


def today(uow: UnitOfWork) -> date:
    return practice_today(uow.session, uow.ctx.clock.now())


def not_in_future(day: date | None, uow: UnitOfWork, what: str) -> None:
    if day is not None and day > today(uow):
        raise DomainError(f"The {what} cannot be in the future.")


def find_fact(uow: UnitOfWork, model: type[Fact], fact_id: str, what: str) -> Fact:
    """A fact of an open chart (a merged record's facts are read on the record it joined)."""
    fact = uow.session.get(model, fact_id)
    if fact is None or fact.deleted_at is not None:
        raise NotFound(f"That {what} is not in the chart (it may have been removed).")
    chart_patient(uow.session, fact.patient_id)
    return fact


def strike_fact(
    uow: UnitOfWork,
    model: type[Fact],
    fact_id: str,
    what: str,
    reason: str,
    expected_version: int | None,
    category: str,
    detail: str | Callable[[Fact], str] | None = None,
) -> Fact:
    """The use case every list offers: mark a fact entered in error (it stays, struck
    through, with who, when and why), audited, with a change notice."""
    fact = find_fact(uow, model, fact_id, what)
    check_version(cast(SyncMixin, fact), expected_version, what)
    mark_entered_in_error(uow, cast(EnteredInErrorMixin, fact), reason, what)
    said = detail(fact) if callable(detail) else detail
    record_write(uow, "entered_in_error", category, fact, said)
    return fact


def refuse_if_in_error(fact: EnteredInErrorMixin, what: str) -> None:
    if fact.error_at is not None:
        raise DomainError(f"This {what} was marked entered in error; it can no longer be changed.")


def chart_encounter(session: Session, encounter_id: str | None, patient_id: str) -> str | None:
    """The encounter a fact was recorded in: it must be this patient's and still valid."""
    if encounter_id is None:
        return None
    encounter = session.get(Encounter, encounter_id)
    if encounter is None or encounter.deleted_at is not None or encounter.patient_id != patient_id:
        raise NotFound("That visit is not in this patient's chart.")
    if encounter.status is EncounterStatus.ENTERED_IN_ERROR:
        raise DomainError("That visit was marked entered in error; choose another.")
    return encounter.id


def read_chart_facts(
    uow: UnitOfWork, model: type[Fact], patient_id: str, category: str
) -> tuple[list[Fact], dict[str, str]]:
    """Every fact of one kind in a chart (struck-through ones too), audited as a read, and
    the names of the staff who struck any through."""
    chart_patient(uow.session, patient_id)
    rows = list(
        uow.session.scalars(select(model).filter_by(patient_id=patient_id, deleted_at=None))
    )
    record_read(uow, category, patient_id)
    return rows, staff_names(uow.session, (row.error_by_id for row in rows))


def record_write(
    uow: UnitOfWork, action: str, category: str, fact: PatientRow, detail: str | None = None
) -> None:
    """Audit a change to a chart fact and tell open screens that the chart changed."""
    uow.session.flush()  # the new row's id and version are known from here on
    uow.audit(
        AuditEntry(action, category, patient_id=fact.patient_id, entity_id=fact.id, detail=detail)
    )
    notice = ChartChanged((fact.patient_id,))
    if notice not in uow.notices:  # one notice per use case, however many rows it wrote
        uow.notify(notice)


def record_read(uow: UnitOfWork, category: str, patient_id: str) -> None:
    uow.audit(AuditEntry("read", category, patient_id=patient_id))


@functools.cache
def default_icd10_catalog() -> Icd10Catalog:
    """The installed ICD-10-CM code set, opened once per process (it is read-only and
    thread-safe); a missing or damaged file raises CodeSetUnavailable and is retried."""
    return Icd10Catalog()


def icd10_code(catalog: Icd10Catalog, code: str) -> Icd10Code:
    """The catalog's entry for a code typed with or without its dot; refused if none."""
    typed = code.strip()
    if not typed:
        raise DomainError("Choose a diagnosis code from ICD-10-CM.")
    found = catalog.get(typed)
    if found is None:
        raise DomainError(f"{typed.upper()} is not an ICD-10-CM code; search for the diagnosis.")
    return found
