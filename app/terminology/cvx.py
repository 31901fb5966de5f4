"""CVX vaccine codes (CDC): list the ones in use, look one up, or search by words.

The codes live in resources/terminology/cvx.csv, a short list of the vaccines a US family
practice gives or records (see its first line for the source). It is read once into
memory; after that a catalog never changes, so threads may share it freely.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from app.terminology.code_sets import TERMINOLOGY_DIR, CodeSetUnavailable
from app.terminology.words import coverage, query_variants, title_words

DEFAULT_CVX_FILE = TERMINOLOGY_DIR / "cvx.csv"
COLUMNS = ("code", "short_description", "full_name", "status", "trade_names")
STATUSES = ("active", "inactive")
# What people say for a vaccine, in the words CVX names it with.
SYNONYMS = {
    "chickenpox": "varicella",
    "covid19": "covid",
    "flu": "influenza",
    "hepa": "hep a",
    "hepb": "hep b",
    "pneumonia": "pneumococcal",
    "shingles": "zoster",
    "whooping": "pertussis",
}
# A trade name ("Shingrix") names the vaccine less exactly than CVX's own words do.
_TRADE_NAME_WEIGHT = 0.9


@dataclass(frozen=True)
class Vaccine:
    code: str  # two or three digits, as CVX writes it: "03", "187"
    short_description: str
    full_name: str
    active: bool  # False: only for recording a dose given in the past
    trade_names: tuple[str, ...]


def normalise_code(text: str) -> str:
    """ "3" → "03": CVX codes have at least two digits, senders often drop the zero."""
    text = text.strip()
    return text.zfill(2) if text.isdigit() else text


class CvxCatalog:
    """The CVX codes from the CSV file (read once; safe to share between threads)."""

    def __init__(self, path: Path = DEFAULT_CVX_FILE) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise CodeSetUnavailable("CVX", self.path)
        try:
            self._vaccines = _read(self.path)
        except (ValueError, KeyError, UnicodeDecodeError, csv.Error) as exc:
            raise CodeSetUnavailable("CVX", self.path, damaged=True) from exc
        self._by_code = {vaccine.code: vaccine for vaccine in self._vaccines}

    def all(self) -> list[Vaccine]:
        """Every code in the file, active and inactive, by short description."""
        return list(self._vaccines)

    def active(self) -> list[Vaccine]:
        """The vaccines that can be given today, by short description."""
        return [vaccine for vaccine in self._vaccines if vaccine.active]

    def get(self, code: str) -> Vaccine | None:
        return self._by_code.get(normalise_code(code))

    def search(self, text: str, limit: int = 25, include_inactive: bool = False) -> list[Vaccine]:
        """By code ("187", "3") or words ("hep b adult", "shingles", "Shingrix"), best first;
        inactive codes (for recording past doses) only when asked, after active ones."""
        if limit <= 0:
            return []
        exact = self.get(text)
        hits = [exact] if exact and (exact.active or include_inactive) else []
        variants = query_variants(text, SYNONYMS)
        scored: list[tuple[float, Vaccine]] = []
        for vaccine in self._vaccines:
            if vaccine in hits or not (vaccine.active or include_inactive):
                continue
            titles = [(1.0, vaccine.short_description), (1.0, vaccine.full_name)]
            titles += [(_TRADE_NAME_WEIGHT, name) for name in vaccine.trade_names]
            best = max(
                (
                    weight * coverage(typed, title_words(title))
                    for weight, title in titles
                    for typed in variants
                ),
                default=0.0,
            )
            if best > 0:
                scored.append((best, vaccine))
        scored.sort(key=lambda pair: (not pair[1].active, -pair[0]))  # stable: by name
        return (hits + [vaccine for _, vaccine in scored])[:limit]


def _read(path: Path) -> list[Vaccine]:
    with path.open(encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    reader = csv.DictReader(lines)
    if tuple(reader.fieldnames or ()) != COLUMNS:
        raise ValueError(f"expected the columns {', '.join(COLUMNS)}")
    vaccines = []
    for row in reader:
        code, status = row["code"].strip(), row["status"].strip()
        if not code.isdigit() or status not in STATUSES:
            raise ValueError(f"bad row for CVX {code!r}")
        vaccines.append(
            Vaccine(
                code=code,
                short_description=row["short_description"].strip(),
                full_name=row["full_name"].strip(),
                active=status == "active",
                trade_names=tuple(
                    name.strip() for name in row["trade_names"].split(";") if name.strip()
                ),
            )
        )
    return sorted(vaccines, key=lambda vaccine: vaccine.short_description.casefold())
