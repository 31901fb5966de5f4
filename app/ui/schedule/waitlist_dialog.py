"""The waitlist: who is waiting for a sooner (or any) visit, longest waiting first. Add a
patient, or take one off once they no longer need it. Cancelling a visit offers its time
to the patients here who fit it (see the cancel dialog)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from app.services.bus import AppointmentsChanged
from app.services.context import AppContext
from app.services.schedule_data import WaitlistView
from app.services.waitlist import WaitlistService
from app.ui.notices import NoticeBridge
from app.ui.schedule.schedule_dialog import ScheduleDialog
from app.ui.schedule.schedule_fields import (
    BookingChoices,
    days_text,
    load_booking_choices,
    moment_text,
    part_of_day_label,
)
from app.ui.schedule.schedule_widgets import results_table, selected_row, set_rows
from app.ui.schedule.waitlist_entry_dialog import WaitlistEntryDialog
from app.ui.session import DesktopSession
from app.ui.widgets import MessageLabel, button, text_label

COLUMNS = ("Patient", "Visit type", "With", "Wants", "Between", "Booked now", "Notes")


@dataclass(frozen=True)
class Waitlist:
    entries: list[WaitlistView]
    choices: BookingChoices


def load_waitlist(ctx: AppContext) -> Waitlist:
    """On the worker: everyone waiting, and the names of types and providers."""
    return Waitlist(WaitlistService(ctx).entries(), load_booking_choices(ctx))


class WaitlistDialog(ScheduleDialog):
    def __init__(self, session: DesktopSession, parent: QWidget | None = None) -> None:
        super().__init__(
            session,
            self.tr("Waitlist"),
            self.tr("Add patient…"),
            parent,
            subtitle=self.tr(
                "Patients who want a sooner visit. When a visit is cancelled, the ones who fit "
                "its time are offered it."
            ),
        )
        self.resize(980, 520)
        self.choices: BookingChoices | None = None
        self.ok_button.setAccessibleName(self.tr("Add to waitlist"))
        self.ok_button.setToolTip(self.tr("Add a patient to the waitlist (Ctrl+Enter)"))
        self.cancel_button.setText(self.tr("Close"))
        self.cancel_button.setAccessibleName(self.tr("Close"))
        self.table = results_table(
            self.tr("Waiting patients"), [self.tr(c) for c in COLUMNS], stretch_column=6
        )
        self.table.itemSelectionChanged.connect(self._entry_chosen)
        self.empty = text_label(self.tr("Nobody is waiting."), "muted")
        self.empty.setAccessibleName(self.tr("Waitlist empty"))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()
        self.done_note = MessageLabel("notice", self.tr("Waitlist notice"))
        self.remove_button = button(self.tr("Remove"), self.tr("Remove from waitlist"))
        self.remove_button.setToolTip(self.tr("They no longer need a sooner visit"))
        self.remove_button.clicked.connect(self.remove)
        self.button_row.insertWidget(0, self.remove_button)
        self.content.addWidget(self.done_note)
        self.content.addWidget(self.table, 1)
        self.content.addWidget(self.empty)
        self.allow(self.ok_button, False)
        self.allow(self.remove_button, False)
        self.notices = NoticeBridge(session.ctx.bus, AppointmentsChanged, parent=self)
        self.notices.received.connect(lambda _notice: self.reload())
        self.reload()

    def reload(self) -> None:
        task = self.session.run(load_waitlist, self.session.ctx, owner=self)
        task.succeeded.connect(self._loaded)
        task.failed.connect(self.failed)

    def _loaded(self, waitlist: Waitlist) -> None:
        self.choices = waitlist.choices
        names = {p.id: p.name for p in waitlist.choices.providers}
        set_rows(
            self.table,
            [
                (
                    (
                        e.patient_name,
                        e.type_name,
                        ", ".join(names.get(p, "?") for p in e.provider_ids) or self.tr("Anyone"),
                        part_of_day_label(e.part_of_day, short=True),
                        days_text(e.earliest, e.latest),
                        moment_text(e.current_wall_start)
                        if e.current_wall_start
                        else self.tr("Not booked"),
                        e.notes or "",
                    ),
                    e,
                )
                for e in waitlist.entries
            ],
        )
        self.table.setVisible(bool(waitlist.entries))
        self.empty.setVisible(not waitlist.entries)
        self.allow(self.ok_button, True)
        self._entry_chosen()

    def chosen_entry(self) -> WaitlistView | None:
        return selected_row(self.table, WaitlistView)

    def _entry_chosen(self) -> None:
        self.allow(self.remove_button, self.chosen_entry() is not None)

    def submit(self) -> None:
        """Add a patient (the main action)."""
        if self.choices is None:
            return
        dialog = WaitlistEntryDialog(self.session, self.choices, parent=self)
        dialog.added.connect(self._added)
        dialog.open()

    def _added(self, entry: WaitlistView) -> None:
        self.done_note.show_message(
            self.tr("{name} is on the waitlist.").format(name=entry.patient_name)
        )
        self.reload()

    def remove(self) -> None:
        entry = self.chosen_entry()
        if entry is None:
            return
        service = WaitlistService(self.session.ctx)
        self.run(
            service.remove,
            entry.id,
            entry.version,
            done=lambda _none: self._removed(entry.patient_name),
        )

    def _removed(self, name: str) -> None:
        self.done_note.show_message(self.tr("{name} is off the waitlist.").format(name=name))
        self.reload()

    def done(self, result: int) -> None:
        self.notices.close()
        set_rows(self.table, [])
        self.done_note.clear_message()
        super().done(result)
