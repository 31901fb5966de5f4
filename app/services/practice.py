"""Facts about the practice every screen may show (name, time zone, today's date there)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.models import Practice
from app.services.context import AppContext
from app.services.errors import SignInError


@dataclass(frozen=True)
class PracticeSummary:
    name: str
    time_zone: str
    today: date  # in the practice's own time zone


class PracticeInfo:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def summary(self) -> PracticeSummary:
        """Open to every signed-in person (it is on the status bar)."""
        if self.ctx.actor is None:
            raise SignInError("Nobody is signed in.")
        with self.ctx.unit_of_work() as uow:
            practice = uow.session.scalars(select(Practice).limit(1)).one()
            today = self.ctx.clock.now().astimezone(ZoneInfo(practice.time_zone)).date()
            return PracticeSummary(practice.name, practice.time_zone, today)
