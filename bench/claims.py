"""Claims speed: writing an X12 837P batch of 1,000 claims, and importing an 835 with
1,000 claim payments.

    python bench/claims.py [--claims 1000] [--repeats 5]

837P: the claims are made up in memory (claim_batch() builds them from a seed: a mix of
self-insured patients, dependent children, secondary claims with the primary payer's line
adjudication, one to six service lines and up to twelve diagnoses) and written with
app.interop.x12_837p.write_837p, input checks included. Baseline: the same writer on a
batch of one claim.

835: a real encrypted practice with that many submitted claims (bench/claims_data.py,
built once into bench/.cache/) and an 835 paying them (in full; at the contracted rate
with CO-45 and PR-2, some with a bundled line paid nothing; or denied), imported as the
biller with ClaimImportService.import_file: claims matched, payments and adjustments
posted to the ledger, statuses moved, all audited.
Every repeat imports into a fresh copy of the practice, so every repeat posts for real
(copying and signing in are not timed). Baseline: an 835 paying one claim, imported the
same way. Reading alone (read_remittances, no database) is its own figure.

Submitting: the whole 837P use case as the biller runs it, ClaimService.submit_ready
(reads the ready claims, builds their documents, runs the scrubber on each, writes the
837P to the outbox folder, marks the claims submitted, audits). Each repeat takes a fresh
copy of the same cached practice and, untimed, sets its claims back to ready with a direct
SQL update (`UPDATE claim SET status='ready', submitted_at=NULL, claim_file_id=NULL`,
bench.claims_data.make_ready_again); the cache itself keeps them submitted, as the 835
import needs. Baseline: the same with only one claim set back to ready. The written file
is checked to hold one CLM segment per claim.

All figures are interleaved in one run (noise hits each alike). Prints JSON with p50/p95
in milliseconds, each figure's p95 over its baseline's, and whether the budgets hold:
837P < 3 s p95, submit_ready < 3 s p95, 835 import < 3 s p95.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
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
from app.interop.x12_835 import read_remittances  # noqa: E402
from app.interop.x12_837p import write_837p  # noqa: E402
from app.services.auth import sign_in  # noqa: E402
from app.services.claim_import_data import ImportSummary  # noqa: E402
from app.services.claim_imports import ClaimImportService  # noqa: E402
from app.services.claims import ClaimService  # noqa: E402
from app.services.context import AppContext  # noqa: E402
from app.storage.database import PracticePaths  # noqa: E402
from app.terminology.identifiers import npi_check_digit  # noqa: E402
from bench.claims_data import (  # noqa: E402
    BILLER,
    CACHE,
    PASSWORD,
    claims_practice,
    make_ready_again,
    remittance_835,
    submitted_claims,
)
from bench.timing import summarise, timed  # noqa: E402

BUDGETS_MS = {
    "write_837p_p95": 3_000.0,
    "submit_ready_p95": 3_000.0,
    "import_835_p95": 3_000.0,
}
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
        lines: list[ServiceLine] = []
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


def measure_read_835(big: bytes, one: bytes, claims: int) -> dict[str, Callable[[], Any]]:
    return {
        "baseline_read_835_one_claim": lambda: read_remittances(one),
        f"read_835_{claims}_claims": lambda: read_remittances(big),
    }


class FreshCopy:
    """Times one use case on a fresh copy of the practice: the copy, the sign-in and
    `prepare` come first, untimed; each call returns milliseconds. The process's CPU time
    is kept too: on a shared machine it tells waiting from working."""

    def __init__(self, practice: PracticePaths, work: Path) -> None:
        self.practice, self.work = practice, work
        self.cpu_ms: list[float] = []

    def prepare(self, ctx: AppContext) -> None:
        """Untimed changes to the copy before the timed call."""

    def run(self, ctx: AppContext) -> None:
        raise NotImplementedError

    def check(self) -> None:
        """Untimed look at what the timed call did."""

    def __call__(self) -> float:
        shutil.rmtree(self.work, ignore_errors=True)
        shutil.copytree(self.practice.data_dir, self.work)
        ctx = sign_in(PracticePaths(self.work), BILLER, PASSWORD)
        try:
            self.prepare(ctx)
            started, cpu = time.perf_counter(), time.process_time()
            self.run(ctx)
            elapsed = (time.perf_counter() - started) * 1000
            self.cpu_ms.append((time.process_time() - cpu) * 1000)
        finally:
            ctx.close()
        self.check()
        return elapsed


class FreshImport(FreshCopy):
    """ClaimImportService.import_file of one 835."""

    def __init__(self, practice: PracticePaths, work: Path, data: bytes, name: str) -> None:
        super().__init__(practice, work)
        self.data, self.name = data, name
        self.last: ImportSummary | None = None

    def run(self, ctx: AppContext) -> None:
        self.last = ClaimImportService(ctx).import_file(self.data, self.name)


class FreshSubmit(FreshCopy):
    """ClaimService.submit_ready of `ready` claims (all when None), set back to ready in
    the copy first; the 837P goes to a folder next to the copy."""

    def __init__(self, practice: PracticePaths, work: Path, ready: int | None) -> None:
        super().__init__(practice, work)
        self.ready = ready
        self.outbox = work.with_name(work.name + "-outbox")
        self.made_ready = 0
        self.file_name = ""
        self.clm_segments = 0

    def prepare(self, ctx: AppContext) -> None:
        shutil.rmtree(self.outbox, ignore_errors=True)
        self.outbox.mkdir(parents=True)
        self.made_ready = make_ready_again(ctx, self.ready)

    def run(self, ctx: AppContext) -> None:
        self.file_name = ClaimService(ctx).submit_ready(self.outbox).file_name

    def check(self) -> None:
        self.clm_segments = clm_segments((self.outbox / self.file_name).read_bytes())
        shutil.rmtree(self.outbox)  # the 837P names patients: keep it on disk no longer
        if self.clm_segments != self.made_ready:
            raise AssertionError(
                f"submit_ready wrote {self.clm_segments} CLM segments for "
                f"{self.made_ready} ready claims"
            )


def clm_segments(x12: bytes) -> int:
    """How many CLM (claim) segments an X12 file holds. The ISA segment is fixed-width:
    its 4th byte is the element separator and its 106th the segment terminator."""
    element, terminator = x12[3:4], x12[105:106]
    return sum(1 for s in x12.split(terminator) if s.strip().startswith(b"CLM" + element))


def posted(summary: ImportSummary | None) -> dict[str, Any]:
    """What the last import did, to show it posted for real."""
    assert summary is not None
    return {
        "claims_changed": len(summary.claim_ids),
        "counts": dict(summary.counts),
        "paid_cents": summary.paid_cents,
        "adjusted_cents": summary.adjusted_cents,
        "patient_cents": summary.patient_cents,
        "review_items": len(summary.review),
        "problems": list(summary.problems),
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
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--cache", type=Path, default=CACHE)
    args = parser.parse_args()
    n = args.claims

    practice, built = claims_practice(n, args.seed, args.cache)
    submitted = submitted_claims(practice)
    big_835 = remittance_835(submitted, args.seed)
    one_835 = remittance_835(submitted[:1], args.seed)
    in_memory = {**measure_837p(n, args.seed), **measure_read_835(big_835, one_835, n)}
    with tempfile.TemporaryDirectory(prefix="stethos-bench-") as scratch:
        work = Path(scratch)
        fresh_copies: dict[str, FreshCopy] = {
            "baseline_submit_ready_one_claim": FreshSubmit(practice, work / "submit-one", 1),
            f"submit_ready_{n}_claims": FreshSubmit(practice, work / "submit-all", None),
            "baseline_import_835_one_claim": FreshImport(
                practice, work / "one", one_835, "one.835"
            ),
            f"import_835_{n}_claims": FreshImport(practice, work / "all", big_835, "all.835"),
        }
        for measure in in_memory.values():  # warm-up: imports, regex compilation, caches
            measure()
        for fresh in fresh_copies.values():
            fresh()
        samples: dict[str, list[float]] = {name: [] for name in [*in_memory, *fresh_copies]}
        for _ in range(args.repeats):
            for name, measure in in_memory.items():  # interleaved: noise hits every figure
                samples[name].append(timed(measure))
            for name, fresh in fresh_copies.items():
                samples[name].append(fresh())
        big_import = fresh_copies[f"import_835_{n}_claims"]
        assert isinstance(big_import, FreshImport)
        last_import = posted(big_import.last)
        big_submit = fresh_copies[f"submit_ready_{n}_claims"]
        assert isinstance(big_submit, FreshSubmit)
        cpu = {name: summarise(f.cpu_ms[1:]) for name, f in fresh_copies.items()}  # no warm-up
    figures = {
        **figures_of({k: samples[k] for k in samples if "837p" in k}, "baseline_837p_one_claim"),
        **figures_of(
            {k: samples[k] for k in samples if "submit_ready" in k},
            "baseline_submit_ready_one_claim",
        ),
        **figures_of(
            {k: samples[k] for k in samples if k.startswith(("baseline_read", "read"))},
            "baseline_read_835_one_claim",
        ),
        **figures_of(
            {k: samples[k] for k in samples if "import_835" in k},
            "baseline_import_835_one_claim",
        ),
    }
    write_p95 = figures[f"write_837p_{n}_claims"]["p95"]
    submit_p95 = figures[f"submit_ready_{n}_claims"]["p95"]
    import_p95 = figures[f"import_835_{n}_claims"]["p95"]
    print(
        json.dumps(
            {
                "claims": n,
                "figures_ms": figures,
                "cpu_ms": cpu,
                "budgets_ms": BUDGETS_MS,
                "within_budget": {
                    "write_837p": write_p95 < BUDGETS_MS["write_837p_p95"],
                    "submit_ready": submit_p95 < BUDGETS_MS["submit_ready_p95"],
                    "import_835": import_p95 < BUDGETS_MS["import_835_p95"],
                },
                "submit_ready_sent": {
                    "claims_made_ready": big_submit.made_ready,
                    "clm_segments_written": big_submit.clm_segments,
                },
                "import_835_posted": last_import,
                "practice": built,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
