"""Take a payment at the desk: cash, card or check, applied to the oldest balance, kept as
credit (a copay before the visit's charges exist), or spread over charges the person picks.
The dialog shows where the money goes before it is taken; the receipt preview follows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.models import PaymentMethod
from app.services.context import AppContext
from app.services.errors import DomainError
from app.services.ledger import LedgerService
from app.services.ledger_data import AccountView, ChargeBalance, PaymentInput, PaymentView, money
from app.services.patients import PatientService
from app.services.payments import MAX_REFERENCE, PaymentService
from app.ui.billing.receipt_print import show_receipt
from app.ui.labels import payment_method_label
from app.ui.patients.fields import MoneyField, parse_cents
from app.ui.patients.labels import date_text
from app.ui.schedule.schedule_dialog import ScheduleDialog
from app.ui.session import DesktopSession
from app.ui.tables import style_row_table
from app.ui.widgets import MessageLabel, form_layout, form_row, inline_row, text_label

MAX_PAYMENT_CENTS = 10_000_000  # $100,000: more is a slip of the keyboard, not a payment
DESK_METHODS = (PaymentMethod.CASH, PaymentMethod.CARD, PaymentMethod.CHEQUE)
OLDEST, CREDIT, CHOOSE = "oldest", "credit", "choose"  # how the payment is applied
CHARGE_ROW_HEIGHT = 42  # room for an amount field in each row
VISIBLE_CHARGES = 6  # more scroll


@dataclass(frozen=True)
class PaymentFile:
    patient_name: str
    identifiers: str  # date of birth and MRN, to be sure it is the right person
    account: AccountView

    @property
    def payable(self) -> tuple[ChargeBalance, ...]:
        """The charges a patient's payment can pay: the patient's part is open, oldest first."""
        return tuple(c for c in self.account.charges if c.patient_open_cents > 0)


def load_payment_file(ctx: AppContext, patient_id: str) -> PaymentFile:
    """On the worker: who pays, and their account (both reads are audited)."""
    record = PatientService(ctx).get(patient_id)
    account = LedgerService(ctx).account(patient_id)
    identifiers = f"DOB {date_text(record.date_of_birth)}  ·  MRN {record.mrn}"
    return PaymentFile(f"{record.first_name} {record.last_name}", identifiers, account)


def oldest_first(charges: Sequence[ChargeBalance], cents: int) -> dict[str, int]:
    """`cents` spread over the patient's open part of `charges`, oldest first (as the
    service applies a payment when no charges are named)."""
    plan: dict[str, int] = {}
    for charge in charges:
        take = min(charge.patient_open_cents, cents)
        if take <= 0:
            break
        plan[charge.charge_id] = take
        cents -= take
    return plan


def amount_cents(field: QLineEdit, what: str) -> int:
    try:
        return parse_cents(field.text())
    except DomainError:
        raise DomainError(
            f"{what} “{field.text().strip()}” is not an amount. Type it like 25.00."
        ) from None


class PaymentDialog(ScheduleDialog):
    paid = Signal(object)  # PaymentView

    def __init__(
        self,
        session: DesktopSession,
        patient_id: str,
        *,
        amount_cents: int | None = None,
        appointment_id: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        title = self.tr("Take a payment")
        super().__init__(session, title, self.tr("Take payment"), parent)
        self.setMinimumWidth(640)
        self.patient_id = patient_id
        self.appointment_id = appointment_id
        self.file: PaymentFile | None = None
        self._lines: dict[str, MoneyField] = {}
        self._lines_typed = False  # the person changed a line: keep it when the amount changes
        self.ok_button.setToolTip(self.tr("Take the payment (Enter)"))

        self.who = text_label("", "muted")
        self.who.setAccessibleName(self.tr("Paying patient"))
        self.balances = self._balance_strip()
        self.method_group = QButtonGroup(self)
        self.method_buttons: dict[PaymentMethod, QRadioButton] = {}
        methods = QWidget()
        method_row = QHBoxLayout(methods)
        method_row.setContentsMargins(0, 0, 0, 0)
        method_row.setSpacing(18)
        for method, text in zip(
            DESK_METHODS, (self.tr("C&ash"), self.tr("Ca&rd"), self.tr("C&heck")), strict=True
        ):
            radio = QRadioButton(text)
            radio.setAccessibleName(payment_method_label(method))
            self.method_buttons[method] = radio
            self.method_group.addButton(radio)
            method_row.addWidget(radio)
        method_row.addStretch(1)
        self.method_buttons[PaymentMethod.CASH].setChecked(True)

        self.amount = MoneyField(self.tr("Amount"))
        self.amount.setFixedWidth(160)
        self.amount.textChanged.connect(self._amount_changed)
        self.reference = QLineEdit()
        self.reference.setFixedWidth(200)
        self.reference_rule = QRegularExpressionValidator(self.reference)
        self.reference.setValidator(self.reference_rule)
        self.reference_hint = text_label("", "hint", wrap=False)
        self.reference_row = inline_row(self.reference, self.reference_hint)

        self.apply_group = QButtonGroup(self)
        self.rule_buttons: dict[str, QRadioButton] = {}
        apply_box = QWidget()
        apply_column = QVBoxLayout(apply_box)
        apply_column.setContentsMargins(0, 0, 0, 0)
        apply_column.setSpacing(6)
        for rule, text, name in (
            (OLDEST, self.tr("&Oldest balance first"), self.tr("Oldest balance first")),
            (CREDIT, self.tr("&Keep as credit"), self.tr("Keep as credit")),
            (CHOOSE, self.tr("Choose charg&es…"), self.tr("Choose charges")),
        ):
            radio = QRadioButton(text)
            radio.setAccessibleName(name)
            self.rule_buttons[rule] = radio
            self.apply_group.addButton(radio)
            apply_column.addWidget(radio)
        self.rule_buttons[CREDIT if appointment_id else OLDEST].setChecked(True)

        self.charges = QTableWidget(0, 4)
        self.charges.setHorizontalHeaderLabels(
            [
                self.tr("Date of service"),
                self.tr("Service"),
                self.tr("Patient owes"),
                self.tr("Apply"),
            ]
        )
        style_row_table(self.charges, self.tr("Open charges"), stretch_column=1)
        self.charges.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.charges.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from amount to amount
        self.charges.verticalHeader().setDefaultSectionSize(CHARGE_ROW_HEIGHT)
        self.charges.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Fixed)
        self.charges.setColumnWidth(3, 130)
        self.where = MessageLabel("notice", self.tr("Where the money goes"))

        form = form_layout()
        form_row(form, self.tr("Paid by"), methods)
        form_row(form, self.tr("A&mount"), self.amount)
        self.reference_label = form_row(form, "", self.reference_row, self.reference)
        form_row(form, self.tr("Apply to"), apply_box)
        self.copay_note = MessageLabel("notice", self.tr("Copay"))
        self.content.addWidget(self.who)
        self.content.addWidget(self.balances)
        self.content.addWidget(self.copay_note)
        self.content.addLayout(form)
        self.content.addWidget(self.charges, 1)
        self.content.addWidget(self.where)

        if amount_cents:
            self.amount.set_cents(amount_cents)
        self._method_changed()
        self._rule_changed()
        for radio in self.method_buttons.values():
            radio.toggled.connect(self._method_toggled)
        for radio in self.rule_buttons.values():
            radio.toggled.connect(self._rule_toggled)
        self.allow(self.ok_button, False)
        self.amount.setFocus()
        task = session.run(load_payment_file, session.ctx, patient_id, owner=self)
        task.succeeded.connect(self._loaded)
        task.failed.connect(self.failed)

    # -- building ------------------------------------------------------------------------

    def _balance_strip(self) -> QFrame:
        frame = QFrame()
        frame.setProperty("role", "section")
        grid = QGridLayout(frame)
        grid.setContentsMargins(18, 12, 18, 12)
        grid.setHorizontalSpacing(32)
        grid.setVerticalSpacing(2)
        self.balance_values: dict[str, QLabel] = {}
        for column, (key, caption) in enumerate(
            (
                ("patient", self.tr("Open for the patient")),
                ("insurance", self.tr("Open for insurance")),
                ("credit", self.tr("Credit on account")),
            )
        ):
            title = QLabel(caption.upper())
            title.setObjectName("BannerCaption")
            value = text_label("…", None, wrap=False)
            value.setObjectName("BannerValue")
            value.setProperty("severity", "known")
            value.setAccessibleName(caption)
            grid.addWidget(title, 0, column)
            grid.addWidget(value, 1, column)
            self.balance_values[key] = value
        grid.setColumnStretch(3, 1)
        return frame

    # -- loading -------------------------------------------------------------------------

    def _loaded(self, file: PaymentFile) -> None:
        self.file = file
        account = file.account
        self.who.setText(file.identifiers)
        self.heading.setText(self.tr("Take a payment from {name}").format(name=file.patient_name))
        texts = {
            "patient": money(sum(c.patient_open_cents for c in file.payable)),
            "insurance": money(sum(c.insurance_open_cents for c in account.open_charges)),
            "credit": money(account.unapplied_credit_cents),
        }
        for key, text in texts.items():
            self.balance_values[key].setText(text)
        if self.appointment_id:
            self.copay_note.show_message(
                self.tr(
                    "{name} is checked in. Take the copay now; it stays on the account as "
                    "credit for the visit's charges. Cancel leaves the copay not collected."
                ).format(name=file.patient_name)
            )
        self._fill_charges(file.payable)
        self.rule_buttons[CHOOSE].setEnabled(bool(file.payable))
        self.allow(self.ok_button, True)
        self._rule_changed()  # fits the dialog to what it now shows

    def _fill_charges(self, charges: Sequence[ChargeBalance]) -> None:
        self.charges.setRowCount(len(charges))
        shown_rows = min(max(len(charges), 1), VISIBLE_CHARGES)
        header = self.charges.horizontalHeader().sizeHint().height()
        self.charges.setFixedHeight(header + shown_rows * CHARGE_ROW_HEIGHT + 4)
        self._lines.clear()
        for row, charge in enumerate(charges):
            texts = (
                date_text(charge.service_on),
                f"{charge.description} ({charge.procedure_code})",
                money(charge.patient_open_cents),
            )
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if column == 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.charges.setItem(row, column, item)
            line = MoneyField(
                self.tr("Apply to {code} on {day}").format(
                    code=charge.procedure_code, day=date_text(charge.service_on)
                )
            )
            line.textEdited.connect(self._line_typed)
            self.charges.setCellWidget(row, 3, line)
            self._lines[charge.charge_id] = line

    # -- the form reacting ---------------------------------------------------------------

    @property
    def method(self) -> PaymentMethod:
        return next(m for m, radio in self.method_buttons.items() if radio.isChecked())

    @property
    def rule(self) -> str:
        return next(r for r, radio in self.rule_buttons.items() if radio.isChecked())

    def _method_toggled(self, on: bool) -> None:
        if on:  # the button switched off fires too
            self._method_changed()

    def _rule_toggled(self, on: bool) -> None:
        if on:
            self._rule_changed()

    def _method_changed(self) -> None:
        method = self.method
        self.reference.clear()
        self.reference_label.setVisible(method is not PaymentMethod.CASH)
        self.reference_row.setVisible(method is not PaymentMethod.CASH)
        if method is PaymentMethod.CHEQUE:
            self.reference_label.setText(self.tr("Check &number"))
            self.reference.setAccessibleName(self.tr("Check number"))
            self.reference_rule.setRegularExpression(QRegularExpression(".*"))
            self.reference.setMaxLength(MAX_REFERENCE)
            self.reference.setPlaceholderText("1042")
            self.reference_hint.setText(self.tr("Required"))
        elif method is PaymentMethod.CARD:
            self.reference_label.setText(self.tr("Card, last &4 digits"))
            self.reference.setAccessibleName(self.tr("Card last 4 digits"))
            self.reference_rule.setRegularExpression(QRegularExpression(r"\d{0,4}"))
            self.reference.setMaxLength(4)
            self.reference.setPlaceholderText("4242")
            self.reference_hint.setText(self.tr("Optional; never the whole card number"))
        self.adjustSize()

    def _rule_changed(self) -> None:
        choosing = self.rule == CHOOSE
        self.charges.setVisible(choosing)
        if choosing and not self._lines_typed:
            self._fill_oldest_first()
        self._show_where()
        self.adjustSize()

    def _amount_changed(self) -> None:
        if self.rule == CHOOSE and not self._lines_typed:
            self._fill_oldest_first()
        self._show_where()

    def _line_typed(self) -> None:
        self._lines_typed = True
        self._show_where()

    def _fill_oldest_first(self) -> None:
        if self.file is None:
            return
        try:
            cents = amount_cents(self.amount, self.tr("The amount"))
        except DomainError:
            cents = 0
        plan = oldest_first(self.file.payable, cents)
        for charge_id, line in self._lines.items():
            line.set_cents(plan.get(charge_id, 0))

    def _show_where(self) -> None:
        """Say, as the person types, where the payment will go."""
        try:
            self.where.show_as("notice", self._where_text())
        except DomainError as error:
            self.where.show_as("error", str(error))

    def _where_text(self) -> str:
        """Where the payment goes, or a DomainError saying what does not add up."""
        if self.file is None:
            return ""
        cents = amount_cents(self.amount, self.tr("The amount"))
        if cents <= 0:
            return ""
        if self.rule == CREDIT:
            return self.tr("All {amount} stays on the account as credit.").format(
                amount=money(cents)
            )
        if self.rule == OLDEST:
            applied = sum(oldest_first(self.file.payable, cents).values())
        else:
            applied = sum(line for _, line in self._chosen())
            if applied > cents:
                raise self._over(applied, cents)
        if not applied:
            return self.tr(
                "Nothing is open for the patient to pay; all {amount} stays as credit."
            ).format(amount=money(cents))
        text = self.tr("{applied} pays charges").format(applied=money(applied))
        if self.rule == OLDEST:
            text += self.tr(", oldest first")
        rest = cents - applied
        if rest:
            return text + self.tr("; {rest} stays as credit.").format(rest=money(rest))
        return text + "."

    def _over(self, applied: int, cents: int) -> DomainError:
        return DomainError(
            self.tr("You applied {applied} to charges, but the payment is {amount}.").format(
                applied=money(applied), amount=money(cents)
            )
        )

    def _chosen(self) -> list[tuple[str, int]]:
        """The amounts typed against charges (blank or zero lines left out)."""
        assert self.file is not None
        opens = {c.charge_id: c for c in self.file.payable}
        chosen: list[tuple[str, int]] = []
        for charge_id, line in self._lines.items():
            charge = opens[charge_id]
            what = self.tr("The amount for {code}").format(code=charge.procedure_code)
            cents = amount_cents(line, what)
            if cents < 0:
                raise DomainError(self.tr("{what} cannot be negative.").format(what=what))
            if cents > charge.patient_open_cents:
                raise DomainError(
                    self.tr("Only {open} of {code} on {day} is the patient's to pay.").format(
                        open=money(charge.patient_open_cents),
                        code=charge.procedure_code,
                        day=date_text(charge.service_on),
                    )
                )
            if cents:
                chosen.append((charge_id, cents))
        return chosen

    # -- taking it -----------------------------------------------------------------------

    def payment(self) -> PaymentInput:
        """The payment as typed, or a DomainError that says what to fix."""
        cents = amount_cents(self.amount, self.tr("The amount"))
        if cents <= 0:
            raise DomainError(self.tr("Enter the amount received (more than zero)."))
        if cents > MAX_PAYMENT_CENTS:
            raise DomainError(
                self.tr("A payment is at most {limit}; check the amount.").format(
                    limit=money(MAX_PAYMENT_CENTS)
                )
            )
        method = self.method
        reference = self.reference.text().strip() or None
        if method is PaymentMethod.CHEQUE and not reference:
            raise DomainError(self.tr("Enter the check number."))
        if method is PaymentMethod.CARD and reference and len(reference) != 4:
            raise DomainError(self.tr("Enter the card's last 4 digits, or leave them blank."))
        applied: list[tuple[str, int]] | None = None
        if self.rule == CREDIT:
            applied = []
        elif self.rule == CHOOSE:
            applied = self._chosen()
            total = sum(c for _, c in applied)
            if total > cents:
                raise self._over(total, cents)
        return PaymentInput(
            method,
            cents,
            reference if method is not PaymentMethod.CASH else None,
            applied,
            self.appointment_id,
        )

    def submit(self) -> None:
        if self.file is None:
            return
        try:
            data = self.payment()
        except DomainError as error:
            self.refuse(error)
            return
        service = PaymentService(self.session.ctx)
        self.run(service.take_payment, self.patient_id, data, done=self._taken)

    def _taken(self, view: PaymentView) -> None:
        self.paid.emit(view)
        # The desk's next step: the receipt, to print or hand over (over our own parent:
        # this dialog closes now).
        show_receipt(self.session, view.id, self.parentWidget())
        self.accept()
