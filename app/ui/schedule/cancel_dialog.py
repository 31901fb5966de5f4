"""Cancel a visit with a reason (for a series: this one, the following ones or all upcoming).
Then, if someone on the waitlist fits the freed time, offer it to them in the same dialog."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QButtonGroup, QRadioButton, QSizePolicy, QVBoxLayout, QWidget

from app.services.appointment_rows import ScheduleConflict
from app.services.appointments import AppointmentService
from app.services.context import AppContext
from app.services.errors import DomainError
from app.services.schedule_data import AppointmentView, Scope, WaitlistOffer
from app.services.waitlist import WaitlistService
from app.ui.patients.dialogs import settle_buttons
from app.ui.patients.fields import suggest_combo
from app.ui.schedule.conflict_prompt import confirm_double_book
from app.ui.schedule.schedule_dialog import ScheduleDialog
from app.ui.schedule.schedule_fields import days_text, moment_text, part_of_day_label, span_text
from app.ui.schedule.schedule_widgets import results_table, selected_row, set_rows
from app.ui.session import DesktopSession
from app.ui.widgets import MessageLabel, button, form_layout, form_row, text_label

REASONS = (
    "Patient request",
    "Patient is ill",
    "Schedule conflict",
    "No transportation",
    "Weather",
    "Provider unavailable",
    "Booked in error",
)
SCOPE_CHOICES = (
    (Scope.THIS, "This visit only"),
    (Scope.FOLLOWING, "This and following"),
    (Scope.ALL, "All upcoming"),
)


@dataclass(frozen=True)
class Cancelled:
    views: list[AppointmentView]
    offers: list[WaitlistOffer]


def cancel_and_find_offers(
    ctx: AppContext, appointment_id: str, version: int, reason: str, scope: Scope
) -> Cancelled:
    """On the worker: cancel, then ask who on the waitlist could take the freed time. A
    failing look-up must not hide that the cancellation went through."""
    views = AppointmentService(ctx).cancel(appointment_id, version, reason, scope=scope)
    try:
        offers = WaitlistService(ctx).offers_for(appointment_id)
    except DomainError:
        offers = []
    return Cancelled(views, offers)


class CancelDialog(ScheduleDialog):
    cancelled = Signal(object)  # list[AppointmentView]

    def __init__(
        self, session: DesktopSession, appointment: AppointmentView, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            session,
            self.tr("Cancel appointment"),
            self.tr("Cancel appointment"),
            parent,
            subtitle=self.tr("{name} · {type} with {provider} · {when}").format(
                name=appointment.patient_name,
                type=appointment.type_name,
                provider=appointment.provider_name,
                when=span_text(appointment.wall_start, appointment.wall_end),
            ),
        )
        self.setMinimumWidth(620)
        self.appointment = appointment
        self.offers: list[WaitlistOffer] = []
        self.cancel_button.setText(self.tr("Keep appointment"))
        self.cancel_button.setAccessibleName(self.tr("Keep appointment"))

        self.reason = suggest_combo(
            self.tr("Reason"), [self.tr(r) for r in REASONS], self.tr("Why is it cancelled?")
        )
        self.scope_buttons: dict[Scope, QRadioButton] = {}
        self.form = QWidget()
        form = form_layout()
        form.setContentsMargins(0, 0, 0, 0)
        self.form.setLayout(form)
        form_row(form, self.tr("Reason"), self.reason)
        if appointment.is_recurring:
            form_row(form, self.tr("Cancel"), self._scope_choice(), self.scope_buttons[Scope.THIS])
        self.content.addWidget(self.form)
        self.content.addWidget(self._offers_panel())
        self.reason.setFocus()

    def _scope_choice(self) -> QWidget:
        """For a series: this visit, this and the following ones, or all upcoming ones."""
        holder = QWidget()
        holder.setAccessibleName(self.tr("Which visits"))
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        group = QButtonGroup(holder)
        for scope, text in SCOPE_CHOICES:
            radio = QRadioButton(self.tr(text))
            radio.setAccessibleName(self.tr(text))
            group.addButton(radio)
            column.addWidget(radio)
            self.scope_buttons[scope] = radio
        self.scope_buttons[Scope.THIS].setChecked(True)
        return holder

    def _offers_panel(self) -> QWidget:
        self.offers_panel = QWidget()
        self.outcome = MessageLabel("notice", self.tr("Cancellation outcome"))
        self.outcome.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.offers_intro = text_label("", "muted")
        self.offers_table = results_table(
            self.tr("Waitlist offers"),
            [
                self.tr("Patient"),
                self.tr("Visit type"),
                self.tr("Wants"),
                self.tr("Between"),
                self.tr("Booked now"),
            ],
        )
        self.offers_table.setMinimumHeight(36 + 34 * 4)
        self.offers_table.doubleClicked.connect(lambda _index: self.offer_slot())
        self.offer_button = button(
            self.tr("Offer this slot"), self.tr("Offer this slot"), variant="primary"
        )
        self.offer_button.clicked.connect(self.offer_slot)
        self.offers_table.itemSelectionChanged.connect(self._offer_chosen)
        column = QVBoxLayout(self.offers_panel)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(10)
        column.addWidget(self.outcome)
        column.addWidget(self.offers_intro)
        column.addWidget(self.offers_table, 10)
        column.addStretch(1)  # once the table goes, the message stays at the top
        self.button_row.addWidget(self.offer_button)
        self.offer_button.hide()
        self.offers_panel.hide()
        return self.offers_panel

    # -- cancelling ----------------------------------------------------------------------

    def chosen_scope(self) -> Scope:
        chosen = (scope for scope, radio in self.scope_buttons.items() if radio.isChecked())
        return next(chosen, Scope.THIS)

    def submit(self) -> None:
        reason = self.reason.currentText().strip()
        if not reason:
            self.refuse(DomainError(self.tr("Say why the appointment is cancelled.")))
            self.reason.setFocus()
            return
        self.run(
            cancel_and_find_offers,
            self.session.ctx,
            self.appointment.id,
            self.appointment.version,
            reason,
            self.chosen_scope(),
            done=self._cancelled,
        )

    def _cancelled(self, result: Cancelled) -> None:
        self.cancelled.emit(result.views)
        if not result.offers:
            self.accept()
            return
        late = any(view.late_cancel for view in result.views)
        what = (
            self.tr("{n} visits cancelled.").format(n=len(result.views))
            if len(result.views) > 1
            else self.tr("Appointment cancelled.")
        )
        if late:
            what += " " + self.tr("Recorded as a late cancellation.")
        self.outcome.show_message(what)
        self.show_offers(result.offers)

    def show_offers(self, offers: list[WaitlistOffer]) -> None:
        """The second step: the freed time, and who on the waitlist it suits."""
        self.offers = offers
        self.form.hide()
        self.ok_button.hide()
        self.heading.setText(self.tr("Offer the freed time"))
        self.cancel_button.setText(self.tr("Close"))
        self.cancel_button.setAccessibleName(self.tr("Close"))
        slot = offers[0].slot
        self.offers_intro.setText(
            self.tr(
                "{when} with {provider} is free. These patients on the waitlist fit it, "
                "longest waiting first. Call them, then book the one who takes it."
            ).format(when=span_text(slot.wall_start, slot.wall_end), provider=slot.provider_name)
        )
        set_rows(
            self.offers_table,
            [
                (
                    (
                        offer.entry.patient_name,
                        offer.entry.type_name,
                        part_of_day_label(offer.entry.part_of_day, short=True),
                        days_text(offer.entry.earliest, offer.entry.latest),
                        moment_text(offer.entry.current_wall_start)
                        if offer.entry.current_wall_start
                        else self.tr("Not booked"),
                    ),
                    offer,
                )
                for offer in offers
            ],
        )
        self.offers_panel.show()
        self.offer_button.show()
        settle_buttons(self, self.offer_button)  # Enter offers the chosen row
        self.setMinimumWidth(780)
        self.offers_table.setFocus()
        self._offer_chosen()

    def _offer_chosen(self) -> None:
        offer = selected_row(self.offers_table, WaitlistOffer)
        if offer is not None:
            self.offer_button.setText(
                self.tr("Offer this slot to {name}").format(name=offer.entry.patient_name)
            )
        self.allow(self.offer_button, offer is not None)

    # -- booking an offer ----------------------------------------------------------------

    def offer_slot(self, *, double_book: bool = False) -> None:
        offer = selected_row(self.offers_table, WaitlistOffer)
        if offer is None or not self.offer_button.isEnabled():
            return
        service = WaitlistService(self.session.ctx)
        task = self.run(
            service.book_offer,
            offer.entry.id,
            offer.entry.version,
            offer.slot,
            double_book=double_book,
            done=self._offer_booked,
        )
        task.failed.connect(lambda error: self._offer_failed(error))

    def _offer_failed(self, error: BaseException) -> None:
        if isinstance(error, ScheduleConflict):
            # Asked outside the task's delivery: the prompt runs an event loop of its own.
            QTimer.singleShot(0, lambda: self._ask_double_book(error))

    def _ask_double_book(self, conflict: ScheduleConflict) -> None:
        if self.isVisible() and confirm_double_book(self, conflict):
            self.offer_slot(double_book=True)

    def _offer_booked(self, view: AppointmentView) -> None:
        self.offers = []
        set_rows(self.offers_table, [])
        self.offers_table.hide()
        self.offers_intro.hide()
        self.offer_button.hide()
        self.outcome.show_message(
            self.tr("{name} is booked for {when} with {provider}.").format(
                name=view.patient_name,
                when=span_text(view.wall_start, view.wall_end),
                provider=view.provider_name,
            )
        )
        self.cancel_button.setText(self.tr("Done"))
        self.cancel_button.setAccessibleName(self.tr("Done"))
        self.cancel_button.setFocus()
        QTimer.singleShot(0, self.adjustSize)  # after the hidden table has left the layout

    def done(self, result: int) -> None:
        self.offers = []
        set_rows(self.offers_table, [])
        self.outcome.clear_message()
        super().done(result)
