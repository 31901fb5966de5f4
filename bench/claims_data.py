"""The claims benchmark's dataset: a practice with N submitted claims, and an 835 paying them.

    python bench/claims_data.py [--claims 1000] [--seed 1]

Built once into bench/.cache/ (then reused, as bench/billing_data.py does): the demo
practice's staff and patients, the practice's billing setup, one signed visit per claim
with one to three charges posted to the ledger (LedgerService.post_charge, the real path),
then the biller's own use cases: build_ready, mark_ready (the scrubber) and submit_ready
(one 837P batch). Visits and charges are inserted in one unit of work each (the charge
capture screens are too slow for setup, and are not what is measured).

`remittance_835()` writes an 835 for those claims with the app's writer: a mix of claims
paid in full, paid in part (CO-45 contractual, PR-2 coinsurance) and denied (CO-16).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select, text  # noqa: E402

from app.interop.claim_document import Address, Adjustment  # noqa: E402
from app.interop.x12_835 import ClaimPayment, LinePayment, Remittance  # noqa: E402
from app.interop.x12_835_write import write_835  # noqa: E402
from app.interop.x12_envelope import Envelope  # noqa: E402
from app.models import (  # noqa: E402
    Charge,
    Claim,
    ClaimLine,
    ClaimStatus,
    CodeSystem,
    Coverage,
    Encounter,
    EncounterStatus,
    EncounterType,
    Location,
    Patient,
    Payer,
    Role,
    SubscriberRelationship,
    User,
)
from app.services.auth import sign_in  # noqa: E402
from app.services.claim_data import BillingSetup  # noqa: E402
from app.services.claims import ClaimService  # noqa: E402
from app.services.claims_setup import ClaimSetupService  # noqa: E402
from app.services.context import AppContext  # noqa: E402
from app.services.demo import create_demo_practice  # noqa: E402
from app.services.demo_patients import seed_demo_patients  # noqa: E402
from app.services.ledger import LedgerService  # noqa: E402
from app.services.patients import practice_today  # noqa: E402
from app.storage.database import PracticePaths  # noqa: E402
from app.storage.keyslots import KdfParams  # noqa: E402
from app.terminology.identifiers import npi_check_digit  # noqa: E402

PASSWORD = "benchmark password 2026"
CACHE = ROOT / "bench" / ".cache"
MIGRATIONS = ROOT / "app" / "storage" / "migrations" / "versions"
BILLER = "billing"
PRACTICE_NPI = "198765432" + npi_check_digit("198765432")
SETUP = BillingSetup(
    npi=PRACTICE_NPI,
    tax_id="37-1234567",
    taxonomy_code="207Q00000X",
    billing_phone="(217) 555-0100",
    billing_contact="Pat Biller",
    clearinghouse_name="Clearing House Inc",
    submitter_id="STETHOS01",
    receiver_id="CLEARHOUSE",
)
# (code, price in cents): office visits, labs, a vaccine, an ECG.
SERVICES = (
    ("99213", 11_000),
    ("99214", 16_500),
    ("36415", 1_500),
    ("85025", 2_500),
    ("90686", 4_000),
    ("93000", 4_500),
)
DIAGNOSES = (["E11.9", "I10"], ["J06.9"], ["I10", "E78.5", "M54.50"], ["Z00.00"])


def claims_practice(
    claims: int = 1_000, seed: int = 1, cache: Path = CACHE
) -> tuple[PracticePaths, dict[str, Any]]:
    """The cached practice (built on first use) and what the build made. The cache is
    named after the migrations too: a practice built on another schema is built again."""
    name = f"claims-{claims}-seed{seed}"
    folder = cache / f"{name}-{schema_fingerprint()}"
    marker = folder.with_suffix(".json")
    paths = PracticePaths(folder)
    if marker.exists() and paths.exists():
        return paths, json.loads(marker.read_text())
    for stale in cache.glob(f"{name}-*"):  # other schemas, or a build cut short
        if stale.is_dir():
            shutil.rmtree(stale)
        else:
            stale.unlink()
    cache.mkdir(parents=True, exist_ok=True)
    facts = build(paths, claims, seed)
    marker.write_text(json.dumps(facts, indent=1))
    return paths, facts


def schema_fingerprint() -> str:
    """A short hash of the migration scripts (the database schema the cache was made on)."""
    digest = hashlib.sha256()
    for script in sorted(MIGRATIONS.glob("*.py")):
        digest.update(script.name.encode() + script.read_bytes())
    return digest.hexdigest()[:10]


def build(paths: PracticePaths, claims: int, seed: int) -> dict[str, Any]:
    started = time.perf_counter()
    print(f"building a practice with {claims:,} submitted claims...", file=sys.stderr)
    create_demo_practice(paths, PASSWORD, seed=seed, kdf=KdfParams(1, 1024, 1))
    admin = sign_in(paths, "admin", PASSWORD)
    try:
        seed_demo_patients(admin, max(claims * 2 // 3, 10), seed)
    finally:
        admin.close()
    biller = sign_in(paths, BILLER, PASSWORD)
    try:
        _billing_setup(biller)
        charge_ids = _visits(biller, claims, random.Random(seed))
        setup_done = time.perf_counter()
        ledger = LedgerService(biller)
        for charge_id in charge_ids:
            ledger.post_charge(charge_id)
        posted = time.perf_counter()
        service = ClaimService(biller)
        drafts = service.build_ready()
        for draft in drafts:
            service.mark_ready(draft.id)
        with tempfile.TemporaryDirectory() as outbox:
            batch = service.submit_ready(Path(outbox))
        sent = time.perf_counter()
    finally:
        biller.close()
    print(f"  {sent - started:.0f} s", file=sys.stderr)
    return {
        "claims": batch.claims_count,
        "charges": len(charge_ids),
        "build_seconds": {
            "practice_patients_visits": round(setup_done - started, 1),
            "post_charges": round(posted - setup_done, 1),
            "build_check_submit_claims": round(sent - posted, 1),
        },
    }


def _billing_setup(biller: AppContext) -> None:
    """The practice's NPI and clearinghouse, its office's address, and the payers'
    addresses (the demo's payers have none; an 837P needs them)."""
    ClaimSetupService(biller).save_billing_setup(SETUP)
    with biller.unit_of_work() as uow:
        office = uow.session.scalars(select(Location).order_by(Location.created_at)).first()
        assert office is not None
        office.address_line1, office.city = "12 Harbor Street", "Springfield"
        office.state, office.postal_code = "IL", "62701-1234"
        for payer in uow.session.scalars(select(Payer)):
            payer.address_line1, payer.city = "PO Box 100", "Chicago"
            payer.state, payer.postal_code = "IL", "60601"


def _visits(biller: AppContext, count: int, rng: random.Random) -> list[str]:
    """`count` signed visits of self-insured patients in the last two months, each with one to
    three proposed charges: the charge ids (in visit order)."""
    with biller.unit_of_work() as uow:
        session = uow.session
        today = practice_today(session, biller.clock.now())
        insured = list(
            session.scalars(
                select(Patient.id)
                .join(Coverage, Coverage.patient_id == Patient.id)
                .where(Coverage.priority == 1, Coverage.deleted_at.is_(None))
                # dependents' coverages in the demo lack the subscriber's birth date
                .where(Coverage.relationship_to_subscriber == SubscriberRelationship.SELF)
                .where(Patient.address_line1.is_not(None))
                .order_by(Patient.mrn)
                .distinct()
            )
        )
        doctors = list(
            session.scalars(
                select(User.id).where(User.role == Role.PHYSICIAN, User.npi.is_not(None))
            )
        )
        visits = []
        for number in range(count):
            day = today - timedelta(days=rng.randint(3, 60))
            encounter = Encounter(
                patient_id=insured[number % len(insured)],
                provider_id=rng.choice(doctors),
                type=EncounterType.OFFICE_VISIT,
                starts_at=datetime(day.year, day.month, day.day, 15, number % 60, tzinfo=UTC),
                status=EncounterStatus.SIGNED,
            )
            visits.append((encounter, day))
        session.add_all([e for e, _ in visits])
        session.flush()
        charges = []
        for encounter, day in visits:
            diagnoses = rng.choice(DIAGNOSES)
            for code, cents in rng.sample(SERVICES, rng.randint(1, 3)):
                charges.append(
                    Charge(
                        patient_id=encounter.patient_id,
                        encounter_id=encounter.id,
                        code_system=CodeSystem.CPT,
                        procedure_code=code,
                        description=f"Service {code}",
                        units=1,
                        diagnosis_codes=diagnoses,
                        diagnosis_pointers=list(range(1, len(diagnoses) + 1)),
                        place_of_service="11",
                        rendering_provider_id=encounter.provider_id,
                        service_on=day,
                        unit_price_cents=cents,
                        amount_cents=cents,
                    )
                )
        session.add_all(charges)
        session.flush()
        return [c.id for c in charges]


def submitted_claims(paths: PracticePaths) -> list[dict[str, Any]]:
    """Every submitted claim's number, patient and lines, read from the encrypted practice
    (names stay off the disk: the cache's JSON holds counts only)."""
    biller = sign_in(paths, BILLER, PASSWORD)
    try:
        with biller.unit_of_work() as uow:
            rows = uow.session.execute(
                select(
                    Claim.control_number,
                    Patient.last_name,
                    Patient.first_name,
                    ClaimLine.control,
                    ClaimLine.charge_cents,
                    Charge.procedure_code,
                    Charge.service_on,
                )
                .join(Patient, Patient.id == Claim.patient_id)
                .join(ClaimLine, ClaimLine.claim_id == Claim.id)
                .join(Charge, Charge.id == ClaimLine.charge_id)
                .where(Claim.status == ClaimStatus.SUBMITTED)
                .order_by(Claim.control_number, ClaimLine.line_number)
            ).all()
    finally:
        biller.close()
    claims: dict[str, dict[str, Any]] = {}
    for number, last, first, control, cents, code, service_on in rows:
        claim = claims.setdefault(
            number, {"control_number": number, "last_name": last, "first_name": first, "lines": []}
        )
        claim["lines"].append(
            {"code": code, "cents": cents, "control": control, "service_on": service_on}
        )
    return list(claims.values())


def make_ready_again(biller: AppContext, count: int | None = None) -> int:
    """Send the practice's submitted claims (all, or the first `count` by claim number)
    back to ready with a direct SQL update, as if the biller had not sent them yet: the
    claims bench's starting point for submit_ready. How many claims it moved."""
    chosen = "SELECT id FROM claim WHERE status = 'submitted' ORDER BY control_number"
    if count is not None:
        chosen += f" LIMIT {int(count)}"
    with biller.unit_of_work() as uow:
        moved = uow.session.execute(
            text(
                "UPDATE claim SET status='ready', submitted_at=NULL, claim_file_id=NULL"
                f" WHERE id IN ({chosen})"
            )
        )
        return int(getattr(moved, "rowcount", 0))


# -- the 835 -------------------------------------------------------------------------------


def remittance_835(claims: list[dict[str, Any]], seed: int = 1, trace: str = "CHK500100") -> bytes:
    """One check paying `claims`: 40% paid in full, 45% at the contracted rate (CO-45)
    less coinsurance (PR-2), of which those with several lines have the last one bundled
    (CO-97, nothing paid: the claim is partly paid), 15% denied (CO-16, nothing paid)."""
    rng = random.Random(seed)
    payments = []
    for claim in claims:
        fate = rng.random()
        status = "4" if fate >= 0.85 else "1"
        lines = [_line_payment(line, fate, rng) for line in claim["lines"]]
        if 0.7 <= fate < 0.85 and len(lines) > 1:
            last = lines[-1]
            bundled = (Adjustment("CO", "97", last.charge_cents),)
            lines[-1] = replace(last, paid_cents=0, adjustments=bundled)
        patient_share = sum(
            a.amount_cents for x in lines for a in x.adjustments if a.group_code == "PR"
        )
        payments.append(
            ClaimPayment(
                patient_control_number=claim["control_number"],
                status_code=status,
                charge_cents=sum(x.charge_cents for x in lines),
                paid_cents=sum(x.paid_cents for x in lines),
                payer_claim_number=f"P{claim['control_number']}",
                patient_responsibility_cents=patient_share,
                filing_indicator="12",  # CLP06: a PPO (CI is not an 835 code)
                patient_last_name=claim["last_name"].upper(),
                patient_first_name=claim["first_name"].upper(),
                lines=tuple(lines),
            )
        )
    paid_on = date.today()
    remittance = Remittance(
        payer_name="LAKESHORE HEALTH PLAN",
        payer_id="LKSH1",
        originator_id="1371234567",
        payee_name="RIVERSIDE FAMILY MEDICINE",
        payee_npi=PRACTICE_NPI,
        payee_tax_id="371234567",
        trace_number=trace,
        payment_method="CHK",
        total_paid_cents=sum(p.paid_cents for p in payments),
        paid_on=paid_on,
        claims=tuple(payments),
        payer_address=Address("PO BOX 100", "CHICAGO", "IL", "606010000"),
        payer_phone="8005550199",
    )
    envelope = Envelope("LKSH1", "STETHOS01", 1, datetime.now(UTC).replace(microsecond=0))
    return write_835(remittance, envelope)


def _line_payment(line: dict[str, Any], fate: float, rng: random.Random) -> LinePayment:
    cents = line["cents"]
    adjustments: tuple[Adjustment, ...] = ()
    if fate < 0.4:  # paid as billed
        paid = cents
    elif fate < 0.85:  # the contracted rate, less the patient's coinsurance
        contractual = cents * rng.randint(10, 30) // 100
        coinsurance = (cents - contractual) // 5
        paid = cents - contractual - coinsurance
        adjustments = (Adjustment("CO", "45", contractual), Adjustment("PR", "2", coinsurance))
    else:  # denied: the claim lacks information
        paid, adjustments = 0, (Adjustment("CO", "16", cents),)
    return LinePayment(
        procedure_code=line["code"],
        modifiers=(),
        charge_cents=cents,
        paid_cents=paid,
        line_control_number=line["control"],
        service_on=line["service_on"],
        adjustments=adjustments,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cache", type=Path, default=CACHE)
    args = parser.parse_args()
    _, facts = claims_practice(args.claims, args.seed, args.cache)
    print(json.dumps(facts, indent=2))


if __name__ == "__main__":
    main()
