"""Sending the ready claims: how many and where (this computer's outbox folder), confirmed
by the biller, then one 837P file for the clearinghouse, handed (with any batch still
waiting) to the clearinghouse's upload folder when this computer has one. The scrubber
looks at every claim again first; if one fails, nothing is written and nothing changes."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from app.models import ClaimStatus
from app.services.claim_data import ClaimFileView, ScrubFailed
from app.services.claim_delivery import ClaimDeliveryService, DeliveryReport, FolderTransport
from app.services.claim_device import ClaimDeviceSettings
from app.services.claims import ClaimService
from app.services.context import AppContext
from app.ui.session import DesktopSession
from app.ui.widgets import box_button, message_box, pressed_name


def _tr(text: str) -> str:
    return QCoreApplication.translate("ClaimSending", text)


def outbox_and_ready(ctx: AppContext, default: Path) -> tuple[Path, int]:
    """On the worker: where this computer sends claims, and how many are ready now."""
    folder = ClaimDeviceSettings(ctx).outbox_folder() or default
    return folder, len(ClaimService(ctx).claims(ClaimStatus.READY))


def send_ready(ctx: AppContext, folder: Path) -> tuple[ClaimFileView, DeliveryReport | None]:
    """On the worker: the practice's own default outbox is made (owner only) when first
    used; a folder the biller chose must exist (the service checked it when chosen). When
    this computer hands batches to a clearinghouse folder, every waiting batch goes there
    (None: no clearinghouse folder is set)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    sent = ClaimService(ctx).submit_ready(folder)
    upload = ClaimDeviceSettings(ctx).clearinghouse_folder()
    if upload is None:
        return sent, None
    return sent, ClaimDeliveryService(ctx).deliver_waiting(FolderTransport(upload))


def claims_phrase(n: int) -> str:
    return _tr("1 claim") if n == 1 else _tr("{n} claims").format(n=n)


class ClaimSender(QObject):
    """`finished(notice)` when sent, or when there was nothing to send or the biller
    cancelled (an empty notice); `failed(error)` when refused, in words."""

    finished = Signal(str)
    failed = Signal(object)

    def __init__(self, session: DesktopSession, screen: QWidget) -> None:
        super().__init__(screen)
        self.session = session
        self.screen = screen

    def send(self) -> None:
        task = self.session.run(
            outbox_and_ready, self.session.ctx, self.session.paths.claims_outbox, owner=self
        )
        task.succeeded.connect(lambda found: self._confirm(*found))
        task.failed.connect(self.failed.emit)

    def _confirm(self, folder: Path, ready: int) -> None:
        if ready == 0:
            self.finished.emit(_tr("No claims are ready to send. Mark drafts ready first."))
            return
        box = message_box(
            self.screen,
            QMessageBox.Icon.Question,
            _tr("Send claims"),
            _tr("Send {claims} ready to go as one 837P file?").format(claims=claims_phrase(ready)),
            _tr("The file goes to {folder}, where the clearinghouse picks it up.").format(
                folder=folder
            ),
        )
        box_button(box, _tr("Send"), object_name="send")
        box_button(box, _tr("Cancel"), role=QMessageBox.ButtonRole.RejectRole)
        if pressed_name(box) != "send":
            self.finished.emit("")
            return
        task = self.session.run(send_ready, self.session.ctx, folder, owner=self)
        task.succeeded.connect(lambda result: self._sent(result, folder))
        task.failed.connect(self._refused)

    def _sent(self, result: tuple[ClaimFileView, DeliveryReport | None], folder: Path) -> None:
        sent, delivery = result
        notice = _tr("Sent {claims} in {file}, in {folder}.").format(
            claims=claims_phrase(sent.claims_count), file=sent.file_name, folder=folder
        )
        if delivery is not None and delivery.problem:
            notice += " " + _tr("It waits for the clearinghouse: {problem}").format(
                problem=delivery.problem
            )
        elif delivery is not None:
            notice += " " + _tr("Handed to the clearinghouse.")
        self.finished.emit(notice)

    def _refused(self, error: BaseException) -> None:
        if isinstance(error, ScrubFailed):
            more = _tr("Nothing was sent. Choose each claim to see everything to fix.")
            error = ScrubFailed(f"{error}\n{more}", error.problems)
        self.failed.emit(error)
