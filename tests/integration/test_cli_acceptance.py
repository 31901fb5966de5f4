"""Issue #2 acceptance checks through the real command line: no plaintext on disk, every
demo user signs in, clean failures, tamper evidence, backup and restore."""

from __future__ import annotations

import re
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.services.auth import sign_in, unlock_key_with_recovery_code
from app.services.charge_capture import ChargeCaptureService
from app.services.demo import DEMO_PRACTICE_NAME, DEMO_STAFF, DEMO_TIME_ZONE
from app.services.errors import SignInError
from app.services.ledger import LedgerService
from app.services.ledger_reports import AgingService
from app.services.patient_list import PatientDirectory
from app.services.settings import SettingsService
from app.services.statements import StatementService
from app.storage.database import PracticePaths
from app.storage.engine import connect_raw
from tests.integration.cli import stethos
from tests.services.helpers import query

PASSWORD = "maple syrup on tuesdays"


@dataclass(frozen=True)
class CliDemo:
    paths: PracticePaths
    recovery_code: str


@pytest.fixture(scope="module")
def cli_demo(tmp_path_factory: pytest.TempPathFactory) -> CliDemo:
    """`stethos demo` once per module (production Argon2 cost), plus a CLI backup inside it.
    300 patients rather than the default 1,500: every kind of row (appointments, charts,
    notes, documents) is made all the same, in a fifth of the time."""
    data_dir = tmp_path_factory.mktemp("cli") / "practice"
    result = stethos(
        "demo", "--data-dir", str(data_dir), "--patients", "300", stdin=PASSWORD + "\n"
    )
    assert result.returncode == 0, result.stderr
    code = re.search(r"\b([A-Z0-9]{5}(?:-[A-Z0-9]{5}){5})\b", result.stdout)
    assert code, result.stdout
    backup = stethos(
        "backup",
        "--data-dir", str(data_dir),
        "--user", "admin",
        "--out", str(data_dir / "backups" / "nightly.stethos-backup"),
        stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert backup.returncode == 0, backup.stderr
    return CliDemo(PracticePaths(data_dir), code.group(1))


@pytest.fixture
def copy_of(cli_demo: CliDemo, tmp_path: Path) -> Iterator[PracticePaths]:
    target = tmp_path / "copy"
    shutil.copytree(cli_demo.paths.data_dir, target)
    yield PracticePaths(target)


def verify(paths: PracticePaths, user: str = "admin") -> tuple[int, str]:
    result = stethos("verify", "--data-dir", str(paths.data_dir), "--user", user, stdin=PASSWORD)
    return result.returncode, (result.stdout + result.stderr).strip()


def _some_patient_facts(paths: PracticePaths) -> list[str]:
    """Surnames, MRNs and phone digits of demo patients, read through the app itself."""
    ctx = sign_in(paths, "frontdesk", PASSWORD)
    directory = PatientDirectory(ctx)
    hits = directory.rows(directory.ids()[:40])
    ctx.close()
    assert len(hits) == 40
    surnames = [hit.display_name.split(",")[0] for hit in hits]
    phones = [re.sub(r"\D", "", hit.phone) for hit in hits if hit.phone]
    return [name for name in surnames if len(name) >= 5] + [hit.mrn for hit in hits] + phones


CLEARINGHOUSE_FOLDERS = ("claims-outbox", "claims-inbox")


def test_no_plaintext_anywhere_in_the_data_folder(cli_demo: CliDemo) -> None:
    secrets = [DEMO_PRACTICE_NAME] + [u.display_name for u in DEMO_STAFF]
    secrets += _some_patient_facts(cli_demo.paths)
    files = [p for p in cli_demo.paths.data_dir.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"practice.db", "keyslots.json", "nightly.stethos-backup"}
    # One pass over each file for every secret in both encodings (the files are large).
    readable = re.compile(
        b"|".join(re.escape(t.encode(e)) for t in secrets for e in ("utf-8", "utf-16-le"))
    )
    for path in files:
        assert path.stat().st_mode & 0o077 == 0, f"{path.name} is readable by others"
        content = path.read_bytes()
        if path.parent.name in CLEARINGHOUSE_FOLDERS:
            # X12 to and from the clearinghouse is plain text by the standard: the hand-off
            # folders hold only such files, owner-only (a copy of each stays encrypted).
            assert content.startswith(b"ISA"), f"{path.name} is not an X12 file"
            continue
        found = readable.search(content)
        assert found is None, f"{found.group()!r} readable in {path.name}"


def test_stdlib_sqlite_cannot_read_the_database(cli_demo: CliDemo) -> None:
    connection = sqlite3.connect(cli_demo.paths.database)
    with pytest.raises(sqlite3.DatabaseError):
        connection.execute("SELECT * FROM sqlite_master").fetchall()
    connection.close()


@pytest.mark.parametrize("username", [u.username for u in DEMO_STAFF])
def test_every_demo_user_signs_in(copy_of: PracticePaths, username: str) -> None:
    ctx = sign_in(copy_of, username, PASSWORD)
    assert ctx.actor is not None and ctx.actor.username == username
    ctx.close()


def test_recovery_code_opens_the_database_and_a_wrong_one_fails(
    cli_demo: CliDemo, copy_of: PracticePaths
) -> None:
    key = unlock_key_with_recovery_code(copy_of, cli_demo.recovery_code.lower())
    connect_raw(copy_of.database, key).close()
    with pytest.raises(SignInError, match="recovery code is not correct"):
        unlock_key_with_recovery_code(copy_of, "AAAAA-BBBBB-CCCCC-DDDDD-EEEEE-FFFFF")


def test_verify_passes_on_an_untouched_practice(copy_of: PracticePaths) -> None:
    code, output = verify(copy_of)
    assert code == 0, output
    assert output.startswith("OK")


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["verify", "--user", "admin"], "not the password", "not correct"),
        (["verify", "--user", "nobody"], PASSWORD, "not correct"),
        (["backup", "--user", "frontdesk", "--out", "x.bak"], PASSWORD, "may not"),
        (["verify", "--user", "admin"], "", "no password"),
    ],
)
def test_bad_input_fails_in_one_line_and_changes_nothing(
    copy_of: PracticePaths, args: list[str], stdin: str, message: str
) -> None:
    before = copy_of.database.read_bytes()
    command, *rest = args
    result = stethos(command, "--data-dir", str(copy_of.data_dir), *rest, stdin=stdin)
    assert result.returncode == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    if "may not" not in message:  # a refused permission is itself audited
        assert copy_of.database.read_bytes() == before


