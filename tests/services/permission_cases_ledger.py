"""Permission-table rows for the patient ledger, payments, daily close and A/R aging (issue
#6), and the helpers the ledger tests share to put charges on an account.

Who may do what:
- reading a patient's account or a receipt: VIEW_ACCOUNTS (physician, receptionist, biller);
- posting charges and correcting the ledger (adjust, write off, transfer, reverse):
  POST_CHARGES (physician, biller);
- taking payments, applying credit, refunds, and balancing/closing the day: TAKE_PAYMENTS
  (receptionist, biller: the people who handle the money count the drawer);
- A/R aging: VIEW_REPORTS (admin, physician, biller; totals only, no patient named).

Refused calls of one module share a practice, so each `prepare` adds what its call needs.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from app.models import Charge, CodeSystem, PaymentMethod, Responsibility, Role, SexAtBirth
from app.services.context import AppContext
from app.services.insurance import CoverageInput, CoverageService, PayerInput, PayerService
from app.services.ledger import LedgerService
from app.services.ledger_data import PaymentInput
from app.services.ledger_reports import AgingService, DailyCloseService
from app.services.patient_data import PatientInput
from app.services.patients import PatientService
from app.services.payments import PaymentService
from app.services.permissions import Permission
from tests.services.helpers import query, user_id
from tests.services.permission_table import Target, UseCase

TODAY = date(2026, 1, 5)  # the FakeClock's practice day (Chicago)
BILLER = "billing"
ACCOUNT_READERS = frozenset({Role.PHYSICIAN, Role.RECEPTIONIST, Role.BILLER})
CHARGE_POSTERS = frozenset({Role.PHYSICIAN, Role.BILLER})
MONEY_TAKERS = frozenset({Role.RECEPTIONIST, Role.BILLER})
REPORT_READERS = frozenset({Role.ADMIN, Role.PHYSICIAN, Role.BILLER})


# -- helpers the ledger tests share ------------------------------------------------------


def new_patient(
    ctx: AppContext,
    last_name: str = "Ledger",
    insured_from: date | None = None,
    insured_until: date | None = None,
    insured: bool = False,
) -> str:
    """A registered adult; with a primary coverage if `insured` (from/until as given).
    `ctx` needs REGISTER_PATIENTS and MANAGE_PAYERS (the front desk)."""
    patient = PatientService(ctx).register(
        PatientInput("Lee", last_name, date(1975, 3, 14), SexAtBirth.FEMALE),
        confirm_not_duplicate=True,
    )
    if insured or insured_from or insured_until:
        payers = PayerService(ctx)
        payer = next((p for p in payers.list_payers() if p.payer_code == "LEDG1"), None)
        payer = payer or payers.add_payer(PayerInput("Ledger Health", "LEDG1"))
        coverage = CoverageInput(
            payer.id, 1, "LDG-1", effective_on=insured_from, terminated_on=insured_until
        )
        CoverageService(ctx).add(patient.id, coverage)
    return patient.id


def money_rows(ctx: AppContext) -> dict[str, list[dict[str, Any]]]:
    """Every ledger entry, payment, charge, daily close and number counter, for checking
    that a refused use case wrote nothing."""
    tables = ("ledger_entry", "payment", "charge", "daily_close", "id_counter")
    return {table: query(ctx, f"SELECT * FROM {table} ORDER BY rowid") for table in tables}


def make_charge(
    ctx: AppContext,
    patient_id: str,
    cents: int = 10_000,
    service_on: date = TODAY,
    code: str = "99213",
    provider: str = "drpatel",
    units: int = 1,
) -> str:
    """A PROPOSED charge, written straight to the database (as charge capture would)."""
    if cents % units:
        raise ValueError("cents must be units times a whole unit price")
    with ctx.unit_of_work() as uow:
        charge = Charge(
            patient_id=patient_id,
            code_system=CodeSystem.CPT,
            procedure_code=code,
            description=f"Service {code}",
            units=units,
            diagnosis_codes=["I10"],
            diagnosis_pointers=[1],
            place_of_service="11",
            rendering_provider_id=user_id(ctx, provider),
            service_on=service_on,
            unit_price_cents=cents // units,
            amount_cents=cents,
        )
        uow.session.add(charge)
        uow.session.flush()
        return charge.id


def post_new_charge(ctx: AppContext, patient_id: str, cents: int = 10_000, **kw: object) -> str:
    """A charge made and posted to the ledger (by `ctx`, who needs POST_CHARGES)."""
    charge_id = make_charge(ctx, patient_id, cents, **kw)  # type: ignore[arg-type]
    LedgerService(ctx).post_charge(charge_id)
    return charge_id


# -- preparing and calling the use cases ------------------------------------------------


def _latest(ctx: AppContext, sql: str, *params: object) -> str:
    rows = query(ctx, sql, *params)
    assert rows, f"prepare made nothing for: {sql}"
    return str(rows[-1]["id"])


def _proposed(ctx: AppContext, t: Target) -> object:
    return make_charge(ctx, t.patient_id)


def _posted(ctx: AppContext, t: Target) -> object:
    return post_new_charge(ctx, t.patient_id)


def _patient_owes(ctx: AppContext, t: Target) -> object:
    """A posted charge whose balance is the patient's (the target is insured)."""
    charge_id = post_new_charge(ctx, t.patient_id)
    return LedgerService(ctx).transfer(charge_id, 10_000, Responsibility.PATIENT)


def _credit(ctx: AppContext, t: Target) -> object:
    _patient_owes(ctx, t)
    payment = PaymentInput(PaymentMethod.CASH, 2_500, applied=[])
    return PaymentService(ctx).take_payment(t.patient_id, payment)


