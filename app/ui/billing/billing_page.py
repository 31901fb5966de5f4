"""The Billing section. Each person sees the tabs their role allows: the biller's queue of
charges to post, a patient's account (the desk takes payments there), statements, the
day's close and A/R aging, and the biller's claims, denial worklist, payers' answers
(remittances) and claim setup."""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from app.services.permissions import Permission
from app.ui.billing.account_panel import AccountPanel
from app.ui.session import DesktopSession
from app.ui.tabbed_page import TabbedPage


def _tr(text: str) -> str:
    return QCoreApplication.translate("BillingPage", text)


TO_POST, ACCOUNTS, STATEMENTS, CLAIMS, DENIALS, REMITTANCES, CLAIM_SETUP, DAY_CLOSE, AGING = (
    _tr("To post"),
    _tr("Accounts"),
    _tr("Statements"),
    _tr("Claims"),
    _tr("Denials"),
    _tr("Remittances"),
    _tr("Claim setup"),
    _tr("Day close"),
    _tr("Aging"),
)


class BillingPage(TabbedPage):
    def __init__(self, session: DesktopSession) -> None:
        super().__init__(_tr("Billing tabs"))
        self.session = session
        actor = session.ctx.actor
        allowed = {p for p in Permission if actor is not None and actor.can(p)}
        if Permission.POST_CHARGES in allowed:
            self.add_tab(TO_POST, self._build_charges)
        self.add_tab(ACCOUNTS, self._build_account)
        if Permission.POST_CHARGES in allowed:
            self.add_tab(STATEMENTS, self._build_statements)
        if Permission.MANAGE_CLAIMS in allowed:
            self.add_tab(CLAIMS, self._build_claims)
            self.add_tab(DENIALS, self._build_denials)
            self.add_tab(REMITTANCES, self._build_remittances)
            self.add_tab(CLAIM_SETUP, self._build_claim_setup)
        if Permission.TAKE_PAYMENTS in allowed:
            self.add_tab(DAY_CLOSE, self._build_day_close)
        if Permission.VIEW_REPORTS in allowed:
            self.add_tab(AGING, self._build_aging)

    def _build_charges(self) -> QWidget:
        from app.ui.billing.charges_panel import ChargesPanel

        panel = ChargesPanel(self.session)
        panel.account_requested.connect(self.open_account)
        return panel

    def _build_account(self) -> QWidget:
        return AccountPanel(self.session)

    def _build_statements(self) -> QWidget:
        from app.ui.billing.statements_panel import StatementsPanel

        return StatementsPanel(self.session)

    def _build_claims(self) -> QWidget:
        from app.ui.billing.claims_panel import ClaimsPanel

        panel = ClaimsPanel(self.session)
        panel.account_requested.connect(self.open_account)
        return panel

    def _build_denials(self) -> QWidget:
        from app.ui.billing.denials_panel import DenialsPanel

        panel = DenialsPanel(self.session)
        panel.claim_requested.connect(self.open_claim)
        return panel

    def _build_remittances(self) -> QWidget:
        from app.ui.billing.remittance_panel import RemittancePanel

        panel = RemittancePanel(self.session)
        panel.claim_requested.connect(self.open_claim)
        panel.account_requested.connect(self.open_account)
        return panel

    def _build_claim_setup(self) -> QWidget:
        from app.ui.billing.claim_setup_panel import ClaimSetupPanel

        return ClaimSetupPanel(self.session)

    def _build_day_close(self) -> QWidget:
        from app.ui.billing.day_close_panel import DayClosePanel

        return DayClosePanel(self.session)

    def _build_aging(self) -> QWidget:
        from app.ui.billing.aging_panel import AgingPanel

        return AgingPanel(self.session)

    def open_account(self, patient_id: str) -> None:
        """Show `patient_id`'s account (everyone who sees Billing may)."""
        panel = cast(AccountPanel, self.show_tab(ACCOUNTS))
        panel.open_account(patient_id)

    def open_claim(self, claim_id: str) -> None:
        """Show `claim_id` in the Claims tab (for those who work claims)."""
        from app.ui.billing.claims_panel import ClaimsPanel

        panel = self.show_tab(CLAIMS)
        if isinstance(panel, ClaimsPanel):
            panel.show_claim(claim_id)
