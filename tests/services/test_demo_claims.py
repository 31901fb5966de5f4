"""Demo claims (issue #7): a small demo practice has claims in every status, denials on the
worklist, 837 batches in the outbox and payer files in the inbox that import once and move
claims, and every account still reconciles."""

from __future__ import annotations

import random
import shutil
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.models import ClaimStatus
from app.services.auth import sign_in
from app.services.claim_imports import ClaimImportService
from app.services.claims import ClaimService
from app.services.clock import FakeClock
from app.services.context import AppContext
from app.services.demo import create_demo_practice, demo_npi
from app.services.demo_appointments import seed_demo_appointments
from app.services.demo_billing import seed_demo_billing
from app.services.demo_charts import seed_demo_charts
from app.services.demo_claims import INBOX, OUTBOX, DemoClaimCounts, seed_demo_claims
from app.services.demo_patients import seed_demo_patients
from app.services.errors import DomainError
from app.services.ledger import LedgerService
from app.storage.database import PracticePaths
from tests.conftest import DEMO_PASSWORD, FAST_KDF
from tests.interop.x12_helpers import assert_valid_x12
from tests.services.helpers import query

NOW = datetime(2026, 11, 5, 22, 0, tzinfo=UTC)
S = ClaimStatus
Demo = tuple[PracticePaths, DemoClaimCounts]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    """150 patients, 40 days of visits billed, and the claims (seeded once for the module)."""
    paths = PracticePaths(tmp_path_factory.mktemp("demo-claims") / "practice")
    create_demo_practice(paths, DEMO_PASSWORD, clock=FakeClock(NOW), kdf=FAST_KDF)
    admin = sign_in(paths, "admin", DEMO_PASSWORD, clock=FakeClock(NOW), kdf=FAST_KDF)
    seed_demo_patients(admin, 150, 1)
    seed_demo_appointments(admin, 1, days_back=40, days_ahead=2)
    seed_demo_charts(admin, 1)
    admin.close()
    biller = _biller(paths)
    seed_demo_billing(biller, 1)
    counts = seed_demo_claims(biller, 1, paths.data_dir, demo_npi(random.Random(1)))
    biller.close()
    yield paths, counts


def _biller(paths: PracticePaths) -> AppContext:
    return sign_in(paths, "billing", DEMO_PASSWORD, clock=FakeClock(NOW), kdf=FAST_KDF)


@pytest.fixture
def biller(demo: Demo) -> Iterator[AppContext]:
    ctx = _biller(demo[0])
    yield ctx
    ctx.close()


def test_the_demo_has_claims_in_every_status(biller: AppContext) -> None:
    statuses = Counter(c.status for c in ClaimService(biller).claims())
    assert set(statuses) == set(S), f"missing: {set(S) - set(statuses)}"
    assert statuses[S.PAID] > statuses[S.DENIED]  # most claims were simply paid
    frequencies = {c.frequency_code for c in ClaimService(biller).claims(S.SUBMITTED)}
    assert {"1", "7", "8"} <= frequencies  # the corrected and void claims went out


def test_denials_are_on_the_worklist_with_reasons_owners_and_due_dates(
    biller: AppContext,
) -> None:
    rows = ClaimService(biller).denials()
    denied = [r for r in rows if r.claim.status is S.DENIED]
    assert len(denied) >= 3
    codes = {code for r in denied for code in r.worklist.denial_codes}
    assert {"CO-16", "N290", "CO-197"} <= codes
    for row in rows:
        assert row.worklist.denial_reason
        assert row.worklist.owner_name == "Grace Whitfield"
        assert row.worklist.next_action and row.worklist.due_on


def test_a_draft_shows_a_problem_the_biller_can_fix(biller: AppContext) -> None:
    service = ClaimService(biller)
    messages = []
    for claim in service.claims(S.DRAFT)[:40]:
        try:
            messages += [p.message for p in service.check(claim.id) if p.blocks_submission]
        except DomainError as exc:
            messages.append(str(exc))
    assert any("group number" in m for m in messages)
    assert any("NPI" in m for m in messages)  # the nurse who saw the patient has none


