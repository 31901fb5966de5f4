"""Claims (issue #7): built from posted charges one per visit per payer, the claim as a
document (self-insured and dependent patients), the lifecycle and its history, corrected
and void claims, 837P batches in the outbox (validated by pyx12), the scrubber stopping
a broken claim, and the denial worklist."""

from __future__ import annotations

import stat
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from app.models import (
    Charge,
    Claim,
    ClaimStatus,
    Responsibility,
    ScrubCheck,
    SubscriberRelationship,
)
from app.services.bus import ClaimsChanged, EventBus
from app.services.claim_data import ScrubFailed, ScrubRuleInput
from app.services.claims import ISA13_LIMIT, ClaimService
from app.services.claims_lifecycle import move
from app.services.claims_setup import ClaimSetupService
from app.services.context import AppContext
from app.services.errors import DomainError
from app.services.ledger import LedgerService
from app.services.numbering import block_number
from tests.interop.x12_helpers import assert_valid_x12
from tests.services.helpers import audit_events, query
from tests.services.permission_cases_claims import (
    PRACTICE_NPI,
    SERVICE_DAY,
    insured_patient,
    set_up_billing,
    visit,
)
from tests.services.permission_cases_ledger import new_patient, post_new_charge

S = ClaimStatus
Login = Callable[[str], AppContext]


@pytest.fixture
def desk(login: Login) -> AppContext:
    return login("frontdesk")


@pytest.fixture
def biller(login: Login) -> AppContext:
    ctx = login("billing")
    set_up_billing(ctx)
    return ctx


def _claims(ctx: AppContext) -> list[dict[str, object]]:
    return query(ctx, "SELECT * FROM claim ORDER BY rowid")


def _lines(ctx: AppContext, claim_id: str) -> list[dict[str, object]]:
    return query(ctx, "SELECT * FROM claim_line WHERE claim_id = ? ORDER BY line_number", claim_id)


def _denied(ctx: AppContext, claim_id: str, note: str) -> None:
    """What the 835 import does when a payer denies a claim."""
    with ctx.unit_of_work() as uow:
        claim = uow.session.get(Claim, claim_id)
        assert claim is not None
        move(uow, claim, S.DENIED, note)
        claim.denial_reason, claim.denial_codes = note, ["CO-16", "M51"]


def _submitted(biller: AppContext, out: Path, claim_id: str) -> None:
    ClaimService(biller).mark_ready(claim_id)
    ClaimService(biller).submit_ready(out)


# -- building ------------------------------------------------------------------------------


def test_one_draft_claim_per_visit_per_payer_and_building_again_makes_none(
    desk: AppContext, biller: AppContext
) -> None:
    patient = insured_patient(desk)
    first_visit, first_charges = visit(biller, patient, (("99213", 12_500), ("36415", 1_500)))
    visit(biller, patient, (("99214", 18_000),), day=date(2025, 12, 20))

    built = ClaimService(biller).build_ready()

    assert sorted((c.total_cents, c.status, c.frequency_code) for c in built) == [
        (14_000, S.DRAFT, "1"),
        (18_000, S.DRAFT, "1"),
    ]
    (first,) = [c for c in _claims(biller) if c["encounter_id"] == first_visit]
    assert [(x["charge_id"], x["charge_cents"]) for x in _lines(biller, str(first["id"]))] == [
        (first_charges[0], 12_500),
        (first_charges[1], 1_500),
    ]
    assert str(first["control_number"]).startswith("C-")
    assert ClaimService(biller).build_ready() == []
    assert len(_claims(biller)) == 2


def test_a_late_charge_joins_its_visits_draft_but_not_a_submitted_claim(
    desk: AppContext, biller: AppContext, tmp_path: Path
) -> None:
    patient = insured_patient(desk)
    encounter, _ = visit(biller, patient)
    (claim,) = ClaimService(biller).build_ready()
    _, (late,) = visit(biller, patient, (("36415", 1_500),))
    # Move the late charge onto the first visit (as if captured there afterwards).
    with biller.unit_of_work() as uow:
        row = uow.session.get(Charge, late)
        assert row is not None
        row.encounter_id = encounter
    (extended,) = ClaimService(biller).build_ready()
    assert (extended.id, extended.total_cents) == (claim.id, 14_000)
    assert [x["line_number"] for x in _lines(biller, claim.id)] == [1, 2]


def test_self_pay_visits_and_charges_insurance_no_longer_owes_make_no_claim(
    desk: AppContext, biller: AppContext
) -> None:
    uninsured = new_patient(desk, "Selfpay")
    post_new_charge(biller, uninsured, 9_000)
    insured = insured_patient(desk)
    _, (charge,) = visit(biller, insured)
    LedgerService(biller).transfer(charge, 12_500, Responsibility.PATIENT, "Not covered")

    assert ClaimService(biller).build_ready() == []
    assert _claims(biller) == []


