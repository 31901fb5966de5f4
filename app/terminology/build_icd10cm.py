"""Build the ICD-10-CM code-set database the app searches (build time only).

    python -m app.terminology.build_icd10cm [--out resources/terminology/icd10cm.sqlite]

Reads the CMS/NCHS ICD-10-CM tabular list that the `simple-icd-10-cm` package carries
(public domain) and writes a plain SQLite file: every diagnosis code (categories,
subcategories and the billable leaves, with the dot as usually written), the chapters and
blocks they sit in, an FTS5 index over each description plus its inclusion terms, and a
meta table naming the release. The app reads that file with `app.terminology.icd10cm`;
it never imports the package, which takes seconds to parse its XML.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sqlite3
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from types import ModuleType

from app.terminology.icd10cm import DEFAULT_DATABASE, SCHEMA_VERSION
from app.terminology.words import encode_title, title_words

# Public data meant to be read by every user of the machine (not a private practice file).
SHARED_FILE_MODE = 0o644

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
-- Chapters ("4") and blocks ("E08-E13"): headings for grouping, never coded.
CREATE TABLE section (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('chapter', 'block')),
    description TEXT NOT NULL
) WITHOUT ROWID;
-- One row per diagnosis code. The id orders codes with short titles first and the
-- 7th-character extensions last, so the first matches the index finds are the likely ones.
CREATE TABLE code (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,              -- as written: "E11.9"
    compact TEXT NOT NULL UNIQUE,    -- as on a claim, no dot: "E119"
    description TEXT NOT NULL,
    billable INTEGER NOT NULL CHECK (billable IN (0, 1)),
    parent TEXT,                     -- the code above it; NULL for a category
    block TEXT NOT NULL REFERENCES section (id),
    chapter TEXT NOT NULL REFERENCES section (id),
    terms TEXT,                      -- inclusion terms, one a line; NULL for most codes
    words TEXT NOT NULL              -- the title's then each term's words, one a line, for
                                     -- ranking (app.terminology.words.encode_title)
);
-- Contentless: the text lives in `code`; the index only has to find rowids.
CREATE VIRTUAL TABLE code_search USING fts5 (
    text,
    content = '',
    columnsize = 0,
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3'
);
"""


@dataclass(frozen=True)
class CodeRow:
    code: str
    description: str
    billable: bool
    parent: str | None
    block: str
    chapter: str
    terms: tuple[str, ...]
    extended: bool  # a 7th-character extension ("S72.001A")

    def values(self, row_id: int) -> tuple[object, ...]:
        """The row for the `code` table."""
        return (
            row_id,
            self.code,
            self.code.replace(".", ""),
            self.description,
            int(self.billable),
            self.parent,
            self.block,
            self.chapter,
            "\n".join(self.terms) or None,
            "\n".join(encode_title(title) for title in (self.description, *self.terms)),
        )

    def likelihood_order(self) -> tuple[bool, int]:
        """Codes that come first when a search matches too many to rank them all."""
        return self.extended, len(title_words(self.description).key)


def package_release(cm: ModuleType) -> tuple[str, str]:
    """(release name, tabular file name) for the data the package carries, e.g.
    ("ICD-10-CM 2026, April 1, 2026 update", "icd10c-tabular-April-1-2026.xml")."""
    data = resources.files("simple_icd_10_cm.data")
    file_name = getattr(cm, "_classification_data_package_file_name", None)
    if not isinstance(file_name, str):
        file_name = next(
            entry.name for entry in data.iterdir() if entry.name.startswith("icd10c-tabular-")
        )
    head = data.joinpath(file_name).read_text("utf-8")[:500]
    found = re.search(r"<version>\s*([^<]+?)\s*</version>", head)
    fiscal_year = found.group(1) if found else "unknown"
    date = re.search(r"(January|April|July|October)-(\d{1,2})-(\d{4})", file_name)
    update = f", {date.group(1)} {date.group(2)}, {date.group(3)} update" if date else ""
    return f"ICD-10-CM {fiscal_year}{update}", file_name


