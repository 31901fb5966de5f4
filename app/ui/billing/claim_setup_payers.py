"""Each payer's claim rules: how many days after the service it takes a claim (timely
filing) and what kind of payer it is on the claim (SBR09). Choose a payer, change, Save."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QSpinBox, QTableView, QVBoxLayout, QWidget

from app.services.claim_payer_rules import PayerClaimRules, PayerClaimRulesService
from app.services.claims_setup import FILING_INDICATORS, ClaimSetupService
from app.services.context import AppContext
from app.ui.patients.fields import compact, select_data
from app.ui.session import DesktopSession
from app.ui.table_model import ListTableModel
from app.ui.tables import style_row_table
from app.ui.tasks import error_message
from app.ui.widgets import MessageLabel, button, card, inline_row, text_label


def _tr(text: str) -> str:
    return QCoreApplication.translate("PayerRulesCard", text)


def kind_label(indicator: str) -> str:
    return FILING_INDICATORS.get(indicator, indicator)


class PayerRulesModel(ListTableModel[PayerClaimRules]):
    NAME, CODE, DAYS, KIND = range(4)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__([_tr("Payer"), _tr("Payer ID"), _tr("Timely filing"), _tr("Kind")], parent)

    def set_payers(self, payers: Sequence[PayerClaimRules]) -> None:
        self._set_rows(payers)

    def cell_text(self, item: PayerClaimRules, column: int) -> str:
        match column:
            case self.NAME:
                return item.name
            case self.CODE:
                return item.payer_code
            case self.DAYS:
                return _tr("{n} days").format(n=item.timely_filing_days)
            case self.KIND:
                return kind_label(item.filing_indicator)
        return ""

    def cell_alignment(self, column: int) -> int | None:
        if column == self.DAYS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def save_payer_rules(
    ctx: AppContext, payer_id: str, days: int, indicator: str
) -> list[PayerClaimRules]:
    ClaimSetupService(ctx).set_payer_claim_rules(payer_id, days, indicator)
    return PayerClaimRulesService(ctx).payers()


class PayerRulesCard(QWidget):
    loaded = Signal(object)  # list[PayerClaimRules]

    def __init__(self, session: DesktopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.model = PayerRulesModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        style_row_table(self.table, _tr("Payers' claim rules"), stretch_column=0)
        self.table.setMinimumHeight(150)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._chosen())
        self.empty = text_label(
            _tr("No payers yet: they are added with a patient's insurance."), "muted"
        )
        self.days = QSpinBox()
        self.days.setAccessibleName(_tr("Timely filing days"))
        self.days.setRange(1, 3650)
        self.days.setSuffix(_tr(" days"))
        self.days.setFixedWidth(120)
        self.kind = compact(QComboBox(), 18)
        self.kind.setAccessibleName(_tr("Payer kind"))
        for code, label in FILING_INDICATORS.items():
            self.kind.addItem(label, code)
        self.save_button = button(_tr("Save payer"), _tr("Save payer rules"))
        self.save_button.clicked.connect(self.save)
        self.message = MessageLabel("error", _tr("Payer rules message"))

        frame, body = card(20, 10)
        body.addWidget(text_label(_tr("Payers' claim rules"), "heading"))
        body.addWidget(
            text_label(
                _tr("Claims later than the payer's limit are flagged before they are sent."),
                "muted",
            )
        )
        body.addWidget(self.table, 1)
        # Without the table, the words take its room (at the top), not the card's spacing.
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop)
        body.addWidget(self.empty, 1)
        editor = QHBoxLayout()
        editor.addWidget(inline_row(_tr("Files within"), self.days, _tr("as"), self.kind, None), 1)
        editor.addWidget(self.save_button)
        body.addLayout(editor)
        body.addWidget(self.message)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(frame)
        self._chosen()

    def reload(self) -> None:
        task = self.session.run(
            lambda ctx: PayerClaimRulesService(ctx).payers(), self.session.ctx, owner=self
        )
        task.succeeded.connect(self._loaded)
        task.failed.connect(self._failed)

    def _loaded(self, payers: list[PayerClaimRules]) -> None:
        kept = self.chosen()
        self.model.set_payers(payers)
        self.table.setVisible(bool(payers))
        self.empty.setVisible(not payers)
        row = self.model.row_of(kept.id) if kept else None
        if payers:
            self.table.selectRow(row if row is not None else 0)
        self._chosen()
        self.loaded.emit(payers)

    def chosen(self) -> PayerClaimRules | None:
        return self.model.row_at(self.table.currentIndex().row())

    def _chosen(self) -> None:
        payer = self.chosen()
        for widget in (self.days, self.kind, self.save_button):
            widget.setEnabled(payer is not None)
        if payer is not None:
            self.days.setValue(payer.timely_filing_days)
            select_data(self.kind, payer.filing_indicator)

    def save(self) -> None:
        payer = self.chosen()
        if payer is None:
            return
        self.message.clear_message()
        task = self.session.run(
            save_payer_rules,
            self.session.ctx,
            payer.id,
            self.days.value(),
            str(self.kind.currentData()),
            owner=self,
        )
        task.succeeded.connect(self._saved)
        task.failed.connect(self._failed)

    def _saved(self, payers: list[PayerClaimRules]) -> None:
        self._loaded(payers)
        payer = self.chosen()
        if payer is not None:
            self.message.show_as("notice", _tr("Saved {payer}.").format(payer=payer.name))

    def _failed(self, error: BaseException) -> None:
        self.message.show_as("error", error_message(error))

    def clear_sensitive(self) -> None:
        self.model.set_payers(())
        self.table.hide()
        self.empty.hide()
        self.message.clear_message()
        self._chosen()
