"""Adding past medical or surgical history and family history. The condition is typed as
words; an ICD-10-CM code may be chosen from the matches, but need not be."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import QButtonGroup, QCheckBox, QRadioButton, QWidget

from app.models import HistoryKind
from app.services.histories import (
    KIND_LABELS,
    MAX_AGE_AT_ONSET,
    RELATIVES,
    FamilyHistoryInput,
    HistoryService,
    PastHistoryInput,
)
from app.services.problems import ProblemService
from app.ui.chart.fact_forms import choice_combo, note_box, note_row
from app.ui.chart.list_tab import FactDialog
from app.ui.chart.problem_dialogs import Icd10Picker
from app.ui.patients.fields import text_field
from app.ui.session import DesktopSession
from app.ui.widgets import form_layout, form_row, inline_row, text_label


def _tr(text: str) -> str:
    return QCoreApplication.translate("HistoryDialogs", text)


class _ConditionDialog(FactDialog):
    """A form whose condition is words, optionally coded from ICD-10-CM."""

    def _condition_picker(self, session: DesktopSession) -> Icd10Picker:
        picker = Icd10Picker(
            session,
            ProblemService(session.ctx).search_codes,
            name=_tr("Condition"),
            free_text=True,
        )
        picker.box.setPlaceholderText(_tr("Type the condition; choose a code if one fits"))
        picker.box.setMaxLength(300)
        return picker

    def _condition(self, picker: Icd10Picker) -> tuple[str | None, str]:
        """(the chosen code, the words): a chosen code brings its own description."""
        if picker.chosen is not None:
            return picker.chosen.code, ""
        return None, picker.text

    def _hint(self) -> QWidget:
        return text_label(
            _tr("A code is optional: the words typed are kept when none is chosen."), "hint"
        )


class AddPastHistoryDialog(_ConditionDialog):
    def __init__(
        self, session: DesktopSession, patient_id: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(session, _tr("Add past history"), _tr("Save"), parent)
        self.setMinimumWidth(700)
        self.patient_id = patient_id
        self.service = HistoryService(session.ctx)
        self.kinds: dict[HistoryKind, QRadioButton] = {}
        group = QButtonGroup(self)
        for kind in HistoryKind:
            radio = QRadioButton(_tr(KIND_LABELS[kind]))
            radio.setAccessibleName(_tr(KIND_LABELS[kind]))
            group.addButton(radio)
            self.kinds[kind] = radio
        self.kinds[HistoryKind.MEDICAL].setChecked(True)
        self.picker = self._condition_picker(session)
        self.when = text_field(_tr("When"), _tr("e.g. 2015, childhood, Mar 2019"), 40)
        self.when.setFixedWidth(240)
        self.note = note_box(_tr("History note"))
        form = form_layout()
        medical = self.kinds[HistoryKind.MEDICAL]
        form_row(form, _tr("Kind"), inline_row(*self.kinds.values()), medical)
        form_row(form, _tr("Condition"), self.picker, self.picker.box)
        form_row(form, _tr("When"), self.when)
        note_row(form, _tr("Note"), self.note)
        self.content.addLayout(form)
        self.content.addWidget(self._hint())
        self.picker.setFocus()

    def submit(self) -> None:
        code, words = self._condition(self.picker)
        kind = next(k for k, radio in self.kinds.items() if radio.isChecked())
        data = PastHistoryInput(kind, words, code, self.when.text(), self.note.toPlainText())
        self.run(self.service.add_past, self.patient_id, data, done=self._saved)


class AddFamilyHistoryDialog(_ConditionDialog):
    def __init__(
        self, session: DesktopSession, patient_id: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(session, _tr("Add family history"), _tr("Save"), parent)
        self.setMinimumWidth(700)
        self.patient_id = patient_id
        self.service = HistoryService(session.ctx)
        self.relative = choice_combo(
            _tr("Relative"),
            ((key, _tr(label)) for key, label in RELATIVES.items()),
            blank=_tr("Choose…"),
        )
        self.picker = self._condition_picker(session)
        self.age = text_field(_tr("Age at onset"), _tr("years"), 3)
        self.age.setValidator(QIntValidator(0, MAX_AGE_AT_ONSET, self.age))
        self.age.setFixedWidth(90)
        self.deceased = QCheckBox(_tr("Deceased"))
        self.deceased.setAccessibleName(_tr("Deceased"))
        self.note = note_box(_tr("Family history note"))
        form = form_layout()
        form_row(form, _tr("Relative"), self.relative)
        form_row(form, _tr("Condition"), self.picker, self.picker.box)
        age_row = inline_row(self.age, _tr("blank if not known"), 24, self.deceased)
        form_row(form, _tr("Age at onset"), age_row, self.age)
        note_row(form, _tr("Note"), self.note)
        self.content.addLayout(form)
        self.content.addWidget(self._hint())
        self.relative.setFocus()

    def submit(self) -> None:
        relative = self.relative.currentData()
        if not relative:
            self.message.show_message(_tr("Choose the relative."))
            self.relative.setFocus()
            return
        code, words = self._condition(self.picker)
        age = int(self.age.text()) if self.age.text().isdigit() else None
        data = FamilyHistoryInput(
            relative=str(relative),
            condition=words,
            icd10_code=code,
            age_at_onset=age,
            deceased=self.deceased.isChecked(),
            note=self.note.toPlainText(),
        )
        self.run(self.service.add_family, self.patient_id, data, done=self._saved)
