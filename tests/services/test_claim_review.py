"""Resolving the review list: the biller says what they did, the item leaves the open list
(still listed with resolved ones), the note is in the audit trail, and an item is resolved
once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from app.services.bus import ClaimsChanged, EventBus
from app.services.claim_imports import ClaimImportService
from app.services.claim_review import ClaimReviewService
from app.services.context import AppContext
from app.services.errors import DomainError, NotFound
from tests.services.claim_review_cases import STRAY_CLAIM, submitted_claim_and_835
from tests.services.helpers import audit_events, query

SignInAs = Callable[..., AppContext]


@pytest.fixture
def bus() -> EventBus:
    return EventBus()


@pytest.fixture
def biller(sign_in_as: SignInAs, bus: EventBus) -> AppContext:
    return sign_in_as("billing", bus=bus)


def _imported(login: Callable[[str], AppContext], biller: AppContext, tmp_path: Path) -> str:
    """The unknown claim's review item id, after importing the 835."""
    case = submitted_claim_and_835(login("frontdesk"), biller, tmp_path)
    summary = ClaimImportService(biller).import_file(case.era, "acme.835")
    (item,) = summary.review
    assert item.control_number == STRAY_CLAIM and item.claim_id is None
    return item.id


def test_a_resolved_item_leaves_the_open_list_with_the_note_audited(
    login: Callable[[str], AppContext], biller: AppContext, bus: EventBus, tmp_path: Path
) -> None:
    item_id = _imported(login, biller, tmp_path)
    notices: list[object] = []
    bus.subscribe(ClaimsChanged, notices.append)

    resolved = ClaimReviewService(biller).resolve(item_id, "  posted by   hand ")

    assert resolved.resolved_at is not None and resolved.file_name == "acme.835"
    imports = ClaimImportService(biller)
    assert imports.review_items() == []
    assert [i.id for i in imports.review_items(include_resolved=True)] == [item_id]
    (row,) = query(biller, "SELECT resolved_by_id FROM claim_review_item")
    assert row["resolved_by_id"] == biller.actor.user_id  # type: ignore[union-attr]
    audited = [e for e in audit_events(biller) if e["entity_id"] == item_id]
    assert [(e["action"], e["detail"]) for e in audited] == [
        ("update", "review item resolved: posted by hand")
    ]
    assert any(isinstance(n, ClaimsChanged) for n in notices)


def test_a_note_is_required_and_nothing_changes_without_one(
    login: Callable[[str], AppContext], biller: AppContext, tmp_path: Path
) -> None:
    item_id = _imported(login, biller, tmp_path)
    with pytest.raises(DomainError, match="Say what you did"):
        ClaimReviewService(biller).resolve(item_id, "   ")
    assert [i.id for i in ClaimImportService(biller).review_items()] == [item_id]


def test_an_item_is_resolved_once(
    login: Callable[[str], AppContext], biller: AppContext, tmp_path: Path
) -> None:
    item_id = _imported(login, biller, tmp_path)
    service = ClaimReviewService(biller)
    service.resolve(item_id, "called the payer")
    before = query(biller, "SELECT * FROM claim_review_item")
    with pytest.raises(DomainError, match="already resolved"):
        service.resolve(item_id, "again")
    assert query(biller, "SELECT * FROM claim_review_item") == before
    with pytest.raises(NotFound):
        service.resolve("no-such-item", "posted by hand")
