"""Check a patient in on one screen: confirm who they are and how they pay (fixing either on
the spot), note the copay due, then mark them arrived; whoever takes payments takes the
copay next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.models import Role
from app.services.appointments import AppointmentService
from app.services.context import AppContext
from app.services.errors import DomainError
from app.services.insurance import CoverageService, CoverageView
from app.services.patient_data import PatientRecord
from app.services.patients import PatientService
from app.services.permissions import Permission, role_allows
from app.services.practice import PracticeInfo
from app.services.schedule_data import AppointmentView
from app.ui.labels import role_label
from app.ui.patients.coverage_dialogs import CoverageDialog
from app.ui.patients.edit_dialog import EditPatientDialog
from app.ui.patients.fields import MoneyField
from app.ui.patients.labels import NO_VALUE, date_text, money_text
from app.ui.schedule.schedule_dialog import ScheduleDialog
from app.ui.schedule.schedule_fields import span_text
from app.ui.session import DesktopSession
from app.ui.widgets import button, text_label


@dataclass(frozen=True)
class CheckInFile:
    record: PatientRecord
    coverages: list[CoverageView]
    today: date


def load_check_in(ctx: AppContext, patient_id: str) -> CheckInFile:
    """On the worker: the patient's details and insurance (both reads are audited)."""
    return CheckInFile(
        PatientService(ctx).get(patient_id),
        CoverageService(ctx).coverages(patient_id, include_ended=False),
        PracticeInfo(ctx).summary().today,
    )


def primary_coverage(coverages: list[CoverageView], today: date) -> CoverageView | None:
    """The coverage billed first today: the lowest priority number already in force."""
    current = [
        c
        for c in coverages
        if (c.effective_on is None or c.effective_on <= today)
        and (c.terminated_on is None or c.terminated_on >= today)
    ]
    return min(current or coverages, key=lambda c: c.priority, default=None)


class Facts(QWidget):
    """Captions and values in two columns; each value is announced by its caption."""

    def __init__(self, captions: dict[str, str]) -> None:
        super().__init__()
        self.values: dict[str, QLabel] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(8)
        for row, (key, caption) in enumerate(captions.items()):
            label = QLabel(caption)
            label.setObjectName("FactCaption")
            value = text_label("", None)
            value.setObjectName("FactValue")
            value.setAccessibleName(caption)
            grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(value, row, 1, Qt.AlignmentFlag.AlignTop)
            self.values[key] = value
        grid.setColumnStretch(1, 1)

    def set_texts(self, texts: dict[str, str]) -> None:
        for key, value in self.values.items():
            value.setText(texts.get(key) or NO_VALUE)

    def mark(self, key: str, warn: bool) -> None:
        """Highlight a value the desk should ask about (an ended or future coverage)."""
        label = self.values[key]
        label.setProperty("differs", warn)
        label.style().unpolish(label)
        label.style().polish(label)

    def clear(self) -> None:
        for value in self.values.values():
            value.clear()


