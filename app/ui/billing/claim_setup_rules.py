"""The practice's own claim rules: a list, and Add…, Change… and Remove… (asked first)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.claim_data import ScrubRuleView
from app.services.claim_payer_rules import PayerClaimRules
from app.services.claims_setup import ClaimSetupService
from app.ui.billing.claim_setup_fields import field_label, rule_text
from app.ui.billing.scrub_rule_dialog import ScrubRuleDialog
from app.ui.session import DesktopSession
from app.ui.table_model import ListTableModel
from app.ui.tables import style_row_table
from app.ui.tasks import error_message
from app.ui.widgets import (
    MessageLabel,
    add_shortcuts,
    box_button,
    button,
    card,
    message_box,
    pressed_name,
    text_label,
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("ScrubRulesCard", text)


class ScrubRulesModel(ListTableModel[ScrubRuleView]):
    NAME, FIELD, CHECK, PAYER, EFFECT = range(5)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            [_tr("Rule"), _tr("Checks"), _tr("How"), _tr("Payer"), _tr("When broken")], parent
        )

    def set_rules(self, rules: Sequence[ScrubRuleView]) -> None:
        self._set_rows(rules)

    def cell_text(self, item: ScrubRuleView, column: int) -> str:
        match column:
            case self.NAME:
                return item.name
            case self.FIELD:
                return field_label(item.field)
            case self.CHECK:
                return rule_text(item.check, item.argument)
            case self.PAYER:
                return item.payer_name or _tr("All payers")
            case self.EFFECT:
                if not item.active:
                    return _tr("Off")
                return _tr("Stops sending") if item.blocks_submission else _tr("Warns")
        return ""

    def cell_tip(self, item: ScrubRuleView, column: int) -> str | None:
        return field_label(item.field) if column == self.FIELD else item.message


class ScrubRulesCard(QWidget):
    loaded = Signal()

    def __init__(self, session: DesktopSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.payers: list[PayerClaimRules] = []
        self.model = ScrubRulesModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        style_row_table(
            self.table, _tr("Practice claim rules"), stretch_column=ScrubRulesModel.NAME
        )
        # A rule's name is free text: it takes what is left and elides; what it checks
        # keeps a fixed share (the full label is in the tooltip).
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(ScrubRulesModel.FIELD, QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(ScrubRulesModel.FIELD, 170)
        self.table.setMinimumHeight(150)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._chosen())
        self.table.doubleClicked.connect(lambda _index: self.change_chosen())
        self.empty = text_label(
            _tr("No rules of the practice's own yet: Stethos's standard checks still run."),
            "muted",
        )
        self.add_button = button(_tr("Add rule…"), _tr("Add claim rule"), icon_name="plus")
        self.add_button.clicked.connect(self.add)
        self.change_button = button(_tr("Change…"), _tr("Change claim rule"), icon_name="edit")
        self.change_button.clicked.connect(self.change_chosen)
        self.remove_button = button(_tr("Remove…"), _tr("Remove claim rule"))
        self.remove_button.clicked.connect(self.remove_chosen)
        self.message = MessageLabel("error", _tr("Claim rules message"))

        frame, body = card(20, 10)
        body.addWidget(text_label(_tr("The practice's claim rules"), "heading"))
        body.addWidget(
            text_label(
                _tr("Your own checks, e.g. a payer that needs a group number or a modifier."),
                "muted",
            )
        )
        body.addWidget(self.table, 1)
        # Without the table, the words take its room (at the top), not the card's spacing.
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop)
        body.addWidget(self.empty, 1)
        actions = QHBoxLayout()
        actions.setSpacing(8)
        actions.addWidget(self.add_button)
        actions.addWidget(self.change_button)
        actions.addStretch(1)
        actions.addWidget(self.remove_button)
        body.addLayout(actions)
        body.addWidget(self.message)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(frame)
        add_shortcuts(self.table, [("Return", self.change_chosen), ("Delete", self.remove_chosen)])
        self._chosen()

    def reload(self) -> None:
        task = self.session.run(
            lambda ctx: ClaimSetupService(ctx).rules(), self.session.ctx, owner=self
        )
        task.succeeded.connect(self._loaded)
        task.failed.connect(self._failed)

    def _loaded(self, rules: list[ScrubRuleView]) -> None:
        kept = self.chosen()
        self.model.set_rules(rules)
        self.table.setVisible(bool(rules))
        self.empty.setVisible(not rules)
        row = self.model.row_of(kept.id) if kept else None
        if rules:
            self.table.selectRow(row if row is not None else 0)
        self._chosen()
        self.loaded.emit()

    def chosen(self) -> ScrubRuleView | None:
        return self.model.row_at(self.table.currentIndex().row())

    def _chosen(self) -> None:
        rule = self.chosen()
        self.change_button.setEnabled(rule is not None)
        self.remove_button.setEnabled(rule is not None)

    def add(self) -> None:
        self._edit(None)

    def change_chosen(self) -> None:
        rule = self.chosen()
        if rule is not None:
            self._edit(rule)

    def _edit(self, rule: ScrubRuleView | None) -> None:
        self.message.clear_message()
        dialog = ScrubRuleDialog(self.session, self.payers, rule, self)
        dialog.saved.connect(lambda _rule: self.reload())
        dialog.open()

    def remove_chosen(self) -> None:
        rule = self.chosen()
        if rule is None:
            return
        box = message_box(
            self,
            QMessageBox.Icon.Question,
            _tr("Remove claim rule"),
            _tr("Remove the rule “{name}”? Claims are no longer checked for it.").format(
                name=rule.name
            ),
        )
        box_button(box, _tr("Remove"), object_name="remove")
        box_button(box, _tr("Cancel"), role=QMessageBox.ButtonRole.RejectRole)
        if pressed_name(box) != "remove":
            return
        service = ClaimSetupService(self.session.ctx)
        task = self.session.run(service.remove_rule, rule.id, owner=self)
        task.succeeded.connect(lambda _none: self.reload())
        task.failed.connect(self._failed)

    def _failed(self, error: BaseException) -> None:
        self.message.show_as("error", error_message(error))

    def clear_sensitive(self) -> None:
        self.model.set_rules(())
        self.table.hide()
        self.empty.hide()
        self.message.clear_message()
        self._chosen()
