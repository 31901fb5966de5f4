"""What every `stethos` sub-command shares: exit codes, the one-line error, reading the
password from standard input and finding the practice folder.

Kept apart from app/cli.py so sub-command modules (app/cli_claims.py) can use it while
app/cli.py runs as `python -m app.cli` (importing app.cli from there would load a second
copy whose CommandError the first one's main() would not catch)."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from app.storage.database import PracticePaths

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class CommandError(Exception):
    """A failure to report in one line."""


def read_password(prompt: str = "Password: ", *, confirm: bool = False) -> str:
    if sys.stdin.isatty():
        password = getpass.getpass(prompt)
        if confirm and getpass.getpass("Again: ") != password:
            raise CommandError("the two passwords differ")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise CommandError("no password given on standard input")
    return password


def practice_paths(args: argparse.Namespace) -> PracticePaths:
    return PracticePaths(Path(args.data_dir).expanduser())


def existing_practice(args: argparse.Namespace) -> PracticePaths:
    paths = practice_paths(args)
    if not paths.data_dir.is_dir():
        raise CommandError(f"no such folder: {paths.data_dir}")
    if not paths.exists():
        raise CommandError(f"no Stethos practice in {paths.data_dir}")
    return paths
