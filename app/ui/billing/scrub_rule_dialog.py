"""Add or change one of the practice's own claim rules: which part of the claim, what to
check, the message the biller reads, for which payer, and whether it stops submission.
A rule that cannot work (a bad pattern, days on a field that is not a date) is refused in
words by the service, and everything typed stays."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QVBoxLayout, QWidget

from app.models import ScrubCheck
from app.services.claim_data import ScrubRuleInput, ScrubRuleView
from app.services.claim_payer_rules import PayerClaimRules
from app.services.claims_setup import ClaimSetupService
from app.ui.billing.claim_setup_fields import ARGUMENT_HINTS, CHECK_LABELS, RULE_FIELDS
from app.ui.patients.dialogs import PatientDialog
from app.ui.patients.fields import compact, select_data, text_field
from app.ui.session import DesktopSession
from app.ui.widgets import add_shortcuts, form_layout, form_row, inline_row, text_label


def _tr(text: str) -> str:
    return QCoreApplication.translate("ScrubRuleDialog", text)


class ScrubRuleDialog(PatientDialog):
    saved = Signal(object)  # ScrubRuleView

    def __init__(
        self,
        session: DesktopSession,
        payers: Sequence[PayerClaimRules],
        rule: ScrubRuleView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        title = _tr("Change claim rule") if rule else _tr("Add a claim rule")
        super().__init__(
            session,
            title,
            _tr("Save rule"),
            parent,
            subtitle=_tr("Checked on every claim before it is sent, beside Stethos's own checks."),
        )
        self.rule = rule
        self.setMinimumWidth(620)
        self.name = text_field(_tr("Rule name"), _tr("e.g. Acme needs a group number"), 100)
        self.field = compact(QComboBox(), 30)
        self.field.setAccessibleName(_tr("Field checked"))
        for path, label in RULE_FIELDS.items():
            self.field.addItem(label, path)
        if rule and rule.field not in RULE_FIELDS:  # saved with a field not listed here
            self.field.addItem(rule.field, rule.field)
        self.check = compact(QComboBox(), 20)
        self.check.setAccessibleName(_tr("Check"))
        for check, label in CHECK_LABELS.items():
            self.check.addItem(label, check.value)
        self.check.currentIndexChanged.connect(lambda _i: self._check_changed())
        self.argument = text_field(_tr("Argument"), "", 500)
        self.argument_hint = text_label("", "hint")
        self.text = text_field(
            _tr("Message"), _tr("What the biller reads, e.g. Add the group number."), 300
        )
        self.payer = compact(QComboBox(), 24)
        self.payer.setAccessibleName(_tr("Payer"))
        self.payer.addItem(_tr("All payers"), None)
        for payer in payers:
            self.payer.addItem(f"{payer.name} ({payer.payer_code})", payer.id)
        self.blocks = QCheckBox(_tr("Stops the claim from being sent (else a warning)"))
        self.blocks.setAccessibleName(_tr("Blocks submission"))
        self.active = QCheckBox(_tr("Active"))
        self.active.setAccessibleName(_tr("Rule active"))

        form = form_layout()
        form_row(form, _tr("&Name"), self.name)
        form_row(form, _tr("&Field"), self.field)
        form_row(form, _tr("C&heck"), self.check)
        argument = QWidget()
        column = QVBoxLayout(argument)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        column.addWidget(self.argument)
        column.addWidget(self.argument_hint)
        form_row(form, _tr("&Argument"), argument, self.argument)
        form_row(form, _tr("&Message"), self.text)
        form_row(form, _tr("&Payer"), self.payer)
        form.addRow("", inline_row(self.blocks, 12, self.active))
        self.content.addLayout(form)

        self.name.setText(rule.name if rule else "")
        select_data(self.field, rule.field if rule else next(iter(RULE_FIELDS)))
        select_data(self.check, (rule.check if rule else ScrubCheck.REQUIRED).value)
        self.argument.setText(rule.argument if rule else "")
        self.text.setText(rule.message if rule else "")
        select_data(self.payer, rule.payer_id if rule else None)
        self.blocks.setChecked(rule.blocks_submission if rule else True)
        self.active.setChecked(rule.active if rule else True)
        self._check_changed()
        add_shortcuts(self, [("Ctrl+S", self.submit), ("Ctrl+Return", self.submit)])
        self.name.setFocus()

    def _check_changed(self) -> None:
        check = ScrubCheck(self.check.currentData())
        self.argument_hint.setText(ARGUMENT_HINTS[check])
        self.argument.setEnabled(check is not ScrubCheck.REQUIRED)

    def input(self) -> ScrubRuleInput:
        check = ScrubCheck(self.check.currentData())
        return ScrubRuleInput(
            name=self.name.text(),
            field=str(self.field.currentData()),
            check=check,
            argument="" if check is ScrubCheck.REQUIRED else self.argument.text(),
            message=self.text.text(),
            payer_id=self.payer.currentData(),
            blocks_submission=self.blocks.isChecked(),
            active=self.active.isChecked(),
        )

    def submit(self) -> None:
        service = ClaimSetupService(self.session.ctx)
        rule_id = self.rule.id if self.rule else None
        self.run(service.save_rule, rule_id, self.input(), done=self._saved)

    def _saved(self, rule: ScrubRuleView) -> None:
        self.saved.emit(rule)
        self.accept()
