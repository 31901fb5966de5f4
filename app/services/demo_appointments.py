"""A year of demo appointments, so the calendar, the day view and the printed schedule
have something real to show: past days mostly full and mostly checked out (with the
no-shows, cancellations and reschedules a front desk lives with), today under way, the
months ahead filling less the further out they are, a few recurring series, holidays and
blocked time. The same seed and clock give the same schedule.

Visits are planned in memory in one pass over the days, so each placement sees what is
already taken, then written straight through the ORM in a few units of work: booking
them one at a time through the booking service would take minutes for a year.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.models import (
    Appointment,
    AppointmentSeries,
    AppointmentStatus,
    AppointmentStatusChange,
    AppointmentType,
    BlockedTime,
    BlockKind,
    Coverage,
    Patient,
    PatientStatus,
    Role,
    Room,
    User,
    WorkingHours,
)
from app.models.base import new_id
from app.services.appointment_rows import PROVIDER_ROLES
from app.services.audit_chain import AuditEntry
from app.services.bus import AppointmentsChanged, ScheduleSetupChanged
from app.services.context import AppContext
from app.services.schedule_data import Recurrence
from app.services.schedule_queries import practice_zone
from app.services.schedule_rules import (
    SEEN,
    occurrences,
    recurrence_rule,
    subtract,
    to_utc,
    to_wall,
)
from app.services.settings import LATE_CANCEL_HOURS, read_setting

S = AppointmentStatus
Span = tuple[datetime, datetime]  # local wall times
Step = tuple[AppointmentStatus, datetime, str | None]  # status, when (UTC), note
MINUTE = timedelta(minutes=1)
GRID = timedelta(minutes=15)  # how far an empty stretch of the day moves on
PAST_FILL = 0.87  # share of a past day's working time that was booked
TODAY_FILL = 0.93  # same-day sick visits fill today's gaps
NEW_PATIENTS = 0.25  # share of patients who first come during the year
USUAL_SHARE = 0.9  # a physician's visits with their own patients
BATCH = 3000  # appointments per unit of work
# Statuses that keep a slot from being offered again while planning.
_HOLDS = frozenset({*SEEN, S.BOOKED, S.CONFIRMED, S.NO_SHOW, S.REQUESTED})

TYPE_WEIGHTS = {"Follow-up": 45, "Sick visit": 30, "Annual physical": 12}
REASONS = {
    "New patient visit": ("Establish care", "Transferring care", "New patient: blood pressure"),
    "Follow-up": (
        *("Blood pressure check", "Diabetes follow-up", "Medication review", "Lab results"),
        *("Thyroid follow-up", "Asthma check", "Back pain follow-up", "Mood follow-up"),
    ),
    "Annual physical": ("Annual physical", "Wellness visit"),
    "Sick visit": (
        *("Sore throat", "Cough and fever", "Ear pain", "Rash", "Urinary symptoms"),
        *("Sinus congestion", "Stomach upset", "Ankle sprain"),
    ),
    "Immunization": ("Tdap booster", "Shingles vaccine", "Pneumococcal vaccine", "Hepatitis B"),
}
CHILD_REASONS = {
    "Annual physical": ("Well-child check", "Sports physical"),
    "Immunization": ("Childhood vaccines", "HPV vaccine"),
}
CANCEL_REASONS = ("Patient called to cancel", "Feeling better", "Work conflict", "No ride")
DECLINE_REASONS = ("Needs a longer visit; called to book one", "Asked for a provider who is away")
SERIES_PLANS = (
    # type, every n weeks, visits, reason, first visit (days from today)
    ("Immunization", 1, 8, "Allergy shot", -42),
    ("Immunization", 2, 6, "B12 injection", -80),
    ("Follow-up", 2, 6, "Blood pressure check", -50),
    ("Follow-up", 1, 6, "Wound check", -12),
    ("Follow-up", 4, 6, "Diabetes follow-up", -140),
    ("Follow-up", 2, 8, "Weight management", 10),
)


def us_holidays(year: int) -> list[tuple[date, str]]:
    """The days a US practice usually closes (a weekend holiday moves to Friday or Monday)."""

    def nth(month: int, weekday: int, n: int) -> date:
        if n > 0:
            first = date(year, month, 1)
            return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
        last = date(year, month + 1, 1) - timedelta(days=1)
        return last - timedelta(days=(last.weekday() - weekday) % 7)

    days = [(nth(5, 0, -1), "Memorial Day"), (nth(9, 0, 1), "Labor Day")]
    days.append((nth(11, 3, 4), "Thanksgiving"))
    for month, day, name in ((1, 1, "New Year's Day"), (7, 4, "July 4th"), (12, 25, "Christmas")):
        when = date(year, month, day)
        days.append((when + timedelta(days={5: -1, 6: 1}.get(when.weekday(), 0)), name))
    return sorted(days)


@dataclass(frozen=True)
class _Type:
    id: str
    name: str
    minutes: int
    new_only: bool


@dataclass
class _Provider:
    id: str
    physician: bool
    hours: dict[int, list[tuple[time, time]]]  # weekday → working stretches, breaks left out
    locations: dict[int, str]  # weekday → location
    types: list[_Type]
    rooms: list[str] = field(default_factory=list)

    def stretches(self, day: date) -> list[Span]:
        return [
            (datetime.combine(day, start), datetime.combine(day, end))
            for start, end in self.hours.get(day.weekday(), [])
        ]

    @property
    def mean_minutes(self) -> float:
        booked = [t for t in self.types if not t.new_only]
        weights = [TYPE_WEIGHTS.get(t.name, 10) for t in booked]
        return sum(t.minutes * w for t, w in zip(booked, weights, strict=True)) / sum(weights)


@dataclass
class _Patient:
    id: str
    birth: date
    copay: int | None
    usual: str = ""  # the physician they see
    joins: date | None = None  # a new patient: first seen on or after this day
    state: str = "established"  # or "new" (first visit to book), "pending" (first one booked)
    seen: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    last_physical: date | None = None


@dataclass(eq=False)
class _Visit:
    patient: _Patient
    provider: _Provider
    kind: _Type
    start: datetime  # wall
    reason: str | None
    series_id: str | None = None
    id: str = field(default_factory=new_id)
    status: AppointmentStatus = S.BOOKED
    steps: list[Step] = field(default_factory=list)
    room_id: str | None = None
    arrived_at: datetime | None = None
    copay: int | None = None
    cancel_reason: str | None = None
    late_cancel: bool = False
    moved_to: _Visit | None = None
    attends: bool = False  # comes (or will): the clinic's flow fills in the times

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.kind.minutes)


def seed_demo_appointments(
    ctx: AppContext, seed: int, *, days_back: int = 180, days_ahead: int = 180
) -> int:
    """Appointments from `days_back` days ago to `days_ahead` days on, among the practice's
    patients, for every provider with working hours and no appointments yet in that time
    (so a second call only fills in providers added since); returns how many."""
    with ctx.unit_of_work() as uow:
        planner = _Planner(uow.session, ctx.clock.now(), random.Random(seed), days_back, days_ahead)
    if not planner.providers or not planner.patients:
        return 0
    planner.plan()
    return _write(ctx, planner)


class _Planner:
    def __init__(
        self, session: Session, now: datetime, rng: random.Random, days_back: int, days_ahead: int
    ) -> None:
        self.rng, self.now = rng, now
        self.zone = practice_zone(session)
        self.today = to_wall(now, self.zone).date()
        self.first_day = self.today - timedelta(days=days_back)
        self.last_day = self.today + timedelta(days=days_ahead)
        self.late_cancel = timedelta(hours=int(read_setting(session, LATE_CANCEL_HOURS)))
        self.patients = _patients(session)
        self.blocked: list[tuple[str | None, Span]] = [
            (row.provider_id, (to_wall(row.starts_at, self.zone), to_wall(row.ends_at, self.zone)))
            for row in session.scalars(select(BlockedTime).where(BlockedTime.deleted_at.is_(None)))
        ]
        self.busy: dict[tuple[str, date], list[Span]] = defaultdict(list)  # provider or patient
        for provider_id, patient_id, (start, end) in _taken(session, self.first_day, self.last_day):
            self.busy[(provider_id, start.date())].append((start, end))
            self.busy[(patient_id, start.date())].append((start, end))
        self.providers = [p for p in _providers(session) if not _booked_any(self.busy, p.id)]
        self.new_blocks: list[tuple[str | None, BlockKind, Span, str]] = []
        self.series: list[tuple[str, str, str, datetime]] = []  # id, patient, rule, first
        self.visits: list[_Visit] = []
        self.panels: dict[str, list[_Patient]] = defaultdict(list)  # physician → patients
        self.met: set[tuple[str, str, date]] = set()  # patient, provider, day
        self.moving: dict[tuple[str, date], list[tuple[_Visit, datetime]]] = defaultdict(list)

    def plan(self) -> None:
        first_day, last_day = self.first_day, self.last_day
        self._assign_patients()
        self._plan_closures()
        for plan in SERIES_PLANS:
            self._plan_series(*plan)
        for offset in range((last_day - first_day).days + 1):
            for provider in self.providers:
                self._fill_day(provider, first_day + timedelta(days=offset))
        for leftovers in self.moving.values():  # nowhere to move to: cancelled instead
            for origin, at in leftovers:
                self._cancel_instead(origin, at)
        clinics: dict[tuple[str, date], list[_Visit]] = defaultdict(list)
        for visit in self.visits:
            if visit.attends:
                clinics[(visit.provider.id, visit.start.date())].append(visit)
        for visits in clinics.values():
            self._run_clinic(sorted(visits, key=lambda v: v.start))

    # --- set-up ---------------------------------------------------------------------

    def _assign_patients(self) -> None:
        physicians = [p for p in self.providers if p.physician] or self.providers
        weights = [sum(len(s) for s in p.hours.values()) for p in physicians]
        joining_days = max((self.last_day - self.first_day).days - 14, 1)
        for patient in self.patients:
            patient.usual = self.rng.choices(physicians, weights)[0].id
            self.panels[patient.usual].append(patient)
            if self.rng.random() < NEW_PATIENTS:
                patient.state = "new"
                patient.joins = self.first_day + timedelta(days=self.rng.randrange(joining_days))

    def _plan_closures(self) -> None:
        """Holidays; each provider's week of vacation, an afternoon away and a monthly
        staff meeting."""
        for year in range(self.first_day.year, self.last_day.year + 1):
            for day, name in us_holidays(year):
                start = datetime.combine(day, time())
                closed = any(who is None and s <= start < e for who, (s, e) in self.blocked)
                if self.first_day <= day <= self.last_day and not closed:
                    self._block(None, (start, start + timedelta(days=1)), name, BlockKind.HOLIDAY)
        window = (self.last_day - self.first_day).days
        for index, provider in enumerate(self.providers):
            # Spread over the year, and never today: the demo opens on everyone at work.
            monday = self.first_day + timedelta(days=int(window * (0.15 + 0.3 * index)))
            monday -= timedelta(days=monday.weekday())
            if monday <= self.today < monday + timedelta(days=7):
                monday -= timedelta(days=14)
            start = datetime.combine(monday, time())
            self._block(provider.id, (start, start + timedelta(days=7)), "Vacation")
            day = self.first_day + timedelta(days=int(window * (0.3 + 0.3 * index)))
            day -= timedelta(days=7) if day == self.today else timedelta()
            away = "CME conference" if provider.physician else "School vaccine clinic"
            for stretch in provider.stretches(day)[-1:]:
                self._block(provider.id, stretch, away)
            month = self.first_day.replace(day=1)
            while month <= self.last_day:
                thursday = month + timedelta(days=(3 - month.weekday()) % 7)
                for start, _ in provider.stretches(thursday)[:1]:
                    if self.first_day <= thursday <= self.last_day:
                        meeting = (start, start + timedelta(hours=1))
                        self._block(provider.id, meeting, "Staff meeting")
                month = (month + timedelta(days=32)).replace(day=1)

    def _block(
        self, provider_id: str | None, span: Span, reason: str, kind: BlockKind = BlockKind.BLOCK
    ) -> None:
        self.new_blocks.append((provider_id, kind, span, reason))
        self.blocked.append((provider_id, span))

    def _plan_series(self, type_name: str, weeks: int, visits: int, reason: str, days: int) -> None:
        """A recurring visit at the first time, within two weeks of the planned day, that is
        open on every date of the series."""
        offering = [p for p in self.providers if any(t.name == type_name for t in p.types)]
        if not offering:
            return
        provider = offering[len(self.series) % len(offering)]
        kind = next(t for t in provider.types if t.name == type_name)
        patients = self.panels[provider.id] if provider.physician else self.patients
        patients = [p for p in patients if p.state == "established"]
        first_day = max(self.first_day, self.today + timedelta(days=days))
        count = min(visits, (self.last_day - first_day).days // (7 * weeks))
        if not patients or count < 2:
            return
        patient = self.rng.choice(patients)
        for day in (first_day + timedelta(days=n) for n in range(14)):
            starts = self._starts(provider, patient, day, kind.minutes)
            self.rng.shuffle(starts)
            for first in starts:
                rule = recurrence_rule(Recurrence(interval_weeks=weeks, count=count), first)
                walls = occurrences(rule, first)
                if all(self._open(provider, patient, wall, kind.minutes) for wall in walls):
                    series_id = new_id()
                    self.series.append((series_id, patient.id, rule, first))
                    for wall in walls:
                        visit = _Visit(patient, provider, kind, wall, reason, series_id)
                        self._keep(visit, self._settle(visit, may_move=False))
                    return

    # --- filling the days -----------------------------------------------------------

    def _fill_day(self, provider: _Provider, day: date) -> None:
        """Moved visits first, then the day's free time from the top: each step books a
        visit or, less often, leaves a gap (where an online request may sit)."""
        for origin, at in self.moving.pop((provider.id, day), []):
            self._place_moved(provider, day, origin, at)
        ahead = (day - self.today).days
        share = PAST_FILL if ahead < 0 else max(0.06, PAST_FILL * math.exp(-ahead / 40))
        share = TODAY_FILL if ahead == 0 else share + self.rng.uniform(-0.05, 0.05)
        gap = GRID / MINUTE  # the chance below makes booked time ≈ share of the day
        chance = share * gap / (provider.mean_minutes * (1 - share) + share * gap)
        for start, end in self._free(provider, day):
            cursor, freed_at = start, None
            while cursor + GRID <= end:
                visit = None
                if self.rng.random() < chance:
                    visit = self._book(provider, cursor, end, freed_at)
                elif self.rng.random() < 0.03:
                    visit = self._request(provider, cursor, end)
                if visit is not None and visit.status in _HOLDS:
                    cursor, freed_at = visit.end, None
                    continue
                if visit is not None and visit.status in (S.CANCELLED, S.RESCHEDULED):
                    freed_at = visit.steps[-1][1]  # whoever takes the slot booked it later
                cursor += GRID

    def _book(
        self, provider: _Provider, start: datetime, limit: datetime, freed_at: datetime | None
    ) -> _Visit | None:
        pick = self._pick(provider, start, limit)
        if pick is None:
            return None
        visit = _Visit(pick[0], provider, pick[1], start, self._reason(pick[1], pick[0], start))
        self._keep(visit, self._settle(visit, after=freed_at))
        return visit

    def _request(self, provider: _Provider, start: datetime, limit: datetime) -> _Visit | None:
        """Asked for online: still waiting if it is coming up, declined if it has passed."""
        ahead = (start.date() - self.today).days
        pick = self._pick(provider, start, limit, established_only=True) if ahead <= 30 else None
        if pick is None or (ahead >= 0 and self.rng.random() < 0.5):
            return None
        visit = _Visit(pick[0], provider, pick[1], start, self._reason(pick[1], pick[0], start))
        asked = min(self._utc(start) - timedelta(days=self.rng.uniform(1, 6)), self.now - MINUTE)
        steps: list[Step] = [(S.REQUESTED, asked, None)]
        if ahead < 0:
            visit.cancel_reason = self.rng.choice(DECLINE_REASONS)
            answered = asked + timedelta(hours=self.rng.uniform(1, 20))
            steps.append((S.DECLINED, answered, visit.cancel_reason))
        self._keep(visit, steps)
        return visit

    def _place_moved(self, provider: _Provider, day: date, origin: _Visit, at: datetime) -> None:
        """The new time of a rescheduled visit: the first day from `day` with room for it."""
        starts = self._starts(provider, origin.patient, day, origin.kind.minutes)
        if not starts:
            if day < self.last_day:
                self.moving[(provider.id, day + timedelta(days=1))].append((origin, at))
            else:
                self._cancel_instead(origin, at)
            return
        start = self.rng.choice(starts)
        visit = _Visit(origin.patient, provider, origin.kind, start, origin.reason)
        origin.moved_to = visit
        self._keep(visit, self._settle(visit, booked_at=at, may_move=False))

    def _cancel_instead(self, origin: _Visit, at: datetime) -> None:
        origin.cancel_reason = CANCEL_REASONS[0]
        origin.steps[-1] = (S.CANCELLED, at, origin.cancel_reason)
        origin.status = S.CANCELLED
        origin.late_cancel = self._utc(origin.start) - at < self.late_cancel
        if origin.kind.new_only:
            origin.patient.state = "new"

    def _pick(
        self, provider: _Provider, start: datetime, limit: datetime, established_only: bool = False
    ) -> tuple[_Patient, _Type] | None:
        """A patient free at `start` (mostly one of this physician's own) and a visit type
        that fits before `limit`; None when a few tries find nobody."""
        day = start.date()
        for _ in range(8):
            own = provider.physician and self.rng.random() < USUAL_SHARE
            patient = self.rng.choice(self.panels[provider.id] if own else self.patients)
            if patient.state == "pending" or (patient.joins or day) > day:
                continue
            first_visit = patient.state == "new"
            if first_visit and (established_only or patient.usual != provider.id):
                continue
            # Nurse visits stay fewer than the physician's, so the usual provider is theirs.
            usual_seen = max(patient.seen[patient.usual], 1)
            if not provider.physician and patient.seen[provider.id] >= usual_seen:
                continue
            kinds = [
                t
                for t in provider.types
                if t.new_only == first_visit
                and start + timedelta(minutes=t.minutes) <= limit
                and not (t.name == "Annual physical" and self._had_physical(patient, day))
            ]
            if not kinds:
                continue
            kind = self.rng.choices(kinds, [TYPE_WEIGHTS.get(t.name, 10) for t in kinds])[0]
            if self._patient_free(patient, provider, start, kind.minutes):
                return patient, kind
        return None

    def _had_physical(self, patient: _Patient, day: date) -> bool:
        return patient.last_physical is not None and (day - patient.last_physical).days < 300

    def _keep(self, visit: _Visit, steps: list[Step]) -> None:
        visit.steps, visit.status = steps, steps[-1][0]
        self.visits.append(visit)
        patient, day = visit.patient, visit.start.date()
        came = visit.attends and self._utc(visit.start) <= self.now
        if visit.status in _HOLDS:
            for who in (visit.provider.id, patient.id):
                self.busy[(who, day)].append((visit.start, visit.end))
        if visit.status is not S.DECLINED:
            self.met.add((patient.id, visit.provider.id, day))
        if came:
            patient.seen[visit.provider.id] += 1
        if visit.kind.name == "Annual physical" and visit.status in _HOLDS:
            patient.last_physical = day
        if visit.kind.new_only:
            waiting = visit.status in (S.BOOKED, S.CONFIRMED, S.RESCHEDULED)
            patient.state = "pending" if waiting and not came else "new"
            if came:  # established from the next day: nothing comes before the first visit
                patient.state, patient.joins = "established", day + timedelta(days=1)

    # --- what became of each visit --------------------------------------------------

    def _settle(
        self,
        visit: _Visit,
        *,
        booked_at: datetime | None = None,
        after: datetime | None = None,
        may_move: bool = True,
    ) -> list[Step]:
        """Its status history: booked, perhaps confirmed, then whatever happened by now."""
        start = self._utc(visit.start)
        steps: list[Step] = [(S.BOOKED, booked_at or self._booked_at(visit, start, after), None)]
        reminded = self._office_time(visit.start.date() - timedelta(days=self.rng.choice((1, 2))))
        answered = steps[0][1] < reminded <= self.now and self.rng.random() < 0.6
        confirm = reminded if answered else None
        roll, come = self.rng.random(), start + 20 * MINUTE <= self.now
        cancel, move = (0.08, 0.04) if come else (0.03, 0.02)
        if come and roll < 0.05:
            _confirm(steps, confirm, start)
            return [
                *steps,
                (S.NO_SHOW, min(start + MINUTE * self.rng.randint(20, 40), self.now), None),
            ]
        roll -= 0.05 if come else 0
        if roll < cancel and self._stop(visit, steps, confirm, S.CANCELLED):
            return steps
        if roll < cancel + move and may_move and self._stop(visit, steps, confirm, S.RESCHEDULED):
            return steps
        _confirm(steps, confirm, start - 30 * MINUTE)
        visit.attends = True
        return steps

    def _run_clinic(self, visits: list[_Visit]) -> None:
        """One provider's day as it went (or is going): patients arrive, wait until the
        one before them is with the provider, are roomed for vitals, wait for the provider,
        are seen and check out; overruns carry on to the next patient. Steps after the
        clock's now have not happened yet."""
        rng, rooms = self.rng, visits[0].provider.rooms
        provider_free = previous_seen = datetime.min.replace(tzinfo=UTC)
        for index, visit in enumerate(visits):
            start = self._utc(visit.start)
            late = rng.random() < 0.15
            arrived = start + MINUTE * (rng.randint(0, 12) if late else rng.randint(-35, -10))
            arrived = max(arrived, visit.steps[-1][1] + 5 * MINUTE)  # booked on the day
            roomed = max(
                arrived + MINUTE * rng.randint(2, 5),
                previous_seen + MINUTE * rng.randint(1, 4),
                start - 15 * MINUTE,
            )
            seen = max(roomed + MINUTE * rng.randint(4, 8), provider_free, start - 2 * MINUTE)
            out = seen + timedelta(minutes=visit.kind.minutes) * rng.uniform(0.75, 1.05)
            provider_free, previous_seen = out + MINUTE * rng.randint(1, 3), seen
            room = rooms[index % len(rooms)] if rooms else None
            flow = ((S.ARRIVED, arrived), (S.ROOMED, roomed), (S.WITH_PROVIDER, seen))
            for status, at in (*flow, (S.CHECKED_OUT, out)):
                if at <= self.now:
                    visit.steps.append((status, at.replace(second=0, microsecond=0), None))
            visit.status = visit.steps[-1][0]
            if arrived <= self.now:
                visit.arrived_at, visit.copay = (
                    arrived.replace(second=0, microsecond=0),
                    visit.patient.copay,
                )
            if roomed <= self.now:
                visit.room_id = room

    def _stop(
        self, visit: _Visit, steps: list[Step], confirm: datetime | None, status: AppointmentStatus
    ) -> bool:
        """Cancelled or rescheduled ahead of time; False when there was no time to."""
        start = self._utc(visit.start)
        low, high = steps[0][1] + 10 * MINUTE, min(self.now, start - 10 * MINUTE)
        late = status is S.CANCELLED and self.rng.random() < 0.3
        ahead = timedelta(hours=self.rng.uniform(1, 20) if late else self.rng.uniform(48, 300))
        at = min(max(start - ahead, low), high)
        new_day = visit.start.date() + timedelta(days=self.rng.randint(2, 21))
        if high <= low or (status is S.RESCHEDULED and new_day > self.last_day):
            return False
        _confirm(steps, confirm, at)
        if status is S.RESCHEDULED:
            self.moving[(visit.provider.id, new_day)].append((visit, at))
            steps.append((status, at, "Patient asked for another day"))
            return True
        visit.cancel_reason = self.rng.choice(CANCEL_REASONS)
        visit.late_cancel = start - at < self.late_cancel
        steps.append((status, at, visit.cancel_reason))
        return True

    def _booked_at(self, visit: _Visit, start: datetime, after: datetime | None) -> datetime:
        sick = visit.kind.name == "Sick visit"
        lead = self.rng.choice((0, 0, 1, 2)) if sick else int(self.rng.triangular(2, 70, 12))
        at = self._office_time(visit.start.date() - timedelta(days=lead))
        if at > self.now:  # far ahead: booked in the last few weeks
            at = self._office_time(self.today - timedelta(days=self.rng.randint(0, 40)))
        if after is not None:
            at = max(at, after + MINUTE * self.rng.randint(10, 90))
        return min(at, start - 15 * MINUTE, self.now - MINUTE)

    # --- time -----------------------------------------------------------------------

    def _free(self, provider: _Provider, day: date) -> list[Span]:
        taken = [span for who, span in self.blocked if who in (None, provider.id)]
        return subtract(provider.stretches(day), taken + self.busy[(provider.id, day)])

    def _starts(
        self, provider: _Provider, patient: _Patient, day: date, minutes: int
    ) -> list[datetime]:
        """Every start on the grid, within the provider's free time, that suits the patient."""
        length, starts = timedelta(minutes=minutes), []
        for start, end in self._free(provider, day):
            while start + length <= end:
                if self._patient_free(patient, provider, start, minutes):
                    starts.append(start)
                start += GRID
        return starts

    def _open(self, provider: _Provider, patient: _Patient, start: datetime, minutes: int) -> bool:
        end = start + timedelta(minutes=minutes)
        free = self._free(provider, start.date())
        fits = any(s <= start and end <= e for s, e in free)
        return fits and self._patient_free(patient, provider, start, minutes)

    def _patient_free(
        self, patient: _Patient, provider: _Provider, start: datetime, minutes: int
    ) -> bool:
        """Not booked then, and not already seeing this provider that day."""
        end, day = start + timedelta(minutes=minutes), start.date()
        if (patient.id, provider.id, day) in self.met:
            return False
        return not any(s < end and start < e for s, e in self.busy[(patient.id, day)])

    def _utc(self, wall: datetime) -> datetime:
        return to_utc(wall, self.zone)

    def _office_time(self, day: date) -> datetime:
        return self._utc(datetime.combine(day, time(8)) + MINUTE * self.rng.randint(5, 530))

    def _reason(self, kind: _Type, patient: _Patient, start: datetime) -> str | None:
        flu_season = start.month in (9, 10, 11, 12, 1)
        if kind.name == "Immunization" and flu_season and self.rng.random() < 0.6:
            return "Flu shot"
        child = (start.date() - patient.birth).days < 18 * 365
        options = (CHILD_REASONS if child else REASONS).get(kind.name) or REASONS.get(kind.name)
        return self.rng.choice(options) if options else None


def _confirm(steps: list[Step], confirm: datetime | None, before: datetime) -> None:
    """The reminder was answered, if that came before what happened next."""
    if confirm is not None and confirm < before:
        steps.append((S.CONFIRMED, confirm, "reminder answered"))


# --- what the practice has, and writing the plan -------------------------------------


def _providers(session: Session) -> list[_Provider]:
    """Physicians, then nurses, who have working hours and offer a visit type."""
    users = session.scalars(select(User).where(User.role.in_(PROVIDER_ROLES))).all()
    users = sorted(
        (u for u in users if u.is_active),
        key=lambda u: (u.role is not Role.PHYSICIAN, u.username),
    )
    hours = session.scalars(select(WorkingHours).where(WorkingHours.deleted_at.is_(None))).all()
    types = session.scalars(
        select(AppointmentType)
        .where(AppointmentType.active, AppointmentType.deleted_at.is_(None))
        .order_by(AppointmentType.name)
    ).all()
    providers = []
    for user in users:
        stretches: dict[int, list[tuple[time, time]]] = defaultdict(list)
        locations = {}
        for row in (h for h in hours if h.provider_id == user.id):
            locations[row.weekday] = row.location_id
            if row.break_starts is None or row.break_ends is None:
                stretches[row.weekday].append((row.starts, row.ends))
            else:
                stretches[row.weekday] += [
                    (row.starts, row.break_starts),
                    (row.break_ends, row.ends),
                ]
        offered = [
            _Type(t.id, t.name, t.default_minutes, t.new_patients_only)
            for t in types
            if not t.provider_ids or user.id in t.provider_ids
        ]
        if stretches and any(not t.new_only for t in offered):
            physician = user.role is Role.PHYSICIAN
            providers.append(_Provider(user.id, physician, dict(stretches), locations, offered))
    rooms = session.scalars(
        select(Room.id).where(Room.active, Room.deleted_at.is_(None)).order_by(Room.name)
    ).all()
    for index, provider in enumerate(providers):  # rooms of their own: no room is shared
        provider.rooms = list(rooms[index :: len(providers)])
    return providers


def _patients(session: Session) -> list[_Patient]:
    primary = select(Coverage.patient_id, Coverage.copay_cents).where(
        Coverage.priority == 1, Coverage.deleted_at.is_(None)
    )
    copays = {patient_id: cents for patient_id, cents in session.execute(primary)}
    rows = session.execute(
        select(Patient.id, Patient.date_of_birth)
        .where(Patient.status == PatientStatus.ACTIVE, Patient.deleted_at.is_(None))
        .order_by(Patient.mrn)
    )
    return [_Patient(patient_id, birth, copays.get(patient_id)) for patient_id, birth in rows]


def _taken(session: Session, first_day: date, last_day: date) -> list[tuple[str, str, Span]]:
    """Visits already booked in the window, so the demo's go around them."""
    rows = session.execute(
        select(
            Appointment.provider_id,
            Appointment.patient_id,
            Appointment.wall_start,
            Appointment.starts_at,
            Appointment.ends_at,
        ).where(
            Appointment.status.in_(_HOLDS),
            Appointment.deleted_at.is_(None),
            Appointment.wall_start >= datetime.combine(first_day, time()),
            Appointment.wall_start < datetime.combine(last_day + timedelta(days=1), time()),
        )
    )
    return [
        (provider_id, patient_id, (wall, wall + (ends - starts)))
        for provider_id, patient_id, wall, starts, ends in rows
    ]


def _booked_any(busy: dict[tuple[str, date], list[Span]], provider_id: str) -> bool:
    return any(who == provider_id and spans for (who, _), spans in busy.items())


def _write(ctx: AppContext, plan: _Planner) -> int:
    actor = ctx.actor.user_id if ctx.actor else None
    with ctx.unit_of_work() as uow:
        for provider_id, kind, (start, end), reason in plan.new_blocks:
            starts_at, ends_at = to_utc(start, plan.zone), to_utc(end, plan.zone)
            uow.session.add(
                BlockedTime(
                    provider_id=provider_id,
                    kind=kind,
                    reason=reason,
                    starts_at=starts_at,
                    ends_at=ends_at,
                )
            )
        for series_id, patient_id, rule, first_start in plan.series:
            uow.session.add(
                AppointmentSeries(
                    id=series_id,
                    patient_id=patient_id,
                    rule=rule,
                    first_start=first_start,
                    time_zone=plan.zone,
                )
            )
        detail = f"{len(plan.new_blocks)} demo holidays and blocks, {len(plan.series)} series"
        uow.audit(AuditEntry("create", "demo_data", detail=detail))
        uow.notify(ScheduleSetupChanged())
    # A rescheduled visit points at its new one, so the new ones are written first.
    visits = sorted(plan.visits, key=lambda v: v.moved_to is not None)
    for first in range(0, len(visits), BATCH):
        batch = visits[first : first + BATCH]
        with ctx.unit_of_work() as uow:
            # One flush for the batch: links between its rows are checked at commit.
            uow.session.execute(text("PRAGMA defer_foreign_keys = ON"))
            uow.session.add_all(_appointment(v, plan.zone, actor) for v in batch)
            uow.session.add_all(
                AppointmentStatusChange(
                    appointment_id=v.id,
                    status=status,
                    changed_at=at,
                    changed_by=None if status is S.REQUESTED else actor,  # asked online
                    note=note,
                )
                for v in batch
                for status, at, note in v.steps
            )
            uow.audit(AuditEntry("create", "demo_data", detail=f"{len(batch)} demo appointments"))
            uow.notify(AppointmentsChanged(()))
    return len(visits)


def _appointment(visit: _Visit, zone: str, actor: str | None) -> Appointment:
    starts_at = to_utc(visit.start, zone)
    values = {
        "id": visit.id,
        "patient_id": visit.patient.id,
        "provider_id": visit.provider.id,
        "location_id": visit.provider.locations[visit.start.weekday()],
        "room_id": visit.room_id,
        "type_id": visit.kind.id,
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(minutes=visit.kind.minutes),
        "wall_start": visit.start,
        "time_zone": zone,
        "status": visit.status,
        "status_changed_at": visit.steps[-1][1],
        "arrived_at": visit.arrived_at,
        "reason": visit.reason,
        "copay_due_cents": visit.copay,
        "cancel_reason": visit.cancel_reason,
        "cancelled_by": actor if visit.status is S.CANCELLED else None,
        "late_cancel": visit.late_cancel,
        "rescheduled_to_id": visit.moved_to.id if visit.moved_to else None,
        "series_id": visit.series_id,
        "occurrence_start": visit.start if visit.series_id else None,
    }
    # Columns left out stay NULL; setting a year of them to None one by one costs seconds.
    return Appointment(**{key: value for key, value in values.items() if value is not None})
