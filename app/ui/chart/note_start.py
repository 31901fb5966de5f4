"""Starting a note: which template, and which visit it belongs to. A chart opened from an
arrived appointment documents that visit; otherwise the clinician says what kind of contact
it is and with which physician."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QComboBox, QWidget

from app.models import EncounterType, NoteKind, Role
from app.services.context import AppContext
from app.services.encounters import EncounterInput, EncounterService
from app.services.note_data import ENCOUNTER_TYPE_LABELS, NoteStart, NoteView, TemplateView
from app.services.note_templates import NoteTemplateService
from app.services.notes import NoteService
from app.services.schedule_data import ProviderView
from app.services.schedule_setup import ScheduleSetupService
from app.ui.patients.dialogs import PatientDialog
from app.ui.session import DesktopSession
from app.ui.widgets import form_layout, form_row, text_label


@dataclass(frozen=True)
class NoteChoices:
    templates: list[TemplateView]
    physicians: list[ProviderView]


def load_note_choices(ctx: AppContext) -> NoteChoices:
    physicians = [p for p in ScheduleSetupService(ctx).providers() if p.physician]
    return NoteChoices(NoteTemplateService(ctx).templates(), physicians)


def start_note(
    ctx: AppContext,
    patient_id: str,
    template: TemplateView,
    appointment_id: str | None,
    visit: EncounterInput | None,
) -> NoteView:
    """Open (or find) the visit's encounter, then start a draft in it from `template`."""
    encounters = EncounterService(ctx)
    if appointment_id is not None:
        encounter = encounters.open_for_appointment(appointment_id)
    else:
        assert visit is not None
        encounter = encounters.open(patient_id, visit)
    return NoteService(ctx).start(patient_id, NoteStart(template.kind, template.id, encounter.id))


class NewNoteDialog(PatientDialog):
    """Emits nothing itself: `started` is the note, delivered by `done`."""

    def __init__(
        self,
        session: DesktopSession,
        patient_id: str,
        appointment_id: str | None,
        choices: NoteChoices,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(session, self.tr("New note"), self.tr("Start note"), parent)
        self.patient_id = patient_id
        self.appointment_id = appointment_id
        self.started: NoteView | None = None
        self.template = QComboBox()
        self.template.setAccessibleName(self.tr("Template"))
        for template in choices.templates:
            self.template.addItem(f"{template.name} · {template.kind_label}", template)
        self.visit_type = QComboBox()
        self.visit_type.setAccessibleName(self.tr("Visit type"))
        for kind, label in ENCOUNTER_TYPE_LABELS.items():
            self.visit_type.addItem(label, kind)
        self.physician = QComboBox()
        self.physician.setAccessibleName(self.tr("Physician"))
        actor = session.ctx.actor
        for person in choices.physicians:
            self.physician.addItem(person.name, person.id)
        physician = actor is not None and actor.role is Role.PHYSICIAN
        if physician and actor is not None:
            self.physician.setCurrentIndex(max(0, self.physician.findData(actor.user_id)))
        self.own_kind = NoteKind.DOCTOR if physician else NoteKind.NURSING
        if not physician:
            self.visit_type.setCurrentIndex(self.visit_type.findData(EncounterType.NURSING_VISIT))
        form = form_layout()
        form_row(form, self.tr("Template"), self.template)
        if appointment_id is None:
            form_row(form, self.tr("Visit type"), self.visit_type)
            form_row(form, self.tr("Physician"), self.physician)
            self.visit_type.currentIndexChanged.connect(self._type_chosen)
        else:
            self.content.addWidget(
                text_label(self.tr("The note belongs to today's appointment."), "muted")
            )
        self.content.addLayout(form)
        self._type_chosen()
        self.resize(480, self.sizeHint().height())

    def _type_chosen(self) -> None:
        """Suggest the template for this kind of visit, of the clinician's own kind of note
        (a physician's visit note, a nurse's nursing note)."""
        visit = self.visit_type.currentData()
        templates = [self.template.itemData(i) for i in range(self.template.count())]

        def fit(template: TemplateView) -> tuple[bool, bool]:
            return (template.kind is not self.own_kind, template.encounter_type is not visit)

        if templates:
            best = min(templates, key=fit)
            self.template.setCurrentIndex(templates.index(best))

    def submit(self) -> None:
        template: TemplateView | None = self.template.currentData()
        if template is None:
            self.message.show_message(self.tr("The practice has no note templates yet."))
            return
        visit = None
        if self.appointment_id is None:
            physician = self.physician.currentData()
            if not physician:
                self.message.show_message(self.tr("Choose the physician responsible."))
                return
            visit = EncounterInput(EncounterType(self.visit_type.currentData()), physician)
        self.run(
            start_note,
            self.session.ctx,
            self.patient_id,
            template,
            self.appointment_id,
            visit,
            done=self._started,
        )

    def _started(self, note: NoteView) -> None:
        self.started = note
        self.accept()
