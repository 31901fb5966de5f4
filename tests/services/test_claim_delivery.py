"""Sent claim batches wait for the clearinghouse transport, and go once it can take them."""

from __future__ import annotations

import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from app.services.claim_delivery import ClaimDeliveryService, FolderTransport, TransportUnavailable
from app.services.claims import ClaimService
from app.services.context import AppContext
from tests.services.helpers import query
from tests.services.permission_cases_claims import insured_patient, set_up_billing, visit

Login = Callable[[str], AppContext]


@dataclass
class FakeClearinghouse:
    """A transport that is offline until told otherwise, and remembers what it received."""

    online: bool = False
    received: list[tuple[str, bytes]] = field(default_factory=list)
    name: str = "the test clearinghouse"

    def send(self, file_name: str, data: bytes) -> None:
        if not self.online:
            raise TransportUnavailable("No connection to the clearinghouse.")
        self.received.append((file_name, data))


@pytest.fixture
def biller(login: Login) -> AppContext:
    ctx = login("billing")
    set_up_billing(ctx)
    return ctx


def _send_batch(desk: AppContext, biller: AppContext, surname: str, outbox: Path) -> str:
    visit(biller, insured_patient(desk, surname))
    claims = ClaimService(biller)
    for claim in claims.build_ready():
        claims.mark_ready(claim.id)
    return claims.submit_ready(outbox).file_name


def test_offline_batches_wait_and_go_oldest_first_once_the_clearinghouse_answers(
    login: Login, biller: AppContext, tmp_path: Path
) -> None:
    desk = login("frontdesk")
    first = _send_batch(desk, biller, "Rivera", tmp_path / "outbox")
    second = _send_batch(desk, biller, "Brooks", tmp_path / "outbox")
    delivery = ClaimDeliveryService(biller)
    clearinghouse = FakeClearinghouse()

    offline = delivery.deliver_waiting(clearinghouse)
    assert offline.delivered == () and offline.waiting == 2
    assert offline.problem == "No connection to the clearinghouse."
    assert delivery.waiting() == [first, second]

    clearinghouse.online = True
    online = delivery.deliver_waiting(clearinghouse)
    assert online.delivered == (first, second) and online.waiting == 0
    assert [name for name, _ in clearinghouse.received] == [first, second]
    # What goes out is the batch as written (the copy kept in the encrypted database).
    assert clearinghouse.received[0][1] == (tmp_path / "outbox" / first).read_bytes()
    rows = query(biller, "SELECT delivered_to FROM claim_file WHERE delivered_at IS NOT NULL")
    assert [r["delivered_to"] for r in rows] == ["the test clearinghouse"] * 2

    again = delivery.deliver_waiting(clearinghouse)
    assert again.delivered == () and len(clearinghouse.received) == 2


def test_a_folder_transport_copies_privately_and_waits_while_its_folder_is_away(
    login: Login, biller: AppContext, tmp_path: Path
) -> None:
    name = _send_batch(login("frontdesk"), biller, "Rivera", tmp_path / "outbox")
    share = tmp_path / "clearinghouse-upload"
    delivery = ClaimDeliveryService(biller)

    away = delivery.deliver_waiting(FolderTransport(share))
    assert away.waiting == 1 and away.problem is not None and "cannot be reached" in away.problem
    assert not share.exists()  # a share that is not mounted is not created locally

    share.mkdir()
    done = delivery.deliver_waiting(FolderTransport(share))
    assert done.delivered == (name,)
    copied = share / name
    assert copied.read_bytes() == (tmp_path / "outbox" / name).read_bytes()
    assert stat.S_IMODE(copied.stat().st_mode) == 0o600
