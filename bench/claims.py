"""Claims speed: writing an X12 837P batch of 1,000 claims.

    python bench/claims.py [--claims 1000] [--repeats 20]

The claims are made up in memory (bench/claims.py builds them from a seed: a mix of
self-insured patients, dependent children, secondary claims with the primary payer's line
adjudication, one to six service lines and up to twelve diagnoses) and written with
app.interop.x12_837p.write_837p, input checks included. Baseline, interleaved in the same
run: the same writer on a batch of one claim. Prints JSON with p50/p95 in milliseconds,
each figure's p95 over the baseline's, and whether the budgets hold: 837P < 3 s p95.

More figures (the 835 import) join by adding to `measures` in main() and to BUDGETS_MS.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from faker import Faker  # noqa: E402

from app.interop.claim_document import (  # noqa: E402
    Address,
    Adjustment,
    BillingProvider,
    Claim,
    ClaimBatch,
    OtherPayer,
    OtherPayerLine,
    PatientParty,
    Payer,
    Person,
    RenderingProvider,
    ServiceLine,
    Submitter,
    Subscriber,
)
from app.interop.x12_837p import write_837p  # noqa: E402
from app.terminology.identifiers import npi_check_digit  # noqa: E402
from bench.timing import summarise, timed  # noqa: E402

BUDGETS_MS = {"write_837p_p95": 3_000.0}
PROCEDURES = [("99213", 12500), ("99214", 18500), ("81002", 1550), ("97110", 9000), ("J1885", 1234)]
DIAGNOSES = ["E119", "I10", "E785", "J449", "M545", "R51", "Z0000", "K219", "F419", "G4733"]
DIAGNOSES += ["N390", "R05", "J069", "L309"]
PAYERS = [Payer("Acme Health", "ACME1"), Payer("Blue Shield", "BLUE2"), Payer("Medicaid", "MCD03")]


def _npi(rng: random.Random) -> str:
    first_nine = str(rng.randint(100_000_000, 299_999_999))
    return first_nine + npi_check_digit(first_nine)


def _address(fake: Faker, rng: random.Random, zip9: bool = False) -> Address:
    postal = f"{rng.randint(10000, 99999)}" + (f"{rng.randint(0, 9999):04d}" if zip9 else "")
    state = fake.state_abbr(include_territories=False, include_freely_associated_states=False)
    return Address(fake.street_address()[:55], fake.city()[:30], state, postal)


def _person(fake: Faker) -> Person:
    return Person(fake.last_name(), fake.first_name())


def claim_batch(count: int, seed: int = 1) -> ClaimBatch:
    """`count` made-up claims from two practices, grouped as a real day's batch would be."""
    rng = random.Random(seed)
    fake = Faker("en_US")
    fake.seed_instance(seed)
    practices = [
        BillingProvider(
            name, _npi(rng), f"{rng.randint(10**8, 10**9 - 1)}", _address(fake, rng, zip9=True)
        )
        for name in ("Riverside Family Medicine", "Lakeside Clinic")
    ]
    doctors = [RenderingProvider(_person(fake), _npi(rng), "207Q00000X") for _ in range(4)]
    claims: list[Claim] = []
    for number in range(1, count + 1):
        home = _address(fake, rng)
        subscriber = Subscriber(
            _person(fake),
            f"M{rng.randint(10**6, 10**7)}",
            date(1950, 1, 1) + timedelta(days=rng.randint(0, 20000)),
            rng.choice("FM"),
            home,
            group_number=f"G{rng.randint(100, 999)}",
        )
        patient = None
        if rng.random() < 0.3:
            patient = PatientParty(_person(fake), date(2012, 5, 5), rng.choice("FM"), home)
        service_on = date(2026, 1, 5) + timedelta(days=rng.randint(0, 50))
        diagnoses = tuple(rng.sample(DIAGNOSES, rng.randint(1, 12)))
        secondary = rng.random() < 0.2
        lines = []
        for _ in range(rng.randint(1, 6)):
            code, cents = rng.choice(PROCEDURES)
            adjudication = None
            if secondary:
                adjustments = (
                    Adjustment("CO", "45", cents // 5),
                    Adjustment("PR", "2", cents // 10),
                )
                paid = cents - cents // 5 - cents // 10
                adjudication = OtherPayerLine(paid, adjustments, service_on + timedelta(days=20))
            lines.append(
                ServiceLine(
                    code,
                    cents,
                    rng.randint(1, 3),
                    tuple(range(1, min(len(diagnoses), 4) + 1)),
                    service_on,
                    modifiers=("25",) if code.startswith("992") else (),
                    line_control_number=f"CHG{number}-{len(lines) + 1}",
                    other_payer=adjudication,
                )
            )
        payer, other = rng.sample(PAYERS, 2)
        other_payer = None
        if secondary:
            paid = sum(line.other_payer.paid_cents for line in lines if line.other_payer)
            other_payer = OtherPayer(other, subscriber, paid)
            subscriber = Subscriber(
                subscriber.person,
                subscriber.member_id,
                subscriber.birth_date,
                subscriber.sex,
                subscriber.address,
                group_number=subscriber.group_number,
                payer_responsibility="S",
            )
        claims.append(
            Claim(
                control_number=f"CLM{number:08d}",
                billing_provider=practices[number % 2],
                rendering_provider=doctors[number % len(doctors)],
                payer=payer,
                subscriber=subscriber,
                patient=patient,
                place_of_service="11",
                diagnosis_codes=diagnoses,
                lines=tuple(lines),
                other_payer=other_payer,
            )
        )
    submitter = Submitter(
        "Riverside Family Medicine", "RFM001", "Pat Biller", "2175550100", "Clearing House", "CH01"
    )
    return ClaimBatch(submitter, claims, seed, date(2026, 3, 5), "0930", batch_id="BENCH")


def measure_837p(claims: int, seed: int) -> dict[str, Callable[[], Any]]:
    big = claim_batch(claims, seed)
    one = claim_batch(1, seed)
    return {
        "baseline_837p_one_claim": lambda: write_837p(one),
        f"write_837p_{claims}_claims": lambda: write_837p(big),
    }


def figures_of(samples: dict[str, list[float]], baseline: str) -> dict[str, Any]:
    base = summarise(samples[baseline])
    figures: dict[str, Any] = {}
    for name, values in samples.items():
        figure = summarise(values)
        figure["ratio_p95_to_baseline"] = round(figure["p95"] / base["p95"], 2)
        figure["samples"] = len(values)
        figures[name] = figure
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()

    measures = measure_837p(args.claims, args.seed)
    for measure in measures.values():  # warm-up: imports, regex compilation
        measure()
    samples: dict[str, list[float]] = {name: [] for name in measures}
    for _ in range(args.repeats):
        for name, measure in measures.items():  # interleaved: noise hits every figure
            samples[name].append(timed(measure))
    figures = figures_of(samples, "baseline_837p_one_claim")
    write_p95 = figures[f"write_837p_{args.claims}_claims"]["p95"]
    print(
        json.dumps(
            {
                "claims": args.claims,
                "figures_ms": figures,
                "budgets_ms": BUDGETS_MS,
                "within_budget": {"write_837p": write_p95 < BUDGETS_MS["write_837p_p95"]},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