# -- the claim as a document ---------------------------------------------------------------


def test_a_self_insured_patient_is_the_subscriber(desk: AppContext, biller: AppContext) -> None:
    patient = insured_patient(desk, "Rivera")
    visit(biller, patient, (("99213", 12_500), ("36415", 1_500)))
    (claim,) = ClaimService(biller).build_ready()

    document = ClaimService(biller).document(claim.id)

    assert document.patient is None
    assert (document.subscriber.person.last_name, document.subscriber.person.first_name) == (
        "Rivera",
        "Noah",
    )
    assert (document.subscriber.member_id, document.subscriber.group_number) == (
        "XJH123456789",
        "GRP7788",
    )
    assert (document.subscriber.sex, document.subscriber.payer_responsibility) == ("M", "P")
    assert document.subscriber.address is not None
    assert document.subscriber.address.postal_code == "62704"
    assert (document.payer.payer_id, document.billing_provider.npi) == ("ACME1", PRACTICE_NPI)
    assert document.billing_provider.tax_id == "371234567"
    assert document.billing_provider.address.postal_code == "627011234"
    assert document.billing_provider.phone == "2175550100"
    assert document.rendering_provider.person.last_name == "Patel"
    assert document.diagnosis_codes == ["I10", "E119"]  # the charges' order, without the dot
    assert [
        (x.procedure_code, x.charge_cents, tuple(x.diagnosis_pointers)) for x in document.lines
    ] == [
        ("99213", 12_500, (1, 2)),
        ("36415", 1_500, (1, 2)),
    ]
    assert document.total_cents == 14_000
    assert document.frequency_code == "1"


def test_a_child_on_a_parents_plan_is_a_patient_party(desk: AppContext, biller: AppContext) -> None:
    child = insured_patient(desk, "Lindqvist", SubscriberRelationship.CHILD)
    visit(biller, child)
    (claim,) = ClaimService(biller).build_ready()

    document = ClaimService(biller).document(claim.id)

    assert document.subscriber.person.first_name == "Maria"
    assert document.subscriber.birth_date == date(1980, 7, 14)
    assert document.subscriber.address is None
    assert document.patient is not None
    assert document.patient.relationship_code == "19"
    assert (document.patient.person.first_name, document.patient.birth_date) == (
        "Noah",
        date(2014, 2, 3),
    )


# -- lifecycle -----------------------------------------------------------------------------


def test_the_lifecycle_is_recorded_with_who_and_when(
    desk: AppContext, biller: AppContext, tmp_path: Path
) -> None:
    bus = EventBus()
    biller.bus = bus
    notices: list[object] = []
    bus.subscribe(ClaimsChanged, notices.append)
    visit(biller, insured_patient(desk))
    (claim,) = ClaimService(biller).build_ready()
    claims = ClaimService(biller)

    claims.mark_ready(claim.id)
    claims.submit_ready(tmp_path)
    claims.accept(claim.id, "PAYER-778")
    _denied(biller, claim.id, "CO-16 claim lacks information")
    claims.appeal(claim.id, "Operative report attached")

    detail = claims.claim(claim.id)
    assert detail.summary.status is S.APPEALED
    assert detail.summary.payer_claim_number == "PAYER-778"
    assert [(e.from_status, e.to_status) for e in detail.history] == [
        (None, S.DRAFT),
        (S.DRAFT, S.READY),
        (S.READY, S.SUBMITTED),
        (S.SUBMITTED, S.ACCEPTED),
        (S.ACCEPTED, S.DENIED),
        (S.DENIED, S.APPEALED),
    ]
    assert {e.user_name for e in detail.history} == {"Grace Whitfield"}
    assert detail.history[-1].note == "Operative report attached"
    assert all(e.occurred_at == biller.clock.now() for e in detail.history)
    assert ClaimsChanged((claim.id,)) in notices
    changes = [
        e for e in audit_events(biller) if e["category"] == "claim" and e["action"] == "update"
    ]
    assert len(changes) == 5


def test_illegal_transitions_are_refused_with_a_clear_message(
    desk: AppContext, biller: AppContext
) -> None:
    visit(biller, insured_patient(desk))
    (claim,) = ClaimService(biller).build_ready()
    claims = ClaimService(biller)

    with pytest.raises(DomainError, match=r"is draft; it cannot be marked appealed"):
        claims.appeal(claim.id, "Please reconsider")
    with pytest.raises(DomainError, match=r"cannot be marked accepted"):
        claims.accept(claim.id)
    claims.close(claim.id, "Billed on paper")
    with pytest.raises(DomainError, match=r"is closed; it cannot be marked ready"):
        claims.mark_ready(claim.id)
    assert claims.build_ready() == []  # a closed claim still stands for its charges


