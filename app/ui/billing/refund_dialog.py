"""Giving money back: only what a payment left as credit on the account (an overpaid copay,
a payment for a visit that was not billed), with the reason on the ledger."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from app.services.errors import DomainError
from app.services.ledger_data import PaymentCredit, money
from app.services.payments import PaymentService
from app.ui.labels import payment_method_label
from app.ui.patients.dialogs import PatientDialog
from app.ui.patients.fields import MoneyField
from app.ui.patients.labels import date_text
from app.ui.session import DesktopSession
from app.ui.widgets import form_layout, form_row, text_label


def _tr(text: str) -> str:
    return QCoreApplication.translate("RefundDialog", text)


def credit_text(credit: PaymentCredit) -> str:
    """ "R-K7M000042 · Cash · 01/05/2026 · $25.00 credit"."""
    return _tr("{receipt} · {method} · {day} · {credit} credit").format(
        receipt=credit.receipt_number,
        method=payment_method_label(credit.method),
        day=date_text(credit.received_on),
        credit=money(credit.credit_cents),
    )


class RefundDialog(PatientDialog):
    def __init__(
        self,
        session: DesktopSession,
        patient_name: str,
        credits: Sequence[PaymentCredit],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(session, _tr("Refund"), _tr("Refund"), parent, subtitle=patient_name)
        self.payment = QComboBox()
        self.payment.setAccessibleName(_tr("Payment to refund"))
        for credit in credits:
            self.payment.addItem(credit_text(credit), credit)
        self.amount = MoneyField(_tr("Amount"))
        self.payment.currentIndexChanged.connect(self._fill_amount)
        self.reason = QLineEdit()
        self.reason.setAccessibleName(_tr("Reason"))
        self.reason.setPlaceholderText(_tr("e.g. copay taken twice"))
        self.reason.setMaxLength(300)
        form = form_layout()
        form_row(form, _tr("Payment"), self.payment)
        form_row(form, _tr("Amount"), self.amount)
        form_row(form, _tr("Reason"), self.reason)
        self.content.addLayout(form)
        self.content.addWidget(
            text_label(
                _tr("Only credit not applied to a charge can be refunded; give it back the "
                    "way it was paid."),
                "muted",
            )
        )  # fmt: skip
        self._fill_amount()
        self.resize(520, self.sizeHint().height())

    def _fill_amount(self) -> None:
        credit: PaymentCredit | None = self.payment.currentData()
        self.amount.set_cents(credit.credit_cents if credit else 0)

    def submit(self) -> None:
        credit: PaymentCredit | None = self.payment.currentData()
        if credit is None:
            return
        try:
            cents = self.amount.cents()
        except DomainError as error:
            self.refuse(error)
            return
        service = PaymentService(self.session.ctx)
        self.run(
            service.refund,
            credit.payment_id,
            cents,
            self.reason.text(),
            done=lambda _refund: self.accept(),
        )
