"""The biller's work queue: charges proposed by signed visits, oldest first, to check and
post (or change, or turn down with a reason); and signed visits whose charges could not be
proposed yet (no fee schedule at the time), to capture now."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QTableView, QVBoxLayout, QWidget

from app.services.billing_data import ChargeView, VisitToBill
from app.services.bus import ChargesChanged, LedgerChanged
from app.services.charge_capture import MAX_LIST, ChargeCaptureService
from app.services.context import AppContext
from app.services.ledger import LedgerService
from app.services.ledger_data import money
from app.ui.billing.charge_edit_dialog import ChargeEditDialog
from app.ui.chart.reason_dialog import ReasonDialog
from app.ui.notices import NoticeBridge
from app.ui.patients.labels import date_text
from app.ui.session import DesktopSession
from app.ui.table_model import ListTableModel
from app.ui.tables import style_row_table
from app.ui.tasks import error_message
from app.ui.widgets import BusyBar, MessageLabel, add_shortcuts, button, text_label

NEEDS_WORK = QColor("#a33a1f")  # a line that cannot be posted as it is
CAPTURE_AT_ONCE = 50


def _tr(text: str) -> str:
    return QCoreApplication.translate("ChargesPanel", text)


def blocker(charge: ChargeView) -> str | None:
    """Why this line cannot be posted as it is (None: it can)."""
    if not charge.priced or charge.amount_cents <= 0:
        return _tr("No price: add the code to the fee schedule, then change the charge.")
    if not charge.diagnosis_pointers:
        return _tr("Points to no diagnosis: change the charge.")
    return None


class ProposedModel(ListTableModel[ChargeView]):
    SERVICE, PATIENT, CODE, WHAT, DIAGNOSES, UNITS, AMOUNT, PROVIDER = range(8)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            [_tr("Seen"), _tr("Patient"), _tr("Code"), _tr("Service"), _tr("Diagnoses"),
             _tr("Units"), _tr("Amount"), _tr("Provider")],
            parent,
        )  # fmt: skip

    def set_charges(self, charges: Sequence[ChargeView]) -> None:
        self._set_rows(charges)

    def ready_ids(self) -> list[str]:
        return [charge.id for charge in self._rows if blocker(charge) is None]

    def cell_text(self, item: ChargeView, column: int) -> str:
        match column:
            case self.SERVICE:
                return date_text(item.service_on)
            case self.PATIENT:
                return item.patient_name
            case self.CODE:
                return "-".join((item.procedure_code, *item.modifiers))
            case self.WHAT:
                return item.description
            case self.DIAGNOSES:
                return ", ".join(item.pointed_diagnoses) or "—"
            case self.UNITS:
                return str(item.units)
            case self.AMOUNT:
                return money(item.amount_cents)
            case self.PROVIDER:
                return item.rendering_provider_name
        return ""

    def cell_tip(self, item: ChargeView, column: int) -> str | None:
        return blocker(item) or item.suggestion_reason

    def cell_ink(self, item: ChargeView, column: int) -> QColor | None:
        return NEEDS_WORK if blocker(item) and column in (self.AMOUNT, self.DIAGNOSES) else None

    def cell_alignment(self, column: int) -> int | None:
        if column in (self.UNITS, self.AMOUNT):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def load_queue(ctx: AppContext) -> tuple[list[ChargeView], list[VisitToBill]]:
    service = ChargeCaptureService(ctx)
    return service.proposed(), service.visits_to_bill()


def post_charges(ctx: AppContext, charge_ids: Sequence[str]) -> int:
    """Post each line (each in its own transaction: one refused line stops the rest, and
    the ones before it stay posted, as the biller saw them go)."""
    ledger = LedgerService(ctx)
    for charge_id in charge_ids:
        ledger.post_charge(charge_id)
    return len(charge_ids)


def capture_visits(ctx: AppContext, encounter_ids: Sequence[str]) -> int:
    service = ChargeCaptureService(ctx)
    return sum(len(service.capture(encounter_id)) for encounter_id in encounter_ids)


class ChargesPanel(QWidget):
    account_requested = Signal(str)  # patient id
    loaded = Signal()  # the queue on screen is fresh

    def __init__(self, session: DesktopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.visits: list[VisitToBill] = []

        self.heading = text_label(_tr("Charges to post"), "heading")
        self.count = text_label("", "muted")
        self.busy = BusyBar()
        self.message = MessageLabel("error", _tr("Charges message"))
        self.post_button = button(
            _tr("Post"), _tr("Post charge"), variant="primary", icon_name="check"
        )
        self.post_button.setToolTip(_tr("Post the chosen line to the ledger (Ctrl+Enter)"))
        self.post_button.clicked.connect(self.post_chosen)
        self.post_ready_button = button(_tr("Post all ready"), _tr("Post all ready charges"))
        self.post_ready_button.setToolTip(_tr("Post every line that has a price and diagnoses"))
        self.post_ready_button.clicked.connect(self.post_ready)
        self.change_button = button(_tr("Change…"), _tr("Change charge"), icon_name="edit")
        self.change_button.setToolTip(_tr("Change code, units or diagnoses (Enter)"))
        self.change_button.clicked.connect(self.change_chosen)
        self.discard_button = button(_tr("Discard…"), _tr("Discard charge"))
        self.discard_button.clicked.connect(self.discard_chosen)
        self.account_button = button(_tr("Account"), _tr("Open patient account"))
        self.account_button.clicked.connect(self._open_account)

        self.visits_note = text_label("", "notice")
        self.visits_note.setAccessibleName(_tr("Visits to bill"))
        self.capture_button = button(_tr("Capture charges"), _tr("Capture charges of visits"))
        self.capture_button.clicked.connect(self.capture_waiting)
        visits_row = QHBoxLayout()
        visits_row.addWidget(self.visits_note, 1)
        visits_row.addWidget(self.capture_button)

        self.model = ProposedModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        style_row_table(self.table, _tr("Proposed charges"), stretch_column=ProposedModel.WHAT)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._chosen())
        self.table.doubleClicked.connect(lambda _index: self.change_chosen())
        self.why = text_label("", "muted")
        self.why.setAccessibleName(_tr("Why this charge"))
        self.empty = text_label(_tr("Nothing to post: every signed visit is on the ledger."))

        top = QHBoxLayout()
        top.addWidget(self.heading)
        top.addWidget(self.count, 1)
        actions = QHBoxLayout()
        actions.setSpacing(8)
        for widget in (self.post_button, self.change_button, self.discard_button):
            actions.addWidget(widget)
        actions.addStretch(1)
        actions.addWidget(self.account_button)
        actions.addWidget(self.post_ready_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 14, 20, 12)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addLayout(visits_row)
        layout.addWidget(self.busy)
        layout.addWidget(self.message)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.why)

        add_shortcuts(
            self,
            [
                ("Ctrl+Return", self.post_chosen),
                ("Ctrl+Enter", self.post_chosen),
                ("F5", self.reload),
            ],
        )
        add_shortcuts(self.table, [("Return", self.change_chosen)])
        self._notices = NoticeBridge(session.ctx.bus, ChargesChanged, LedgerChanged, parent=self)
        self._notices.received.connect(lambda _notice: self.reload())
        self.clear_sensitive()

    # -- loading -------------------------------------------------------------------------

    def reload(self) -> None:
        self.busy.show()
        task = self.session.run(load_queue, self.session.ctx, owner=self)
        task.succeeded.connect(lambda found: self._loaded(*found))
        task.failed.connect(self._failed)

    def _loaded(self, charges: list[ChargeView], visits: list[VisitToBill]) -> None:
        self.busy.hide()
        kept = self.chosen()
        self.model.set_charges(charges)
        self.visits = visits
        ready = sum(1 for c in charges if blocker(c) is None)
        lines = _tr("1 line") if len(charges) == 1 else _tr("{n} lines").format(n=len(charges))
        self.count.setText(
            _tr("{lines}, {ready} ready to post").format(lines=lines, ready=ready)
            if charges
            else ""
        )
        self.table.setVisible(bool(charges))
        self.empty.setVisible(not charges)
        self.post_ready_button.setEnabled(ready > 0)
        more = "+" if len(visits) >= MAX_LIST else ""
        self.visits_note.setText(
            _tr(
                "{n}{more} signed visits have no charges yet (signed before a fee schedule "
                "could price them, or brought in from before Stethos)."
            ).format(n=len(visits), more=more)
        )
        self.capture_button.setText(
            _tr("Capture the oldest {n}").format(n=min(len(visits), CAPTURE_AT_ONCE))
        )
        self.visits_note.setVisible(bool(visits))
        self.capture_button.setVisible(bool(visits))
        row = self.model.row_of(kept.id) if kept else None
        if charges:
            self.table.selectRow(row if row is not None else 0)
        self._chosen()
        self.loaded.emit()

    def _failed(self, error: BaseException) -> None:
        self.busy.hide()
        self.message.show_as("error", error_message(error))

    # -- the chosen line -----------------------------------------------------------------

    def chosen(self) -> ChargeView | None:
        return self.model.row_at(self.table.currentIndex().row())

    def _chosen(self) -> None:
        charge = self.chosen()
        problem = blocker(charge) if charge else None
        for widget in (self.change_button, self.discard_button, self.account_button):
            widget.setEnabled(charge is not None)
        self.post_button.setEnabled(charge is not None and problem is None)
        if charge is None:
            self.why.setText("")
        elif problem:
            self.why.setText(problem)
        else:
            self.why.setText(
                _tr("Suggested because: {why}").format(why=charge.suggestion_reason or "—")
            )

    # -- actions -------------------------------------------------------------------------

    def post_chosen(self) -> None:
        charge = self.chosen()
        if charge is None:
            return
        problem = blocker(charge)
        if problem:
            self.message.show_as("error", problem)
            return
        self._post([charge.id])

    def post_ready(self) -> None:
        ready = self.model.ready_ids()
        if ready:
            self._post(ready)

    def _post(self, charge_ids: list[str]) -> None:
        self.message.clear_message()
        self.busy.show()
        task = self.session.run(post_charges, self.session.ctx, charge_ids, owner=self)
        task.succeeded.connect(
            lambda n: self.message.show_as("notice", _tr("Posted {n} lines.").format(n=n))
        )
        task.failed.connect(self._failed)

    def change_chosen(self) -> None:
        charge = self.chosen()
        if charge is not None:
            ChargeEditDialog(self.session, charge, self).open()

    def discard_chosen(self) -> None:
        charge = self.chosen()
        if charge is None:
            return
        service = ChargeCaptureService(self.session.ctx)
        ReasonDialog(
            self.session,
            _tr("Discard charge"),
            _tr(
                "{code} for {patient} will not be billed. It stays on record as discarded, "
                "with your reason."
            ).format(code=charge.procedure_code, patient=charge.patient_name),
            _tr("Discard"),
            lambda reason: service.discard(charge.id, reason),
            self,
            placeholder=_tr("e.g. courtesy visit, not billed"),
            missing=_tr("Say why: the reason is kept with the charge."),
        ).open()

    def capture_waiting(self) -> None:
        if not self.visits:
            return
        # A visit takes tens of milliseconds to read for its codes: a batch at a time
        # keeps the worker free for everyone else's screens.
        ids = [visit.encounter_id for visit in self.visits[:CAPTURE_AT_ONCE]]
        self.busy.show()
        task = self.session.run(capture_visits, self.session.ctx, ids, owner=self)
        task.failed.connect(self._failed)

    def _open_account(self) -> None:
        charge = self.chosen()
        if charge is not None:
            self.account_requested.emit(charge.patient_id)

    # -- Page-like -----------------------------------------------------------------------

    def clear_sensitive(self) -> None:
        self.model.set_charges(())
        self.visits = []
        self.count.setText("")
        self.visits_note.hide()
        self.capture_button.hide()
        self.table.hide()
        self.empty.hide()
        self.why.setText("")
        self.message.clear_message()
        self.busy.hide()
        self._chosen()
