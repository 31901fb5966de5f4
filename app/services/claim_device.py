"""This machine's claim settings: the folder 837P batches are written to, the folder the
clearinghouse's upload client takes them from, and how far the printer shifts a
pre-printed CMS-1500. They belong to the machine, not the practice (a path or a printer
means nothing on the laptop), so they live in LocalState and are never synced."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from app.models import LocalState
from app.services.audit_chain import AuditEntry
from app.services.claim_data import CATEGORY
from app.services.context import AppContext, requires
from app.services.errors import DomainError
from app.services.permissions import Permission

OUTBOX_KEY = "claims_outbox"
CLEARINGHOUSE_KEY = "clearinghouse_folder"
OFFSET_KEY = "cms1500_offset_mm"  # "x,y": millimetres right and down
MAX_OFFSET_MM = 10.0  # a printer further off than a centimetre needs its feed fixed


@dataclass(frozen=True)
class FormOffset:
    """Where this machine's printer puts a CMS-1500 overlay, relative to the form."""

    x_mm: float = 0.0  # positive: to the right
    y_mm: float = 0.0  # positive: down


class ClaimDeviceSettings:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @requires(Permission.MANAGE_CLAIMS)
    def outbox_folder(self) -> Path | None:
        """The folder the biller chose on this machine (None: the practice's default)."""
        return self._folder(OUTBOX_KEY)

    @requires(Permission.MANAGE_CLAIMS)
    def set_outbox_folder(self, folder: Path | None) -> None:
        """Choose the outbox (None: back to the default)."""
        self._set_folder(OUTBOX_KEY, folder, "claims outbox folder")

    @requires(Permission.MANAGE_CLAIMS)
    def clearinghouse_folder(self) -> Path | None:
        """The folder the clearinghouse's upload client takes batches from on this machine
        (None: batches wait in the outbox for someone to upload them)."""
        return self._folder(CLEARINGHOUSE_KEY)

    @requires(Permission.MANAGE_CLAIMS)
    def set_clearinghouse_folder(self, folder: Path | None) -> None:
        self._set_folder(CLEARINGHOUSE_KEY, folder, "clearinghouse upload folder")

    def _folder(self, key: str) -> Path | None:
        with self.ctx.unit_of_work() as uow:
            row = uow.session.get(LocalState, key)
            return Path(row.value) if row else None

    def _set_folder(self, key: str, folder: Path | None, what: str) -> None:
        """The folder must exist already, so a typing slip does not scatter claim files in a
        new folder nobody watches."""
        if folder is not None:
            folder = folder.expanduser()
            if not folder.is_absolute() or not folder.is_dir():
                raise DomainError(f"There is no folder {folder}: choose an existing folder.")
            if len(str(folder)) > 200:
                raise DomainError("Choose a folder with a shorter path (200 characters at most).")
        with self.ctx.unit_of_work() as uow:
            _store(uow.session, key, str(folder) if folder else None)
            uow.audit(AuditEntry("change", CATEGORY, detail=what))

    @requires(Permission.MANAGE_CLAIMS)
    def form_offset(self) -> FormOffset:
        with self.ctx.unit_of_work() as uow:
            row = uow.session.get(LocalState, OFFSET_KEY)
        if row is None:
            return FormOffset()
        x_text, _, y_text = row.value.partition(",")
        return FormOffset(float(x_text), float(y_text))

    @requires(Permission.MANAGE_CLAIMS)
    def set_form_offset(self, offset: FormOffset) -> FormOffset:
        for value in (offset.x_mm, offset.y_mm):
            if not math.isfinite(value) or abs(value) > MAX_OFFSET_MM:
                raise DomainError(
                    f"Keep the printer offset within ±{MAX_OFFSET_MM:g} mm; a printer further "
                    "off needs its paper guides set."
                )
        clean = FormOffset(round(offset.x_mm, 1), round(offset.y_mm, 1))
        with self.ctx.unit_of_work() as uow:
            _store(uow.session, OFFSET_KEY, f"{clean.x_mm},{clean.y_mm}")
            uow.audit(AuditEntry("change", CATEGORY, detail="CMS-1500 printer offset"))
        return clean


def _store(session: Session, key: str, value: str | None) -> None:
    row = session.get(LocalState, key)
    if value is None:
        if row is not None:
            session.delete(row)
    elif row is None:
        session.add(LocalState(key=key, value=value))
    else:
        row.value = value
