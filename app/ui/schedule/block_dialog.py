"""Block time nobody may be booked into: a provider's meeting, a procedure morning, leave
(over several days), or the whole practice. Anyone who schedules may block time.

After blocking, the dialog looks for visits already booked in that time: they stay where
they are, and the confirmation names them so the desk can move them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QWidget

from app.services.calendar import MAX_DAYS, CalendarService
from app.services.context import AppContext
from app.services.errors import DomainError
from app.services.schedule_data import AppointmentView, BlockView
from app.services.schedule_rules import UPCOMING
from app.services.schedule_setup import ScheduleSetupService
from app.ui.patients.fields import suggest_combo
from app.ui.schedule.schedule_dialog import ScheduleDialog
from app.ui.schedule.schedule_fields import (
    BookingChoices,
    day_text,
    load_booking_choices,
    moment_text,
    rounded_up,
    time_text,
)
from app.ui.schedule.schedule_widgets import (
    DayField,
    TimeField,
    choice_combo,
    fill_combo,
    weekday_label,
)
from app.ui.session import DesktopSession
from app.ui.widgets import form_layout, form_row, inline_row, text_label

WHOLE_PRACTICE = ""  # the provider choice that closes the practice
REASONS = ("Meeting", "Procedures", "Lunch", "Training", "Administrative time", "Leave")


def _tr(text: str) -> str:
    return QCoreApplication.translate("BlockTimeDialog", text)


@dataclass(frozen=True)
class BlockOutcome:
    block: BlockView
    who: str  # the provider's name, or the whole practice
    booked: tuple[AppointmentView, ...]  # upcoming visits inside the blocked time


def block_when_text(start: datetime, end: datetime, this_year: int | None = None) -> str:
    """Mon Jan 19 · all day; Mon Jan 19 – Fri Jan 23 · all day; Mon Jan 5 · 10:00 – 11:00 AM;
    Mon Jan 19, 1:00 PM – Fri Jan 23, 5:00 PM. The year only when it is not `this_year`."""

    def day(value: date) -> str:
        text = day_text(value)
        return text if this_year in (None, value.year) else f"{text}, {value.year}"

    midnight = time()
    if start.time() == midnight and end.time() == midnight:
        last_day = end.date() - timedelta(days=1)
        days = day(start.date())
        if last_day != start.date():
            days = f"{days} – {day(last_day)}"
        return _tr("{days} · all day").format(days=days)
    if start.date() == end.date():
        first, last = time_text(start), time_text(end)
        if first[-2:] == last[-2:]:
            first = first[:-3]  # 10:00 – 11:00 AM
        return f"{day(start.date())} · {first} – {last}"
    return f"{day(start.date())}, {time_text(start)} – {day(end.date())}, {time_text(end)}"


def visits_inside(
    ctx: AppContext, provider_id: str | None, start: datetime, end: datetime
) -> tuple[AppointmentView, ...]:
    """On the worker: upcoming visits that overlap the blocked time."""
    days = min(MAX_DAYS, ((end - timedelta(microseconds=1)).date() - start.date()).days + 1)
    found = CalendarService(ctx).range(start.date(), days, [provider_id] if provider_id else None)
    return tuple(
        appt
        for appt in found.appointments
        if appt.status in UPCOMING and appt.wall_start < end and appt.wall_end > start
    )


def describe(outcome: BlockOutcome) -> str:
    """The confirmation: what was blocked, and which booked visits to move."""
    block = outcome.block
    text = _tr("Blocked {when} for {who}.").format(
        when=block_when_text(block.wall_start, block.wall_end), who=outcome.who
    )
    if outcome.booked:
        shown = outcome.booked[:4]
        names = ", ".join(f"{a.patient_name} ({moment_text(a.wall_start)})" for a in shown)
        more = len(outcome.booked) - len(shown)
        text += " " + _tr("Still booked in that time, to move: {names}").format(names=names)
        text += _tr(" and {n} more.").format(n=more) if more > 0 else "."
    return text


class BlockTimeDialog(ScheduleDialog):
    blocked = Signal(object)  # BlockOutcome

    def __init__(
        self,
        session: DesktopSession,
        *,
        provider_id: str | None = None,
        wall_start: datetime | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            session, self.tr("Block time"), self.tr("Block time"), parent, enter_moves_on=True
        )
        self.setMinimumWidth(560)
        self.choices: BookingChoices | None = None
        self._wanted = (provider_id, wall_start)

        self.provider = choice_combo(self.tr("Provider"), 24)
        self.day = DayField(self.tr("Date"))
        self.weekday = weekday_label()
        self.all_day = QCheckBox(self.tr("All day"))
        self.all_day.setAccessibleName(self.tr("All day"))
        self.starts = TimeField(self.tr("Start time"))
        self.starts.setFixedWidth(130)
        self.ends = TimeField(self.tr("End time"))
        self.ends.setFixedWidth(130)
        self.last_day = DayField(self.tr("Last day"))
        self.last_day.setPlaceholderText(self.tr("Same day"))
        self.reason: QComboBox = suggest_combo(
            self.tr("Reason"), [self.tr(r) for r in REASONS], self.tr("Colleagues see this")
        )

        when = inline_row(self.day, self.weekday, None, self.all_day)
        times = inline_row(self.starts, self.tr("to"), self.ends)
        leave = text_label(self.tr("for leave over several days"), "hint", wrap=False)
        form = form_layout()
        form_row(form, self.tr("&Provider"), self.provider)
        form_row(form, self.tr("&Date"), when, self.day)
        form_row(form, self.tr("&Time"), times, self.starts)
        form_row(form, self.tr("&Until"), inline_row(self.last_day, leave), self.last_day)
        form_row(form, self.tr("&Reason"), self.reason)
        self.content.addLayout(form)
        self.content.addWidget(
            text_label(
                self.tr(
                    "Nobody can be booked into blocked time. Visits already booked there stay; "
                    "you will see which ones to move."
                ),
                "hint",
            )
        )
        self.day.textChanged.connect(self._show_weekday)
        self.all_day.toggled.connect(self._all_day_toggled)
        self.setTabOrder(self.reason, self.ok_button)
        self.setTabOrder(self.ok_button, self.cancel_button)
        self.ok_button.setEnabled(False)  # until the providers are in
        task = self.session.run(load_booking_choices, self.session.ctx, owner=self)
        task.succeeded.connect(self._choices_loaded)
        task.failed.connect(self.failed)

    def _choices_loaded(self, choices: BookingChoices) -> None:
        self.choices = choices
        provider_id, wall_start = self._wanted
        fill_combo(
            self.provider,
            [(p.name, p.id) for p in choices.providers]
            + [(self.tr("Whole practice (everyone)"), WHOLE_PRACTICE)],
            keep=provider_id,
        )
        start = wall_start or rounded_up(choices.now, choices.slot_minutes)
        self.day.set_date(start.date())
        self.starts.set_time(start.time())
        self.ends.set_time((start + timedelta(hours=1)).time())
        self.ok_button.setEnabled(True)
        (self.reason if provider_id else self.provider).setFocus()

    def _show_weekday(self) -> None:
        self.weekday.setText(self.day.weekday())

    def _all_day_toggled(self, all_day: bool) -> None:
        self.starts.setEnabled(not all_day)
        self.ends.setEnabled(not all_day)

    # -- blocking ------------------------------------------------------------------------

    def span(self) -> tuple[datetime, datetime]:
        """The blocked stretch as wall times; DomainError says what to fix."""
        first = self.day.date_value()
        if first is None:
            raise DomainError(self.tr("Enter the date to block."))
        last = self.last_day.date_value() or first
        if last < first:
            raise DomainError(self.tr("The last day must be on or after the first day."))
        if self.all_day.isChecked():
            return datetime.combine(first, time()), datetime.combine(last + timedelta(1), time())
        start = datetime.combine(first, self.starts.time_value())
        if not self.ends.currentText().strip():
            raise DomainError(self.tr("Enter the end time."))
        end = datetime.combine(last, self.ends.time_value())
        if end <= start:
            raise DomainError(
                self.tr("The block must end after it starts ({time}).").format(
                    time=time_text(start)
                )
            )
        return start, end

    def provider_id(self) -> str | None:
        return self.provider.currentData() or None

    def submit(self) -> None:
        try:
            start, end = self.span()
        except DomainError as error:
            self.refuse(error)
            return
        service = ScheduleSetupService(self.session.ctx)
        provider_id = self.provider_id()
        who = self.provider.currentText() if provider_id else self.tr("the whole practice")
        self.run(
            service.block_time,
            provider_id,
            start,
            end,
            self.reason.currentText(),
            done=lambda block: self._check_visits(block, provider_id, who),
        )

    def _check_visits(self, block: BlockView, provider_id: str | None, who: str) -> None:
        """The block is saved; find the visits inside it (a failure here only loses the
        list, never the block)."""
        self.set_busy(True)
        self.allow(self.ok_button, False)  # saved: pressing again would block twice
        task = self.session.run(
            visits_inside,
            self.session.ctx,
            provider_id,
            block.wall_start,
            block.wall_end,
            owner=self,
        )
        task.succeeded.connect(lambda booked: self._finish(BlockOutcome(block, who, booked)))
        task.failed.connect(lambda _error: self._finish(BlockOutcome(block, who, ())))

    def _finish(self, outcome: BlockOutcome) -> None:
        self.set_busy(False)
        self.blocked.emit(outcome)
        self.accept()
