"""Correcting what a posted charge asks for — an adjustment, a write-off, or moving part of
it between insurance and the patient. Each is a new ledger line with a reason; nothing
already posted changes."""

from __future__ import annotations

import enum
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from app.models import Responsibility
from app.services.errors import DomainError
from app.services.ledger import LedgerService
from app.services.ledger_data import ChargeBalance, money
from app.ui.billing.ledger_model import side_label
from app.ui.patients.dialogs import PatientDialog
from app.ui.patients.fields import MoneyField
from app.ui.patients.labels import date_text
from app.ui.session import DesktopSession
from app.ui.widgets import form_layout, form_row, text_label


def _tr(text: str) -> str:
    return QCoreApplication.translate("ChargeMoneyDialog", text)


class ChargeAction(enum.Enum):
    ADJUST = "adjust"
    WRITE_OFF = "write_off"
    TRANSFER = "transfer"


class ChargeMoneyDialog(PatientDialog):
    done_posting = Signal(object)  # what the service gave back

    def __init__(
        self,
        session: DesktopSession,
        charge: ChargeBalance,
        action: ChargeAction,
        parent: QWidget | None = None,
    ) -> None:
        titles = {
            ChargeAction.ADJUST: (_tr("Adjust charge"), _tr("Post adjustment")),
            ChargeAction.WRITE_OFF: (_tr("Write off"), _tr("Write off")),
            ChargeAction.TRANSFER: (_tr("Move balance"), _tr("Move balance")),
        }
        title, ok_text = titles[action]
        subtitle = _tr("{code} {what}, seen {day}: open {open} (patient {p}, insurance {i})")
        super().__init__(
            session,
            title,
            ok_text,
            parent,
            subtitle=subtitle.format(
                code=charge.procedure_code,
                what=charge.description,
                day=date_text(charge.service_on),
                open=money(charge.open_cents),
                p=money(charge.patient_open_cents),
                i=money(charge.insurance_open_cents),
            ),
        )
        self.charge = charge
        self.action = action
        self.amount = MoneyField(self.tr("Amount"))
        self.direction = QComboBox()
        self.direction.setAccessibleName(self.tr("Direction"))
        self.direction.addItem(self.tr("Lower the charge"), -1)
        self.direction.addItem(self.tr("Raise the charge"), 1)
        self.side = QComboBox()
        self.side.setAccessibleName(self.tr("Side"))
        for side in (Responsibility.PATIENT, Responsibility.INSURANCE):
            self.side.addItem(side_label(side), side)
        # Default to the side that owes the most: that is usually the one being corrected.
        if charge.insurance_open_cents > charge.patient_open_cents:
            self.side.setCurrentIndex(1)
        self.reason = QLineEdit()
        self.reason.setAccessibleName(self.tr("Reason"))
        self.reason.setMaxLength(300)
        self.reason_code = QLineEdit()
        self.reason_code.setAccessibleName(self.tr("Reason code"))
        self.reason_code.setPlaceholderText(self.tr("optional, e.g. 45"))
        self.reason_code.setMaxLength(10)

        form = form_layout()
        form_row(form, self.tr("Amount"), self.amount)
        if action is ChargeAction.ADJUST:
            form_row(form, self.tr("Direction"), self.direction)
        side_caption = self.tr("Move to") if action is ChargeAction.TRANSFER else self.tr("Side")
        form_row(form, side_caption, self.side)
        form_row(form, self.tr("Reason"), self.reason)
        if action is ChargeAction.ADJUST:
            form_row(form, self.tr("Reason code"), self.reason_code)
            self.reason.setPlaceholderText(self.tr("e.g. courtesy discount"))
        elif action is ChargeAction.WRITE_OFF:
            self.reason.setPlaceholderText(self.tr("e.g. small balance, sent to collections"))
        else:
            self.reason.setPlaceholderText(self.tr("optional, e.g. deductible not met"))
            if charge.patient_open_cents > charge.insurance_open_cents:
                self.side.setCurrentIndex(1)  # what the patient owes goes to insurance
            else:
                self.side.setCurrentIndex(0)
        self.content.addLayout(form)
        self.content.addWidget(
            text_label(self.tr("Posted as a new ledger line; nothing posted changes."), "muted")
        )
        self.resize(520, self.sizeHint().height())

    def submit(self) -> None:
        try:
            cents = self.amount.cents()
        except DomainError as error:
            self.refuse(error)
            return
        if cents <= 0:
            self.refuse(DomainError(self.tr("Enter an amount greater than zero.")))
            self.amount.setFocus()
            return
        reason = self.reason.text().strip()
        side: Responsibility = self.side.currentData()
        service = LedgerService(self.session.ctx)
        call: tuple[Any, ...]
        if self.action is ChargeAction.ADJUST:
            signed = cents * int(self.direction.currentData())
            code = self.reason_code.text().strip() or None
            call = (service.adjust, self.charge.charge_id, signed, reason, code)
            self._run(*call, responsibility=side)
        elif self.action is ChargeAction.WRITE_OFF:
            self._run(service.write_off, self.charge.charge_id, cents, reason, responsibility=side)
        else:
            self._run(service.transfer, self.charge.charge_id, cents, side, reason or None)

    def _run(self, fn: Any, *args: Any, **kwargs: Any) -> None:
        self.run(lambda: fn(*args, **kwargs), done=self._posted)

    def _posted(self, result: object) -> None:
        self.done_posting.emit(result)
        self.accept()
