"""The practice's books: a business day's closing report (and closing it), and A/R aging.

Both read aggregates only (no loop over patients): the day's entries through the
business-day index; aging from the open balances the database keeps (app.models.ledger).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Integer, and_, case, func, literal_column, select
from sqlalchemy.sql.elements import Label

from app.models import (
    AccountCredit,
    Charge,
    ChargeOpenBalance,
    DailyClose,
    EntryKind,
    LedgerEntry,
    Payment,
    PaymentMethod,
    Responsibility,
    User,
)
from app.services.audit_chain import AuditEntry
from app.services.bus import DayClosed
from app.services.context import AppContext, UnitOfWork, requires
from app.services.errors import DomainError
from app.services.ledger_data import (
    AGING_LIMITS,
    CATEGORY,
    AgingBuckets,
    AgingReport,
    DayReport,
    ProviderDay,
    money,
)
from app.services.patients import practice_today
from app.services.permissions import Permission

_E = LedgerEntry
# A payment line on a charge and its reversal: taking money off a charge (which then goes
# back to credit) moves money within the account; it is not money taken in or given back.
_ON_CHARGE = and_(_E.charge_id.is_not(None), _E.payment_id.is_not(None))
_RETURNED = and_(_E.kind == EntryKind.REVERSAL, _ON_CHARGE)
_MONEY_IN = (_E.kind == EntryKind.PAYMENT) | _RETURNED


class DailyCloseService:
    """The people who take the money (front desk, biller) balance and close the day
    (TAKE_PAYMENTS): the report shows totals by provider and method, no patient."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @requires(Permission.TAKE_PAYMENTS)
    def preview(self, day: date) -> DayReport:
        with self.ctx.unit_of_work() as uow:
            report = _day_report(uow, day)
            uow.audit(AuditEntry("read", CATEGORY, detail=f"day report {day.isoformat()}"))
            return report

    @requires(Permission.TAKE_PAYMENTS)
    def close(self, day: date) -> DayReport:
        """Close a balanced day: nothing more posts on it (corrections are reversals on a
        later day)."""
        actor = self.ctx.actor
        assert actor is not None  # @requires let a signed-in person through
        with self.ctx.unit_of_work() as uow:
            now = self.ctx.clock.now()
            if day > practice_today(uow.session, now):
                raise DomainError(f"{_day_text(day)} has not come yet; it cannot be closed.")
            report = _day_report(uow, day)
            if report.closed_at is not None:
                raise DomainError(f"The books for {_day_text(day)} are already closed.")
            if not report.balanced:
                raise DomainError("This day does not balance: " + " ".join(report.problems))
            closing = DailyClose(
                business_day=day,
                closed_at=now,
                closed_by_id=actor.user_id,
                charges_cents=report.charges_cents,
                receipts_cents=report.receipts_cents,
                totals=_totals(report),
            )
            uow.session.add(closing)
            uow.session.flush()
            uow.audit(
                AuditEntry("close_day", CATEGORY, entity_id=closing.id, detail=day.isoformat())
            )
            uow.notify(DayClosed(day))
            return replace(report, closed_at=now, closed_by=actor.display_name)


