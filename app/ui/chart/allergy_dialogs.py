"""Recording an allergy or intolerance, and changing one (inactivate, resolve, reactivate,
correct the reaction, severity or criticality)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QWidget

from app.models import AllergyCategory, AllergyStatus, AllergyType, Criticality, Severity
from app.services.allergies import (
    STATUS_LABELS,
    AllergyChange,
    AllergyInput,
    AllergyService,
    AllergyView,
)
from app.ui.chart.fact_forms import (
    choice_combo,
    date_field,
    not_said,
    note_box,
    note_row,
    read_date,
)
from app.ui.chart.list_tab import FactDialog
from app.ui.patients.fields import combo_enum, text_field
from app.ui.session import DesktopSession
from app.ui.widgets import form_layout, form_row, text_label


def _tr(text: str) -> str:
    return QCoreApplication.translate("AllergyDialogs", text)


def category_label(category: AllergyCategory) -> str:
    return {
        AllergyCategory.MEDICATION: _tr("Medication"),
        AllergyCategory.FOOD: _tr("Food"),
        AllergyCategory.ENVIRONMENT: _tr("Environment"),
        AllergyCategory.OTHER: _tr("Other"),
    }[category]


def type_label(kind: AllergyType) -> str:
    return {AllergyType.ALLERGY: _tr("Allergy"), AllergyType.INTOLERANCE: _tr("Intolerance")}[kind]


def severity_label(severity: Severity | None) -> str:
    if severity is None:
        return ""
    return {
        Severity.MILD: _tr("Mild"),
        Severity.MODERATE: _tr("Moderate"),
        Severity.SEVERE: _tr("Severe"),
    }[severity]


def criticality_label(criticality: Criticality | None) -> str:
    if criticality is None:
        return ""
    return {
        Criticality.LOW: _tr("Low"),
        Criticality.HIGH: _tr("High"),
        Criticality.UNABLE_TO_ASSESS: _tr("Unable to assess"),
    }[criticality]


def status_label(view: AllergyView) -> str:
    return _tr(view.status_label)


def _severity_combo(current: Severity | None = None) -> QComboBox:
    return choice_combo(
        _tr("Severity"),
        ((s, severity_label(s)) for s in Severity),
        blank=not_said(),
        current=current,
    )


def _criticality_combo(current: Criticality | None = None) -> QComboBox:
    combo = choice_combo(
        _tr("Criticality"),
        ((c, criticality_label(c)) for c in Criticality),
        blank=not_said(),
        current=current,
    )
    combo.setToolTip(_tr("The risk of a future life-threatening reaction"))
    return combo


class _AllergyForm(FactDialog):
    """The fields a new allergy and a change share: reaction, severity, criticality, note."""

    def _shared_fields(self, view: AllergyView | None = None) -> None:
        self.reaction = text_field(
            _tr("Reaction"), _tr("e.g. hives, anaphylaxis, nausea"), max_length=300
        )
        self.reaction.setText(view.reaction or "" if view is not None else "")
        self.severity = _severity_combo(view.severity if view else None)
        self.criticality = _criticality_combo(view.criticality if view else None)
        self.note = note_box(_tr("Allergy note"), view.note if view else None)

    def _add_shared_rows(self, form: QFormLayout) -> None:
        form_row(form, _tr("Reaction"), self.reaction)
        form_row(form, _tr("Severity"), self.severity)
        form_row(form, _tr("Criticality"), self.criticality)


class AddAllergyDialog(_AllergyForm):
    def __init__(
        self, session: DesktopSession, patient_id: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(session, _tr("Record allergy"), _tr("Save"), parent)
        self.setMinimumWidth(520)
        self.patient_id = patient_id
        self.service = AllergyService(session.ctx)
        self.substance: QLineEdit = text_field(
            _tr("Substance"), _tr("e.g. Penicillin, Peanut, Latex"), max_length=200
        )
        self._shared_fields()
        self.category = choice_combo(
            _tr("Category"), ((c, category_label(c)) for c in AllergyCategory)
        )
        self.kind = choice_combo(_tr("Type"), ((t, type_label(t)) for t in AllergyType))
        self.onset = date_field(_tr("Onset date"))
        form = form_layout()
        form_row(form, _tr("Substance"), self.substance)
        self._add_shared_rows(form)
        form_row(form, _tr("Category"), self.category)
        form_row(form, _tr("Type"), self.kind)
        form_row(form, _tr("Onset"), self.onset)
        note_row(form, _tr("Note"), self.note)
        self.content.addLayout(form)
        self.content.addWidget(
            text_label(
                _tr("Recording an allergy replaces a standing “No known allergies”."), "hint"
            )
        )
        self.substance.setFocus()

    def submit(self) -> None:
        ok, onset = read_date(self.onset, self)
        if not ok:
            return
        data = AllergyInput(
            substance=self.substance.text(),
            category=combo_enum(self.category, AllergyCategory) or AllergyCategory.MEDICATION,
            type=combo_enum(self.kind, AllergyType) or AllergyType.ALLERGY,
            reaction=self.reaction.text(),
            severity=combo_enum(self.severity, Severity),
            criticality=combo_enum(self.criticality, Criticality),
            onset_on=onset,
            note=self.note.toPlainText(),
        )
        self.run(self.service.add, self.patient_id, data, done=self._saved)


class UpdateAllergyDialog(_AllergyForm):
    def __init__(
        self, session: DesktopSession, allergy: AllergyView, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            session,
            _tr("Change allergy"),
            _tr("Save"),
            parent,
            subtitle=allergy.substance,
        )
        self.setMinimumWidth(520)
        self.allergy = allergy
        self.service = AllergyService(session.ctx)
        # Inactivating is the usual reason to come to an active allergy.
        suggested = (
            AllergyStatus.INACTIVE
            if allergy.status is AllergyStatus.ACTIVE
            else AllergyStatus.ACTIVE
        )
        self.status = choice_combo(
            _tr("Status"),
            ((s, _tr(STATUS_LABELS[s])) for s in AllergyStatus),
            current=suggested,
        )
        self._shared_fields(allergy)
        form = form_layout()
        form_row(form, _tr("Status"), self.status)
        self._add_shared_rows(form)
        note_row(form, _tr("Note"), self.note)
        self.content.addLayout(form)
        self.status.setFocus()

    def submit(self) -> None:
        change = AllergyChange(
            status=combo_enum(self.status, AllergyStatus) or self.allergy.status,
            reaction=self.reaction.text(),
            severity=combo_enum(self.severity, Severity),
            criticality=combo_enum(self.criticality, Criticality),
            note=self.note.toPlainText(),
        )
        self.run(
            self.service.update, self.allergy.id, change, self.allergy.version, done=self._saved
        )