class CheckInDialog(ScheduleDialog):
    checked_in = Signal(object)  # AppointmentView

    def __init__(
        self, session: DesktopSession, appointment: AppointmentView, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            session,
            self.tr("Check in {name}").format(name=appointment.patient_name),
            self.tr("Check in"),
            parent,
            subtitle=self.tr("{type} with {provider} · {when}").format(
                type=appointment.type_name,
                provider=appointment.provider_name,
                when=span_text(appointment.wall_start, appointment.wall_end),
            ),
        )
        self.setMinimumWidth(820)
        self.appointment = appointment
        self.file: CheckInFile | None = None

        self.person = Facts(
            {
                "name": self.tr("Name"),
                "birth": self.tr("Date of birth"),
                "phone": self.tr("Phone"),
                "address": self.tr("Address"),
                "email": self.tr("E-mail"),
            }
        )
        self.edit_person_button = button(
            self.tr("Edit demographics…"), self.tr("Edit demographics"), icon_name="edit"
        )
        self.edit_person_button.clicked.connect(self.edit_demographics)
        self.insurance = Facts(
            {
                "payer": self.tr("Primary payer"),
                "member": self.tr("Member ID"),
                "in_force": self.tr("In force"),
                "copay": self.tr("Copay"),
                "others": self.tr("Other coverage"),
            }
        )
        self.edit_insurance_button = button(
            self.tr("Edit insurance…"), self.tr("Edit insurance"), icon_name="id-card"
        )
        self.edit_insurance_button.clicked.connect(self.edit_insurance)
        self.copay = MoneyField(self.tr("Copay due"))
        self.copay.setFixedWidth(140)
        self.confirmed = QCheckBox(self.tr("Demographics and insurance confirmed with the patient"))
        self.confirmed.setAccessibleName(self.tr("Demographics and insurance confirmed"))
        self.confirmed.toggled.connect(self._confirmed_changed)

        columns = QHBoxLayout()
        columns.setSpacing(14)
        columns.addWidget(self._card(self.tr("Patient"), self.person, self.edit_person_button), 1)
        columns.addWidget(
            self._card(self.tr("Insurance"), self.insurance, self.edit_insurance_button), 1
        )
        copay_row = QHBoxLayout()
        copay_row.setSpacing(12)
        copay_label = QLabel(self.tr("Copay due"))
        copay_label.setBuddy(self.copay)
        copay_row.addWidget(copay_label)
        copay_row.addWidget(self.copay)
        copay_hint = text_label(self._copay_hint(), "hint")
        copay_hint.setAccessibleName(self.tr("Copay note"))
        copay_row.addWidget(copay_hint, 1)
        self.content.addLayout(columns)
        self.content.addLayout(copay_row)
        self.content.addWidget(self.confirmed)
        self.allow(self.ok_button, False)
        self._set_loading(True)
        self.reload()

    @property
    def takes_payments(self) -> bool:
        actor = self.session.ctx.actor
        return actor is not None and actor.can(Permission.TAKE_PAYMENTS)

    def _copay_hint(self) -> str:
        if self.takes_payments:
            return self.tr("Noted on the visit; you take it right after checking in.")
        takers = [role_label(r) for r in Role if role_allows(r, Permission.TAKE_PAYMENTS)]
        return self.tr(
            "Noted on the visit, for {who} to collect: your role does not take payments."
        ).format(who=self.tr(" or ").join(takers))

    def _card(self, title: str, facts: Facts, action: QWidget) -> QWidget:
        frame = QFrame()
        frame.setProperty("role", "section")
        body = QVBoxLayout(frame)
        body.setContentsMargins(20, 14, 16, 18)
        body.setSpacing(12)
        top = QHBoxLayout()
        top.addWidget(text_label(title, "heading"), 1)
        top.addWidget(action)
        body.addLayout(top)
        body.addWidget(facts)
        body.addStretch(1)
        return frame

    # -- loading -------------------------------------------------------------------------

    def reload(self) -> None:
        task = self.session.run(
            load_check_in, self.session.ctx, self.appointment.patient_id, owner=self
        )
        task.succeeded.connect(self._loaded)
        task.failed.connect(self.failed)

    def _set_loading(self, loading: bool) -> None:
        for widget in (self.edit_person_button, self.edit_insurance_button, self.confirmed):
            widget.setEnabled(not loading)

    def _loaded(self, file: CheckInFile) -> None:
        first_load = self.file is None
        self.file = file
        self._set_loading(False)
        r = file.record
        city = ", ".join(
            part for part in (r.city, " ".join(p for p in (r.state, r.postal_code) if p)) if part
        )
        address = "\n".join(line for line in (r.address_line1, r.address_line2, city) if line)
        self.person.set_texts(
            {
                "name": r.display_name,
                "birth": f"{date_text(r.date_of_birth)}  ({r.age})",
                "phone": "\n".join(p.display for p in r.phones),
                "address": address,
                "email": r.email or "",
            }
        )
        self._show_insurance(file)
        if first_load:
            self.confirmed.setFocus()

    def _show_insurance(self, file: CheckInFile) -> None:
        primary = primary_coverage(file.coverages, file.today)
        if primary is None:
            self.insurance.set_texts({"payer": self.tr("None on file — self-pay")})
            self.insurance.mark("in_force", False)
            self._insurance_action(self.tr("Add insurance…"), self.tr("Add insurance"))
            return
        in_force, warn = self._in_force(primary, file.today)
        others = [
            f"{c.priority_label} · {c.payer_name}" for c in file.coverages if c.id != primary.id
        ]
        self.insurance.set_texts(
            {
                "payer": primary.payer_name,
                "member": primary.member_id,
                "in_force": in_force,
                "copay": money_text(primary.copay_cents) if primary.copay_cents else "",
                "others": "\n".join(others),
            }
        )
        self.insurance.mark("in_force", warn)
        self._insurance_action(self.tr("Edit insurance…"), self.tr("Edit insurance"))
        if not self.copay.text() and primary.copay_cents and not warn:
            self.copay.set_cents(primary.copay_cents)

    def _insurance_action(self, text: str, accessible_name: str) -> None:
        self.edit_insurance_button.setText(text)
        self.edit_insurance_button.setAccessibleName(accessible_name)

    def _in_force(self, c: CoverageView, today: date) -> tuple[str, bool]:
        """What the card's dates mean today, and whether the desk should ask about it."""
        if c.effective_on and c.effective_on > today:
            return self.tr("Not yet — starts {day}").format(day=date_text(c.effective_on)), True
        if c.terminated_on and c.terminated_on < today:
            return self.tr("Ended {day} — ask for a new card").format(
                day=date_text(c.terminated_on)
            ), True
        if c.terminated_on:
            return self.tr("Yes, until {day}").format(day=date_text(c.terminated_on)), False
        if c.effective_on:
            return self.tr("Yes, since {day}").format(day=date_text(c.effective_on)), False
        return self.tr("Yes"), False

    # -- fixing details on the spot ------------------------------------------------------

    def edit_demographics(self) -> None:
        if self.file is None:
            return
        dialog = EditPatientDialog(self.session, self.file.record, parent=self)
        dialog.saved.connect(lambda _record: self.reload())
        dialog.open()

    def edit_insurance(self) -> None:
        if self.file is None:
            return
        primary = primary_coverage(self.file.coverages, self.file.today)
        dialog = CoverageDialog(self.session, self.appointment.patient_id, primary, parent=self)
        dialog.saved.connect(lambda _coverage: self.reload())
        dialog.open()

    # -- checking in ---------------------------------------------------------------------

    def _confirmed_changed(self, on: bool) -> None:
        self.allow(self.ok_button, on)

    def submit(self) -> None:
        if not self.confirmed.isChecked():
            self.refuse(DomainError(self.tr("Confirm the details with the patient first.")))
            return
        try:
            cents: int | None = self.copay.cents() if self.copay.text().strip() else None
        except DomainError as error:
            self.refuse(error)
            return
        service = AppointmentService(self.session.ctx)
        self.run(
            service.check_in,
            self.appointment.id,
            self.appointment.version,
            cents,
            done=self._checked_in,
        )

    def _checked_in(self, view: AppointmentView) -> None:
        self.checked_in.emit(view)
        # The check-in is saved; taking the copay is a second step that can be cancelled
        # (the visit keeps the copay due). It opens over our parent: this dialog closes.
        if view.copay_due_cents and self.takes_payments:
            from app.ui.billing.payment_dialog import PaymentDialog  # loaded when first used

            PaymentDialog(
                self.session,
                view.patient_id,
                amount_cents=view.copay_due_cents,
                appointment_id=view.id,
                parent=self.parentWidget(),
            ).open()
        self.accept()

    def done(self, result: int) -> None:
        self.person.clear()
        self.insurance.clear()
        self.copay.clear()
        self.file = None
        super().done(result)
