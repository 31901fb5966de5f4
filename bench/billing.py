"""Billing speed on a 100,000-patient practice with five years of charges.

    python bench/billing.py [--patients 100000] [--repeats 20]

The practice comes from bench/billing_data.py (built once into bench/.cache/). Measured as
the biller, interleaved in one run:
- ledger: LedgerService.account for a random patient with history (the account screen);
- payment: PaymentService.take_payment, cash, applied oldest first, for a random patient
  who owes (found with ledger_balances.patient_balances); each run adds these payments to
  the cached practice, a few dozen among millions of entries;
- aging: AgingService.aging today, and as of 90 days ago.
Baseline, in the same run: LedgerService.account for a patient with no ledger entries (the
same indexed read, nothing found). Prints JSON with p50/p95 in milliseconds, each figure's
p95 over the baseline's, and whether the budgets hold: ledger < 50 ms p95, aging < 2 s p95.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from app.models import LedgerEntry, Patient, PaymentMethod  # noqa: E402
from app.services.auth import sign_in  # noqa: E402
from app.services.ledger import LedgerService  # noqa: E402
from app.services.ledger_balances import patient_balances  # noqa: E402
from app.services.ledger_data import PaymentInput  # noqa: E402
from app.services.ledger_reports import AgingService  # noqa: E402
from app.services.patients import practice_today  # noqa: E402
from app.services.payments import PaymentService  # noqa: E402
from bench.billing_data import CACHE, billing_practice  # noqa: E402
from bench.timing import summarise, timed  # noqa: E402

LEDGER_BUDGET_MS = 50.0
AGING_BUDGET_MS = 2_000.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--cache", type=Path, default=CACHE)
    args = parser.parse_args()

    paths, password, built = billing_practice(args.patients, args.seed, args.cache)
    ctx = sign_in(paths, "billing", password)
    rng = random.Random(args.seed)
    with ctx.unit_of_work() as uow:
        today = practice_today(uow.session, ctx.clock.now())
        patient_ids = list(uow.session.scalars(select(Patient.id).order_by(Patient.mrn)))
        owing = patient_balances(uow.session, 1_000)
        with_history = [
            p
            for p in rng.sample(patient_ids, min(len(patient_ids), 400))
            if uow.session.scalar(select(LedgerEntry.id).where(LedgerEntry.patient_id == p))
        ]
    no_history = next(p for p in patient_ids if p not in set(with_history) and _empty(ctx, p))
    rng.shuffle(owing)
    ledger, payments, aging = LedgerService(ctx), PaymentService(ctx), AgingService(ctx)
    entries_read: list[int] = []

    def open_ledger() -> None:
        entries_read.append(len(ledger.account(rng.choice(with_history)).entries))

    def take_payment() -> None:
        patient_id, owed = owing.pop()
        payments.take_payment(patient_id, PaymentInput(PaymentMethod.CASH, min(owed, 2_500)))

    measures: dict[str, Callable[[], Any]] = {
        "baseline_ledger_no_entries": lambda: ledger.account(no_history),
        "ledger_patient_with_history": open_ledger,
        "take_payment_oldest_first": take_payment,
        "aging_today": lambda: aging.aging(today),
        "aging_90_days_ago": lambda: aging.aging(today - timedelta(days=90)),
    }
    for measure in measures.values():  # warm caches, as a working day would
        measure()
    samples: dict[str, list[float]] = {name: [] for name in measures}
    for _ in range(args.repeats):
        for name, measure in measures.items():  # interleaved: noise hits every figure
            samples[name].append(timed(measure))
    ctx.close()

    base = summarise(samples["baseline_ledger_no_entries"])
    figures: dict[str, Any] = {}
    for name, values in samples.items():
        figure = summarise(values)
        figure["ratio_p95_to_baseline"] = round(figure["p95"] / base["p95"], 2)
        figures[name] = figure
    aging_p95 = max(figures[n]["p95"] for n in ("aging_today", "aging_90_days_ago"))
    report = {
        "patients": args.patients,
        "data": {k: v for k, v in built.items() if k not in ("patients", "build_seconds")},
        "ledger_entries_per_account_read": summarise([float(n) for n in entries_read], 0),
        "build_seconds": built["build_seconds"],
        "figures_ms": figures,
        "budgets_ms": {"ledger_p95": LEDGER_BUDGET_MS, "aging_p95": AGING_BUDGET_MS},
        "within_budget": {
            "ledger": figures["ledger_patient_with_history"]["p95"] < LEDGER_BUDGET_MS,
            "aging": aging_p95 < AGING_BUDGET_MS,
        },
    }
    print(json.dumps(report, indent=2))


def _empty(ctx: Any, patient_id: str) -> bool:
    with ctx.unit_of_work() as uow:
        return (
            uow.session.scalar(select(LedgerEntry.id).where(LedgerEntry.patient_id == patient_id))
            is None
        )


if __name__ == "__main__":
    main()
