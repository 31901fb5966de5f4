"""The practice as billing provider and submitter: NPI, tax id, taxonomy, billing phone and
contact, and the clearinghouse's name and ids. The service checks each (an NPI's check
digit, an EIN's nine digits...) and its refusal shows under the form; nothing is saved."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from app.services.claim_data import BillingSetup
from app.services.claims_setup import ClaimSetupService
from app.ui.patients.fields import labeled, optional, text_field
from app.ui.session import DesktopSession
from app.ui.tasks import error_message
from app.ui.widgets import BusyBar, MessageLabel, button, card, text_label


def _tr(text: str) -> str:
    return QCoreApplication.translate("BillingSetupCard", text)


# BillingSetup field -> (label, placeholder, longest).
_FIELDS: dict[str, tuple[str, str, int]] = {
    "npi": (_tr("Billing NPI"), _tr("10 digits"), 10),
    "tax_id": (_tr("Tax id (EIN)"), _tr("12-3456789"), 10),
    "taxonomy_code": (_tr("Taxonomy code"), _tr("e.g. 207Q00000X"), 10),
    "billing_phone": (_tr("Billing phone"), _tr("(217) 555-0100"), 30),
    "billing_contact": (_tr("Billing contact"), _tr("Name to call"), 60),
    "clearinghouse_name": (_tr("Clearinghouse"), _tr("e.g. Availity"), 60),
    "submitter_id": (_tr("Submitter id"), _tr("From the clearinghouse"), 15),
    "receiver_id": (_tr("Receiver id"), _tr("From the clearinghouse"), 15),
}
_LEFT = ("npi", "tax_id", "taxonomy_code", "billing_phone")
_RIGHT = ("billing_contact", "clearinghouse_name", "submitter_id", "receiver_id")


class BillingSetupCard(QWidget):
    saved = Signal(object)  # BillingSetup as stored
    loaded = Signal()

    def __init__(self, session: DesktopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.edits: dict[str, QLineEdit] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(8)
        for column, names in enumerate((_LEFT, _RIGHT)):
            for row, name in enumerate(names):
                label, placeholder, longest = _FIELDS[name]
                edit = text_field(label, placeholder, max(longest, 15) + 5)
                self.edits[name] = edit
                grid.addWidget(labeled(label, edit), row, column)
        self.save_button = button(
            _tr("Save"), _tr("Save billing setup"), variant="primary", icon_name="check"
        )
        self.save_button.setToolTip(_tr("Save the billing provider and clearinghouse (Ctrl+S)"))
        self.save_button.clicked.connect(self.save)
        self.busy = BusyBar()
        self.message = MessageLabel("error", _tr("Billing setup message"))

        frame, body = card(20, 10)
        body.addWidget(text_label(_tr("Billing provider and clearinghouse"), "heading"))
        body.addWidget(
            text_label(
                _tr("What every claim says about the practice, and who it is sent through."),
                "muted",
            )
        )
        body.addLayout(grid)
        body.addWidget(self.message)
        body.addWidget(self.busy)
        actions = QHBoxLayout()
        actions.addStretch(1)
        actions.addWidget(self.save_button)
        body.addLayout(actions)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(frame)

    def show_setup(self, setup: BillingSetup) -> None:
        for name, edit in self.edits.items():
            edit.setText(getattr(setup, name) or "")

    def typed(self) -> BillingSetup:
        return BillingSetup(**{name: optional(edit.text()) for name, edit in self.edits.items()})

    def reload(self) -> None:
        task = self.session.run(
            lambda ctx: ClaimSetupService(ctx).billing_setup(), self.session.ctx, owner=self
        )
        task.succeeded.connect(self._loaded)
        task.failed.connect(self._failed)

    def _loaded(self, setup: BillingSetup) -> None:
        self.show_setup(setup)
        self.loaded.emit()

    def save(self) -> None:
        self.message.clear_message()
        self.busy.show()
        self.save_button.setEnabled(False)
        service = ClaimSetupService(self.session.ctx)
        task = self.session.run(service.save_billing_setup, self.typed(), owner=self)
        task.succeeded.connect(self._saved)
        task.failed.connect(self._failed)

    def _saved(self, setup: BillingSetup) -> None:
        self.busy.hide()
        self.save_button.setEnabled(True)
        self.show_setup(setup)
        self.message.show_as("notice", _tr("Saved. New claims use these details."))
        self.saved.emit(setup)

    def _failed(self, error: BaseException) -> None:
        self.busy.hide()
        self.save_button.setEnabled(True)
        self.message.show_as("error", error_message(error))

    def clear_sensitive(self) -> None:
        for edit in self.edits.values():
            edit.clear()
        self.message.clear_message()
        self.busy.hide()
        self.save_button.setEnabled(True)