def test_a_corrected_claim_replaces_the_original_and_names_the_payers_number(
    desk: AppContext, biller: AppContext, tmp_path: Path
) -> None:
    patient = insured_patient(desk)
    visit(biller, patient)
    (claim,) = ClaimService(biller).build_ready()
    claims = ClaimService(biller)
    _submitted(biller, tmp_path, claim.id)
    with pytest.raises(DomainError, match="is submitted; it cannot be marked corrected"):
        claims.correct(claim.id)
    claims.accept(claim.id)  # a 999 names no payer claim number
    with pytest.raises(DomainError, match=r"payer's claim number .* is not known yet"):
        claims.correct(claim.id)
    with biller.unit_of_work() as uow:  # as the 277CA or the 835 import records it
        row = uow.session.get(Claim, claim.id)
        assert row is not None
        row.payer_claim_number = "PAYER-1001"

    corrected = claims.correct(claim.id, "Wrong level of service")

    assert (corrected.frequency_code, corrected.replaces_claim_id) == ("7", claim.id)
    assert corrected.control_number != claim.control_number
    assert claims.document(corrected.id).payer_claim_number == "PAYER-1001"
    assert claims.claim(claim.id).summary.status is S.CORRECTED
    assert claims.claim(corrected.id).history[0].note == (
        f"Corrects {claim.control_number} (payer's claim PAYER-1001)"
    )
    assert claims.build_ready() == []
    # The corrected claim goes through the scrubber and out like any other.
    _submitted(biller, tmp_path, corrected.id)
    files = sorted(tmp_path.glob("*.837"))
    assert len(files) == 2
    newest = max(files, key=lambda f: f.stat().st_mtime_ns).read_bytes()
    assert_valid_x12(newest)
    assert b"CLM*" + corrected.control_number.encode() in newest
    assert b"REF*F8*PAYER-1001~" in newest


def test_a_void_claim_repeats_the_original_lines_with_frequency_8(
    desk: AppContext, biller: AppContext, tmp_path: Path
) -> None:
    visit(biller, insured_patient(desk), (("99213", 12_500), ("36415", 1_500)))
    (claim,) = ClaimService(biller).build_ready()
    _submitted(biller, tmp_path, claim.id)
    ClaimService(biller).accept(claim.id, "PAYER-2002")

    void = ClaimService(biller).void(claim.id, "Billed to the wrong payer")

    document = ClaimService(biller).document(void.id)
    assert (document.frequency_code, document.payer_claim_number) == ("8", "PAYER-2002")
    assert document.total_cents == 14_000
    assert ClaimService(biller).claim(claim.id).summary.status is S.VOIDED


def test_a_rejected_claim_is_reopened_to_fix_rather_than_corrected(
    desk: AppContext, biller: AppContext, tmp_path: Path
) -> None:
    visit(biller, insured_patient(desk))
    (claim,) = ClaimService(biller).build_ready()
    _submitted(biller, tmp_path, claim.id)
    claims = ClaimService(biller)
    claims.reject(claim.id, "Subscriber id not found", ("A7", "562"))
    with pytest.raises(DomainError, match="return it to draft, fix it and send it again"):
        claims.correct(claim.id)
    assert claims.return_to_draft(claim.id, "Member id fixed").status is S.DRAFT


# -- submission ----------------------------------------------------------------------------


def test_submit_writes_one_private_837p_file_that_pyx12_validates(
    desk: AppContext, biller: AppContext, tmp_path: Path
) -> None:
    visit(biller, insured_patient(desk, "Rivera"), (("99213", 12_500), ("36415", 1_500)))
    visit(biller, insured_patient(desk, "Lindqvist", SubscriberRelationship.CHILD))
    visit(biller, insured_patient(desk, "Okoro", payer_code="SECM2"), (("99214", 18_000),))
    claims = ClaimService(biller)
    built = claims.build_ready()
    for claim in built:
        claims.mark_ready(claim.id)
    out = tmp_path / "outbox"

    sent = claims.submit_ready(out)

    (written,) = list(out.iterdir())
    assert written.name == sent.file_name
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    data = written.read_bytes()
    assert_valid_x12(data)
    assert data.count(b"~CLM*") == 3
    assert sent.claims_count == 3
    assert sorted(sent.claim_ids) == sorted(c.id for c in built)
    rows = _claims(biller)
    assert {r["status"] for r in rows} == {"submitted"}
    assert {r["claim_file_id"] for r in rows} == {sent.id}
    (kept,) = query(biller, "SELECT content, interchange_number FROM claim_file")
    assert kept["content"] == data
    # ISA13 comes from this device's own block, so two machines never send the same one.
    (device,) = query(biller, "SELECT id_prefix FROM device WHERE id = ?", biller.device_id)
    assert kept["interchange_number"] == block_number(device["id_prefix"], 1, ISA13_LIMIT)
    assert f"*{kept['interchange_number']:09d}*".encode() in data.split(b"~", 1)[0]
    with pytest.raises(DomainError, match="No claims are ready to send"):
        claims.submit_ready(out)


