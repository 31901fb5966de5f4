"""One insurance coverage as a form: payer (or add one), priority, member and group numbers,
the subscriber when it is not the patient, dates and copay (typed in dollars, kept in cents)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

from app.models import SubscriberRelationship
from app.services.errors import DomainError
from app.services.insurance import (
    PRIORITY_LABELS,
    CoverageInput,
    CoverageView,
    PayerService,
    PayerView,
)
from app.services.permissions import Permission
from app.ui.patients.fields import (
    DateField,
    MoneyField,
    combo_enum,
    compact,
    labeled,
    optional,
    text_field,
)
from app.ui.patients.labels import priority_label, relationship_label
from app.ui.session import DesktopSession
from app.ui.tasks import error_message
from app.ui.widgets import MessageLabel, button


class CoverageForm(QWidget):
    def __init__(self, session: DesktopSession, *, allow_none: bool) -> None:
        super().__init__()
        self.session = session
        self.allow_none = allow_none
        self._select_after_load: str | None = None
        self.payer = compact(QComboBox(), 16)
        self.payer.setAccessibleName(self.tr("Payer"))
        self.payer.currentIndexChanged.connect(lambda _i: self._payer_chosen())
        self.add_payer_button = button(
            self.tr("Add payer…"), self.tr("Add payer"), icon_name="plus"
        )
        self.add_payer_button.clicked.connect(self.add_payer)
        actor = session.ctx.actor
        self.add_payer_button.setVisible(bool(actor and actor.can(Permission.MANAGE_PAYERS)))
        self.priority = compact(QComboBox())
        self.priority.setAccessibleName(self.tr("Priority"))
        for value in PRIORITY_LABELS:
            self.priority.addItem(priority_label(value), value)
        self.member_id = text_field(self.tr("Member ID"), self.tr("As printed on the card"), 40)
        self.group = text_field(self.tr("Group number"), self.tr("Optional"), 40)
        self.relationship = compact(QComboBox())
        self.relationship.setAccessibleName(self.tr("Patient's relationship to subscriber"))
        for relation in SubscriberRelationship:
            self.relationship.addItem(relationship_label(relation), relation)
        self.relationship.currentIndexChanged.connect(lambda _i: self._relationship_chosen())
        self.subscriber_first = text_field(self.tr("Subscriber first name"))
        self.subscriber_last = text_field(self.tr("Subscriber last name"))
        self.subscriber_birth = DateField(self.tr("Subscriber date of birth"))
        self.effective = DateField(self.tr("Effective date"))
        self.terminated = DateField(self.tr("Termination date"))
        self.copay = MoneyField(self.tr("Copay"))
        self.message = MessageLabel("error", self.tr("Payers message"))

        payer_row = QHBoxLayout()
        payer_row.setSpacing(8)
        payer_row.addWidget(self.payer, 1)
        payer_row.addWidget(self.add_payer_button)
        payer_holder = QWidget()
        payer_holder.setLayout(payer_row)
        payer_row.setContentsMargins(0, 0, 0, 0)
        self.subscriber = QWidget()
        sub = QGridLayout(self.subscriber)
        sub.setContentsMargins(0, 0, 0, 0)
        sub.setHorizontalSpacing(14)
        sub.addWidget(labeled(self.tr("Subscriber first name *"), self.subscriber_first), 0, 0)
        sub.addWidget(labeled(self.tr("Subscriber last name *"), self.subscriber_last), 0, 1)
        sub.addWidget(labeled(self.tr("Subscriber date of birth"), self.subscriber_birth), 0, 2)
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(12)
        grid.addWidget(labeled(self.tr("Insurance company (payer)"), payer_holder), 0, 0, 1, 2)
        grid.addWidget(labeled(self.tr("Priority"), self.priority), 0, 2)
        grid.addWidget(labeled(self.tr("Member ID *"), self.member_id), 1, 0)
        grid.addWidget(labeled(self.tr("Group number"), self.group), 1, 1)
        grid.addWidget(
            labeled(self.tr("Copay"), self.copay, self.tr("In dollars, e.g. 25.00")), 1, 2
        )
        grid.addWidget(
            labeled(self.tr("Patient's relationship to the subscriber"), self.relationship),
            2,
            0,
            1,
            2,
        )
        grid.addWidget(self.subscriber, 3, 0, 1, 3)
        grid.addWidget(labeled(self.tr("Effective date"), self.effective), 4, 0)
        grid.addWidget(
            labeled(
                self.tr("Termination date"),
                self.terminated,
                self.tr("Leave blank while the plan is in force"),
            ),
            4,
            1,
        )
        for column in range(3):
            grid.setColumnStretch(column, 1)
        column_layout = QVBoxLayout(self)
        column_layout.setContentsMargins(0, 0, 0, 0)
        column_layout.setSpacing(10)
        column_layout.addWidget(self.message)
        column_layout.addLayout(grid)
        column_layout.addStretch(1)
        self._relationship_chosen()
        self._payer_chosen()

    # -- payers --------------------------------------------------------------------------

    def load_payers(self, select_id: str | None = None) -> None:
        self._select_after_load = select_id or self.payer.currentData()
        task = self.session.run(PayerService(self.session.ctx).list_payers, owner=self)
        task.succeeded.connect(self._show_payers)
        task.failed.connect(lambda error: self.message.show_message(error_message(error)))

    def _show_payers(self, payers: list[PayerView]) -> None:
        self.payer.blockSignals(True)
        self.payer.clear()
        first = self.tr("No insurance — self-pay") if self.allow_none else self.tr("Choose…")
        self.payer.addItem(first, None)
        for payer in payers:
            self.payer.addItem(f"{payer.name}  ({payer.payer_code})", payer.id)
        wanted = self.payer.findData(self._select_after_load) if self._select_after_load else 0
        self.payer.setCurrentIndex(max(0, wanted))
        self.payer.blockSignals(False)
        self._payer_chosen()

    def add_payer(self) -> None:
        from app.ui.patients.payer_dialog import AddPayerDialog

        dialog = AddPayerDialog(self.session, self)
        dialog.added.connect(lambda payer: self.load_payers(payer.id))
        dialog.open()

    def _payer_chosen(self) -> None:
        insured = self.payer.currentData() is not None
        for widget in (self.priority, self.member_id, self.group, self.relationship, self.copay,
                       self.effective, self.terminated, self.subscriber):  # fmt: skip
            widget.setEnabled(insured or not self.allow_none)

    def _relationship_chosen(self) -> None:
        self.subscriber.setVisible(self._relation() is not SubscriberRelationship.SELF)

    # -- values --------------------------------------------------------------------------

    def _relation(self) -> SubscriberRelationship:
        return combo_enum(self.relationship, SubscriberRelationship) or SubscriberRelationship.SELF

    def has_payer(self) -> bool:
        return self.payer.currentData() is not None

    def to_input(self) -> CoverageInput | None:
        """The coverage typed in (None: self-pay); DomainError when something is missing."""
        payer_id = self.payer.currentData()
        if payer_id is None:
            if self.allow_none:
                return None
            raise DomainError(self.tr("Choose the insurance company (or add it with Add payer…)."))
        if not self.member_id.text().strip():
            self.member_id.setFocus()
            raise DomainError(self.tr("Enter the member ID from the insurance card."))
        relation = self._relation()
        if relation is not SubscriberRelationship.SELF and not (
            self.subscriber_first.text().strip() and self.subscriber_last.text().strip()
        ):
            self.subscriber_first.setFocus()
            raise DomainError(
                self.tr("Enter the subscriber's name (the person who holds the policy).")
            )
        effective, terminated = self.effective.date_value(), self.terminated.date_value()
        if effective and terminated and terminated < effective:
            raise DomainError(self.tr("The coverage cannot end before it starts."))
        return CoverageInput(
            payer_id=payer_id,
            priority=self.priority.currentData(),
            member_id=self.member_id.text(),
            relationship_to_subscriber=relation,
            group_number=optional(self.group.text()),
            subscriber_first_name=optional(self.subscriber_first.text()),
            subscriber_last_name=optional(self.subscriber_last.text()),
            subscriber_date_of_birth=self.subscriber_birth.date_value(),
            effective_on=effective,
            terminated_on=terminated,
            copay_cents=self.copay.cents(),
        )

    def set_coverage(self, coverage: CoverageView) -> None:
        self.load_payers(coverage.payer_id)
        self.priority.setCurrentIndex(max(0, self.priority.findData(coverage.priority)))
        self.member_id.setText(coverage.member_id)
        self.group.setText(coverage.group_number or "")
        relation = coverage.relationship_to_subscriber
        self.relationship.setCurrentIndex(max(0, self.relationship.findData(relation)))
        if relation is not SubscriberRelationship.SELF:
            first, last = coverage.subscriber_first_name, coverage.subscriber_last_name
            self.subscriber_first.setText(first)
            self.subscriber_last.setText(last)
            self.subscriber_birth.set_date(coverage.subscriber_date_of_birth)
        self.effective.set_date(coverage.effective_on)
        self.terminated.set_date(coverage.terminated_on)
        self.copay.set_cents(coverage.copay_cents)

    def clear(self) -> None:
        edits = (self.member_id, self.group, self.subscriber_first, self.subscriber_last,
                 self.subscriber_birth, self.effective, self.terminated, self.copay)  # fmt: skip
        for edit in edits:
            edit.clear()
        self.payer.setCurrentIndex(0)
        self.relationship.setCurrentIndex(0)
        self.priority.setCurrentIndex(0)
