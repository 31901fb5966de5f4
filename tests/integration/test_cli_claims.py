"""Issue #7 "Command line for batch work", through the real `stethos` command: the biller
sends every ready claim as one 837P file and imports the payers' 999, 277CA and 835 files,
as a nightly script would."""

from __future__ import annotations

import stat
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.cli_claims import describe_import
from app.interop.claim_document import Adjustment
from app.models import ClaimFileKind, ClaimStatus, ScrubCheck
from app.services.claim_data import ScrubRuleInput
from app.services.claim_import_data import ImportSummary, ReviewItemView
from app.services.claims import ClaimService
from app.services.claims_setup import ClaimSetupService
from app.services.clock import FakeClock
from app.services.context import AppContext
from app.services.demo import DemoPractice
from app.services.errors import DomainError
from tests.conftest import DEMO_PASSWORD
from tests.integration.cli import stethos
from tests.interop.x12_helpers import assert_valid_x12
from tests.interop.x12_samples import claim_payment, line_payment, make_835, remittance
from tests.services.helpers import query
from tests.services.permission_cases_claims import insured_patient, set_up_billing, visit

Login = Callable[[str], AppContext]
# The CLI runs on the real clock, so the visits are recent: the scrubber refuses dates of
# service in the future and past the payer's filing limit.
NOW = datetime.now(UTC)
SERVICE_DAY = NOW.astimezone(ZoneInfo("America/Chicago")).date() - timedelta(days=10)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(NOW)


@pytest.fixture
def biller(login: Login) -> AppContext:
    ctx = login("billing")
    set_up_billing(ctx)
    return ctx


def _ready_claims(login: Login, biller: AppContext, *names: str) -> list[str]:
    """One visit per patient, its claim built and marked ready: the claim ids."""
    desk = login("frontdesk")
    for name in names:
        visit(biller, insured_patient(desk, name), day=SERVICE_DAY)
    claims = ClaimService(biller)
    return [claims.mark_ready(c.id).id for c in claims.build_ready()]


def _claims(
    practice: DemoPractice, command: str, *args: str, password: str = DEMO_PASSWORD
) -> tuple[int, str, str]:
    result = stethos(
        "claims",
        command,
        "--data-dir",
        str(practice.paths.data_dir),
        "--user",
        "billing",
        *args,
        stdin=password + "\n",
    )
    return result.returncode, result.stdout.strip(), result.stderr.strip()


def _statuses(ctx: AppContext) -> list[str]:
    return [str(r["status"]) for r in query(ctx, "SELECT status FROM claim ORDER BY rowid")]


def test_build_837_sends_every_ready_claim_in_one_private_file_once(
    practice: DemoPractice, login: Login, biller: AppContext, tmp_path: Path
) -> None:
    _ready_claims(login, biller, "Rivera", "Brooks")
    out = tmp_path / "outbox" / "acme-batch.837"

    code, stdout, stderr = _claims(practice, "build-837", "--out", str(out))

    assert code == 0, stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    data = out.read_bytes()
    interchange = data.split(b"*")[13].decode()  # ISA13
    assert stdout == f"2 claims written to {out} (interchange {interchange})"
    assert_valid_x12(data)
    assert data.count(b"~CLM*") == 2
    assert _statuses(biller) == [ClaimStatus.SUBMITTED] * 2
    (batch,) = query(biller, "SELECT file_name, claims_count, content FROM claim_file")
    assert (batch["file_name"], batch["claims_count"], batch["content"]) == (out.name, 2, data)

    # Nothing is ready any more: says so, fails, writes nothing.
    again = tmp_path / "outbox" / "second.837"
    code, stdout, stderr = _claims(practice, "build-837", "--out", str(again))
    assert (code, stdout) == (1, "")
    assert stderr == "stethos: No claims are ready to send."
    assert not again.exists()

    # A batch already written is never replaced.
    _ready_claims(login, biller, "Chen")
    code, _, stderr = _claims(practice, "build-837", "--out", str(out))
    assert code == 1 and "already exists" in stderr and len(stderr.splitlines()) == 1
    assert out.read_bytes() == data
    assert _statuses(biller)[-1] == ClaimStatus.READY


def test_build_837_names_each_claims_problem_and_sends_nothing(
    practice: DemoPractice, login: Login, biller: AppContext, tmp_path: Path
) -> None:
    first, second = _ready_claims(login, biller, "Rivera", "Brooks")
    # A rule the practice adds after the claims were made ready stops both of them.
    ClaimSetupService(biller).save_rule(
        None,
        ScrubRuleInput(
            "Acme group numbers",
            "subscriber.group_number",
            ScrubCheck.PATTERN,
            argument=r"G\d{6}",
            message="Acme group numbers are G and six digits.",
        ),
    )
    out = tmp_path / "outbox" / "batch.837"

    code, stdout, stderr = _claims(practice, "build-837", "--out", str(out))

    assert (code, stdout) == (1, "")
    numbers = [ClaimService(biller).claim(i).summary.control_number for i in (first, second)]
    lines = stderr.splitlines()
    assert [line for line in lines if "Acme group numbers are G" in line] == [
        f"stethos: claim {n}: Acme group numbers are G and six digits." for n in sorted(numbers)
    ]
    assert "nothing was written" in lines[-1]
    assert "Traceback" not in stderr
    assert not out.parent.exists()  # no file, not even a temp file or the folder
    assert _statuses(biller) == [ClaimStatus.READY] * 2
    assert query(biller, "SELECT COUNT(*) AS n FROM claim_file")[0]["n"] == 0


