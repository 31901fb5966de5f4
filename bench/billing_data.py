"""The billing benchmark's dataset: a 100,000-patient practice with five years of charges.

    python bench/billing_data.py [--patients 100000] [--seed 1]

Built once into bench/.cache/ (then reused): the demo practice with its patients (the demo
generator, with its insurance coverages), then five years of visits written straight into
the encrypted database with bulk inserts, the open-balance triggers on (the real path):
- about 3 visits per patient-year on average, skewed (a few patients come far more often),
  each with 1-3 charge lines, posted on the day of service;
- insured patients: the payer pays 55-80% two to six weeks later, the rest of the
  contractual part is adjusted off (CARC 45), what is left is transferred to the patient,
  who pays it later (or it is written off, or left open); uninsured patients pay at the
  visit or later (or not);
- a few visits leave a prepayment as unapplied credit, and a few insurance claims are
  never paid, so every aging bucket holds money for both sides.

`billing_practice()` returns (paths, password, build facts) for bench/billing.py.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import shutil
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.models.base import new_id  # noqa: E402
from app.services.auth import sign_in  # noqa: E402
from app.services.demo import create_demo_practice  # noqa: E402
from app.services.demo_patients import seed_demo_patients  # noqa: E402
from app.services.patients import practice_today  # noqa: E402
from app.storage.database import PracticePaths  # noqa: E402
from app.storage.engine import key_pragma  # noqa: E402
from app.storage.keyslots import KdfParams  # noqa: E402

PASSWORD = "benchmark password 2026"
CACHE = ROOT / "bench" / ".cache"
YEARS = 5
VISITS_PER_YEAR = 3.0
BATCH_PATIENTS = 5_000  # patients per transaction
# (code, description, price in cents): office visits, labs, shots, an ECG, a physical.
SERVICES = (
    ("99213", "Office visit, established, low", 11_000),
    ("99214", "Office visit, established, moderate", 16_500),
    ("36415", "Venipuncture", 1_500),
    ("85025", "Complete blood count", 2_500),
    ("90686", "Influenza vaccine", 4_000),
    ("93000", "Electrocardiogram", 4_500),
    ("81002", "Urinalysis", 1_000),
    ("99396", "Preventive visit, 40-64", 23_000),
)
_SYNC = "version, created_at, updated_at, origin_device"
CHARGE_SQL = (
    "INSERT INTO charge (id, patient_id, code_system, procedure_code, description, modifiers, "
    "units, diagnosis_codes, diagnosis_pointers, place_of_service, rendering_provider_id, "
    f"service_on, unit_price_cents, amount_cents, status, {_SYNC}) VALUES "
    "(?, ?, 'cpt', ?, ?, '[]', 1, '[\"I10\"]', '[1]', '11', ?, ?, ?, ?, 'posted', 1, ?, ?, ?)"
)
PAYMENT_SQL = (
    "INSERT INTO payment (id, patient_id, method, amount_cents, received_on, reference, "
    f"receipt_number, payer_id, received_by_id, {_SYNC}) VALUES "
    "(?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)"
)
ENTRY_SQL = (
    "INSERT INTO ledger_entry (id, patient_id, kind, amount_cents, responsibility, charge_id, "
    f"payment_id, reason, reason_code, business_day, posted_at, posted_by_id, provider_id, "
    f"{_SYNC}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)"
)


def billing_practice(
    patients: int = 100_000, seed: int = 1, cache: Path = CACHE
) -> tuple[PracticePaths, str, dict[str, Any]]:
    """The cached practice (built on first use): its paths, every user's password, and what
    the build made (counts, seconds)."""
    folder = cache / f"billing-{patients}-seed{seed}"
    marker = cache / f"billing-{patients}-seed{seed}.json"
    paths = PracticePaths(folder)
    if marker.exists() and paths.exists():
        return paths, PASSWORD, json.loads(marker.read_text())
    shutil.rmtree(folder, ignore_errors=True)  # a build cut short is made again
    facts = build(paths, patients, seed)
    marker.write_text(json.dumps(facts, indent=2))
    return paths, PASSWORD, facts


@dataclass
class Staff:
    device_id: str
    physicians: list[str]
    desk: str
    biller: str


@dataclass
class Rows:
    charges: list[tuple[Any, ...]] = field(default_factory=list)
    payments: list[tuple[Any, ...]] = field(default_factory=list)
    entries: list[tuple[Any, ...]] = field(default_factory=list)


def build(paths: PracticePaths, patients: int, seed: int) -> dict[str, Any]:
    started = time.perf_counter()
    print(f"building {patients:,} patients...", file=sys.stderr)
    # Patients only, as bench/chart_data.py does: the demo's visits and billing would mix in.
    create_demo_practice(paths, PASSWORD, seed=seed, kdf=KdfParams(1, 1024, 1))
    admin = sign_in(paths, "admin", PASSWORD)
    try:
        seed_demo_patients(admin, patients, seed)
        patients_done = time.perf_counter()
        print(f"  patients: {patients_done - started:.0f} s", file=sys.stderr)
        key, device_id = admin.vault.database_key, admin.device_id
        with admin.unit_of_work() as uow:
            today = practice_today(uow.session, admin.clock.now())
    finally:
        admin.close()
    # The app's connections wipe every allocation (cipher_memory_security), which costs
    # about 0.5 ms per trigger firing: hours for millions of entries. The bulk load runs in
    # a fresh process whose connection leaves it off; the rows and triggers are the same.
    spawned = multiprocessing.get_context("spawn")
    with spawned.Pool(1) as pool:
        counts = pool.apply(write_ledger, (paths.database, key, device_id, today, seed))
    finished = time.perf_counter()
    print(f"  ledger: {finished - patients_done:.0f} s", file=sys.stderr)
    return {
        "patients": patients,
        "built_on": today.isoformat(),
        **counts,
        "build_seconds": {
            "practice_and_patients": round(patients_done - started, 1),
            "charges_payments_ledger": round(finished - patients_done, 1),
            "total": round(finished - started, 1),
        },
    }


def write_ledger(
    database: Path, key: bytes, device_id: str, today: date, seed: int
) -> dict[str, int]:
    """Five years of visits for every patient, in transactions of BATCH_PATIENTS patients."""
    db = sqlcipher.connect(str(database), isolation_level=None)
    db.execute(key_pragma(key))
    for pragma in ("foreign_keys = ON", "temp_store = MEMORY", "cache_size = -1000000"):
        db.execute(f"PRAGMA {pragma}")
    counts = {"visits": 0, "charges": 0, "payments": 0, "ledger_entries": 0}
    try:
        staff = _staff(db, device_id)
        accounts = db.execute(
            "SELECT p.id, (SELECT c.payer_id FROM coverage c WHERE c.patient_id = p.id "
            "AND c.deleted_at IS NULL ORDER BY c.priority LIMIT 1) FROM patient p ORDER BY p.mrn"
        ).fetchall()
        rng = random.Random(seed)
        receipts = iter(range(1, 10**9))
        for first in range(0, len(accounts), BATCH_PATIENTS):
            rows = Rows()
            for patient_id, payer_id in accounts[first : first + BATCH_PATIENTS]:
                counts["visits"] += _patient_history(
                    rows, rng, staff, today, patient_id, payer_id, receipts
                )
            db.execute("BEGIN")
            db.executemany(CHARGE_SQL, rows.charges)
            db.executemany(PAYMENT_SQL, rows.payments)
            db.executemany(ENTRY_SQL, rows.entries)
            db.execute("COMMIT")
            counts["charges"] += len(rows.charges)
            counts["payments"] += len(rows.payments)
            counts["ledger_entries"] += len(rows.entries)
            done = first + BATCH_PATIENTS
            print(f"  {min(done, len(accounts)):,} accounts, {counts}", file=sys.stderr)
        db.execute("ANALYZE")
    finally:
        db.close()
    return counts


def _staff(db: Any, device_id: str) -> Staff:
    users = dict(db.execute("SELECT username, id FROM user_account").fetchall())
    physicians = [
        user_id for (user_id,) in db.execute("SELECT id FROM user_account WHERE role = 'physician'")
    ]
    return Staff(device_id, physicians, users["frontdesk"], users["billing"])


def _visit_days(rng: random.Random, today: date) -> Iterator[date]:
    """A patient's visit days over the last YEARS years: a skewed rate, 3 a year on average
    (lognormal with sigma 0.8 has mean e^0.32)."""
    rate = VISITS_PER_YEAR * rng.lognormvariate(0, 0.8) / 1.377
    span = 365 * YEARS
    day = rng.expovariate(rate / 365) if rate else span
    while day < span:
        yield today - timedelta(days=span - int(day))
        day += rng.expovariate(rate / 365)


def _patient_history(
    rows: Rows,
    rng: random.Random,
    staff: Staff,
    today: date,
    patient_id: str,
    payer_id: str | None,
    receipts: Iterator[int],
) -> int:
    visits = 0
    for service_on in _visit_days(rng, today):
        visits += 1
        provider = rng.choice(staff.physicians)
        lines = [rng.choice(SERVICES) for _ in range(rng.choice((1, 1, 2, 2, 3)))]
        Visit(rows, rng, staff, today, patient_id, provider, receipts).post(
            service_on, lines, payer_id
        )
    return visits


@dataclass
class Visit:
    """One visit's charges and what happened to them since, as ledger rows."""

    rows: Rows
    rng: random.Random
    staff: Staff
    today: date
    patient_id: str
    provider: str
    receipts: Iterator[int]
    charge_ids: list[str] = field(default_factory=list)

    def post(self, day: date, lines: list[tuple[str, str, int]], payer_id: str | None) -> None:
        amounts = []
        for code, description, cents in lines:
            charge_id = new_id()
            stamp = _stamp(day)
            self.rows.charges.append(
                (charge_id, self.patient_id, code, description, self.provider, day.isoformat(),
                 cents, cents, stamp, stamp, self.staff.device_id)
            )  # fmt: skip
            self.charge_ids.append(charge_id)
            amounts.append(cents)
            side = "insurance" if payer_id else "patient"
            self.entry(day, "charge", cents, side, charge_id)
        rng = self.rng
        if rng.random() < 0.03:  # paid ahead at the desk: credit on no charge
            self.payment(day, rng.choice((1_000, 2_000, 2_500)), "patient", [], None)
        patient_owes = amounts
        paid_on = day + timedelta(days=rng.choice((0, 0, rng.randint(5, 120))))
        if payer_id:
            claim_paid = day + timedelta(days=rng.randint(14, 45))
            if claim_paid > self.today or rng.random() < 0.04:  # not yet, or never paid
                return
            paid = [int(a * rng.uniform(0.55, 0.8)) for a in amounts]
            adjusted = [int(a * rng.uniform(0.1, 0.2)) for a in amounts]
            patient_owes = [a - p - j for a, p, j in zip(amounts, paid, adjusted, strict=True)]
            self.payment(claim_paid, sum(paid), "insurance", paid, payer_id)
            for charge_id, cents in zip(self.charge_ids, adjusted, strict=True):
                self.entry(claim_paid, "adjustment", -cents, "insurance", charge_id, code="45")
            for charge_id, cents in zip(self.charge_ids, patient_owes, strict=True):
                self.entry(claim_paid, "transfer", -cents, "insurance", charge_id)
                self.entry(claim_paid, "transfer", cents, "patient", charge_id)
            paid_on = claim_paid + timedelta(days=rng.randint(10, 90))
        if paid_on > self.today:
            return
        fate = rng.random()
        if fate < 0.85:
            self.payment(paid_on, sum(patient_owes), "patient", patient_owes, None)
        elif fate < 0.92 and paid_on + timedelta(days=120) <= self.today:
            written_off = paid_on + timedelta(days=120)
            for charge_id, cents in zip(self.charge_ids, patient_owes, strict=True):
                self.entry(written_off, "write_off", -cents, "patient", charge_id, "Uncollectable")
        # else: left open, aging

    def payment(
        self, day: date, cents: int, side: str, applied: list[int], payer_id: str | None
    ) -> None:
        """A payment row and its entries: `applied` per charge line, the rest as credit."""
        if cents <= 0:
            return
        payment_id, stamp = new_id(), _stamp(day)
        method = "insurance" if payer_id else self.rng.choice(("cash", "card", "card", "cheque"))
        reference = {"card": "4242", "cheque": "1001"}.get(method)
        self.rows.payments.append(
            (payment_id, self.patient_id, method, cents, day.isoformat(), reference,
             f"BENCH-{next(self.receipts):09d}", payer_id, self.staff.desk, stamp, stamp,
             self.staff.device_id)
        )  # fmt: skip
        for charge_id, part in zip(self.charge_ids, applied, strict=False):
            if part:
                self.entry(day, "payment", -part, side, charge_id, payment_id=payment_id)
        if cents - sum(applied):
            self.entry(day, "payment", -(cents - sum(applied)), side, None, payment_id=payment_id)

    def entry(
        self,
        day: date,
        kind: str,
        cents: int,
        side: str,
        charge_id: str | None,
        reason: str | None = None,
        *,
        code: str | None = None,
        payment_id: str | None = None,
    ) -> None:
        if not cents:
            return
        stamp = _stamp(day)
        if code:
            reason = "Contractual obligation"
        self.rows.entries.append(
            (new_id(), self.patient_id, kind, cents, side, charge_id, payment_id, reason, code,
             day.isoformat(), stamp, self.staff.biller, self.provider if charge_id else None,
             stamp, stamp, self.staff.device_id)
        )  # fmt: skip


def _stamp(day: date) -> str:
    """The posting time: mid-afternoon of the day, UTC, as SQLAlchemy stores it."""
    return datetime(day.year, day.month, day.day, 21, 0).strftime("%Y-%m-%d %H:%M:%S.%f")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cache", type=Path, default=CACHE)
    args = parser.parse_args()
    _, _, facts = billing_practice(args.patients, args.seed, args.cache)
    print(json.dumps(facts, indent=2))


if __name__ == "__main__":
    main()
