"""ICD-10-CM search speed: what a clinician types into the diagnosis picker.

    python bench/icd10cm.py [--repeats 30] [--database PATH]

Reads resources/terminology/icd10cm.sqlite (or --database); when it is missing, builds one
once into bench/.cache/ (needs the `simple-icd-10-cm` package). Then times, interleaved so
that a noisy moment on this shared machine lands on every figure:
- words: whole words ("type 2 diabetes", "low back pain");
- partial_words: words cut short ("typ 2 diab", "hyperten");
- typing: every keystroke of a few searches from the second letter on, as a picker that
  searches while one types would ask;
- broad: single common words that match thousands of codes ("left", "fracture");
- codes: codes typed with or without the dot, whole or as a prefix ("e119", "M54");
- abbreviations: "htn", "copd", ...
Baseline, in the same run: `get(code)`, one exact lookup by primary key. Prints JSON with
p50/p95 in milliseconds, each figure's p95 over the baseline's, and whether the budget
holds: every kind of search < 10 ms p95.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.terminology.icd10cm import DEFAULT_DATABASE, Icd10Catalog  # noqa: E402
from bench.timing import summarise, timed  # noqa: E402

SEARCH_BUDGET_P95_MS = 10.0

WORDS = [
    "type 2 diabetes", "essential hypertension", "low back pain", "chest pain",
    "urinary tract infection", "major depressive disorder", "generalized anxiety",
    "hyperlipidemia", "acute sinusitis", "otitis media", "atrial fibrillation",
    "vitamin d deficiency", "hypothyroidism", "obesity", "allergic rhinitis",
    "gastro esophageal reflux", "headache", "insomnia", "osteoarthritis knee",
    "annual physical adult", "cough", "fever", "dizziness", "ankle sprain",
]  # fmt: skip
PARTIAL_WORDS = [
    "typ 2 diab", "hyperten", "low back", "chest pa", "urin tract inf", "maj depress",
    "gen anx", "hyperlip", "ac sinus", "otit med", "atr fib", "vit d def", "hypothyr",
    "obes", "allerg rhin", "gastro esoph", "headac", "insom", "osteoarth kn", "strep phar",
]  # fmt: skip
TYPED = ["type 2 diabetes", "chest pain", "left knee pain", "hypertension", "asthma"]
BROAD = ["left", "right", "fracture", "pain", "disorder", "of", "initial encounter", "unsp"]
CODES = [
    "E11.9", "e119", "I10", "J06.9", "Z00.00", "M54.50", "S72.001A", "F41.1",
    "E11", "M54", "Z00", "J45", "R51.9", "N39.0", "K21.9", "e78.5",
]  # fmt: skip
ABBREVIATIONS = ["htn", "copd", "t2dm", "gerd", "uti", "uri", "chf", "afib", "ckd", "adhd"]


def ensure_database(path: Path | None, cache: Path) -> Path:
    if path is not None:
        return path
    if DEFAULT_DATABASE.exists():
        return DEFAULT_DATABASE
    built = cache / "icd10cm.sqlite"
    if not built.exists():
        from app.terminology.build_icd10cm import build

        print("building the ICD-10-CM database (once; reused later)...", file=sys.stderr)
        build(built)
    return built


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database", type=Path, default=None)
    parser.add_argument("--cache", type=Path, default=ROOT / "bench" / ".cache")
    args = parser.parse_args()

    path = ensure_database(args.database, args.cache)
    started = time.perf_counter()
    catalog = Icd10Catalog(path)
    catalog.search("diabetes")
    open_ms = (time.perf_counter() - started) * 1000

    with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as connection:
        all_codes = [row[0] for row in connection.execute("SELECT code FROM code")]
    lookups = random.Random(args.seed).sample(all_codes, 50)
    typing = [text[:end] for text in TYPED for end in range(2, len(text) + 1)]
    mixes: dict[str, list[str]] = {
        "baseline_get_code": lookups,
        "words": WORDS,
        "partial_words": PARTIAL_WORDS,
        "typing": typing,
        "broad": BROAD,
        "codes": CODES,
        "abbreviations": ABBREVIATIONS,
    }
    runs: dict[str, Callable[[str], Any]] = {name: catalog.search for name in mixes}
    runs["baseline_get_code"] = catalog.get
    for name, queries in mixes.items():  # warm the page cache, as a working day would
        for query in queries:
            runs[name](query)

    samples: dict[str, list[float]] = {name: [] for name in mixes}
    for _ in range(args.repeats):
        for name, queries in mixes.items():
            run = runs[name]
            samples[name] += [timed(lambda q=query, r=run: r(q)) for query in queries]  # type: ignore[misc]
    catalog.close()

    base = summarise(samples["baseline_get_code"])
    searches = [value for name, values in samples.items() if name != "baseline_get_code"
                for value in values]  # fmt: skip
    report: dict[str, Any] = {
        "release": catalog.release,
        "database_mib": round(path.stat().st_size / 2**20, 1),
        "codes": len(all_codes),
        "open_and_first_search_ms": round(open_ms, 1),
        "figures_ms": {},
        "budget_ms": {"every_search_kind_p95": SEARCH_BUDGET_P95_MS},
    }
    for name, values in [*samples.items(), ("all_searches", searches)]:
        figure: dict[str, Any] = summarise(values)
        figure["samples"] = len(values)
        figure["ratio_p95_to_baseline"] = round(figure["p95"] / base["p95"], 1)
        report["figures_ms"][name] = figure
    report["within_budget"] = all(
        figure["p95"] < SEARCH_BUDGET_P95_MS
        for name, figure in report["figures_ms"].items()
        if name != "baseline_get_code"
    )
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
