"""What claims need set up once: the practice as billing provider and submitter (NPI, tax
id, taxonomy, billing phone and contact, the clearinghouse's ids), each payer's timely
filing limit and claim filing indicator, and the practice's own claim rules."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Payer, Practice, ScrubRule
from app.services.audit_chain import AuditEntry
from app.services.bus import SettingsChanged
from app.services.claim_building import digits
from app.services.claim_data import BillingSetup, ScrubRuleInput, ScrubRuleView
from app.services.claim_rules import PracticeRule, check_rule
from app.services.context import AppContext, requires
from app.services.errors import DomainError, NotFound
from app.services.permissions import Permission
from app.terminology.identifiers import npi_is_valid

SETUP_CATEGORY = "claim_setup"
# SBR09 claim filing indicators a practice chooses from (X12 5010 code list, the common ones).
FILING_INDICATORS = {
    "CI": "Commercial insurance",
    "MB": "Medicare Part B",
    "MC": "Medicaid",
    "BL": "Blue Cross / Blue Shield",
    "HM": "HMO",
}
_ID = re.compile(r"^[A-Za-z0-9]{2,15}$")  # ISA06/ISA08: up to 15 characters
_TAXONOMY = re.compile(r"^[0-9A-Z]{9}X$")  # NUCC: 10 characters ending in X (format only)


class ClaimSetupService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @requires(Permission.MANAGE_CLAIMS)
    def billing_setup(self) -> BillingSetup:
        with self.ctx.unit_of_work() as uow:
            practice = _practice(uow.session)
            uow.audit(AuditEntry("read", SETUP_CATEGORY, entity_id=practice.id))
            return _setup_view(practice)

    @requires(Permission.MANAGE_CLAIMS)
    def save_billing_setup(self, setup: BillingSetup) -> BillingSetup:
        clean = _clean_setup(setup)
        with self.ctx.unit_of_work() as uow:
            practice = _practice(uow.session)
            for name in BillingSetup.__dataclass_fields__:
                setattr(practice, name, getattr(clean, name))
            uow.session.flush()
            uow.audit(AuditEntry("update", SETUP_CATEGORY, entity_id=practice.id))
            uow.notify(SettingsChanged(("billing_setup",)))
            return _setup_view(practice)

    @requires(Permission.MANAGE_CLAIMS)
    def set_payer_claim_rules(
        self, payer_id: str, timely_filing_days: int, filing_indicator: str
    ) -> None:
        """How long after the service the payer accepts a claim, and its kind (SBR09)."""
        if not 1 <= timely_filing_days <= 3650:
            raise DomainError("The timely filing limit is between 1 and 3650 days.")
        indicator = filing_indicator.strip().upper()
        if indicator not in FILING_INDICATORS:
            raise DomainError("Choose the payer's kind: " + ", ".join(FILING_INDICATORS.values()))
        with self.ctx.unit_of_work() as uow:
            payer = uow.session.get(Payer, payer_id)
            if payer is None or payer.deleted_at is not None:
                raise NotFound("That payer does not exist.")
            payer.timely_filing_days, payer.filing_indicator = timely_filing_days, indicator
            uow.session.flush()
            uow.audit(AuditEntry("update", SETUP_CATEGORY, entity_id=payer.id, detail="payer"))

    # -- the practice's own rules -----------------------------------------------------

    @requires(Permission.MANAGE_CLAIMS)
    def rules(self) -> list[ScrubRuleView]:
        with self.ctx.unit_of_work() as uow:
            rows = uow.session.scalars(
                select(ScrubRule)
                .where(ScrubRule.deleted_at.is_(None))
                .order_by(ScrubRule.name, ScrubRule.created_at)
            )
            views = [_rule_view(uow.session, r) for r in rows]
            uow.audit(AuditEntry("read", SETUP_CATEGORY, detail="claim rules"))
            return views

    @requires(Permission.MANAGE_CLAIMS)
    def save_rule(self, rule_id: str | None, rule: ScrubRuleInput) -> ScrubRuleView:
        """Add a rule (`rule_id` None) or change one; refused with every reason it cannot
        work (a field that does not exist, a bad pattern, ...)."""
        with self.ctx.unit_of_work() as uow:
            session = uow.session
            payer = session.get(Payer, rule.payer_id) if rule.payer_id else None
            if rule.payer_id and (payer is None or payer.deleted_at is not None):
                raise NotFound("That payer does not exist.")
            practice_rule = PracticeRule(
                rule.name.strip(),
                rule.field.strip(),
                rule.check.value,
                rule.argument.strip(),
                rule.message.strip(),
                payer.payer_code if payer else None,
            )
            reasons = check_rule(practice_rule)
            if reasons:
                raise DomainError("\n".join(reasons))
            row = _rule(session, rule_id) if rule_id else ScrubRule()
            row.name, row.field, row.check = practice_rule.name, practice_rule.field, rule.check
            row.argument = practice_rule.argument or None
            row.message = practice_rule.message or f"{practice_rule.name}: check {row.field}."
            row.payer_id, row.blocks_submission = rule.payer_id, rule.blocks_submission
            row.active = rule.active
            session.add(row)
            session.flush()
            uow.audit(
                AuditEntry(
                    "update" if rule_id else "create",
                    SETUP_CATEGORY,
                    entity_id=row.id,
                    detail="rule",
                )
            )
            return _rule_view(session, row)

    @requires(Permission.MANAGE_CLAIMS)
    def remove_rule(self, rule_id: str) -> None:
        with self.ctx.unit_of_work() as uow:
            row = _rule(uow.session, rule_id)
            row.deleted_at = self.ctx.clock.now()
            uow.session.flush()
            uow.audit(AuditEntry("delete", SETUP_CATEGORY, entity_id=row.id, detail="rule"))


def _practice(session: Session) -> Practice:
    return session.scalars(select(Practice).limit(1)).one()


def _rule(session: Session, rule_id: str) -> ScrubRule:
    row = session.get(ScrubRule, rule_id)
    if row is None or row.deleted_at is not None:
        raise NotFound("That claim rule does not exist.")
    return row


def _setup_view(practice: Practice) -> BillingSetup:
    return BillingSetup(
        **{name: getattr(practice, name) for name in BillingSetup.__dataclass_fields__}
    )


def _clean_setup(setup: BillingSetup) -> BillingSetup:
    def text(value: str | None) -> str | None:
        return " ".join((value or "").split()) or None

    npi = text(setup.npi)
    if npi and not npi_is_valid(npi):
        raise DomainError(f"{npi} is not a valid NPI (10 digits with a correct check digit).")
    tax_id = digits(setup.tax_id)
    if setup.tax_id and (tax_id is None or len(tax_id) != 9):
        raise DomainError("The tax id (EIN) has 9 digits, e.g. 12-3456789.")
    taxonomy = (text(setup.taxonomy_code) or "").upper() or None
    if taxonomy and not _TAXONOMY.match(taxonomy):
        raise DomainError("A taxonomy code has 10 characters ending in X, e.g. 207Q00000X.")
    for value, what in ((setup.submitter_id, "submitter"), (setup.receiver_id, "receiver")):
        if text(value) and not _ID.match(text(value) or ""):
            raise DomainError(
                f"The {what} id is 2 to 15 letters or digits, as the clearinghouse gave it."
            )
    return BillingSetup(
        npi=npi,
        tax_id=tax_id,
        taxonomy_code=taxonomy,
        billing_phone=text(setup.billing_phone),
        billing_contact=text(setup.billing_contact),
        clearinghouse_name=text(setup.clearinghouse_name),
        submitter_id=text(setup.submitter_id),
        receiver_id=text(setup.receiver_id),
    )


def _rule_view(session: Session, row: ScrubRule) -> ScrubRuleView:
    payer = session.get(Payer, row.payer_id) if row.payer_id else None
    return ScrubRuleView(
        id=row.id,
        version=row.version,
        name=row.name,
        field=row.field,
        check=row.check,
        argument=row.argument or "",
        message=row.message,
        payer_id=row.payer_id,
        payer_name=payer.name if payer else None,
        blocks_submission=row.blocks_submission,
        active=row.active,
    )