def _latest_charge(ctx: AppContext, t: Target, status: str) -> str:
    return _latest(
        ctx,
        "SELECT id FROM charge WHERE patient_id = ? AND status = ? ORDER BY rowid",
        t.patient_id,
        status,
    )


def _live_charge_entry(ctx: AppContext, t: Target) -> str:
    return _latest(
        ctx,
        "SELECT id FROM ledger_entry WHERE patient_id = ? AND kind = 'charge' AND id NOT IN "
        "(SELECT reverses_id FROM ledger_entry WHERE reverses_id IS NOT NULL) ORDER BY rowid",
        t.patient_id,
    )


def _payment_with_credit(ctx: AppContext, t: Target) -> str:
    return _latest(
        ctx,
        "SELECT payment_id AS id FROM ledger_entry WHERE patient_id = ? AND charge_id IS NULL "
        "AND payment_id IS NOT NULL GROUP BY payment_id HAVING SUM(amount_cents) < 0",
        t.patient_id,
    )


def _post(ctx: AppContext, t: Target) -> object:
    return LedgerService(ctx).post_charge(_latest_charge(ctx, t, "proposed"))


def _adjust(ctx: AppContext, t: Target) -> object:
    charge_id = _latest_charge(ctx, t, "posted")
    return LedgerService(ctx).adjust(charge_id, -500, "Contractual adjustment", "45")


def _write_off(ctx: AppContext, t: Target) -> object:
    return LedgerService(ctx).write_off(_latest_charge(ctx, t, "posted"), 100, "Small balance")


def _transfer(ctx: AppContext, t: Target) -> object:
    charge_id = _latest_charge(ctx, t, "posted")
    return LedgerService(ctx).transfer(charge_id, 1_000, Responsibility.PATIENT)


def _reverse(ctx: AppContext, t: Target) -> object:
    return LedgerService(ctx).reverse(_live_charge_entry(ctx, t), "Posted to the wrong patient")


def _take_payment(ctx: AppContext, t: Target) -> object:
    return PaymentService(ctx).take_payment(t.patient_id, PaymentInput(PaymentMethod.CASH, 2_000))


def _refund(ctx: AppContext, t: Target) -> object:
    return PaymentService(ctx).refund(_payment_with_credit(ctx, t), 500, "Overpaid copay")


def _receipt(ctx: AppContext, t: Target) -> object:
    payment_id = _latest(ctx, "SELECT id FROM payment WHERE patient_id = ?", t.patient_id)
    return PaymentService(ctx).receipt(payment_id)


CASES = [
    UseCase(
        "LedgerService.account",
        Permission.VIEW_ACCOUNTS,
        ACCOUNT_READERS,
        lambda c, t: LedgerService(c).account(t.patient_id),
    ),
    UseCase(
        "LedgerService.balance",
        Permission.VIEW_ACCOUNTS,
        ACCOUNT_READERS,
        lambda c, t: LedgerService(c).balance(t.patient_id),
    ),
    UseCase(
        "LedgerService.post_charge",
        Permission.POST_CHARGES,
        CHARGE_POSTERS,
        _post,
        prepare=_proposed,
    ),
    UseCase(
        "LedgerService.adjust",
        Permission.POST_CHARGES,
        CHARGE_POSTERS,
        _adjust,
        prepare=_posted,
        prepare_as=BILLER,
    ),
    UseCase(
        "LedgerService.write_off",
        Permission.POST_CHARGES,
        CHARGE_POSTERS,
        _write_off,
        prepare=_posted,
        prepare_as=BILLER,
    ),
    UseCase(
        "LedgerService.transfer",
        Permission.POST_CHARGES,
        CHARGE_POSTERS,
        _transfer,
        prepare=_posted,
        prepare_as=BILLER,
    ),
    UseCase(
        "LedgerService.reverse",
        Permission.POST_CHARGES,
        CHARGE_POSTERS,
        _reverse,
        prepare=_posted,
        prepare_as=BILLER,
    ),
    UseCase("PaymentService.take_payment", Permission.TAKE_PAYMENTS, MONEY_TAKERS, _take_payment),
    UseCase(
        "PaymentService.apply_credit",
        Permission.TAKE_PAYMENTS,
        MONEY_TAKERS,
        lambda c, t: PaymentService(c).apply_credit(t.patient_id),
        prepare=_credit,
        prepare_as=BILLER,
    ),
    UseCase(
        "PaymentService.refund",
        Permission.TAKE_PAYMENTS,
        MONEY_TAKERS,
        _refund,
        prepare=_credit,
        prepare_as=BILLER,
    ),
    UseCase(
        "PaymentService.receipt",
        Permission.VIEW_ACCOUNTS,
        ACCOUNT_READERS,
        _receipt,
        prepare=_credit,
        prepare_as=BILLER,
    ),
    UseCase(
        "DailyCloseService.preview",
        Permission.TAKE_PAYMENTS,
        MONEY_TAKERS,
        lambda c, t: DailyCloseService(c).preview(TODAY),
        prepare=_credit,
        prepare_as=BILLER,
    ),
    UseCase(
        "DailyCloseService.close",
        Permission.TAKE_PAYMENTS,
        MONEY_TAKERS,
        lambda c, t: DailyCloseService(c).close(TODAY),
        prepare=_credit,
        prepare_as=BILLER,
    ),
    UseCase(
        "AgingService.aging",
        Permission.VIEW_REPORTS,
        REPORT_READERS,
        lambda c, t: AgingService(c).aging(TODAY),
        prepare=_posted,
        prepare_as=BILLER,
    ),
]
SERVICES: list[type] = [LedgerService, PaymentService, DailyCloseService, AgingService]
