"""What the biller can do to one claim, written once for the Claims and Denials tabs: which
actions the lifecycle allows now, the note dialogs (return to draft, correct, void,
close), the appeal (AppealDialog, with its letter) and the calls on the worker. The screen
that owns a ClaimActions shows its `succeeded` notice or its `failed` error in words, and
reloads on ClaimsChanged."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QPlainTextEdit, QWidget

from app.models import ClaimStatus
from app.services.claim_data import ClaimSummary
from app.services.claims import ClaimService
from app.services.claims_lifecycle import TRANSITIONS
from app.ui.billing.appeal_dialog import AppealDialog
from app.ui.patients.dialogs import PatientDialog
from app.ui.session import DesktopSession
from app.ui.widgets import text_label

S = ClaimStatus


def _tr(text: str) -> str:
    return QCoreApplication.translate("ClaimActions", text)


class Action(Enum):
    CHECK = "check"
    MARK_READY = "mark_ready"
    RETURN_TO_DRAFT = "return_to_draft"
    CORRECT = "correct"
    VOID = "void"
    APPEAL = "appeal"
    CLOSE = "close"
    CHANGE_LINE = "change_line"


# The status each action moves a claim to (None: no move, always offered).
_MOVES_TO: dict[Action, ClaimStatus | None] = {
    Action.CHECK: None,
    Action.MARK_READY: S.READY,
    Action.RETURN_TO_DRAFT: S.DRAFT,
    Action.CORRECT: S.CORRECTED,
    Action.VOID: S.VOIDED,
    Action.APPEAL: S.APPEALED,
    Action.CLOSE: S.CLOSED,
}


def allowed(action: Action, status: ClaimStatus) -> bool:
    """Whether the lifecycle lets `action` happen to a claim in `status` (the service
    refuses anyway; this keeps the buttons honest). A rejected claim is fixed as it is
    (return to draft), never corrected or voided: the payer never took it in."""
    if action is Action.CHANGE_LINE:
        return status is S.DRAFT
    target = _MOVES_TO[action]
    return target is None or target in TRANSITIONS[status]


class ClaimNoteDialog(PatientDialog):
    """Says what will happen to the claim, takes an optional note and runs
    `action(note)` on the worker; closes when it succeeds, with the result in `result`."""

    def __init__(
        self,
        session: DesktopSession,
        title: str,
        explanation: str,
        ok_text: str,
        action: Callable[[str | None], Any],
        parent: QWidget | None = None,
        *,
        placeholder: str = "",
    ) -> None:
        super().__init__(session, title, ok_text, parent)
        self.action = action
        self.result: Any = None
        self.explanation = text_label(explanation, "muted")
        self.explanation.setAccessibleName(_tr("What happens"))
        self.content.addWidget(self.explanation)
        self.note = QPlainTextEdit()
        self.note.setAccessibleName(_tr("Note"))
        self.note.setPlaceholderText(placeholder or _tr("Optional note, kept in the history"))
        self.note.setTabChangesFocus(True)
        self.note.setFixedHeight(90)
        self.content.addWidget(self.note)
        self.resize(480, self.sizeHint().height())

    def submit(self) -> None:
        text = self.note.toPlainText().strip()
        self.run(self.action, text or None, done=self._done)

    def _done(self, result: Any) -> None:
        self.result = result
        self.accept()


class ClaimActions(QObject):
    """Runs claim actions for a screen. `succeeded(notice, claim id to show)` after a
    change; `failed(error)` when the service refused (a ScrubFailed carries its problems)."""

    succeeded = Signal(str, str)
    failed = Signal(object)

    def __init__(self, session: DesktopSession, parent: QWidget) -> None:
        super().__init__(parent)
        self.session = session
        self.screen = parent
        self.service = ClaimService(session.ctx)

    # -- straight calls ------------------------------------------------------------------

    def mark_ready(self, claim: ClaimSummary) -> None:
        self._call(
            self.service.mark_ready,
            claim.id,
            notice=_tr("Claim {number} is ready to send.").format(number=claim.control_number),
        )

    def _call(self, fn: Callable[..., ClaimSummary], *args: Any, notice: str) -> None:
        task = self.session.run(fn, *args, owner=self)
        task.succeeded.connect(lambda result: self.succeeded.emit(notice, result.id))
        task.failed.connect(self.failed.emit)

    # -- with a note ---------------------------------------------------------------------

    def return_to_draft(self, claim: ClaimSummary) -> ClaimNoteDialog:
        return self._with_note(
            claim,
            _tr("Return claim to draft"),
            _tr(
                "Claim {number} goes back to draft, out of the next batch, so it can be "
                "changed and checked again."
            ),
            _tr("Return to draft"),
            self.service.return_to_draft,
            _tr("Claim {number} is a draft again."),
        )

    def correct(self, claim: ClaimSummary) -> ClaimNoteDialog:
        return self._with_note(
            claim,
            _tr("Correct claim"),
            _tr(
                "A corrected claim (frequency 7) is made as a draft from the visit's charges as "
                "they are now, naming the payer's claim number {payer_number}; claim {number} "
                "becomes corrected. Check the new claim, mark it ready and send it."
            ),
            _tr("Make corrected claim"),
            self.service.correct,
            _tr("Claim {number} is corrected: the replacement {new} is a draft to check and send."),
            placeholder=_tr("Optional: what was wrong, e.g. wrong diagnosis on line 1"),
        )

    def void(self, claim: ClaimSummary) -> ClaimNoteDialog:
        return self._with_note(
            claim,
            _tr("Void claim"),
            _tr(
                "A void claim (frequency 8) asks {payer} to cancel claim {number} (their "
                "number {payer_number}) and take back what it paid. This cannot be undone: "
                "the void goes out with the next batch."
            ),
            _tr("Void claim"),
            self.service.void,
            _tr("Claim {number} is voided: the void claim {new} is a draft to send."),
            placeholder=_tr("Optional: why, e.g. billed to the wrong payer"),
        )

    def close(self, claim: ClaimSummary) -> ClaimNoteDialog:
        return self._with_note(
            claim,
            _tr("Close claim"),
            _tr(
                "Claim {number} is finished with: nothing more will be done on it. Any balance "
                "stays on the account until you adjust it or bill the patient."
            ),
            _tr("Close claim"),
            self.service.close,
            _tr("Claim {number} is closed."),
            placeholder=_tr("Optional: why, e.g. denial accepted, written off"),
        )

    def appeal(self, claim: ClaimSummary) -> AppealDialog:
        """The appeal, with its letter to print (helper dialog: AppealDialog)."""
        dialog = AppealDialog(self.session, claim.id, self.screen)
        dialog.appealed.connect(
            lambda result: self.succeeded.emit(
                _tr("Claim {number} is appealed.").format(number=result.control_number),
                result.id,
            )
        )
        dialog.open()
        return dialog

    def _with_note(
        self,
        claim: ClaimSummary,
        title: str,
        explanation: str,
        ok_text: str,
        call: Callable[..., ClaimSummary],
        notice: str,
        *,
        placeholder: str = "",
    ) -> ClaimNoteDialog:
        words = {
            "number": claim.control_number,
            "payer": claim.payer_name,
            "payer_number": claim.payer_claim_number or _tr("(not known yet)"),
        }
        dialog = ClaimNoteDialog(
            self.session,
            title,
            explanation.format(**words),
            ok_text,
            lambda note: call(claim.id, note),
            self.screen,
            placeholder=placeholder,
        )

        def done() -> None:
            result: ClaimSummary = dialog.result
            text = notice.format(**words, new=result.control_number)
            self.succeeded.emit(text, result.id)

        dialog.accepted.connect(done)
        dialog.open()
        return dialog