def _ledger(ctx: AppContext) -> list[tuple[object, ...]]:
    rows = query(ctx, "SELECT kind, amount_cents, responsibility FROM ledger_entry ORDER BY rowid")
    return [tuple(r.values()) for r in rows]


def test_import_posts_an_835_once_and_refuses_a_bad_file_alone(
    practice: DemoPractice, login: Login, biller: AppContext, tmp_path: Path
) -> None:
    (claim_id,) = _ready_claims(login, biller, "Rivera")
    code, _, stderr = _claims(practice, "build-837", "--out", str(tmp_path / "batch.837"))
    assert code == 0, stderr
    (claim,) = query(biller, "SELECT control_number FROM claim")
    (line,) = query(biller, "SELECT control FROM claim_line")
    era = tmp_path / "acme-0302.835"
    era.write_bytes(
        make_835(
            remittance(
                claim_payment(
                    str(claim["control_number"]),
                    line_payment(
                        "99213",
                        12_500,
                        8_000,
                        Adjustment("CO", "45", 2_500),
                        Adjustment("PR", "2", 2_000),
                        control=str(line["control"]),
                    ),
                ),
                claim_payment("C-NOT-OURS", line_payment("99212", 9_000, 9_000)),
            )
        )
    )
    junk = tmp_path / "notes.txt"
    junk.write_text("not an X12 file\n")

    code, stdout, stderr = _claims(practice, "import", str(junk), str(era))

    # The bad file: one line and a failure; the good file in the same run still imports.
    assert code == 1
    assert stderr.startswith("stethos: notes.txt is not an X12 file Stethos can read")
    assert len(stderr.splitlines()) == 1
    assert stdout == (
        "acme-0302.835: 835 remittance; 1 claim changed (paid 1); insurance paid $80.00, "
        "adjusted $25.00, moved to patients $20.00; 1 item left for review"
    )
    assert ClaimService(biller).claim(claim_id).summary.status is ClaimStatus.PAID
    posted = _ledger(biller)
    assert ("payment", -8_000, "insurance") in posted

    # The same file again: says so, succeeds, posts nothing more.
    code, stdout, stderr = _claims(practice, "import", str(era))
    assert code == 0, stderr
    assert stdout.startswith("acme-0302.835 was already imported")
    assert "nothing was changed" in stdout
    assert _ledger(biller) == posted


def test_claims_commands_need_the_billers_permission_and_password(
    practice: DemoPractice, tmp_path: Path
) -> None:
    out = tmp_path / "batch.837"
    code, _, stderr = _claims(practice, "build-837", "--out", str(out), password="wrong")
    assert code == 1 and stderr.startswith("stethos: ") and len(stderr.splitlines()) == 1
    denied = stethos(
        "claims", "build-837",
        "--data-dir", str(practice.paths.data_dir),
        "--user", "frontdesk",
        "--out", str(out),
        stdin=DEMO_PASSWORD + "\n",
    )  # fmt: skip
    assert denied.returncode == 1 and denied.stderr.startswith("stethos: ")
    assert "Traceback" not in denied.stderr and not out.exists()


def _review_item() -> ReviewItemView:
    return ReviewItemView(
        "r1", "f1", "x.999", None, None, None, 0, "Not our batch", NOW, resolved_at=None
    )


def test_an_import_is_summed_up_in_words_a_biller_reads() -> None:
    ack = ImportSummary(
        "f1",
        ClaimFileKind.ACK_999,
        "x.999",
        ("c1", "c2"),
        counts={"rejected": 2, "review": 1},
        review=(_review_item(),),
        problems=("The 999 names\na set twice",),
    )
    assert describe_import("x.999", ack) == (
        "x.999: 999 acknowledgement; 2 claims changed (rejected 2); 1 item left for review; "
        "problems: The 999 names a set twice"
    )
    remit = ImportSummary(
        "f2",
        ClaimFileKind.REMIT_835,
        "y.835",
        ("c1",),
        counts={"reversed": 1},
        reversed_cents=123_456,
        skipped_payments=("trace CHK1",),
    )
    assert describe_import("y.835", remit) == (
        "y.835: 835 remittance; 1 claim changed (reversed 1); insurance paid $0.00, adjusted "
        "$0.00, moved to patients $0.00, taken back $1,234.56; imported before, skipped: "
        "trace CHK1"
    )


@pytest.mark.parametrize("name", ["../escape.837", "sub/batch.837", "..", ""])
def test_the_claim_file_name_cannot_lead_out_of_the_folder(
    login: Login, biller: AppContext, tmp_path: Path, name: str
) -> None:
    _ready_claims(login, biller, "Rivera")
    with pytest.raises(DomainError, match="plain file name"):
        ClaimService(biller).submit_ready(tmp_path / "outbox", file_name=name)
    assert _statuses(biller) == [ClaimStatus.READY]
    assert not (tmp_path / "outbox").exists() and not (tmp_path / "escape.837").exists()