class AgingService:
    """Accounts receivable by age (VIEW_REPORTS: totals only, no patient)."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @requires(Permission.VIEW_REPORTS)
    def aging(self, as_of: date) -> AgingReport:
        """Each charge's open balance by days from its service date to `as_of`, for the
        patient's and insurance's parts, from the entries posted up to `as_of`. Unapplied
        credit is on no charge: bucket totals less credit are the accounts' balances.

        Read from the open balances the database keeps (charge_balance, account_credit),
        less the entries posted after `as_of` (none for today): no pass over the ledger."""
        limits = [as_of - timedelta(days=days) for days in AGING_LIMITS]
        buckets = {side: [0] * (len(limits) + 1) for side in Responsibility}
        credit = dict.fromkeys(Responsibility, 0)
        open_now = select(
            _bucket("charge_balance.service_on", limits),
            ChargeOpenBalance.responsibility,
            func.sum(ChargeOpenBalance.open_cents),
        ).group_by(literal_column("bucket"), ChargeOpenBalance.responsibility)
        credit_now = select(
            AccountCredit.responsibility, func.sum(AccountCredit.credit_cents)
        ).group_by(AccountCredit.responsibility)
        # Entries after `as_of`, found through the business-day index and summed per charge
        # first (a charge has several later lines: one look-up of its service date each);
        # on no charge (NULL bucket) they moved credit.
        later = (
            select(
                _E.charge_id.label("charge_id"),
                _E.responsibility.label("side"),
                func.sum(_E.amount_cents).label("cents"),
            )
            .where(_E.business_day > as_of)
            .group_by(_E.charge_id, _E.responsibility)
            .subquery("later")
        )
        posted_later = (
            select(_bucket("charge.service_on", limits), later.c.side, func.sum(later.c.cents))
            .select_from(later)
            .outerjoin(Charge, Charge.id == later.c.charge_id)
            .group_by(literal_column("bucket"), later.c.side)
        )
        with self.ctx.unit_of_work() as uow:
            session = uow.session
            for index, side, cents in session.execute(open_now):
                buckets[side][index] += int(cents)
            for side, cents in session.execute(credit_now):
                credit[side] += int(cents)
            for index, side, cents in session.execute(posted_later):
                if index is None:
                    credit[side] += int(cents)  # credit is minus the entries' sum
                else:
                    buckets[side][index] -= int(cents)
            uow.audit(AuditEntry("read", CATEGORY, detail=f"aging {as_of.isoformat()}"))
        patient, insurance = Responsibility.PATIENT, Responsibility.INSURANCE
        return AgingReport(
            as_of=as_of,
            patient=AgingBuckets(tuple(buckets[patient])),  # type: ignore[arg-type]
            insurance=AgingBuckets(tuple(buckets[insurance])),  # type: ignore[arg-type]
            patient_credit_cents=credit[patient],
            insurance_credit_cents=credit[insurance],
            by_responsibility={
                side: sum(buckets[side]) - credit[side] for side in (patient, insurance)
            },
        )


def _bucket(service_on: str, limits: list[date]) -> Label[int]:
    """How many of the limits a service date falls before: its aging bucket (0-4; NULL
    with no charge). Written out as literals (dates this code makes): with bound
    parameters SQLite evaluates it many times slower on every row."""
    tests = " + ".join(f"({service_on} < '{limit.isoformat()}')" for limit in limits)
    return literal_column(tests, Integer).label("bucket")


def _day_text(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"


def _day_report(uow: UnitOfWork, day: date) -> DayReport:
    """The day's lines from its entries, checked against the payments and charges tables."""
    session = uow.session
    of_day = _E.business_day == day
    by_kind: dict[EntryKind, int] = {}
    returned = 0
    for kind, is_returned, cents in session.execute(
        select(_E.kind, _RETURNED, func.sum(_E.amount_cents))
        .where(of_day)
        .group_by(_E.kind, _RETURNED)
    ):
        by_kind[kind] = by_kind.get(kind, 0) + int(cents)
        returned += int(cents) if is_returned else 0
    ledger_in: dict[PaymentMethod, int] = {
        method: int(cents)
        for method, cents in session.execute(
            select(Payment.method, -func.sum(_E.amount_cents))
            .join(Payment, Payment.id == _E.payment_id)
            .where(of_day, _MONEY_IN)
            .group_by(Payment.method)
        )
    }
    # Every payment received on the day has a line on the day: find them through the index.
    drawer: dict[PaymentMethod, int] = {
        method: int(cents)
        for method, cents in session.execute(
            select(Payment.method, func.sum(Payment.amount_cents))
            .where(
                Payment.id.in_(select(_E.payment_id).where(of_day).distinct()),
                Payment.received_on == day,
                Payment.deleted_at.is_(None),
            )
            .group_by(Payment.method)
        )
    }
    charged, charge_rows = session.execute(
        select(func.sum(_E.amount_cents), func.sum(Charge.amount_cents))
        .join(Charge, Charge.id == _E.charge_id)
        .where(of_day, _E.kind == EntryKind.CHARGE)
    ).one()
    problems = _problems(drawer, ledger_in, by_kind, int(charged or 0), int(charge_rows or 0))
    closing = session.execute(
        select(DailyClose.closed_at, User.display_name)
        .join(User, User.id == DailyClose.closed_by_id)
        .where(DailyClose.business_day == day, DailyClose.deleted_at.is_(None))
    ).first()
    return DayReport(
        day=day,
        charges_cents=by_kind.get(EntryKind.CHARGE, 0),
        receipts_cents=sum(drawer.values()),
        adjustments_cents=by_kind.get(EntryKind.ADJUSTMENT, 0),
        write_offs_cents=by_kind.get(EntryKind.WRITE_OFF, 0),
        refunds_cents=by_kind.get(EntryKind.REFUND, 0),
        reversals_cents=by_kind.get(EntryKind.REVERSAL, 0) - returned,
        transfers_cents=by_kind.get(EntryKind.TRANSFER, 0),
        net_cents=sum(by_kind.values()),
        by_provider=_by_provider(uow, day),
        receipts_by_method={PaymentMethod(m): int(c) for m, c in sorted(drawer.items())},
        balanced=not problems,
        problems=tuple(problems),
        closed_at=closing.closed_at if closing else None,
        closed_by=closing.display_name if closing else None,
    )


