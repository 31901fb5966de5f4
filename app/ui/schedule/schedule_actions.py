"""What the calendar's gestures and menus do: the service calls (always through the task
runner), the prompts (series scope, conflicts) and the dialogs (booking, check-in,
cancelling, finding a slot, the waitlist, blocking time, printing). The page shows the results; the
calendar itself refreshes from AppointmentsChanged notices.

Dialogs from the booking side are imported when first opened, so the calendar works on
its own."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from PySide6.QtCore import QObject, QPoint, QTimer, Signal
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QDialog, QInputDialog, QMenu, QWidget

from app.models.appointment import AppointmentStatus
from app.services.appointment_rows import ScheduleConflict
from app.services.appointments import AppointmentService
from app.services.availability import AvailabilityService
from app.services.schedule_data import AppointmentView, Scope, Slot, SlotSearch
from app.ui.schedule.appointment_menu import BY_KEY
from app.ui.schedule.conflict_prompt import confirm_double_book
from app.ui.schedule.schedule_style import clock_text, status_label
from app.ui.schedule.scope_prompt import ask_scope
from app.ui.session import DesktopSession
from app.ui.tasks import error_message

S = AppointmentStatus


class ScheduleActions(QObject):
    failed = Signal(str)  # a message for the page
    done = Signal(str)  # a short confirmation for the page
    move_settled = Signal(bool)  # a drag's move finished (True) or was refused/abandoned
    open_patient = Signal(str)  # patient id

    def __init__(self, session: DesktopSession, window: QWidget) -> None:
        super().__init__(window)
        self.session = session
        self.window = window
        self.appointments = AppointmentService(session.ctx)
        self.dialogs: list[QDialog] = []  # the last ones opened (tests look at them)
        self.times_menu: QMenu | None = None  # the free times offered for a reschedule

    # -- status steps --------------------------------------------------------------------

    def run(self, key: str, appt: AppointmentView) -> None:
        """Do the action `key` (appointment_menu.ACTIONS) to `appt`."""
        if key == "open_patient":
            self.open_patient.emit(appt.patient_id)
        elif key == "check_in":
            self.check_in(appt)
        elif key == "cancel":
            self.cancel(appt)
        elif key == "accept":
            self._accept(appt, double_book=False)
        elif key == "decline":
            self._decline(appt)
        elif key == "reschedule":
            self.offer_times(appt)
        else:
            status = BY_KEY[key].status
            assert status is not None
            self.set_status(appt, status)

    def set_status(self, appt: AppointmentView, status: AppointmentStatus) -> None:
        task = self.session.run(
            self.appointments.set_status, appt.id, appt.version, status, owner=self
        )
        task.succeeded.connect(lambda view: self.done.emit(self._said(view)))
        task.failed.connect(lambda error: self.failed.emit(error_message(error)))

    def _said(self, view: AppointmentView) -> str:
        return self.tr("{name}: {status}.").format(
            name=view.patient_name, status=status_label(view.status).lower()
        )

    def _accept(self, appt: AppointmentView, *, double_book: bool) -> None:
        task = self.session.run(
            self.appointments.accept_request,
            appt.id,
            appt.version,
            double_book=double_book,
            owner=self,
        )
        task.succeeded.connect(lambda view: self.done.emit(self._said(view)))
        task.failed.connect(
            lambda error: self._on_conflict(error, lambda: self._accept(appt, double_book=True))
        )

    def _decline(self, appt: AppointmentView) -> None:
        reason, ok = QInputDialog.getText(
            self.window, self.tr("Decline request"), self.tr("Why is the request declined?")
        )
        if not ok:
            return
        task = self.session.run(
            self.appointments.decline_request, appt.id, appt.version, reason, owner=self
        )
        task.succeeded.connect(lambda view: self.done.emit(self._said(view)))
        task.failed.connect(lambda error: self.failed.emit(error_message(error)))

    # -- rescheduling --------------------------------------------------------------------

    def offer_times(self, appt: AppointmentView, where: QPoint | None = None) -> None:
        """The patient asks for another time: the next free times with the same provider
        for the same length; choosing one books it and marks this visit rescheduled."""
        search = SlotSearch(appt.type_id, (appt.provider_id,), minutes=appt.minutes, limit=8)
        task = self.session.run(
            AvailabilityService(self.session.ctx).find_next_available, search, owner=self
        )
        anchor = where or QCursor.pos()
        task.succeeded.connect(lambda slots: self._show_times(appt, slots, anchor))
        task.failed.connect(lambda error: self.failed.emit(error_message(error)))

    def _show_times(self, appt: AppointmentView, slots: list[Slot], where: QPoint) -> None:
        menu = QMenu(self.window)
        menu.setAccessibleName(self.tr("Free times"))
        title = menu.addAction(
            self.tr("Next free times with {provider}").format(provider=appt.provider_name)
        )
        title.setEnabled(False)
        menu.addSeparator()
        for slot in slots:
            text = f"{slot.wall_start:%a %b} {slot.wall_start.day}, {clock_text(slot.wall_start)}"
            choice = menu.addAction(text)
            choice.setObjectName(slot.wall_start.isoformat())
            choice.triggered.connect(
                lambda _=False, s=slot: self._reschedule(appt, s.wall_start, s.provider_id, False)
            )
        if not slots:
            none = menu.addAction(self.tr("No free time in the next weeks"))
            none.setEnabled(False)
        hint = menu.addAction(self.tr("Or drag the visit to any time on the calendar"))
        hint.setEnabled(False)
        menu.aboutToHide.connect(menu.deleteLater)
        self.times_menu = menu
        menu.popup(where)

    def _reschedule(
        self, appt: AppointmentView, wall_start: datetime, provider_id: str, double_book: bool
    ) -> None:
        task = self.session.run(
            self.appointments.reschedule,
            appt.id,
            appt.version,
            wall_start,
            provider_id,
            double_book=double_book,
            owner=self,
        )
        task.succeeded.connect(
            lambda view: self.done.emit(
                self.tr("{name} rescheduled to {when}.").format(
                    name=view.patient_name,
                    when=f"{view.wall_start:%a %b} {view.wall_start.day}, "
                    + clock_text(view.wall_start),
                )
            )
        )
        task.failed.connect(
            lambda error: self._on_conflict(
                error, lambda: self._reschedule(appt, wall_start, provider_id, True)
            )
        )

    # -- moving --------------------------------------------------------------------------

    def move(
        self,
        appt: AppointmentView,
        wall_start: datetime,
        minutes: int | None,
        provider_id: str | None,
    ) -> None:
        """A drop on the calendar: for a series, ask which visits first."""
        scope = Scope.THIS
        if appt.is_recurring:
            verb = self.tr("Change the length of") if minutes else self.tr("Move")
            chosen = ask_scope(self.window, verb)
            if chosen is None:
                self.move_settled.emit(False)
                return
            scope = chosen
        self._submit_move(appt, wall_start, minutes, provider_id, scope, double_book=False)

    def _submit_move(
        self,
        appt: AppointmentView,
        wall_start: datetime,
        minutes: int | None,
        provider_id: str | None,
        scope: Scope,
        *,
        double_book: bool,
    ) -> None:
        task = self.session.run(
            self.appointments.move,
            appt.id,
            appt.version,
            wall_start,
            minutes,
            provider_id,
            scope=scope,
            double_book=double_book,
            owner=self,
        )
        task.succeeded.connect(lambda _views: self.move_settled.emit(True))

        def refused(error: BaseException) -> None:
            self.move_settled.emit(False)  # snap back before asking
            self._on_conflict(
                error,
                lambda: self._submit_move(
                    appt, wall_start, minutes, provider_id, scope, double_book=True
                ),
            )

        task.failed.connect(refused)

    def _on_conflict(self, error: BaseException, retry: Callable[[], None]) -> None:
        """A refused booking: say why; if the user may and wants to, double-book."""
        if not isinstance(error, ScheduleConflict):
            self.failed.emit(error_message(error))
            return

        def ask() -> None:  # outside the task's delivery: the prompt runs its own loop
            if confirm_double_book(self.window, error):
                retry()

        QTimer.singleShot(0, ask)

    # -- dialogs -------------------------------------------------------------------------

    def _show(self, dialog: QDialog) -> QDialog:
        self.dialogs = [*[d for d in self.dialogs if d.isVisible()][-4:], dialog]
        dialog.open()
        return dialog

    def book(self, wall_start: datetime | None = None, provider_id: str | None = None) -> None:
        from app.ui.schedule.booking_dialog import BookingDialog

        dialog = BookingDialog(
            self.session, wall_start=wall_start, provider_id=provider_id, parent=self.window
        )
        dialog.booked.connect(lambda views: self.done.emit(self._booked(views)))
        self._show(dialog)

    def _booked(self, views: list[AppointmentView]) -> str:
        if not views:
            return ""
        first = views[0]
        when = f"{first.wall_start:%a %b} {first.wall_start.day}"
        if len(views) > 1:
            return self.tr("Booked {n} visits for {name}, from {when}.").format(
                n=len(views), name=first.patient_name, when=when
            )
        return self.tr("Booked {name} on {when}.").format(name=first.patient_name, when=when)

    def check_in(self, appt: AppointmentView) -> None:
        from app.ui.schedule.check_in_dialog import CheckInDialog  # loaded when first used

        dialog = CheckInDialog(self.session, appt, parent=self.window)
        dialog.checked_in.connect(lambda view: self.done.emit(self._said(view)))
        self._show(dialog)

    def cancel(self, appt: AppointmentView) -> None:
        from app.ui.schedule.cancel_dialog import CancelDialog  # loaded when first used

        dialog = CancelDialog(self.session, appt, parent=self.window)
        dialog.cancelled.connect(
            lambda views: self.done.emit(self._said(views[0])) if views else None
        )
        self._show(dialog)

    def find_slot(self, patient_id: str | None = None) -> None:
        from app.ui.schedule.find_slot_dialog import FindSlotDialog  # loaded when first used

        dialog = FindSlotDialog(self.session, patient_id=patient_id, parent=self.window)
        dialog.booked.connect(lambda views: self.done.emit(self._booked(views)))
        self._show(dialog)

    def waitlist(self) -> None:
        from app.ui.schedule.waitlist_dialog import WaitlistDialog  # loaded when first used

        self._show(WaitlistDialog(self.session, parent=self.window))

    def block_time(self, wall_start: datetime | None, provider_id: str | None) -> None:
        from app.ui.schedule.block_dialog import BlockTimeDialog, describe

        dialog = BlockTimeDialog(
            self.session, provider_id=provider_id, wall_start=wall_start, parent=self.window
        )
        dialog.blocked.connect(lambda outcome: self.done.emit(describe(outcome)))
        self._show(dialog)

    def print_day(self, day: date, provider_id: str) -> None:
        # Loaded when first used: the PDF writer (reportlab) would slow every sign-in.
        from app.services.schedule_print import SchedulePrintService

        service = SchedulePrintService(self.session.ctx)
        task = self.session.run(service.day_schedule_pdf, day, provider_id, owner=self)
        task.succeeded.connect(lambda pdf: self._preview(pdf, day))
        task.failed.connect(lambda error: self.failed.emit(error_message(error)))

    def _preview(self, pdf: bytes, day: date) -> None:
        from app.ui.pdf_preview import PdfPreviewDialog

        dialog = PdfPreviewDialog(
            pdf,
            f"schedule-{day.isoformat()}.pdf",
            self.session.runner,
            title=self.tr("Day schedule — {day}").format(day=f"{day:%a %b} {day.day}"),
            parent=self.window,
        )
        self._show(dialog)
