"""Finding patients the way the front desk types: names (prefix, "last, first", small
typos), dates of birth, phone numbers (or their last digits), MRN and insurance member ID.
Also the likely-duplicate check run before a new record is saved."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from app.models import Coverage, Patient, PatientPhone, PatientStatus, SexAtBirth
from app.services.audit_chain import AuditEntry
from app.services.context import AppContext, requires
from app.services.errors import DomainError
from app.services.patient_data import PatientInput
from app.services.patient_keys import (
    age_label,
    display_phone,
    fold,
    looks_like_date,
    name_similarity,
    parse_birth_date,
    sound_key,
)
from app.services.patients import practice_today
from app.services.permissions import Permission

DEFAULT_LIMIT = 50
TYPO_SIMILARITY = 0.82
DUPLICATE_THRESHOLD = 0.6
HitRow = Any  # a result Row carrying the _HIT_COLUMNS
_PHONE_CHARS = re.compile(r"^[\d\s().+\-]+$")
_HAS_DIGIT_AND_LETTER = re.compile(r"^(?=.*\d)(?=.*[A-Za-z])[A-Za-z0-9\-]+$")


@dataclass(frozen=True)
class PatientHit:
    """One search result: enough to tell two people apart at a glance."""

    id: str
    mrn: str
    display_name: str
    date_of_birth: date
    age: str
    sex_at_birth: SexAtBirth
    phone: str | None
    status: PatientStatus
    matched_by: str  # name, sounds like, date of birth, phone, MRN, member ID


@dataclass(frozen=True)
class DuplicateCandidate:
    hit: PatientHit
    score: float
    reasons: tuple[str, ...]


def _prefix(column: Any, text: str) -> ColumnElement[bool]:
    """`column` starts with `text`, as an index range (LIKE would not use the index)."""
    upper = text[:-1] + chr(ord(text[-1]) + 1)
    return and_(column >= text, column < upper)


_HIT_COLUMNS = (
    Patient.id,
    Patient.mrn,
    Patient.first_name,
    Patient.middle_name,
    Patient.last_name,
    Patient.suffix,
    Patient.preferred_name,
    Patient.date_of_birth,
    Patient.sex_at_birth,
    Patient.status,
    Patient.deceased_on,
)


def _searchable(query: Any) -> Any:
    return query.where(Patient.deleted_at.is_(None), Patient.status != PatientStatus.MERGED)


class _Finder:
    """The queries behind one search, on one session."""

    def __init__(self, session: Session, today: date, limit: int) -> None:
        self.session = session
        self.today = today
        self.limit = limit

    def rows(self, where: ColumnElement[bool], matched_by: str) -> list[tuple[HitRow, str]]:
        query = _searchable(select(*_HIT_COLUMNS)).where(where)
        query = query.order_by(Patient.last_key, Patient.first_key, Patient.date_of_birth)
        return [(row, matched_by) for row in self.session.execute(query.limit(self.limit))]

    def by_name(self, text: str) -> list[tuple[HitRow, str]]:
        """Each prefix condition is its own query so that each uses its own index range."""
        if "," in text:
            last, _, first = text.partition(",")
            pairs = [(fold(first), fold(last))]
        else:
            words = [fold(w) for w in text.split() if fold(w)]
            if not words:
                return []
            if len(words) == 1:
                word = words[0]
                single: list[tuple[HitRow, str]] = []
                for column in (Patient.last_key, Patient.first_key, Patient.preferred_key):
                    single += self.rows(_prefix(column, word), "name")
                single = self._in_name_order(single)
                return single + self.sounds_like(word, "", single)
            pairs = [(words[0], words[-1]), (words[-1], words[0])]
        found: list[tuple[HitRow, str]] = []
        for first, last in pairs:
            if not last:
                continue
            on_last = _prefix(Patient.last_key, last)
            if not first:
                found += self.rows(on_last, "name")
                continue
            for first_column in (Patient.first_key, Patient.preferred_key):
                found += self.rows(and_(on_last, _prefix(first_column, first)), "name")
        found = self._in_name_order(found)
        for first, last in pairs:
            if last:
                found += self.sounds_like(last, first, found)
        return found

    def _in_name_order(self, rows: list[tuple[HitRow, str]]) -> list[tuple[HitRow, str]]:
        unique = {row.id: (row, how) for row, how in reversed(rows)}
        ordered = sorted(
            unique.values(),
            key=lambda pair: (
                fold(pair[0].last_name),
                fold(pair[0].first_name),
                pair[0].date_of_birth,
            ),
        )
        return ordered[: self.limit]

    def sounds_like(
        self, last: str, first: str, already: list[tuple[HitRow, str]]
    ) -> list[tuple[HitRow, str]]:
        """Small typos: same Metaphone code for the last name, close spelling overall."""
        if len(already) >= self.limit or len(last) < 3:
            return []
        code = sound_key(last)
        if not code:
            return []
        seen = {row.id for row, _ in already}
        query = _searchable(select(*_HIT_COLUMNS)).where(Patient.last_sound == code)
        scored = []
        for row in self.session.execute(query.limit(500)):
            if row.id in seen:
                continue
            similarity = name_similarity(last, row.last_name)
            if first:
                similarity = (similarity + name_similarity(first, row.first_name)) / 2
            if similarity >= TYPO_SIMILARITY:
                scored.append((similarity, row))
        scored.sort(key=lambda pair: -pair[0])
        return [(row, "sounds like") for _, row in scored[: self.limit - len(already)]]

    def by_birth_date(self, birth: date) -> list[tuple[HitRow, str]]:
        return self.rows(Patient.date_of_birth == birth, "date of birth")

    def by_phone(self, digits: str) -> list[tuple[HitRow, str]]:
        if len(digits) == 11 and digits.startswith("1"):
            digits = digits[1:]
        owners = select(PatientPhone.patient_id).where(
            _prefix(PatientPhone.digits_reversed, digits[::-1]),
            PatientPhone.deleted_at.is_(None),
        )
        return self.rows(Patient.id.in_(owners), "phone")

    def by_identifier(self, text: str) -> list[tuple[HitRow, str]]:
        code = text.upper().replace(" ", "")
        found = self.rows(Patient.mrn == code, "MRN")
        members = select(Coverage.patient_id).where(
            Coverage.member_id == code, Coverage.deleted_at.is_(None)
        )
        return found + self.rows(Patient.id.in_(members), "member ID")

    def hits(self, rows: list[tuple[HitRow, str]]) -> list[PatientHit]:
        unique: dict[str, tuple[HitRow, str]] = {}
        for row, matched_by in rows:
            unique.setdefault(row.id, (row, matched_by))
        chosen = list(unique.values())[: self.limit]
        phones = self._first_phones([row.id for row, _ in chosen])
        return [self._hit(row, matched_by, phones.get(row.id)) for row, matched_by in chosen]

    def _first_phones(self, ids: list[str]) -> dict[str, str]:
        if not ids:
            return {}
        query = (
            select(PatientPhone.patient_id, PatientPhone.number)
            .where(PatientPhone.patient_id.in_(ids), PatientPhone.deleted_at.is_(None))
            .order_by(PatientPhone.created_at)
        )
        first: dict[str, str] = {}
        for patient_id, number in self.session.execute(query):
            first.setdefault(patient_id, number)
        return first

    def _hit(self, row: HitRow, matched_by: str, phone: str | None) -> PatientHit:
        r = row
        middle = f" {r.middle_name[0]}." if r.middle_name else ""
        preferred = r.preferred_name
        nickname = f" “{preferred}”" if preferred and preferred != r.first_name else ""
        suffix = f" {r.suffix}" if r.suffix else ""
        return PatientHit(
            id=r.id,
            mrn=r.mrn,
            display_name=f"{r.last_name}{suffix}, {r.first_name}{middle}{nickname}",
            date_of_birth=r.date_of_birth,
            age=age_label(r.date_of_birth, r.deceased_on or self.today),
            sex_at_birth=r.sex_at_birth,
            phone=display_phone(phone) if phone else None,
            status=r.status,
            matched_by=matched_by,
        )


def find_patients(
    session: Session, text: str, today: date, limit: int = DEFAULT_LIMIT
) -> list[PatientHit]:
    """The search itself, without permission checks or audit (services and benchmarks)."""
    text = text.strip()
    finder = _Finder(session, today, limit)
    if len(text) < 2:
        return []
    if looks_like_date(text):
        try:
            return finder.hits(finder.by_birth_date(parse_birth_date(text, today)))
        except DomainError:
            return []
    digits = re.sub(r"\D", "", text)
    if _PHONE_CHARS.match(text) and len(digits) >= 4:
        return finder.hits(finder.by_identifier(digits) + finder.by_phone(digits))
    if _HAS_DIGIT_AND_LETTER.match(text):
        return finder.hits(finder.by_identifier(text))
    name_words = [w for w in text.split() if not looks_like_date(w)]
    dates = [w for w in text.split() if looks_like_date(w)]
    rows = finder.by_name(" ".join(name_words))
    if dates:
        try:
            birth = parse_birth_date(dates[0], today)
        except DomainError:
            return []
        rows = [(row, how) for row, how in rows if row.date_of_birth == birth]
    return finder.hits(rows)


class PatientSearch:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @requires(Permission.VIEW_PATIENTS)
    def search(self, text: str, limit: int = DEFAULT_LIMIT) -> list[PatientHit]:
        with self.ctx.unit_of_work() as uow:
            today = practice_today(uow.session, self.ctx.clock.now())
            hits = find_patients(uow.session, text, today, limit)
            if hits:  # who saw which lists of patients (the query text itself is not kept)
                uow.audit(AuditEntry("search", "demographics", detail=f"{len(hits)} results"))
            return hits


def likely_duplicates(
    session: Session,
    data: PatientInput,
    today: date,
    *,
    phones: tuple[str, ...] | list[str] = (),
    exclude_id: str | None = None,
) -> list[DuplicateCandidate]:
    """Existing patients who are probably the same person, best first."""
    assert isinstance(data.date_of_birth, date)
    birth = data.date_of_birth
    first, last = fold(data.first_name), fold(data.last_name)
    reversed_phones = [re.sub(r"\D", "", p)[-10:][::-1] for p in phones]
    conditions = [Patient.date_of_birth == birth, Patient.last_sound == sound_key(last)]
    if len(last) >= 2:
        conditions.append(_prefix(Patient.last_key, last[:2]) & (Patient.first_key == first))
    if reversed_phones:
        conditions.append(
            Patient.id.in_(
                select(PatientPhone.patient_id).where(
                    PatientPhone.digits_reversed.in_(reversed_phones),
                    PatientPhone.deleted_at.is_(None),
                )
            )
        )
    query = _searchable(select(*_HIT_COLUMNS)).where(or_(*conditions)).limit(400)
    finder = _Finder(session, today, DEFAULT_LIMIT)
    rows = list(session.execute(query))
    phone_owners = set()
    if reversed_phones:
        phone_owners = set(
            session.scalars(
                select(PatientPhone.patient_id).where(
                    PatientPhone.digits_reversed.in_(reversed_phones),
                    PatientPhone.deleted_at.is_(None),
                )
            )
        )
    candidates = []
    for row in rows:
        if row.id == exclude_id:
            continue
        score, reasons = _duplicate_score(data, row, row.id in phone_owners)
        if score >= DUPLICATE_THRESHOLD:
            hit = finder.hits([(row, "possible duplicate")])[0]
            candidates.append(DuplicateCandidate(hit, round(score, 2), tuple(reasons)))
    candidates.sort(key=lambda c: -c.score)
    return candidates[:5]


def _duplicate_score(data: PatientInput, row: HitRow, same_phone: bool) -> tuple[float, list[str]]:
    birth = data.date_of_birth
    assert isinstance(birth, date), "validated input has a parsed date"
    theirs: date = row.date_of_birth
    score, reasons = 0.0, []
    last_sim = name_similarity(data.last_name, row.last_name)
    first_sim = max(
        name_similarity(data.first_name, row.first_name),
        name_similarity(data.first_name, row.preferred_name or ""),
    )
    swapped = (
        name_similarity(data.first_name, row.last_name)
        + name_similarity(data.last_name, row.first_name)
    ) / 2
    if last_sim >= 0.9 and first_sim >= 0.85:
        score += 0.4 * (last_sim + first_sim) / 2
        reasons.append("same or similar name")
    elif swapped >= 0.92:
        score += 0.35
        reasons.append("first and last name swapped")
    elif last_sim >= 0.9:
        score += 0.15
        reasons.append("same last name")
    if theirs == birth:
        score += 0.4
        reasons.append("same date of birth")
    elif _close_dates(birth, theirs):
        score += 0.2
        reasons.append("date of birth differs by one typo")
    if same_phone:
        score += 0.3
        reasons.append("same phone number")
    return score, reasons


def _close_dates(a: date, b: date) -> bool:
    """Typing slips: day and month swapped, or one digit different."""
    if a.year == b.year and a.month == b.day and a.day == b.month:
        return True
    text_a, text_b = a.strftime("%Y%m%d"), b.strftime("%Y%m%d")
    return sum(x != y for x, y in zip(text_a, text_b, strict=True)) == 1
