"""Claim setup, for the biller: the practice as billing provider and its clearinghouse,
each payer's claim rules, the practice's own claim rules, and this machine's outbox folder
and CMS-1500 printer offset. Four cards in two columns; the page scrolls when short."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from app.ui.billing.claim_setup_billing import BillingSetupCard
from app.ui.billing.claim_setup_device import DeviceCard
from app.ui.billing.claim_setup_payers import PayerRulesCard
from app.ui.billing.claim_setup_rules import ScrubRulesCard
from app.ui.session import DesktopSession
from app.ui.widgets import add_shortcuts


def _tr(text: str) -> str:
    return QCoreApplication.translate("ClaimSetupPanel", text)


class ClaimSetupPanel(QWidget):
    def __init__(self, session: DesktopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.billing = BillingSetupCard(session)
        self.payers = PayerRulesCard(session)
        self.rules = ScrubRulesCard(session)
        self.device = DeviceCard(session)
        # The rule editor offers the payers the payer card has loaded.
        self.payers.loaded.connect(lambda payers: setattr(self.rules, "payers", list(payers)))

        left = QVBoxLayout()
        left.setSpacing(14)
        left.addWidget(self.billing)
        left.addWidget(self.device)
        left.addStretch(1)
        right = QVBoxLayout()
        right.setSpacing(14)
        right.addWidget(self.rules, 1)
        right.addWidget(self.payers, 1)
        content = QWidget()
        content.setObjectName("Canvas")
        columns = QHBoxLayout(content)
        columns.setContentsMargins(20, 14, 20, 12)
        columns.setSpacing(16)
        columns.addLayout(left, 4)
        columns.addLayout(right, 6)
        scroll = QScrollArea()
        scroll.setAccessibleName(_tr("Claim setup"))
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        add_shortcuts(self, [("Ctrl+S", self.billing.save), ("F5", self.reload)])
        self.clear_sensitive()

    def reload(self) -> None:
        for part in (self.billing, self.payers, self.rules, self.device):
            part.reload()

    def clear_sensitive(self) -> None:
        for part in (self.billing, self.payers, self.rules, self.device):
            part.clear_sensitive()
