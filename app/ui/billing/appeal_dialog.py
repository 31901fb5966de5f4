"""Appealing a denied claim: the payer's denial, the biller's argument, what goes with the
letter; "Preview letter…" shows the appeal letter to print or save, "Mark appealed" records
the appeal on the claim (the claim waits for the payer's new answer).

exec() == Accepted means the claim is now appealed."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QLayout, QLineEdit, QPlainTextEdit, QWidget

from app.models import ClaimStatus
from app.services.claim_appeals import APPEALABLE, STANDARD_ENCLOSURES, ClaimAppealService
from app.services.claim_appeals import history_note as appeal_note
from app.services.claim_data import ClaimDetail, ClaimSummary
from app.services.claims import ClaimService
from app.ui.patients.dialogs import PatientDialog
from app.ui.patients.labels import date_text, money_text
from app.ui.pdf_preview import PdfPreviewDialog
from app.ui.session import DesktopSession
from app.ui.tasks import error_message
from app.ui.widgets import add_shortcuts, button, inline_row, text_label


def _tr(text: str) -> str:
    return QCoreApplication.translate("AppealDialog", text)


class AppealDialog(PatientDialog):
    appealed = Signal(object)  # the ClaimSummary, now appealed

    def __init__(self, session: DesktopSession, claim_id: str, parent: QWidget | None = None):
        super().__init__(session, _tr("Appeal claim"), _tr("Mark appealed"), parent)
        self.body.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        self.claim_id = claim_id
        self.detail: ClaimDetail | None = None
        self.preview: PdfPreviewDialog | None = None
        self.claims = ClaimService(session.ctx)
        self.appeals = ClaimAppealService(session.ctx)

        self.who = text_label("", "muted")
        self.who.setAccessibleName(_tr("Claim"))
        self.denial = text_label("", "notice")
        self.denial.setAccessibleName(_tr("The payer's denial"))
        self.argument = QPlainTextEdit()
        self.argument.setAccessibleName(_tr("Argument"))
        self.argument.setPlaceholderText(
            _tr(
                "Why the payer should pay: what the records show, the policy or coding rule "
                "that covers the service… (a blank line starts a new paragraph)"
            )
        )
        self.argument.setTabChangesFocus(True)
        self.argument.setMinimumHeight(150)
        self.enclosures = [QCheckBox(_tr(name)) for name in STANDARD_ENCLOSURES]
        for box, name in zip(self.enclosures, STANDARD_ENCLOSURES, strict=True):
            box.setAccessibleName(name)
            box.setProperty("enclosure", name)  # the letter prints the English name
        self.other_box = QCheckBox(_tr("Other:"))
        self.other_box.setAccessibleName(_tr("Other enclosure"))
        self.other = QLineEdit()
        self.other.setAccessibleName(_tr("Other enclosure name"))
        self.other.setPlaceholderText(_tr("e.g. Payer's policy page"))
        self.other.setMaxLength(100)
        self.other.setMinimumWidth(320)
        self.other.setEnabled(False)
        self.other_box.toggled.connect(self._other_toggled)

        self.content.addWidget(self.who)
        self.content.addWidget(self.denial)
        self.content.addWidget(text_label(_tr("Your argument"), "heading"))
        self.content.addWidget(self.argument, 1)
        self.content.addWidget(text_label(_tr("Enclosed with the letter"), "heading"))
        self.content.addWidget(inline_row(*self.enclosures))
        self.content.addWidget(inline_row(self.other_box, self.other, spacing=8))

        self.preview_button = button(
            _tr("Preview letter…"), _tr("Preview letter"), icon_name="printer"
        )
        self.preview_button.setToolTip(_tr("See the appeal letter, to print or save (Ctrl+P)"))
        self.preview_button.clicked.connect(self.preview_letter)
        self.button_row.insertWidget(0, self.preview_button)
        self.ok_button.setToolTip(_tr("Record the appeal on the claim (Ctrl+Enter)"))
        add_shortcuts(self, [("Ctrl+P", self.preview_letter), ("Ctrl+Return", self.submit)])
        self.resize(640, self.sizeHint().height())
        self.run(self.claims.claim, claim_id, done=self._loaded)

    # -- loading -------------------------------------------------------------------------

    def _loaded(self, detail: ClaimDetail) -> None:
        self.detail = detail
        claim, work = detail.summary, detail.worklist
        title = _tr("Appeal claim {number} to {payer}").format(
            number=claim.control_number, payer=claim.payer_name
        )
        self.setWindowTitle(title)
        self.heading.setText(title)
        self.who.setText(
            _tr("{patient} · seen {day} · billed {total} · payer's claim {payer_number}").format(
                patient=claim.patient_name,
                day=date_text(claim.service_on),
                total=money_text(claim.total_cents),
                payer_number=claim.payer_claim_number or _tr("not known"),
            )
        )
        reason = work.denial_reason or _tr("The payer gave no reason in words.")
        codes = ", ".join(work.denial_codes) or _tr("none given")
        self.denial.setText(
            _tr("{status}: {reason}\nCodes: {codes}").format(
                status=claim.status_label, reason=reason, codes=codes
            )
        )
        self.set_busy(False)
        if claim.status is ClaimStatus.APPEALED:
            self.message.show_as(
                "notice", _tr("This claim is already appealed; you can print its letter again.")
            )
        elif claim.status not in APPEALABLE:
            self._error(
                _tr("Claim {number} is {status}; only a denied or partly paid claim is appealed.")
                .format(number=claim.control_number, status=claim.status_label.lower())
            )  # fmt: skip
        self.argument.setFocus()

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        status = self.detail.summary.status if self.detail else None
        self.preview_button.setEnabled(not busy and status in APPEALABLE)
        self.ok_button.setEnabled(
            not busy and status in APPEALABLE and status is not ClaimStatus.APPEALED
        )

    def failed(self, error: BaseException) -> None:
        self.set_busy(False)
        self._error(error_message(error))

    def _error(self, text: str) -> None:
        self.message.show_as("error", text)  # after a notice, errors still look like errors

    def _other_toggled(self, checked: bool) -> None:
        self.other.setEnabled(checked)
        if checked:
            self.other.setFocus()

    # -- the letter and the appeal -------------------------------------------------------

    def chosen_enclosures(self) -> list[str]:
        chosen = [str(box.property("enclosure")) for box in self.enclosures if box.isChecked()]
        if self.other_box.isChecked() and self.other.text().strip():
            chosen.append(self.other.text().strip())
        return chosen

    def _argument(self) -> str | None:
        text = self.argument.toPlainText().strip()
        if not text:
            self._error(
                _tr("Write why the payer should reconsider the claim: the letter argues it.")
            )
            self.argument.setFocus()
            return None
        return text

    def preview_letter(self) -> None:
        if not self.preview_button.isEnabled() or (argument := self._argument()) is None:
            return
        self.run(
            self.appeals.letter,
            self.claim_id,
            argument,
            self.chosen_enclosures(),
            done=self._show_letter,
        )

    def _show_letter(self, pdf: bytes) -> None:
        number = self.detail.summary.control_number if self.detail else ""
        title = _tr("Appeal letter, claim {number}").format(number=number)
        # The claim number, not the patient's name: file names show in folders.
        preview = PdfPreviewDialog(
            pdf, f"Appeal {number}.pdf", self.session.runner, title=title, parent=self
        )
        preview.setAccessibleName(title)
        preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # the bytes go with it
        preview.destroyed.connect(self._preview_closed)
        self.preview = preview
        preview.open()

    def _preview_closed(self) -> None:
        self.preview = None

    def submit(self) -> None:
        if not self.ok_button.isEnabled() or (argument := self._argument()) is None:
            return
        self.run(self.claims.appeal, self.claim_id, appeal_note(argument), done=self._appealed)

    def _appealed(self, summary: ClaimSummary) -> None:
        self.appealed.emit(summary)
        self.accept()
