"""`stethos claims …`: the biller's batch jobs for scripts and cron (issue #7).

    stethos claims build-837 --data-dir D --user U --out FILE
    stethos claims import    --data-dir D --user U FILE [FILE...]

Both sign in as the user (password on standard input, one line) and go through the same
services as the desktop, so permissions, the scrubber and the audit trail apply alike.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from app.cli_support import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    CommandError,
    existing_practice,
    read_password,
)
from app.models import ClaimFileKind, ClaimStatus
from app.services.auth import sign_in
from app.services.billing_data import format_cents
from app.services.claim_data import ScrubFailed
from app.services.claim_import_data import ImportSummary
from app.services.claim_imports import ClaimImportService
from app.services.claims import ClaimService
from app.services.context import AppContext
from app.services.errors import DomainError

KIND_WORDS = {
    ClaimFileKind.ACK_999: "999 acknowledgement",
    ClaimFileKind.ACK_277CA: "277CA claim acknowledgement",
    ClaimFileKind.REMIT_835: "835 remittance",
}
# What ClaimImportService says when a file, or every payment in it, came in before.
# Nothing changed, so for a script re-running over an inbox that is not a failure.
ALREADY_IMPORTED = ("was already imported", "was imported before")


def add_claims_commands(commands: Any) -> None:
    """`claims` and its sub-commands under the top-level parser's sub-parsers."""
    text = "send claims as an 837P file, import the payers' answers (billers)"
    claims = commands.add_parser("claims", help=text, description=text)
    claims.set_defaults(handler=lambda args: _usage(claims))
    jobs = claims.add_subparsers(title="claims commands", metavar="COMMAND")

    def job(name: str, handler: Any, text: str) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = jobs.add_parser(name, help=text, description=text)
        sub.add_argument("--data-dir", required=True, help="practice folder")
        sub.add_argument("--user", required=True, help="a user who manages claims")
        sub.set_defaults(handler=handler)
        return sub

    build = job(
        "build-837",
        cmd_build_837,
        "write every ready claim into one 837P file and mark them submitted",
    )
    build.add_argument("--out", required=True, help="the 837P file to write (must not exist)")
    imports = job("import", cmd_import, "import 999, 277CA or 835 files from the payers")
    imports.add_argument("files", nargs="+", metavar="FILE", help="X12 files to import")


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_usage(sys.stderr)
    return EXIT_USAGE


@contextmanager
def _signed_in(args: argparse.Namespace) -> Iterator[AppContext]:
    paths = existing_practice(args)
    ctx = sign_in(paths, args.user, read_password())
    try:
        yield ctx
    finally:
        ctx.close()


# -- build-837 ---------------------------------------------------------------------------


def cmd_build_837(args: argparse.Namespace) -> int:
    out = Path(args.out).expanduser()
    if out.exists():  # a batch once written may already be on its way: never replace it
        raise CommandError(f"{out} already exists; give a new file name")
    with _signed_in(args) as ctx:
        claims = ClaimService(ctx)
        try:
            sent = claims.submit_ready(out.parent, file_name=out.name)
        except ScrubFailed:
            lines = _scrub_errors(claims)
            for line in lines:
                print(f"stethos: {line}", file=sys.stderr)
            print(
                "stethos: nothing was written and no claim was marked submitted; fix the "
                "claims (or return them to draft) and run again",
                file=sys.stderr,
            )
            return EXIT_FAILED
    count = "1 claim" if sent.claims_count == 1 else f"{sent.claims_count:,} claims"
    print(f"{count} written to {out} (interchange {sent.interchange_number:09d})")
    return EXIT_OK


def _scrub_errors(claims: ClaimService) -> list[str]:
    """One line per problem that stops a ready claim from going out."""
    lines = []
    for claim in claims.claims(ClaimStatus.READY):
        for problem in claims.check(claim.id):
            if problem.blocks_submission:
                lines.append(f"claim {claim.control_number}: {_one_line(problem.message)}")
    return lines


# -- import ------------------------------------------------------------------------------


def cmd_import(args: argparse.Namespace) -> int:
    """Each file on its own (one unit of work each): a bad file changes nothing and the
    others still import; the exit status is 1 if any file failed."""
    failed = 0
    with _signed_in(args) as ctx:
        imports = ClaimImportService(ctx)
        for name in args.files:
            path = Path(name).expanduser()
            try:
                data = path.read_bytes()
            except OSError as exc:
                print(f"stethos: {path}: {exc.strerror or exc}", file=sys.stderr)
                failed += 1
                continue
            try:
                summary = imports.import_file(data, path.name)
            except DomainError as exc:
                said = _about(path.name, str(exc))
                if any(words in said for words in ALREADY_IMPORTED):
                    print(said)
                else:
                    print(f"stethos: {said}", file=sys.stderr)
                    failed += 1
                continue
            print(describe_import(path.name, summary))
    return EXIT_FAILED if failed else EXIT_OK


def describe_import(name: str, summary: ImportSummary) -> str:
    """One file's import in words, e.g. "era.835: 835 remittance; 3 claims changed (paid 2,
    denied 1); insurance paid $120.00, adjusted $50.00, moved to patients $20.00"."""
    changed = len(summary.claim_ids)
    parts = [
        KIND_WORDS.get(summary.kind, str(summary.kind)),
        f"{changed} claim{'' if changed == 1 else 's'} changed"
        + (f" ({counts})" if (counts := _counts(summary.counts)) else ""),
    ]
    if summary.kind is ClaimFileKind.REMIT_835:
        money = (
            f"insurance paid {format_cents(summary.paid_cents)}, "
            f"adjusted {format_cents(summary.adjusted_cents)}, "
            f"moved to patients {format_cents(summary.patient_cents)}"
        )
        if summary.secondary_cents:
            money += f", kept for secondary payers {format_cents(summary.secondary_cents)}"
        if summary.reversed_cents:
            money += f", taken back {format_cents(summary.reversed_cents)}"
        parts.append(money)
    if summary.review:
        items = len(summary.review)
        parts.append(f"{items} item{'' if items == 1 else 's'} left for review")
    if summary.skipped_payments:
        parts.append("imported before, skipped: " + ", ".join(summary.skipped_payments))
    if summary.problems:
        parts.append("problems: " + "; ".join(_one_line(p) for p in summary.problems))
    return f"{name}: " + "; ".join(parts)


def _counts(counts: dict[str, int]) -> str:
    shown = [(k, n) for k, n in counts.items() if n and k != "review"]  # review said apart
    return ", ".join(f"{k.replace('_', ' ')} {n}" for k, n in shown)


def _about(name: str, message: str) -> str:
    """The service's message on one line, led by the file's name unless it names it."""
    said = _one_line(message)
    return said if name in said else f"{name}: {said}"


def _one_line(text: str) -> str:
    return " ".join(text.split())