def _problems(
    drawer: dict[PaymentMethod, int],
    ledger_in: dict[PaymentMethod, int],
    by_kind: dict[EntryKind, int],
    charged: int,
    charge_rows: int,
) -> list[str]:
    problems = []
    for method in sorted(set(drawer) | set(ledger_in)):
        taken, posted = int(drawer.get(method, 0)), int(ledger_in.get(method, 0))
        if taken != posted:
            problems.append(
                f"{PaymentMethod(method).value.capitalize()} payments received add up to "
                f"{money(taken)}, but the ledger shows {money(posted)}."
            )
    if by_kind.get(EntryKind.TRANSFER, 0):
        problems.append("Transfers between patient and insurance do not net to zero.")
    if charged != charge_rows:
        problems.append(
            f"Charges on the ledger add up to {money(charged)}, but the charges posted "
            f"are {money(charge_rows)}."
        )
    return problems


def _by_provider(uow: UnitOfWork, day: date) -> tuple[ProviderDay, ...]:
    """Charges posted and payments applied to each rendering provider's charges."""
    charges = func.sum(case((_E.kind == EntryKind.CHARGE, _E.amount_cents), else_=0))
    payments = -func.sum(case((_MONEY_IN & _E.charge_id.is_not(None), _E.amount_cents), else_=0))
    rows = uow.session.execute(
        select(_E.provider_id, User.display_name, charges, payments)
        .join(User, User.id == _E.provider_id)
        .where(_E.business_day == day)
        .group_by(_E.provider_id, User.display_name)
        .order_by(User.display_name)
    )
    return tuple(
        ProviderDay(provider_id, name, int(charged), int(paid))
        for provider_id, name, charged, paid in rows
        if charged or paid
    )


def _totals(report: DayReport) -> dict[str, Any]:
    """What the closing report showed, kept with the closed day."""
    return {
        "by_provider": {
            p.provider_id: {
                "name": p.provider_name,
                "charges": p.charges_cents,
                "payments": p.payments_cents,
            }
            for p in report.by_provider
        },
        "by_method": {m.value: c for m, c in report.receipts_by_method.items()},
        "lines": {
            "charges": report.charges_cents,
            "receipts": report.receipts_cents,
            "adjustments": report.adjustments_cents,
            "write_offs": report.write_offs_cents,
            "refunds": report.refunds_cents,
            "reversals": report.reversals_cents,
            "transfers": report.transfers_cents,
        },
        "net": report.net_cents,
    }
