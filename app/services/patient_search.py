"""Finding patients the way the front desk types: names (prefix, "last, first", small
typos), dates of birth, phone numbers (or their last digits), MRN and insurance member ID.
Also the likely-duplicate check run before a new record is saved."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from jellyfish import jaro_winkler_similarity as jaro_winkler
from sqlalchemy import ColumnElement, and_, bindparam, or_, select
from sqlalchemy.orm import Session

from app.models import Coverage, Patient, PatientPhone, PatientStatus, SexAtBirth
from app.models.search_index import surnames_near
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
    national_digits_reversed,
    parse_birth_date,
    sound_key,
)
from app.services.patients import practice_today
from app.services.permissions import Permission

DEFAULT_LIMIT = 50
TYPO_SIMILARITY = 0.82
TYPO_CANDIDATES = 150
CLOSE_ENOUGH = 0.9  # a one-slip match this similar needs no sound-alike search
TYPO_FALLBACK_BELOW = 10  # look for misspellings only when exact matches are this few
DUPLICATE_THRESHOLD = 0.6
HitRow = Any  # a result Row carrying the HIT_COLUMNS
NAME_ORDER = (Patient.last_key, Patient.first_key, Patient.date_of_birth)
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
    return and_(column >= text, column < _after(text))


def _after(text: str) -> str:
    """The smallest string greater than every string starting with `text`."""
    return text[:-1] + chr(ord(text[-1]) + 1)


_PHONES_OF = (
    select(PatientPhone.patient_id, PatientPhone.number)
    .where(
        PatientPhone.patient_id.in_(bindparam("ids", expanding=True)),
        PatientPhone.deleted_at.is_(None),
    )
    .order_by(PatientPhone.created_at)
)

HIT_COLUMNS = (
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
    Patient.last_key,
    Patient.first_key,
)


def searchable(query: Any) -> Any:
    return query.where(Patient.deleted_at.is_(None), Patient.status != PatientStatus.MERGED)


def _statement(where: ColumnElement[bool], order: tuple[Any, ...] = NAME_ORDER) -> Any:
    return searchable(select(*HIT_COLUMNS)).where(where).order_by(*order).limit(bindparam("limit"))


def _between(column: Any, low: str, high: str) -> ColumnElement[bool]:
    return and_(column >= bindparam(low), column < bindparam(high))


# Built once: every search reuses these statements (and SQLAlchemy's compiled cache) and only
# binds new values. Each is ordered like the index it ranges over, so LIMIT stops early.
_QUERIES = {
    "last": _statement(_between(Patient.last_key, "lo", "hi")),
    "first": _statement(
        _between(Patient.first_key, "lo", "hi"), (Patient.first_key, Patient.last_key)
    ),
    "preferred": _statement(_between(Patient.preferred_key, "lo", "hi"), (Patient.preferred_key,)),
    "last_first": _statement(
        and_(_between(Patient.last_key, "lo", "hi"), _between(Patient.first_key, "lo2", "hi2"))
    ),
    "last_preferred": _statement(  # few people have a preferred name: range over those
        and_(_between(Patient.last_key, "lo", "hi"), _between(Patient.preferred_key, "lo2", "hi2")),
        (Patient.preferred_key,),
    ),
    "birth_date": _statement(Patient.date_of_birth == bindparam("birth")),
    "phone": _statement(
        Patient.id.in_(
            select(PatientPhone.patient_id).where(
                _between(PatientPhone.digits_reversed, "lo", "hi"),
                PatientPhone.deleted_at.is_(None),
            )
        )
    ),
    "mrn": _statement(Patient.mrn == bindparam("code")),
    "member_id": _statement(
        Patient.id.in_(
            select(Coverage.patient_id).where(
                Coverage.member_id == bindparam("code"), Coverage.deleted_at.is_(None)
            )
        )
    ),
}


def _candidates(where: ColumnElement[bool]) -> Any:
    """Whole hit rows (scored, then shown without another round trip), in index order."""
    return (
        searchable(select(*HIT_COLUMNS)).where(where).order_by(*NAME_ORDER).limit(TYPO_CANDIDATES)
    )


# Index-only: is there any surname with this beginning at all?
_ANY_SURNAME_STARTING = (
    select(Patient.last_key).where(_between(Patient.last_key, "lo", "hi")).limit(1)
)

_SOUNDS_LIKE = _candidates(Patient.last_sound == bindparam("code"))
_SOUNDS_LIKE_AND_INITIAL = _candidates(
    and_(Patient.last_sound == bindparam("code"), _between(Patient.first_key, "lo2", "hi2"))
)
_NEAR_SURNAMES = _candidates(Patient.last_key.in_(bindparam("keys", expanding=True)))
_NEAR_SURNAMES_AND_INITIAL = _candidates(
    and_(
        Patient.last_key.in_(bindparam("keys", expanding=True)),
        _between(Patient.first_key, "lo2", "hi2"),
    )
)


class PatientFinder:
    """The queries behind one search, on one session."""

    def __init__(self, session: Session, today: date, limit: int) -> None:
        self.session = session
        self.today = today
        self.limit = limit

    def rows(self, query: str, matched_by: str, **values: Any) -> list[tuple[HitRow, str]]:
        """Rows of one of the prepared `_QUERIES`, with `values` bound."""
        values.setdefault("limit", self.limit)
        return [(row, matched_by) for row in self.session.execute(_QUERIES[query], values)]

    def by_name(self, text: str) -> list[tuple[HitRow, str]]:
        if "," in text:
            last, _, first = text.partition(",")
            pairs = [(fold(first), fold(last))]
        else:
            words = [fold(w) for w in text.split() if fold(w)]
            if not words:
                return []
            if len(words) == 1:
                word = words[0]
                bounds = {"lo": word, "hi": _after(word)}
                single: list[tuple[HitRow, str]] = []
                for query in ("last", "first", "preferred"):
                    single += self.rows(query, "name", **bounds)
                single = self._in_name_order(single)
                return single + self.sounds_like(word, "", single)
            pairs = [(words[0], words[-1]), (words[-1], words[0])]
        found: list[tuple[HitRow, str]] = []
        for first, last in pairs:
            if not last:
                continue
            bounds = {"lo": last, "hi": _after(last)}
            if not first:
                found += self.rows("last", "name", **bounds)
                continue
            if (
                len(pairs) > 1
                and self.session.execute(_ANY_SURNAME_STARTING, bounds).first() is None
            ):
                continue  # nobody's surname starts so: skip this word order's two look-ups
            for query in ("last_first", "last_preferred"):
                found += self.rows(query, "name", lo2=first, hi2=_after(first), **bounds)
        found = self._in_name_order(found)
        for first, last in pairs:  # "first last", then "last first"; stop at the first that finds
            more = self.sounds_like(last, first, found) if last else []
            if more:
                return found + more
        return found

    def _in_name_order(self, rows: list[tuple[HitRow, str]]) -> list[tuple[HitRow, str]]:
        unique = {row.id: (row, how) for row, how in reversed(rows)}
        ordered = sorted(
            unique.values(),
            key=lambda pair: (pair[0].last_key, pair[0].first_key, pair[0].date_of_birth),
        )
        return ordered[: self.limit]

    def sounds_like(
        self, last: str, first: str, already: list[tuple[HitRow, str]]
    ) -> list[tuple[HitRow, str]]:
        """Small typos. Candidates come from two indexed lookups: surnames one typing slip
        away (Smiht, Wlls, Jekins) and surnames that sound the same (Jonson, Johnson). Each is
        scored by Jaro-Winkler similarity and the best are kept."""
        wanted = self.limit - len(already)
        if len(already) >= TYPO_FALLBACK_BELOW or wanted <= 0 or len(last) < 3:
            return []
        values: dict[str, object] = {"code": sound_key(last)}
        values["keys"] = surnames_near(self.session, last) or [last]
        values |= {"lo2": first[:1], "hi2": _after(first[:1])} if first else {}
        sounds, near = (
            (_SOUNDS_LIKE_AND_INITIAL, _NEAR_SURNAMES_AND_INITIAL)
            if first
            else (_SOUNDS_LIKE, _NEAR_SURNAMES)
        )
        seen = {row.id for row, _ in already}
        scored: dict[str, tuple[float, HitRow]] = {}
        # One slip away first; the sound-alike lookup only when that found nothing close.
        for query in (near, sounds):
            for row in self.session.execute(query, values):
                if row.id in seen:
                    continue
                similarity = jaro_winkler(last, row.last_key)  # both already folded
                if first:
                    similarity = (similarity + jaro_winkler(first, row.first_key)) / 2
                if similarity >= TYPO_SIMILARITY:
                    scored[row.id] = (similarity, row)
            if scored and max(score for score, _ in scored.values()) >= CLOSE_ENOUGH:
                break
        best = sorted(scored.values(), key=lambda pair: -pair[0])[:wanted]
        return [(row, "sounds like") for _, row in best]

    def by_birth_date(self, birth: date) -> list[tuple[HitRow, str]]:
        return self.rows("birth_date", "date of birth", birth=birth)

    def by_phone(self, digits: str) -> list[tuple[HitRow, str]]:
        if len(digits) == 11 and digits.startswith("1"):
            digits = digits[1:]
        backwards = digits[::-1]
        return self.rows("phone", "phone", lo=backwards, hi=_after(backwards))

    def by_identifier(self, text: str) -> list[tuple[HitRow, str]]:
        code = text.upper().replace(" ", "")
        return self.rows("mrn", "MRN", code=code) + self.rows("member_id", "member ID", code=code)

    def hits(self, rows: list[tuple[HitRow, str]]) -> list[PatientHit]:
        unique: dict[str, tuple[HitRow, str]] = {}
        for row, matched_by in rows:
            unique.setdefault(row.id, (row, matched_by))
        chosen = list(unique.values())[: self.limit]
        phones: dict[str, str] = {}
        if chosen:
            ids = [row.id for row, _ in chosen]
            for patient_id, number in self.session.execute(_PHONES_OF, {"ids": ids}):
                phones.setdefault(patient_id, number)  # the first one entered
        return [self._hit(row, how, phones.get(row.id)) for row, how in chosen]

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
    finder = PatientFinder(session, today, limit)
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
    name_words = [w for w in text.split() if not looks_like_date(w)]
    dates = [w for w in text.split() if looks_like_date(w)]
    compact = "".join(text.split())  # member IDs are often typed in the groups on the card
    if _HAS_DIGIT_AND_LETTER.match(compact):
        found = finder.by_identifier(compact)
        if found or not dates:  # "Smith 03141985" is a name and a date of birth
            return finder.hits(found)
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
    reversed_phones = [national_digits_reversed(p) for p in phones]  # as stored, any country
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
    query = searchable(select(*HIT_COLUMNS)).where(or_(*conditions)).limit(400)
    finder = PatientFinder(session, today, DEFAULT_LIMIT)
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