def test_missing_folder_and_corrupt_file_fail_cleanly(
    copy_of: PracticePaths, tmp_path: Path
) -> None:
    missing = stethos(
        "verify", "--data-dir", str(tmp_path / "nope"), "--user", "admin", stdin=PASSWORD
    )
    assert missing.returncode == 1 and "no such folder" in missing.stderr
    copy_of.keyslots.write_text("{not json")
    broken = stethos(
        "verify", "--data-dir", str(copy_of.data_dir), "--user", "admin", stdin=PASSWORD
    )
    assert broken.returncode == 1 and "damaged" in broken.stderr
    assert "Traceback" not in broken.stderr


def test_one_flipped_byte_fails_verify(copy_of: PracticePaths) -> None:
    data = bytearray(copy_of.database.read_bytes())
    page_size = 4096
    offset = 3 * page_size + 1000  # inside a data page, well past the header and salt
    data[offset] ^= 0x01
    copy_of.database.write_bytes(bytes(data))
    code, output = verify(copy_of)
    assert code == 1
    assert len(output.splitlines()) == 1


def _raw(paths: PracticePaths) -> object:
    ctx = sign_in(paths, "admin", PASSWORD)
    key = ctx.vault.database_key
    ctx.close()
    connection = connect_raw(paths.database, key)
    connection.execute("DROP TRIGGER audit_event_no_update")
    connection.execute("DROP TRIGGER audit_event_no_delete")
    return connection


def test_an_altered_audit_entry_is_named(copy_of: PracticePaths) -> None:
    connection = _raw(copy_of)
    connection.execute("UPDATE audit_event SET user_name = 'someone' WHERE seq = 3")
    connection.close()
    code, output = verify(copy_of)
    assert code == 1
    assert "audit entry 3" in output and "altered" in output


def test_a_deleted_audit_entry_is_named(copy_of: PracticePaths) -> None:
    connection = _raw(copy_of)
    connection.execute("DELETE FROM audit_event WHERE seq = 4")
    connection.close()
    code, output = verify(copy_of)
    assert code == 1
    assert "audit entry 4" in output and "missing" in output