def read_package(cm: ModuleType) -> tuple[list[tuple[str, str, str]], list[CodeRow]]:
    """Sections (id, kind, description) and diagnosis codes, in tabular order."""
    sections: dict[str, tuple[str, str, str]] = {}
    rows: dict[str, CodeRow] = {}
    for item in cm.get_all_codes(True):
        ancestors = cm.get_ancestors(item)
        if item.isdigit() or "-" in item:  # a chapter ("4") or a block ("E08-E13")
            kind = "chapter" if item.isdigit() else "block"
            sections.setdefault(item, (item, kind, cm.get_description(item)))
            continue
        if item in rows:  # a block named like its only category (B99) is listed twice
            continue
        block = ancestors[-2]
        if block not in sections:  # single-category blocks: B99 the block holds B99 the code
            sections[block] = (block, "block", cm.get_description(item, True))
        parent = None if len(item) == 3 else ancestors[0]  # categories hang off a block
        terms = cm.get_inclusion_term(item) + cm.get_includes(item)
        rows[item] = CodeRow(
            code=item,
            description=cm.get_description(item),
            billable=cm.is_leaf(item),
            parent=parent,
            block=block,
            chapter=ancestors[-1],
            terms=tuple(terms),
            extended=cm.is_extended_subcategory(item),
        )
    by_likelihood = sorted(rows.values(), key=CodeRow.likelihood_order)  # stable: tabular
    return list(sections.values()), by_likelihood


def write_database(
    path: Path,
    sections: list[tuple[str, str, str]],
    rows: list[CodeRow],
    meta: dict[str, str],
) -> None:
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA page_size = 4096")
        connection.executescript(SCHEMA)
        with connection:
            connection.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
            connection.executemany("INSERT INTO section VALUES (?, ?, ?)", sections)
            connection.executemany(
                "INSERT INTO code VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (row.values(i) for i, row in enumerate(rows, start=1)),
            )
            connection.executemany(
                "INSERT INTO code_search (rowid, text) VALUES (?, ?)",
                ((i, "\n".join((r.description, *r.terms))) for i, r in enumerate(rows, start=1)),
            )
            connection.execute("INSERT INTO code_search (code_search) VALUES ('optimize')")
        connection.execute("ANALYZE")
        connection.execute("VACUUM")
    finally:
        connection.close()


@contextlib.contextmanager
def atomic_target(target: Path) -> Iterator[Path]:
    """A temp path beside `target` that replaces it only once the body has finished."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}-", suffix=".tmp")
    os.close(fd)
    temp = Path(name)
    try:
        yield temp
        os.chmod(temp, SHARED_FILE_MODE)
        with open(temp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)


def build(out: Path) -> dict[str, str]:
    """Write the database to `out` (atomically) and return its meta table."""
    with warnings.catch_warnings():  # the package's own use of deprecated importlib calls
        warnings.simplefilter("ignore", DeprecationWarning)
        import simple_icd_10_cm as cm  # slow (parses the tabular XML), hence here

    release, source = package_release(cm)
    sections, rows = read_package(cm)
    meta = {
        "schema_version": str(SCHEMA_VERSION),
        "release": release,
        "source_file": source,
        "package": f"simple-icd-10-cm {_package_version()}",
        "built_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "codes": str(len(rows)),
        "billable_codes": str(sum(r.billable for r in rows)),
    }
    with atomic_target(out) as temp:
        write_database(temp, sections, rows, meta)
    return meta


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("simple-icd-10-cm")
    except PackageNotFoundError:
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_DATABASE, help="database to write")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    meta = build(args.out)
    seconds = time.perf_counter() - started
    size_mib = args.out.stat().st_size / 2**20
    print(
        f"{args.out}: {meta['release']}, {int(meta['codes']):,} codes "
        f"({int(meta['billable_codes']):,} billable), {size_mib:.1f} MiB in {seconds:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
