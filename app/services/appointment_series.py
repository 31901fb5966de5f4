"""Changing part of a recurring series: this visit, this and the following, or all.

The traps other systems fall into, and what we do instead:
- "This and following" splits the series: the earlier part keeps its rule (now ending
  before the split) and the later part becomes a new series linked to it, so a later
  "all" edit never reaches back into visits the user chose to leave alone.
- Visits that already happened (arrived, checked out, no-show, cancelled) are history:
  no series edit moves or cancels them.
- A visit moved on its own ("detached") keeps its own time when the series moves, but
  still follows a change of provider.
- Times shift in local wall time, so a 9:00 series stays at 9:00 across a
  daylight-saving change."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.models import Appointment, AppointmentSeries
from app.services.appointment_rows import AppointmentWriter, Placement, placement_of
from app.services.errors import NotFound
from app.services.schedule_data import Scope
from app.services.schedule_rules import UPCOMING, truncate_rule

_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def shifted_rule(rule: str, delta_days: int, last_start: datetime) -> str:
    """`rule` with its weekdays moved by `delta_days`, ending at `last_start`."""
    parts = dict(part.split("=", 1) for part in rule.split(";"))
    parts.pop("COUNT", None)
    parts["UNTIL"] = f"{last_start:%Y%m%dT%H%M%S}"
    if "BYDAY" in parts:
        days = [_DAYS[(_DAYS.index(day) + delta_days) % 7] for day in parts["BYDAY"].split(",")]
        parts["BYDAY"] = ",".join(sorted(set(days), key=_DAYS.index))
    return ";".join(f"{key}={value}" for key, value in parts.items())


class SeriesEditor:
    def __init__(self, rows: AppointmentWriter) -> None:
        self.rows = rows
        self.session = rows.session

    def members(self, series_id: str) -> list[Appointment]:
        return list(
            self.session.scalars(
                select(Appointment)
                .where(Appointment.series_id == series_id, Appointment.deleted_at.is_(None))
                .order_by(Appointment.occurrence_start)
            )
        )

    def series(self, appt: Appointment) -> AppointmentSeries:
        series = self.session.get(AppointmentSeries, appt.series_id)
        if series is None:
            raise NotFound("That series no longer exists.")
        return series

    def move(
        self,
        anchor: Appointment,
        scope: Scope,
        wall_start: datetime,
        minutes: int | None,
        provider_id: str | None,
    ) -> list[str]:
        """Move `anchor` to `wall_start`, and the upcoming visits in `scope` with it."""
        assert anchor.occurrence_start is not None
        delta = wall_start - anchor.occurrence_start
        targets = self._upcoming_from(anchor, scope)
        first = targets[0]
        assert first.occurrence_start is not None
        series = self._split_before(first)
        part = self.members(series.id)
        last = part[-1].occurrence_start
        assert last is not None
        # Weekdays shift by calendar days, not by `delta.days` (an hour earlier is -1 day).
        day_shift = (wall_start.date() - anchor.occurrence_start.date()).days
        series.rule = shifted_rule(series.rule, day_shift, last + delta)
        series.first_start = series.first_start + delta
        for member in part:
            assert member.occurrence_start is not None
            member.occurrence_start = member.occurrence_start + delta
        ignore = [target.id for target in targets]
        for target in targets:
            follows_rule = target is anchor or not target.detached
            current = placement_of(target)
            where = Placement(
                provider_id=provider_id or current.provider_id,
                location_id=current.location_id,
                room_id=current.room_id,
                wall_start=target.wall_start,
                minutes=(minutes or current.minutes) if follows_rule else current.minutes,
            )
            if follows_rule and target.occurrence_start is not None:
                where.wall_start = target.occurrence_start
                self.rows.check_not_past_day(where.wall_start)
            self.rows.place(target, where, ignore=ignore)
            if target is anchor:
                target.detached = False
            self.rows.audit(
                "move", target, f"{where.wall_start:%Y-%m-%d %H:%M}, {where.minutes} min ({scope})"
            )
        return [target.id for target in targets]

    def cancel_targets(self, anchor: Appointment, scope: Scope) -> list[Appointment]:
        """The upcoming visits a cancellation in `scope` takes; the series ends with them."""
        targets = self._upcoming_from(anchor, scope)
        first = targets[0]
        series = self.series(first)
        earlier = [m for m in self.members(series.id) if _before(m, first)]
        if earlier:
            assert first.occurrence_start is not None
            series.rule = truncate_rule(series.rule, series.first_start, first.occurrence_start)
        else:
            series.ended_at = self.rows.now
        return targets

    def _upcoming_from(self, anchor: Appointment, scope: Scope) -> list[Appointment]:
        """Visits not yet happened: from the anchor on (following) or all of them (all)."""
        members = self.members(self.series(anchor).id)
        upcoming = [
            m
            for m in members
            if m.status in UPCOMING and (m.starts_at >= self.rows.now or m is anchor)
        ]
        if scope is Scope.FOLLOWING:
            upcoming = [m for m in upcoming if m is anchor or not _before(m, anchor)]
        return upcoming

    def _split_before(self, first: Appointment) -> AppointmentSeries:
        """The series from `first` on: the same series if nothing comes before it, else a
        new one split off it (the earlier part's rule now ends before `first`)."""
        series = self.series(first)
        members = self.members(series.id)
        later = [m for m in members if not _before(m, first)]
        if len(later) == len(members):
            return series
        assert first.occurrence_start is not None
        part = AppointmentSeries(
            patient_id=series.patient_id,
            rule=series.rule,
            first_start=first.occurrence_start,
            time_zone=series.time_zone,
            split_from_id=series.id,
        )
        series.rule = truncate_rule(series.rule, series.first_start, first.occurrence_start)
        self.session.add(part)
        self.session.flush()
        for member in later:
            member.series_id = part.id
        self.session.flush()
        return part


def _before(member: Appointment, anchor: Appointment) -> bool:
    assert member.occurrence_start is not None and anchor.occurrence_start is not None
    return member.occurrence_start < anchor.occurrence_start
