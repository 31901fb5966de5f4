"""Add an insurance company to the practice's payer list (from the card in hand)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from app.services.insurance import PayerInput, PayerService, PayerView
from app.ui.patients.dialogs import PatientDialog
from app.ui.patients.fields import optional, text_field
from app.ui.session import DesktopSession
from app.ui.widgets import form_layout, form_row


class AddPayerDialog(PatientDialog):
    added = Signal(object)  # PayerView

    def __init__(self, session: DesktopSession, parent: QWidget | None = None) -> None:
        super().__init__(
            session,
            self.tr("Add a payer"),
            self.tr("Add payer"),
            parent,
            subtitle=self.tr(
                "The insurance company as printed on the card. The payer ID comes from your "
                "clearinghouse's payer list."
            ),
        )
        self.setMinimumWidth(500)
        self.name = text_field(self.tr("Payer name"), self.tr("Lakeshore Health Plan"))
        self.code = text_field(self.tr("Payer ID"), self.tr("LKSH1"), 15)
        self.phone = text_field(self.tr("Payer phone"), self.tr("Provider services number"), 32)
        form = form_layout()
        form_row(form, self.tr("&Name"), self.name)
        form_row(form, self.tr("Payer &ID"), self.code)
        form_row(form, self.tr("&Phone"), self.phone)
        self.content.addLayout(form)
        self.name.setFocus()

    def submit(self) -> None:
        data = PayerInput(
            name=self.name.text(), payer_code=self.code.text(), phone=optional(self.phone.text())
        )
        self.run(PayerService(self.session.ctx).add_payer, data, done=self._added)

    def _added(self, payer: PayerView) -> None:
        self.added.emit(payer)
        self.accept()