def test_backup_restores_onto_an_empty_machine(cli_demo: CliDemo, tmp_path: Path) -> None:
    backup = cli_demo.paths.data_dir / "backups" / "nightly.stethos-backup"
    target = tmp_path / "new-machine"
    result = stethos(
        "restore", "--backup", str(backup), "--data-dir", str(target), "--user", "admin",
        stdin=PASSWORD,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    code, output = verify(PracticePaths(target))
    assert code == 0, output


def test_restore_refuses_a_non_admin_and_a_wrong_password(
    cli_demo: CliDemo, tmp_path: Path
) -> None:
    backup = cli_demo.paths.data_dir / "backups" / "nightly.stethos-backup"
    target = tmp_path / "new-machine"
    for user, password, message in [
        ("frontdesk", PASSWORD, "administrator"),
        ("admin", "nope", "does not open"),
    ]:
        result = stethos(
            "restore", "--backup", str(backup), "--data-dir", str(target), "--user", user,
            stdin=password,
        )  # fmt: skip
        assert result.returncode == 1 and message in result.stderr
        assert not (target / "practice.db").exists()


def test_without_a_display_the_app_explains_how_to_run(tmp_path: Path) -> None:
    result = stethos(
        "--data-dir", str(tmp_path), unset=("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    )
    assert result.returncode == 1
    assert "no graphical display" in result.stderr
    assert "xvfb-run" in result.stderr and "QT_QPA_PLATFORM=offscreen" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_demo_books_balance(copy_of: PracticePaths) -> None:
    """Issue #6: the demo's visits were billed and paid in part; every account reconciles,
    the aging has money in several buckets, and statements went out."""
    ctx = sign_in(copy_of, "billing", PASSWORD)
    try:
        accounts = [
            r["patient_id"] for r in query(ctx, "SELECT DISTINCT patient_id FROM ledger_entry")
        ]
        assert len(accounts) >= 5
        ledger, total = LedgerService(ctx), 0
        for patient_id in accounts:
            account = ledger.account(patient_id)
            entries = sum(line.amount_cents for line in account.entries)
            assert (
                account.balance_cents == entries == account.patient_cents + account.insurance_cents
            )
            assert all(
                c.patient_open_cents >= 0 and c.insurance_open_cents >= 0 for c in account.charges
            )
            owed = sum(c.open_cents for c in account.charges)
            assert account.balance_cents == owed - account.unapplied_credit_cents
            total += account.balance_cents
        aging = AgingService(ctx).aging(ctx.clock.now().astimezone(ZoneInfo(DEMO_TIME_ZONE)).date())
        assert aging.total_cents == total
        assert sum(1 for cents in aging.patient.cents if cents > 0) >= 3
        assert sum(1 for cents in aging.insurance.cents if cents > 0) >= 2
        statements = query(ctx, "SELECT patient_id, balance_cents FROM statement")
        assert statements and all(s["balance_cents"] >= 1_000 for s in statements)
        history = StatementService(ctx).for_patient(statements[0]["patient_id"])
        assert history[0].amount_due_cents == statements[0]["balance_cents"]
        assert query(ctx, "SELECT id FROM payment WHERE method = 'insurance' LIMIT 1")
        assert query(ctx, "SELECT id FROM payment WHERE method != 'insurance' LIMIT 1")
    finally:
        ctx.close()


def test_the_demo_billed_every_visit_from_its_first_billing_day(copy_of: PracticePaths) -> None:
    """The demo bills like a practice that moved its history: every signed visit from its
    "bill visits from" day (past 120 days ago, so every aging bucket can hold money) was
    captured, so nothing waits to be billed."""
    ctx = sign_in(copy_of, "billing", PASSWORD)
    try:
        today = ctx.clock.now().astimezone(ZoneInfo(DEMO_TIME_ZONE)).date()
        first_day = SettingsService(ctx).billing_starts_on()
        assert first_day is not None and (today - first_day).days > 120
        assert ChargeCaptureService(ctx).visits_to_bill() == []
        # From the day after (UTC times against a local date), every visit that had
        # something to bill has charges.
        unbilled = query(
            ctx,
            "SELECT count(*) AS n FROM encounter e WHERE e.status = 'signed' "
            "AND e.type != 'phone' AND NOT e.nothing_to_bill AND e.starts_at >= ? "
            "AND NOT EXISTS (SELECT 1 FROM charge c WHERE c.encounter_id = e.id)",
            (first_day + timedelta(days=1)).isoformat(),
        )
        assert unbilled[0]["n"] == 0
    finally:
        ctx.close()
