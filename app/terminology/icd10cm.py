"""ICD-10-CM diagnosis codes: look one up, or search by words or by code, read-only.

The database is built ahead of time by `app.terminology.build_icd10cm` (public CMS/NCHS
data, no PHI) and opened here read-only and immutable with the standard library's sqlite3,
so searching it never takes a lock or writes a journal. Each thread gets its own
connection, so the UI thread and the database worker can both ask.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from app.terminology.code_sets import TERMINOLOGY_DIR, CodeSetUnavailable
from app.terminology.words import Typed, coverage, decode_title, query_variants

DEFAULT_DATABASE = TERMINOLOGY_DIR / "icd10cm.sqlite"
SCHEMA_VERSION = 2
# Abbreviations clinicians type for common problems, spelled as ICD-10-CM titles say them.
# A search looks for the abbreviation (as a word start: "uri" may be "urinary") or for this.
ABBREVIATIONS = {
    "adhd": "attention deficit hyperactivity disorder",
    "afib": "atrial fibrillation",
    "bph": "benign prostatic hyperplasia",
    "cad": "coronary artery disease",
    "chf": "heart failure",
    "ckd": "chronic kidney disease",
    "copd": "chronic obstructive pulmonary disease",
    "dm": "diabetes mellitus",
    "dm1": "type 1 diabetes mellitus",
    "dm2": "type 2 diabetes mellitus",
    "dvt": "deep vein thrombosis",
    "fx": "fracture",
    "gad": "generalized anxiety disorder",
    "gerd": "gastro esophageal reflux disease",
    "hld": "hyperlipidemia",
    "htn": "hypertension",
    "lbp": "low back pain",
    "mdd": "major depressive disorder",
    "osa": "obstructive sleep apnea",
    "ptsd": "post traumatic stress disorder",
    "sob": "shortness of breath",
    "t1dm": "type 1 diabetes mellitus",
    "t2dm": "type 2 diabetes mellitus",
    "tia": "transient ischemic attack",
    "uri": "upper respiratory infection",
    "uti": "urinary tract infection",
}

# A code typed with or without its dot: a letter, a digit, then up to five letters/digits.
_CODE_LIKE = re.compile(r"[A-Z][0-9][0-9A-Z]{0,5}")
# Matches read, most likely first (the build orders rows so), then ranked here. A search
# matching more than this (one word such as "left") ranks only the likeliest few hundred.
_CANDIDATES = 200
# Inclusion terms count, but a code's own title counts more.
_TERM_WEIGHT = 0.7
# Non-billable categories stay in the list (they help narrow down) but below leaves
# that match about as well: only a billable code can go on a claim.
_NOT_BILLABLE_WEIGHT = 0.8
# The typed words were found only across a title and its terms together.
_SCATTERED_SCORE = 0.05


@dataclass(frozen=True)
class Icd10Code:
    code: str  # with its dot, as usually written: "E11.9"
    description: str
    billable: bool


def compact_code(text: str) -> str:
    """ "e11.9 " → "E119": how a code is typed often, and how it goes on a claim."""
    return re.sub(r"[\s.]", "", text).upper()


def fts_query(variants: list[Typed]) -> str:
    """An FTS5 query that needs every word of one variant, each as a prefix ("typ 2 diab"
    finds "type 2 diabetes"). Words are quoted, so nothing typed reaches FTS5's own syntax.
    Single characters must match whole words, or "2" would also find "20" and every "2nd"."""
    ands = [
        " ".join(f'"{word}"' if len(word) == 1 else f'"{word}"*' for word in words)
        for words in (variant.words for variant in variants)
    ]
    return " OR ".join(f"({query})" for query in ands)


def score(variants: list[Typed], words: str, billable: bool) -> float:
    """How well the typed words name this code (higher is better, 0–1), from its `words`:
    the encoded title on the first line, then its inclusion terms."""
    best = 0.0
    for line, encoded in enumerate(words.split("\n")):
        title = decode_title(encoded)
        weight = 1.0 if line == 0 else _TERM_WEIGHT
        for typed in variants:
            best = max(best, weight * coverage(typed, title))
    best = best or _SCATTERED_SCORE
    return best if billable else best * _NOT_BILLABLE_WEIGHT


class Icd10Catalog:
    """The ICD-10-CM code set. Safe to share between threads; `close()` when done."""

    def __init__(self, path: Path = DEFAULT_DATABASE) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        if not self.path.is_file():
            raise CodeSetUnavailable("ICD-10-CM", self.path)
        try:
            meta = dict(self._connection().execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.DatabaseError:
            meta = {}
        if meta.get("schema_version") != str(SCHEMA_VERSION):
            self.close()
            raise CodeSetUnavailable("ICD-10-CM", self.path, damaged=True)
        self.release: str = meta["release"]

    def get(self, code: str) -> Icd10Code | None:
        """The code typed with or without its dot, in any case; None if there is none."""
        row = (
            self._connection()
            .execute(
                "SELECT code, description, billable FROM code WHERE compact = ?",
                (compact_code(code),),
            )
            .fetchone()
        )
        return _to_code(row) if row else None

    def is_billable(self, code: str) -> bool:
        """True only for a code that exists and may go on a claim (a leaf of the list)."""
        found = self.get(code)
        return found is not None and found.billable

    def search(self, text: str, limit: int = 25) -> list[Icd10Code]:
        """By code ("E11", "e11.9", "E119": that code, then the codes under it) or by
        words ("type 2 diabetes"); a code-like query that is also a word ("b12") gets both."""
        if limit <= 0:
            return []
        hits: list[Icd10Code] = []
        code = compact_code(text)
        if _CODE_LIKE.fullmatch(code):
            hits = self._codes_under(code, limit)
        if len(hits) < limit:
            seen = {hit.code for hit in hits}
            hits += [h for h in self._words(text, limit) if h.code not in seen]
        return hits[:limit]

    def close(self) -> None:
        """Close every thread's connection (a thread that asks again gets a new one)."""
        with self._lock:
            connections, self._connections = self._connections, []
            self._local = threading.local()
        for connection in connections:
            connection.close()

    def __enter__(self) -> Icd10Catalog:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _codes_under(self, compact: str, limit: int) -> list[Icd10Code]:
        # The code itself, then its children, then theirs: shorter compact codes sit higher.
        rows = self._connection().execute(
            "SELECT code, description, billable FROM code "
            "WHERE compact >= :prefix AND compact < :prefix || '~' "
            "ORDER BY length(compact), compact LIMIT :limit",
            {"prefix": compact, "limit": limit},
        )
        return [_to_code(row) for row in rows]

    def _words(self, text: str, limit: int) -> list[Icd10Code]:
        variants = query_variants(text, ABBREVIATIONS)
        if not variants:
            return []
        query = fts_query(variants)
        try:
            rows = (
                self._connection()
                .execute(
                    "SELECT id, code, description, billable, words FROM code WHERE id IN ("
                    "  SELECT rowid FROM code_search WHERE code_search MATCH ? LIMIT ?"
                    ")",
                    (query, _CANDIDATES),
                )
                .fetchall()
            )
        except sqlite3.OperationalError:  # a word FTS5 still reads as syntax: no hits
            return []
        ranked = sorted(
            rows,
            key=lambda r: (-score(variants, r[4], r[3]), not r[3], r[0]),
        )
        return [Icd10Code(r[1], r[2], bool(r[3])) for r in ranked[:limit]]

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            uri = f"{self.path.resolve().as_uri()}?mode=ro&immutable=1"
            # check_same_thread off only so close() can reach every thread's connection;
            # each thread still uses its own.
            connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
            with self._lock:
                self._connections.append(connection)
            self._local.connection = connection
        return connection


def _to_code(row: tuple[str, str, int]) -> Icd10Code:
    return Icd10Code(row[0], row[1], bool(row[2]))
