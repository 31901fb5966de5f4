"""What the calendar shows: appointments for a stretch of days, with the time each
provider is not available shaded, and per-day counts for the month view."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, or_, select

from app.models import Appointment, AppointmentStatus, BlockedTime, BlockKind, WorkingHours
from app.services.audit_chain import AuditEntry
from app.services.context import AppContext, UnitOfWork, requires
from app.services.permissions import Permission
from app.services.schedule_data import CalendarRange, ProviderView, Unavailable
from app.services.schedule_queries import (
    appointments_overlapping,
    practice_zone,
    view_query,
    views,
    visit_history,
)
from app.services.schedule_rules import OCCUPYING, days_between, to_utc, to_wall
from app.services.schedule_setup import list_providers

# Hidden unless asked for: they no longer hold the time.
_GONE = (AppointmentStatus.CANCELLED, AppointmentStatus.RESCHEDULED, AppointmentStatus.DECLINED)
MAX_DAYS = 42


class CalendarService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @requires(Permission.SCHEDULE)
    def range(
        self,
        first_day: date,
        days: int,
        provider_ids: Sequence[str] | None = None,
        *,
        include_cancelled: bool = False,
        with_history: bool = False,
    ) -> CalendarRange:
        """Appointments from `first_day` for `days` days (all providers unless given),
        and when each provider is off, on a break or blocked. `with_history` adds each
        patient's visit count and usual provider (the day view shows them)."""
        days = max(1, min(days, MAX_DAYS))
        with self.ctx.unit_of_work() as uow:
            zone = practice_zone(uow.session)
            providers = _chosen(list_providers(uow), provider_ids)
            ids = [p.id for p in providers]
            starts = to_utc(datetime.combine(first_day, time()), zone)
            ends = to_utc(datetime.combine(first_day + timedelta(days=days), time()), zone)
            query = (
                view_query()
                .where(
                    Appointment.provider_id.in_(ids),
                    appointments_overlapping(starts, ends),
                )
                .order_by(Appointment.starts_at, Appointment.id)
            )
            if not include_cancelled:
                query = query.where(Appointment.status.not_in(_GONE))
            found = views(uow.session, query)
            if with_history:
                physicians = {p.id: p.name for p in list_providers(uow) if p.physician}
                history = visit_history(
                    uow.session, (a.patient_id for a in found), physicians.keys()
                )
                found = [
                    replace(
                        a,
                        visit_count=history[a.patient_id][0],
                        usual_provider_name=_unusual(
                            history[a.patient_id][1], a.provider_id, physicians
                        ),
                    )
                    for a in found
                ]
            last_day = first_day + timedelta(days=days - 1)
            unavailable = _unavailable(uow, ids, first_day, last_day, zone, starts, ends)
            uow.audit(AuditEntry("read", "schedule", detail=f"{first_day} +{days} days"))
            return CalendarRange(first_day, days, tuple(providers), tuple(found), unavailable)

    @requires(Permission.SCHEDULE)
    def month_counts(
        self, first_day: date, last_day: date, provider_ids: Sequence[str] | None = None
    ) -> dict[date, int]:
        """Booked visits per day (for the month view)."""
        with self.ctx.unit_of_work() as uow:
            query = (
                select(func.date(Appointment.wall_start), func.count())
                .where(
                    Appointment.wall_start >= datetime.combine(first_day, time()),
                    Appointment.wall_start < datetime.combine(last_day + timedelta(days=1), time()),
                    Appointment.status.in_(OCCUPYING),
                    Appointment.deleted_at.is_(None),
                )
                .group_by(func.date(Appointment.wall_start))
            )
            if provider_ids:
                query = query.where(Appointment.provider_id.in_(list(provider_ids)))
            counts = {date.fromisoformat(day): count for day, count in uow.session.execute(query)}
            uow.audit(AuditEntry("read", "schedule", detail=f"counts {first_day}..{last_day}"))
            return counts


def _chosen(providers: list[ProviderView], ids: Sequence[str] | None) -> list[ProviderView]:
    if not ids:
        return providers
    wanted = set(ids)
    return [p for p in providers if p.id in wanted]


def _unusual(usual: str | None, booked: str, physicians: dict[str, str]) -> str | None:
    """The usual physician's name when the patient is booked with another physician (a
    nurse visit is no sign of a wrong booking)."""
    if usual is None or usual == booked or booked not in physicians:
        return None
    return physicians.get(usual)


def _unavailable(
    uow: UnitOfWork,
    provider_ids: list[str],
    first_day: date,
    last_day: date,
    zone: str,
    starts: datetime,
    ends: datetime,
) -> tuple[Unavailable, ...]:
    session = uow.session
    hours: dict[str, list[WorkingHours]] = defaultdict(list)
    for row in session.scalars(
        select(WorkingHours).where(
            WorkingHours.provider_id.in_(provider_ids), WorkingHours.deleted_at.is_(None)
        )
    ):
        hours[row.provider_id].append(row)
    spans: list[Unavailable] = []
    for provider_id in provider_ids:
        if not hours[provider_id]:
            continue  # hours not set up: the whole day is open
        for day in days_between(first_day, last_day):
            spans += _off_hours(provider_id, day, hours[provider_id])
    blocks = session.scalars(
        select(BlockedTime).where(
            or_(BlockedTime.provider_id.in_(provider_ids), BlockedTime.provider_id.is_(None)),
            BlockedTime.starts_at < ends,
            BlockedTime.ends_at > starts,
            BlockedTime.deleted_at.is_(None),
        )
    )
    for block in blocks:
        kind = "holiday" if block.kind is BlockKind.HOLIDAY else "block"
        for provider_id in [block.provider_id] if block.provider_id else provider_ids:
            spans.append(
                Unavailable(
                    provider_id,
                    to_wall(block.starts_at, zone),
                    to_wall(block.ends_at, zone),
                    kind,
                    block.reason,
                )
            )
    return tuple(spans)


def _off_hours(provider_id: str, day: date, rows: list[WorkingHours]) -> list[Unavailable]:
    """Before, between and after the day's stretches, and the breaks."""
    stretches = sorted((r for r in rows if r.weekday == day.weekday()), key=lambda r: r.starts)
    cursor = datetime.combine(day, time())
    spans = []
    for row in stretches:
        start = datetime.combine(day, row.starts)
        if start > cursor:
            spans.append(Unavailable(provider_id, cursor, start, "off", "Not working"))
        if row.break_starts and row.break_ends:
            spans.append(
                Unavailable(
                    provider_id,
                    datetime.combine(day, row.break_starts),
                    datetime.combine(day, row.break_ends),
                    "break",
                    "Break",
                )
            )
        cursor = datetime.combine(day, row.ends)
    end_of_day = datetime.combine(day + timedelta(days=1), time())
    if cursor < end_of_day:
        spans.append(Unavailable(provider_id, cursor, end_of_day, "off", "Not working"))
    return spans