def test_paid_claims_bill_their_visit_and_match_the_posted_remittance(
    biller: AppContext,
) -> None:
    """A paid claim's lines are its visit's charges, the insurance part is settled, the
    ledger names the claim, and its history goes submitted → accepted → paid in order."""
    service = ClaimService(biller)
    paid = service.claims(S.PAID)[:25]
    assert paid
    for summary in paid:
        detail = service.claim(summary.id)
        charges = query(
            biller,
            "SELECT id, amount_cents FROM charge WHERE encounter_id = "
            "(SELECT encounter_id FROM claim WHERE id = ?) AND status = 'posted'",
            summary.id,
        )
        assert sorted(c["id"] for c in charges) == sorted(x.charge_id for x in detail.lines)
        assert summary.total_cents == sum(c["amount_cents"] for c in charges)
        assert summary.payer_claim_number
        open_insurance = query(
            biller,
            "SELECT COALESCE(SUM(open_cents), 0) AS c FROM charge_balance "
            "WHERE responsibility = 'insurance' AND charge_id IN "
            "(SELECT charge_id FROM claim_line WHERE claim_id = ?)",
            summary.id,
        )[0]["c"]
        assert open_insurance == 0
        named = query(
            biller,
            "SELECT COUNT(*) AS n FROM ledger_entry WHERE reason LIKE ?",
            f"ERA % claim {summary.control_number}: paid",
        )[0]["n"]
        assert named >= 1
        steps = [(e.to_status, e.occurred_at) for e in detail.history]
        assert [s for s, _ in steps] == [S.SUBMITTED, S.ACCEPTED, S.PAID]
        assert [t for _, t in steps] == sorted(t for _, t in steps)


def test_the_outbox_and_inbox_files_are_valid_x12_and_private(demo: Demo) -> None:
    data_dir = demo[0].data_dir
    batches = sorted((data_dir / OUTBOX).glob("*.837"))
    assert len(batches) == 2
    for file in [*batches, *(data_dir / INBOX).iterdir()]:  # 837s, 999, 277CA and 835
        assert_valid_x12(file.read_bytes())
    for folder in (data_dir / OUTBOX, data_dir / INBOX):
        assert folder.stat().st_mode & 0o777 == 0o700
        for file in folder.iterdir():
            assert file.stat().st_mode & 0o077 == 0, f"{file.name} is readable by others"


def test_the_inbox_imports_once_moves_claims_and_leaves_one_review_item(
    demo: Demo, tmp_path: Path
) -> None:
    copy = PracticePaths(tmp_path / "practice")
    shutil.copytree(demo[0].data_dir, copy.data_dir)
    ctx = _biller(copy)
    try:
        imports = ClaimImportService(ctx)
        inbox = sorted((copy.data_dir / INBOX).iterdir())
        by_kind = {f.suffix: f for f in inbox}
        assert set(by_kind) == {".999", ".277", ".835"}
        before = Counter(c.status for c in ClaimService(ctx).claims())
        summaries = {
            suffix: imports.import_file(by_kind[suffix].read_bytes(), by_kind[suffix].name)
            for suffix in (".999", ".277", ".835")
        }
        for summary in summaries.values():
            assert summary.claim_ids and not summary.problems
        assert summaries[".999"].counts["accepted"] >= 10
        assert summaries[".277"].counts["rejected"] == 1
        remit = summaries[".835"]
        assert remit.counts["paid"] >= 3 and remit.counts["denied"] == 1
        assert remit.paid_cents > 0 and remit.adjusted_cents > 0 and remit.patient_cents > 0
        assert len(remit.review) == 1 and "no line of the claim matches" in remit.review[0].reason
        after = Counter(c.status for c in ClaimService(ctx).claims())
        assert after[S.SUBMITTED] < before[S.SUBMITTED]
        assert after[S.PAID] > before[S.PAID] and after[S.DENIED] == before[S.DENIED] + 1
        entries = query(ctx, "SELECT COUNT(*) AS n FROM ledger_entry")[0]["n"]
        for file in inbox:
            with pytest.raises(DomainError, match="already imported"):
                imports.import_file(file.read_bytes(), file.name)
        assert query(ctx, "SELECT COUNT(*) AS n FROM ledger_entry")[0]["n"] == entries
        _assert_every_account_reconciles(ctx)
    finally:
        ctx.close()


def test_every_demo_account_reconciles(biller: AppContext) -> None:
    _assert_every_account_reconciles(biller)


def _assert_every_account_reconciles(ctx: AppContext) -> None:
    """Each account's balance is the sum of its entries, and the derived open balances
    agree with the entries charge by charge (test_claim_imports' check, for every account)."""
    totals = query(
        ctx, "SELECT patient_id, SUM(amount_cents) AS c FROM ledger_entry GROUP BY patient_id"
    )
    ledger = LedgerService(ctx)
    for row in totals:
        balance = ledger.balance(row["patient_id"])
        assert balance.patient_cents + balance.insurance_cents == row["c"]
    derived = query(
        ctx,
        "SELECT charge_id, responsibility, open_cents FROM charge_balance WHERE open_cents != 0",
    )
    summed = query(
        ctx,
        "SELECT charge_id, responsibility, SUM(amount_cents) AS open_cents FROM ledger_entry "
        "WHERE charge_id IS NOT NULL GROUP BY charge_id, responsibility "
        "HAVING SUM(amount_cents) != 0",
    )
    key = lambda r: (r["charge_id"], r["responsibility"])  # noqa: E731
    assert sorted(derived, key=key) == sorted(summed, key=key)
    negative = query(ctx, "SELECT COUNT(*) AS n FROM charge_balance WHERE open_cents < 0")
    assert negative[0]["n"] == 0