def test_a_scrubber_failure_blocks_ready_and_submit_and_writes_nothing(
    desk: AppContext, biller: AppContext, tmp_path: Path
) -> None:
    visit(biller, insured_patient(desk))
    visit(biller, insured_patient(desk, "Okoro"))
    first, second = ClaimService(biller).build_ready()
    claims = ClaimService(biller)
    claims.mark_ready(first.id)
    rules = ClaimSetupService(biller)
    rule = rules.save_rule(
        None,
        ScrubRuleInput(
            "Acme wants a prior authorization",
            "prior_authorization",
            ScrubCheck.REQUIRED,
            message="Acme needs the prior authorization number.",
        ),
    )

    with pytest.raises(ScrubFailed) as refused:
        claims.mark_ready(second.id)
    assert "prior authorization" in str(refused.value)
    assert any(p.rule == rule.name for p in refused.value.problems)
    with pytest.raises(ScrubFailed, match=first.control_number):
        claims.submit_ready(tmp_path / "outbox")
    assert not (tmp_path / "outbox").exists()
    assert {r["status"] for r in _claims(biller)} == {"ready", "draft"}
    assert query(biller, "SELECT * FROM claim_file") == []

    rules.remove_rule(rule.id)
    assert claims.submit_ready(tmp_path / "outbox").claims_count == 1


def test_an_invalid_practice_rule_is_refused_before_it_is_saved(biller: AppContext) -> None:
    with pytest.raises(DomainError, match="not a valid regular expression"):
        ClaimSetupService(biller).save_rule(
            None, ScrubRuleInput("Bad", "subscriber.member_id", ScrubCheck.PATTERN, "([")
        )
    assert ClaimSetupService(biller).rules() == []


def test_a_practice_without_a_clearinghouse_cannot_submit(
    desk: AppContext, login: Login, tmp_path: Path
) -> None:
    biller = login("billing")
    set_up_billing(biller)
    visit(biller, insured_patient(desk))
    (claim,) = ClaimService(biller).build_ready()
    ClaimService(biller).mark_ready(claim.id)
    setup = ClaimSetupService(biller).billing_setup()
    ClaimSetupService(biller).save_billing_setup(replace(setup, submitter_id=None))
    with pytest.raises(DomainError, match="clearinghouse"):
        ClaimService(biller).submit_ready(tmp_path / "outbox")
    assert not (tmp_path / "outbox").exists()


# -- the denial worklist -------------------------------------------------------------------


def test_denials_list_denied_and_rejected_claims_with_owner_action_and_due_date(
    desk: AppContext, biller: AppContext, tmp_path: Path
) -> None:
    visit(biller, insured_patient(desk, "Denied"))
    visit(biller, insured_patient(desk, "Rejected"))
    visit(biller, insured_patient(desk, "Paid"))
    denied, rejected, paid = ClaimService(biller).build_ready()
    claims = ClaimService(biller)
    for claim in (denied, rejected, paid):
        claims.mark_ready(claim.id)
    claims.submit_ready(tmp_path)
    _denied(biller, denied.id, "Claim lacks information")
    claims.reject(rejected.id, "Subscriber id not found", ("A7",))
    biller_id = query(biller, "SELECT id FROM user_account WHERE username = 'billing'")[0]["id"]

    claims.assign(denied.id, str(biller_id), "Send the visit note", date(2026, 1, 20))
    claims.assign(rejected.id, None, "Fix the member id", date(2026, 1, 9))

    rows = claims.denials()
    assert [(r.claim.id, r.claim.status) for r in rows] == [
        (rejected.id, S.REJECTED),
        (denied.id, S.DENIED),
    ]
    assert rows[0].worklist.denial_reason == "Subscriber id not found"
    assert rows[0].worklist.denial_codes == ("A7",)
    assert (rows[1].worklist.owner_name, rows[1].worklist.next_action) == (
        "Grace Whitfield",
        "Send the visit note",
    )
    assert rows[1].worklist.due_on == date(2026, 1, 20)
    assert rows[1].claim.service_on == SERVICE_DAY
