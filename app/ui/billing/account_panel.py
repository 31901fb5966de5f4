"""A patient's account: who (the banner), what they and insurance owe, and every ledger line
with its running balance. From here the desk takes a payment or reprints a receipt, and the
biller adjusts, writes off, moves a balance or reverses a line (always with a reason) and
prints a statement."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QApplication, QHBoxLayout, QTableView, QVBoxLayout, QWidget

from app.models import ChargeStatus, EntryKind
from app.services.bus import LedgerChanged, PatientsChanged
from app.services.context import AppContext
from app.services.ledger import LedgerService
from app.services.ledger_data import AccountLine, AccountView, ChargeBalance, money
from app.services.patient_data import PatientRecord
from app.services.patients import PatientService
from app.services.permissions import Permission
from app.services.statement_data import StatementData
from app.ui.billing.charge_money_dialog import ChargeAction, ChargeMoneyDialog
from app.ui.billing.ledger_model import LedgerModel
from app.ui.chart.reason_dialog import ReasonDialog
from app.ui.notices import NoticeBridge
from app.ui.patient_banner import PatientBanner
from app.ui.schedule.patient_field import PatientField
from app.ui.session import DesktopSession
from app.ui.tables import style_row_table
from app.ui.tasks import error_message
from app.ui.widgets import BusyBar, MessageLabel, add_shortcuts, button, text_label

PAY_KEYS = "Ctrl+Shift+P"  # Ctrl+P prints, everywhere else


def load_account(ctx: AppContext, patient_id: str) -> tuple[PatientRecord, AccountView]:
    return PatientService(ctx).get(patient_id), LedgerService(ctx).account(patient_id)


class AccountPanel(QWidget):
    loaded = Signal()  # an account is on screen (fresh from the database)

    def __init__(self, session: DesktopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        actor = session.ctx.actor
        self.can_take = bool(actor and actor.can(Permission.TAKE_PAYMENTS))
        self.can_post = bool(actor and actor.can(Permission.POST_CHARGES))
        self.record: PatientRecord | None = None
        self.account: AccountView | None = None
        self._generation = 0
        self._reopen: str | None = None  # the account open when the screen locked

        self.finder = PatientField(session, self.tr("Find patient account"))
        self.finder.picked.connect(self._picked)
        self.banner = PatientBanner(session)
        self.summary = text_label("", "muted")
        self.summary.setAccessibleName(self.tr("Account summary"))
        self.busy = BusyBar()
        self.message = MessageLabel("error", self.tr("Account message"))

        self.pay_button = button(
            self.tr("Take payment…"), self.tr("Take payment"), variant="primary", icon_name="plus"
        )
        self.pay_button.setToolTip(self.tr("Take a payment ({keys})").format(keys=PAY_KEYS))
        self.pay_button.clicked.connect(self.take_payment)
        self.receipt_button = button(self.tr("Receipt"), self.tr("Print receipt"))
        self.receipt_button.clicked.connect(self.print_receipt)
        self.refund_button = button(self.tr("Refund…"), self.tr("Refund"))
        self.refund_button.setToolTip(self.tr("Give back credit not applied to a charge"))
        self.refund_button.clicked.connect(self.refund)
        self.adjust_button = button(self.tr("Adjust…"), self.tr("Adjust charge"))
        self.adjust_button.clicked.connect(lambda: self._change_charge(ChargeAction.ADJUST))
        self.write_off_button = button(self.tr("Write off…"), self.tr("Write off"))
        self.write_off_button.clicked.connect(lambda: self._change_charge(ChargeAction.WRITE_OFF))
        self.transfer_button = button(self.tr("Move balance…"), self.tr("Move balance"))
        self.transfer_button.clicked.connect(lambda: self._change_charge(ChargeAction.TRANSFER))
        self.reverse_button = button(self.tr("Reverse…"), self.tr("Reverse line"))
        self.reverse_button.clicked.connect(self.reverse)
        self.statement_button = button(self.tr("Statement…"), self.tr("Statement"))
        self.other_button = button(
            self.tr("Other patient…"), self.tr("Find another patient"), icon_name="search"
        )
        self.other_button.setToolTip(self.tr("Find another patient's account (Ctrl+F)"))
        self.other_button.clicked.connect(self.find_other)
        self.statement_button.clicked.connect(self.statement)
        actions = QHBoxLayout()
        actions.setSpacing(8)
        for widget in (self.pay_button, self.receipt_button, self.refund_button):
            actions.addWidget(widget)
        actions.addSpacing(16)
        # The biller's corrections: shown only to those who may post charges.
        self.correction_buttons = (
            self.adjust_button,
            self.write_off_button,
            self.transfer_button,
            self.reverse_button,
        )
        for widget in self.correction_buttons:
            actions.addWidget(widget)
        actions.addStretch(1)
        actions.addWidget(self.statement_button)
        actions.addWidget(self.other_button)
        self.pay_button.setVisible(self.can_take)
        self.refund_button.setVisible(self.can_take)
        for widget in self.correction_buttons:
            widget.setVisible(self.can_post)

        self.model = LedgerModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        style_row_table(self.table, self.tr("Ledger"), stretch_column=LedgerModel.WHAT)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.empty = text_label(self.tr("Find a patient to see their account."), "muted")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 12, 20, 12)
        layout.setSpacing(10)
        layout.addWidget(self.finder)
        layout.addWidget(self.banner)
        layout.addWidget(self.summary)
        layout.addWidget(self.busy)
        layout.addWidget(self.message)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        add_shortcuts(self, [(PAY_KEYS, self.take_payment), ("Ctrl+F", self.find_other)])

        self._notices = NoticeBridge(session.ctx.bus, LedgerChanged, PatientsChanged, parent=self)
        self._notices.received.connect(self._changed)
        self.clear_sensitive()

    # -- which patient -------------------------------------------------------------------

    @property
    def patient_id(self) -> str | None:
        return self.record.id if self.record else self.finder.patient_id

    def open_account(self, patient_id: str) -> None:
        if self.finder.patient_id != patient_id:
            self.finder.load(patient_id)  # says `picked`, which loads the account
        else:
            self._load(patient_id)

    def _picked(self) -> None:
        if self.finder.patient_id:
            self.finder.hide()  # the banner says who it is
            self._load(self.finder.patient_id)

    def find_other(self) -> None:
        self.finder.search_again()
        self.finder.show()
        self.finder.setFocus()

    def _load(self, patient_id: str) -> None:
        self._generation += 1
        generation = self._generation
        self.busy.show()
        task = self.session.run(load_account, self.session.ctx, patient_id, owner=self)
        task.succeeded.connect(lambda found: self._loaded(found[0], found[1], generation))
        task.failed.connect(lambda error: self._failed(error, generation))

    def _loaded(self, record: PatientRecord, account: AccountView, generation: int) -> None:
        if generation != self._generation:
            return
        self.busy.hide()
        if self.message.property("role") == "error":  # a notice ("Statement … issued") stays
            self.message.clear_message()
        kept = self._current_line()
        self.record, self.account = record, account
        self.banner.show_patient(record)
        self.summary.setText(
            self.tr(
                "Patient owes {patient} · Insurance {insurance} · Unapplied credit {credit}"
                " · Account balance {total}"
            ).format(
                patient=money(account.patient_cents),
                insurance=money(account.insurance_cents),
                credit=money(account.unapplied_credit_cents),
                total=money(account.balance_cents),
            )
        )
        self.model.set_lines(account.entries)
        has_lines = bool(account.entries)
        self.table.setVisible(has_lines)
        self.empty.setVisible(not has_lines)
        self.empty.setText(self.tr("Nothing has been posted to this account yet."))
        row = self.model.row_of(kept.id) if kept else None
        last = row if row is not None else len(account.entries) - 1
        if has_lines:
            self.table.selectRow(last)
            self.table.scrollTo(self.model.index(last, 0))
        self._update_buttons()
        focused = QApplication.focusWidget()
        if focused is None or not self.isAncestorOf(focused):  # keys work on the account
            (self.table if has_lines else self.pay_button).setFocus()
        self.loaded.emit()

    def _failed(self, error: BaseException, generation: int) -> None:
        if generation == self._generation:
            self.busy.hide()
            self.message.show_as("error", error_message(error))

    def _changed(self, notice: LedgerChanged | PatientsChanged) -> None:
        if self.record is not None and self.record.id in notice.patient_ids:
            self._load(self.record.id)

    # -- the chosen line -----------------------------------------------------------------

    def _current_line(self) -> AccountLine | None:
        return self.model.row_at(self.table.currentIndex().row())

    def _charge_of(self, line: AccountLine | None) -> ChargeBalance | None:
        if line is None or line.charge_id is None or self.account is None:
            return None
        return next((c for c in self.account.charges if c.charge_id == line.charge_id), None)

    def _update_buttons(self) -> None:
        line = self._current_line()
        charge = self._charge_of(line)
        on_posted = charge is not None and charge.status is ChargeStatus.POSTED
        self.pay_button.setEnabled(self.record is not None)
        self.statement_button.setEnabled(self.record is not None)
        self.banner.setVisible(self.record is not None)
        self.other_button.setVisible(self.record is not None)
        self.receipt_button.setEnabled(line is not None and line.payment_id is not None)
        self.refund_button.setEnabled(bool(self.account and self.account.credits))
        for widget in (self.adjust_button, self.write_off_button, self.transfer_button):
            widget.setEnabled(on_posted)
        self.reverse_button.setEnabled(
            line is not None and not line.reversed and line.kind is not EntryKind.REVERSAL
        )

    # -- actions -------------------------------------------------------------------------

    def take_payment(self) -> None:
        if self.record is None or not self.can_take:
            return
        from app.ui.billing.payment_dialog import PaymentDialog  # loads reportlab lazily

        PaymentDialog(self.session, self.record.id, parent=self).open()

    def print_receipt(self) -> None:
        line = self._current_line()
        if line is None or line.payment_id is None:
            return
        from app.ui.billing.receipt_print import show_receipt

        show_receipt(self.session, line.payment_id, self)

    def refund(self) -> None:
        if self.record is None or self.account is None or not self.account.credits:
            return
        from app.ui.billing.refund_dialog import RefundDialog

        RefundDialog(
            self.session, self.record.display_name, self.account.credits, parent=self
        ).open()

    def _change_charge(self, action: ChargeAction) -> None:
        charge = self._charge_of(self._current_line())
        if charge is None or not self.can_post:
            return
        ChargeMoneyDialog(self.session, charge, action, parent=self).open()

    def statement(self) -> None:
        if self.record is None:
            return
        from app.ui.billing.statement_print import StatementDialog  # loads reportlab lazily

        dialog = StatementDialog(
            self.session, self.record.id, self.record.display_name, parent=self
        )
        dialog.issued.connect(self._statement_issued)
        dialog.open()

    def _statement_issued(self, issued: StatementData) -> None:
        number = issued.printable.statement_number
        text = (
            self.tr("Statement {number} e-mailed to {to}.").format(
                number=number, to=issued.emailed_to
            )
            if issued.emailed_to
            else self.tr("Statement {number} issued.").format(number=number)
        )
        self.message.show_as("notice", text)

    def reverse(self) -> None:
        line = self._current_line()
        if line is None or not self.can_post:
            return
        service = LedgerService(self.session.ctx)
        ReasonDialog(
            self.session,
            self.tr("Reverse line"),
            self.tr(
                "A reversal posts the exact opposite of this line with your reason; the line "
                "stays on the ledger, struck through. Reversing a charge voids it, and "
                "payments on it go back to the account as credit."
            ),
            self.tr("Reverse"),
            lambda reason: service.reverse(line.id, reason),
            self,
            placeholder=self.tr("e.g. posted to the wrong patient"),
            missing=self.tr("Say why: the reason stays on the ledger."),
        ).open()

    # -- Page-like -----------------------------------------------------------------------

    def reload(self) -> None:
        reopen, self._reopen = self._reopen, None
        if reopen:
            self.open_account(reopen)
        elif self.patient_id:
            self._load(self.patient_id)

    def clear_sensitive(self) -> None:
        self._reopen = self.patient_id or self._reopen
        self._generation += 1
        self.record = self.account = None
        self.finder.clear()
        self.finder.search_again()
        self.finder.show()
        self.banner.clear()
        self.summary.setText("")
        self.model.set_lines(())
        self.table.hide()
        self.empty.setText(self.tr("Find a patient to see their account."))
        self.empty.show()
        self.busy.hide()
        self.message.clear_message()
        self._update_buttons()
