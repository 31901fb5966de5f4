"""The `stethos` command: the desktop app, and the few jobs an administrator scripts.

Every sub-command reads passwords from standard input (one line), never from arguments,
so they do not land in shell history or the process list. Errors print one line and exit
non-zero; no traceback reaches the terminal.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from platformdirs import user_data_dir
from sqlalchemy.exc import SQLAlchemyError

from app.cli_claims import add_claims_commands
from app.cli_support import (
    EXIT_FAILED,
    EXIT_OK,
    CommandError,
    existing_practice,
    practice_paths,
    read_password,
)
from app.services.auth import sign_in, unlock_key
from app.services.clock import SystemClock
from app.services.demo import DEMO_PATIENTS, create_demo_practice
from app.services.errors import DomainError
from app.services.maintenance import MaintenanceService, restore_practice
from app.services.practice_setup import NewPractice, create_practice
from app.storage.backup import BackupError, check_database
from app.storage.engine import DatabaseKeyError
from app.storage.keyslots import SlotError


def default_data_dir() -> Path:
    return Path(user_data_dir("Stethos", "Stethos"))


# -- sub-commands ------------------------------------------------------------------------


def cmd_run(args: argparse.Namespace) -> int:
    problem = missing_display()
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_FAILED
    from app.ui.app import run_desktop  # Qt only when the desktop is wanted

    return run_desktop(practice_paths(args).data_dir)


def cmd_init(args: argparse.Namespace) -> int:
    password = read_password("Administrator password: ", confirm=True)
    created = create_practice(
        practice_paths(args),
        NewPractice(
            args.practice, args.time_zone, args.admin, args.admin_name or args.admin, password
        ),
    )
    print(f"Created practice “{args.practice}” in {args.data_dir}")
    print(f"Administrator: {args.admin}")
    _print_recovery_code(created.recovery_code)
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    password = read_password("Password for every demo user: ", confirm=True)
    demo = create_demo_practice(
        practice_paths(args), password, seed=args.seed, patients=args.patients
    )
    print(f"Demo practice created in {args.data_dir}")
    print("Users (all with the password you gave):")
    for user in demo.users:
        print(f"  {user.username:<12} {user.role.label}")
    _print_recovery_code(demo.recovery_code)
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    paths = existing_practice(args)
    password = read_password()
    key = unlock_key(paths, args.user, password, SystemClock().now())
    problem = check_database(paths.database, key)  # before anything writes to it
    if problem:
        raise CommandError(problem)
    ctx = sign_in(paths, args.user, password)
    try:
        report = MaintenanceService(ctx).verify()
    finally:
        ctx.close()
    if not report.ok:
        raise CommandError(report.reason())
    print(f"OK: {report.reason()}")
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    paths = existing_practice(args)
    ctx = sign_in(paths, args.user, read_password())
    try:
        info = MaintenanceService(ctx).backup(Path(args.out).expanduser())
    finally:
        ctx.close()
    print(f"Backup written and verified: {info.path} ({info.size_bytes:,} bytes)")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    backup = Path(args.backup).expanduser()
    if not backup.is_file():
        raise CommandError(f"no such backup file: {backup}")
    ctx = restore_practice(backup, practice_paths(args).data_dir, args.user, read_password())
    ctx.close()
    print(f"Restored {backup.name} into {args.data_dir}")
    return EXIT_OK


def cmd_rotate_key(args: argparse.Namespace) -> int:
    paths = existing_practice(args)
    password = read_password()
    ctx = sign_in(paths, args.user, password)
    try:
        rotation = MaintenanceService(ctx).rotate_key(password)
    finally:
        ctx.close()
    print("The database is now encrypted under a new key (a backup was written first).")
    if rotation.users_needing_new_password:
        names = ", ".join(rotation.users_needing_new_password)
        print(f"Set new passwords for: {names}")
    _print_recovery_code(rotation.recovery_code)
    return EXIT_OK


def _print_recovery_code(code: str) -> None:
    print()
    print("RECOVERY CODE (shown once; print it or write it down and keep it locked away):")
    print(f"  {code}")
    print("It opens the practice if every administrator password is lost.")


def missing_display() -> str | None:
    """Why the desktop cannot start here, or None if it can."""
    if sys.platform != "linux" or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return (
        "stethos: no graphical display found (DISPLAY and WAYLAND_DISPLAY are not set).\n"
        "  On a desktop, start Stethos from the desktop session.\n"
        "  On a server, run it on a virtual screen:   xvfb-run -a stethos\n"
        "  For automated use without any screen:      QT_QPA_PLATFORM=offscreen stethos"
    )


# -- parsing -----------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="stethos", description="Stethos: EHR and practice management for small practices."
    )
    parser.add_argument(
        "--data-dir", default=str(default_data_dir()), help="practice folder (default: %(default)s)"
    )
    parser.set_defaults(handler=cmd_run)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(
        name: str, handler: Callable[[argparse.Namespace], int], text: str
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=text, description=text)
        sub.add_argument("--data-dir", required=True, help="practice folder")
        sub.set_defaults(handler=handler)
        return sub

    init = command("init", cmd_init, "create a practice (admin password on stdin)")
    init.add_argument("--practice", required=True, help="practice name")
    init.add_argument("--admin", required=True, help="administrator's user name")
    init.add_argument("--admin-name", help="administrator's full name")
    init.add_argument("--time-zone", default="America/New_York", help="IANA time zone")

    demo = command("demo", cmd_demo, "create a demo practice (users' password on stdin)")
    demo.add_argument("--patients", type=int, default=DEMO_PATIENTS, help="number of demo patients")
    demo.add_argument("--seed", type=int, default=1, help="random seed for repeatable data")

    verify = command("verify", cmd_verify, "check encryption, database and audit chain")
    verify.add_argument("--user", required=True)

    backup = command("backup", cmd_backup, "write a verified, encrypted backup")
    backup.add_argument("--user", required=True)
    backup.add_argument("--out", required=True, help="backup file to write")

    restore = command("restore", cmd_restore, "replace the practice with a backup")
    restore.add_argument("--user", required=True, help="an administrator in the backup")
    restore.add_argument("--backup", required=True, help="backup file to restore")

    rotate = command("rotate-key", cmd_rotate_key, "re-encrypt under a new key (admin)")
    rotate.add_argument("--user", required=True)

    add_claims_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except (CommandError, DomainError, SlotError, BackupError, DatabaseKeyError) as exc:
        print(f"stethos: {exc}", file=sys.stderr)
    except FileExistsError as exc:
        print(f"stethos: {exc}", file=sys.stderr)
    except SQLAlchemyError as exc:
        print(
            f"stethos: the practice database is damaged or unreadable ({_first_line(exc)})",
            file=sys.stderr,
        )
    except OSError as exc:
        print(f"stethos: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr)
    except KeyboardInterrupt:
        print("stethos: interrupted", file=sys.stderr)
    return EXIT_FAILED


def _first_line(exc: BaseException) -> str:
    return str(getattr(exc, "orig", exc)).splitlines()[0][:120]


if __name__ == "__main__":
    sys.exit(main())
