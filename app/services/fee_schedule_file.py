"""A practice's fee file, read and checked with no database: CSV lines of procedure code,
description, price, units and usual diagnosis. Only the form is checked (CPT is licensed;
the practice brings its own list). Also the short HCPCS Level II list we ship.
"""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass
from pathlib import Path

from app.services import billing_data as rules
from app.services.billing_data import FeeItemInput, HcpcsCode, ImportProblem
from app.services.chart_lists_data import default_icd10_catalog
from app.terminology.code_sets import PROJECT_ROOT
from app.terminology.icd10cm import Icd10Catalog

BILLING_DIR = PROJECT_ROOT / "resources" / "billing"
DEMO_FEE_FILE = BILLING_DIR / "demo_fee_schedule.csv"
HCPCS_FILE = BILLING_DIR / "hcpcs_level2.csv"
MAX_FILE_BYTES = 5_000_000
MAX_FILE_ITEMS = 20_000
# Header names a practice's file may use (lower case, "_" read as a space) → our field.
COLUMNS = {
    "code": "code",
    "procedure code": "code",
    "cpt": "code",
    "hcpcs": "code",
    "description": "description",
    "price": "price",
    "fee": "price",
    "charge": "price",
    "units": "units",
    "default units": "units",
    "default icd-10-cm": "icd10",
    "default icd10": "icd10",
    "icd-10-cm": "icd10",
    "icd10": "icd10",
    "icd-10": "icd10",
    "diagnosis": "icd10",
}
REQUIRED_COLUMNS = ("code", "description", "price")


@dataclass(frozen=True)
class FeeLine:
    """One good line of a fee file."""

    line: int
    item: FeeItemInput


def read_fee_file(
    data: bytes, icd10: Icd10Catalog | None = None
) -> tuple[list[FeeLine], list[ImportProblem]]:
    """The good lines of a fee file and every problem found, each with its line number.

    The file is CSV (UTF-8, with or without a BOM, or Windows-1252 as Excel saves it) with
    a header naming its columns: code, description, price (dollars and cents), and
    optionally units and a default ICD-10-CM code. Blank lines and lines starting with #
    are skipped; other columns are ignored. The ICD-10-CM code set is opened only when a
    line names a diagnosis."""
    if len(data) > MAX_FILE_BYTES:
        return [], [ImportProblem(0, "", "The file is larger than 5 MB; is it a fee schedule?")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            return [], [ImportProblem(0, "", "The file is not a text (CSV) file.")]
    reader = csv.reader(io.StringIO(text, newline=""))
    header: dict[str, int] | None = None
    lines: list[FeeLine] = []
    problems: list[ImportProblem] = []
    first_seen: dict[str, int] = {}
    catalog = icd10
    last_line = items = 0
    try:
        for cells in reader:
            line, last_line = last_line + 1, reader.line_num
            if not any(c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
                continue
            if header is None:
                header, header_problem = _header(cells)
                if header_problem:
                    return [], [ImportProblem(line, "", header_problem)]
                continue
            items += 1
            if items > MAX_FILE_ITEMS:
                problems.append(ImportProblem(line, "", f"More than {MAX_FILE_ITEMS:,} lines."))
                break
            values = {k: cells[i].strip() if i < len(cells) else "" for k, i in header.items()}
            if values.get("icd10") and catalog is None:
                catalog = default_icd10_catalog()
            found, reasons = _fee_line(values, catalog)
            code = values["code"].upper()
            if code and code in first_seen:
                reasons.append(f"{code} is already on line {first_seen[code]}")
            elif code:
                first_seen[code] = line
            problems += [ImportProblem(line, code, reason) for reason in reasons]
            if found and not reasons:
                lines.append(FeeLine(line, found))
    except csv.Error:
        return [], [ImportProblem(reader.line_num, "", "The file is not a CSV file.")]
    if header is None:
        problems.append(ImportProblem(0, "", "The file is empty: it needs a header and lines."))
    elif not lines and not problems:
        problems.append(ImportProblem(last_line, "", "The file has no fee lines."))
    return lines, problems


def _header(cells: list[str]) -> tuple[dict[str, int], str | None]:
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = COLUMNS.get(" ".join(cell.strip().lower().replace("_", " ").split()))
        if key is None:
            continue
        if key in columns:
            return {}, f"Two columns of the header mean “{key}”; keep one."
        columns[key] = index
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        return {}, (
            f"The header must name the columns code, description and price (missing: "
            f"{', '.join(missing)}); units and default ICD-10-CM are optional."
        )
    return columns, None


def _fee_line(
    values: dict[str, str], icd10: Icd10Catalog | None
) -> tuple[FeeItemInput | None, list[str]]:
    reasons: list[str] = []
    code = price = None
    try:
        code = rules.procedure_code(values["code"])[1]
    except ValueError as err:
        reasons.append(str(err))
    description = " ".join(values["description"].split())
    if not description:
        reasons.append("the description is missing")
    elif len(description) > rules.MAX_DESCRIPTION:
        reasons.append(f"the description is longer than {rules.MAX_DESCRIPTION} characters")
    try:
        price = rules.price_cents(values["price"])
    except ValueError as err:
        reasons.append(str(err))
    units = 1
    if values.get("units"):
        if not values["units"].isdigit() or not 1 <= int(values["units"]) <= rules.MAX_UNITS:
            reasons.append(f"units must be a whole number from 1 to {rules.MAX_UNITS}")
        else:
            units = int(values["units"])
    diagnosis = None
    if values.get("icd10") and icd10 is not None:
        try:
            diagnosis = billable_icd10(icd10, values["icd10"])
        except ValueError as err:
            reasons.append(str(err))
    if code is None or price is None or reasons:
        return None, reasons
    return FeeItemInput(code, description, price, units, diagnosis), []


def billable_icd10(catalog: Icd10Catalog, typed: str) -> str:
    """The code with its dot if it is a billable ICD-10-CM code; ValueError otherwise."""
    found = catalog.get(typed.strip())
    if found is None:
        raise ValueError(f"{typed.strip().upper()} is not an ICD-10-CM code")
    if not found.billable:
        raise ValueError(
            f"{found.code} is a category, not a billable ICD-10-CM code; choose a more "
            "specific code"
        )
    return found.code


@functools.cache
def hcpcs_catalog(path: Path = HCPCS_FILE) -> tuple[HcpcsCode, ...]:
    """The shipped HCPCS Level II list (read once; it never changes while running)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return tuple(HcpcsCode(r["code"].strip(), r["description"].strip()) for r in rows)
