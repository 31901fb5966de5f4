"""Handing sent claim batches to the clearinghouse.

Send ready… writes each 837P to the outbox and keeps a copy in the encrypted database; the
batch then waits until a transport delivers it. A transport is anything with `send`: the
folder a clearinghouse's upload client watches (FolderTransport), and later SFTP or a
clearinghouse's web API. Offline, a transport says so (TransportUnavailable) and the
batches simply keep waiting, oldest first, for the next try; a delivered batch is never
sent again, whichever machine delivered it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from app.models import ClaimFile, ClaimFileKind
from app.services.audit_chain import AuditEntry
from app.services.bus import ClaimsChanged
from app.services.claim_data import CATEGORY
from app.services.context import AppContext, requires
from app.services.permissions import Permission
from app.storage.files import write_atomically


class TransportUnavailable(Exception):
    """The clearinghouse cannot be reached now (no network, share not mounted): try later."""


class ClearinghouseTransport(Protocol):
    @property
    def name(self) -> str:
        """Where files go, in words ("folder /mnt/clearinghouse/upload")."""
        ...

    def send(self, file_name: str, data: bytes) -> None:
        """Deliver one X12 file, or raise TransportUnavailable (anything else is a fault)."""
        ...


@dataclass(frozen=True)
class FolderTransport:
    """Copies each file into a folder a clearinghouse's upload client (or a mounted share)
    takes it from. A missing folder is a transport that is not there now, not an error."""

    folder: Path

    @property
    def name(self) -> str:
        return f"folder {self.folder}"

    def send(self, file_name: str, data: bytes) -> None:
        if not self.folder.is_dir():
            raise TransportUnavailable(f"The folder {self.folder} cannot be reached.")
        try:
            write_atomically(self.folder / file_name, data)
        except OSError as exc:
            raise TransportUnavailable(f"The folder {self.folder} refused the file: {exc}") from exc


@dataclass(frozen=True)
class DeliveryReport:
    delivered: tuple[str, ...]  # file names, in the order sent
    waiting: int  # batches still waiting after this try
    problem: str | None  # why the rest wait (the transport's words)


class ClaimDeliveryService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @requires(Permission.MANAGE_CLAIMS)
    def waiting(self) -> list[str]:
        """The sent batches not yet delivered, oldest first (file names)."""
        with self.ctx.unit_of_work() as uow:
            return [file.file_name for file in _waiting(uow.session)]

    @requires(Permission.MANAGE_CLAIMS)
    def deliver_waiting(self, transport: ClearinghouseTransport) -> DeliveryReport:
        """Send every waiting batch, oldest first, each marked delivered in its own
        transaction right after the transport took it (a crash in between sends that one
        file again at worst, which the clearinghouse refuses by its ISA13). Stops at the
        first TransportUnavailable."""
        delivered: list[str] = []
        problem = None
        with self.ctx.unit_of_work() as uow:
            ids = [file.id for file in _waiting(uow.session)]
        for file_id in ids:
            with self.ctx.unit_of_work() as uow:
                file = uow.session.get(ClaimFile, file_id, options=[undefer(ClaimFile.content)])
                if file is None or file.delivered_at is not None or file.content is None:
                    continue  # delivered meanwhile (another window or machine)
                try:
                    transport.send(file.file_name, file.content)
                except TransportUnavailable as exc:
                    problem = str(exc)
                    break
                file.delivered_at = self.ctx.clock.now()
                file.delivered_to = transport.name[:200]
                uow.audit(
                    AuditEntry(
                        "export",
                        CATEGORY,
                        entity_id=file.id,
                        detail=f"delivered to {transport.name}",
                    )
                )
                uow.notify(ClaimsChanged(()))
                delivered.append(file.file_name)
        with self.ctx.unit_of_work() as uow:
            left = len(_waiting(uow.session))
        return DeliveryReport(tuple(delivered), left, problem)


def _waiting(session: Session) -> list[ClaimFile]:
    return list(
        session.scalars(
            select(ClaimFile)
            .where(
                ClaimFile.kind == ClaimFileKind.CLAIMS_837P,
                ClaimFile.delivered_at.is_(None),
                ClaimFile.deleted_at.is_(None),
            )
            .order_by(ClaimFile.created_at, ClaimFile.id)
        )
    )
