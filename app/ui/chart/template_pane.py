"""The Templates tab of the note-template editor: the practice's templates on the left, the
chosen one on the right (name, kind of note, visit type and its sections).

Saving goes through the editor dialog (its Save button, Ctrl+S), so a refusal shows in the
dialog and what was typed stays. A retired template is shown read-only: it can be duplicated
into a new one, not changed."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QCoreApplication, QModelIndex, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.models import EncounterType, NoteKind
from app.services.errors import ConcurrentChange, DomainError
from app.services.note_data import (
    ENCOUNTER_TYPE_LABELS,
    KIND_LABELS,
    TemplateInput,
    TemplateView,
)
from app.services.note_templates import MAX_NAME, NoteTemplateService, checked_section
from app.ui.chart.template_prompts import confirm_retire, discard_changes
from app.ui.chart.template_sections import SectionsEditor
from app.ui.patients.dialogs import PatientDialog
from app.ui.patients.fields import labeled
from app.ui.table_model import ROW_ROLE, ListTableModel
from app.ui.tables import style_row_table
from app.ui.tasks import error_message
from app.ui.widgets import button, text_label

_RETIRED_INK = QColor("#8d99a4")


def _tr(text: str) -> str:
    return QCoreApplication.translate("TemplatesPane", text)


class TemplateColumn(IntEnum):
    NAME = 0
    KIND = 1
    VISIT = 2


class TemplateListModel(ListTableModel[TemplateView]):
    """Active templates first, then the retired ones (greyed), each by name."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(("Template", "Note kind", "Visit type"), parent)

    def set_templates(self, templates: list[TemplateView]) -> None:
        self._set_rows(sorted(templates, key=lambda t: (not t.active, t.name.casefold())))

    def cell_text(self, item: TemplateView, column: int) -> str:
        if column == TemplateColumn.NAME:
            return item.name if item.active else _tr("{name} (retired)").format(name=item.name)
        if column == TemplateColumn.KIND:
            return _tr(item.kind_label)
        return _tr(item.encounter_type_label)

    def cell_tip(self, item: TemplateView, column: int) -> str | None:
        return None if item.active else _tr("Retired: no longer offered for new notes.")

    def cell_ink(self, item: TemplateView, column: int) -> QColor | None:
        return None if item.active else _RETIRED_INK


class TemplatesPane(QWidget):
    """`loaded` when the list is on screen; `state_changed` when what Save can do changes."""

    loaded = Signal()
    state_changed = Signal()
    save_text = "Save template"

    def __init__(self, host: PatientDialog) -> None:
        super().__init__()
        self.host = host
        self.service = NoteTemplateService(host.session.ctx)
        self.shown: TemplateView | None = None  # None: a new template
        self._baseline: TemplateInput | None = None  # what the form held when shown
        self._settling = False  # the list's selection is being put back
        self._generation = 0

        self.model = TemplateListModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        style_row_table(self.table, self.tr("Note templates"), stretch_column=TemplateColumn.NAME)
        self.table.selectionModel().currentRowChanged.connect(self._row_chosen)
        self.new_button = button(self.tr("New template"), self.tr("New template"), icon_name="plus")
        self.new_button.setToolTip(self.tr("Start a blank template (Ctrl+Shift+N)"))
        self.new_button.clicked.connect(self.start_new)
        self.duplicate_button = button(self.tr("Duplicate"), self.tr("Duplicate template"))
        self.duplicate_button.setToolTip(self.tr("Start a new template from this one"))
        self.duplicate_button.clicked.connect(self.duplicate)
        self.retire_button = button(self.tr("Retire…"), self.tr("Retire template"))
        self.retire_button.setToolTip(self.tr("No longer offer this template for new notes"))
        self.retire_button.clicked.connect(self.retire)
        self.reload_button = button(
            self.tr("Reload template"), self.tr("Reload template"), variant="link"
        )
        self.reload_button.setToolTip(self.tr("Show the saved template (your changes are lost)"))
        self.reload_button.clicked.connect(self._reload_shown)
        self.reload_button.hide()

        self.form_title = text_label("", "heading")
        self.retired_note = text_label(
            self.tr(
                "Retired: no longer offered for new notes; notes written with it are "
                "unchanged. Duplicate it to use it again."
            ),
            "muted",
        )
        self.name = QLineEdit()
        self.name.setAccessibleName(self.tr("Template name"))
        self.name.setMaxLength(MAX_NAME)
        self.kind = QComboBox()
        self.kind.setAccessibleName(self.tr("Note kind"))
        for kind, label in KIND_LABELS.items():
            self.kind.addItem(_tr(label), kind)
        self.visit = QComboBox()
        self.visit.setAccessibleName(self.tr("Visit type"))
        self.visit.addItem(self.tr("Any visit"), None)
        for encounter_type, label in ENCOUNTER_TYPE_LABELS.items():
            self.visit.addItem(_tr(label), encounter_type)
        self.sections = SectionsEditor()

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(8)
        left_layout.addWidget(self.table, 1)
        left_buttons = QHBoxLayout()
        left_buttons.addWidget(self.new_button)
        left_buttons.addStretch(1)
        left_layout.addLayout(left_buttons)

        form = QHBoxLayout()
        form.setSpacing(12)
        form.addWidget(labeled(self.tr("Name"), self.name), 3)
        form.addWidget(labeled(self.tr("Note kind"), self.kind), 2)
        form.addWidget(labeled(self.tr("Visit type"), self.visit), 2)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(4, 0, 0, 0)
        right_layout.setSpacing(10)
        title_row = QHBoxLayout()
        title_row.addWidget(self.form_title, 1)
        title_row.addWidget(self.reload_button)
        title_row.addWidget(self.duplicate_button)
        title_row.addWidget(self.retire_button)
        right_layout.addLayout(title_row)
        right_layout.addWidget(self.retired_note)
        right_layout.addLayout(form)
        right_layout.addWidget(text_label(self.tr("Sections"), "heading"))
        right_layout.addWidget(self.sections, 1)

        splitter = QSplitter()
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([450, 740])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 14, 0, 0)
        layout.addWidget(splitter)
        self._show(None)

    # -- loading -------------------------------------------------------------------------

    def reload(self, select: str | None = None) -> None:
        """Fetch the list; show `select` (else keep what is shown, else the first)."""
        self._generation += 1
        generation = self._generation
        task = self.host.session.run(self.service.templates, include_retired=True, owner=self)
        task.succeeded.connect(lambda found: self._listed(found, select, generation))
        task.failed.connect(lambda error: self._load_failed(error, generation))

    def _listed(self, templates: list[TemplateView], select: str | None, generation: int) -> None:
        if generation != self._generation:
            return
        self.model.set_templates(templates)
        wanted = select or (self.shown.id if self.shown else None)
        row = self.model.row_of(wanted) if wanted else None
        if row is None and not (self.shown is None and self.dirty()):
            row = 0 if templates else None  # (a new template being written stays)
        self._settling = True
        if row is not None:
            self.table.selectRow(row)
        else:
            self.table.setCurrentIndex(QModelIndex())
        self._settling = False
        chosen = self.model.row_at(row) if row is not None else None
        # Asked for by name, or changed elsewhere while nothing here is unsaved.
        if chosen is not None and (select or (chosen != self.shown and not self.dirty())):
            self._show(chosen)
        self.loaded.emit()

    def _load_failed(self, error: BaseException, generation: int) -> None:
        if generation == self._generation:
            self.host.message.show_as("error", error_message(error))

    def _row_chosen(self, current: QModelIndex, previous: QModelIndex) -> None:
        chosen = current.data(ROW_ROLE)
        if self._settling or not isinstance(chosen, TemplateView):
            return
        if self.shown is not None and chosen.id == self.shown.id:
            return
        if not self.confirm_discard():
            self._settling = True
            self.table.setCurrentIndex(previous)
            self._settling = False
            return
        self._show(chosen)

    # -- the form ------------------------------------------------------------------------

    def _show(self, template: TemplateView | None, *, draft: TemplateInput | None = None) -> None:
        """Put a saved template (or a new one: `draft`, else blank) in the form."""
        self.shown = template
        source = template or draft
        self.name.setText(source.name if source else "")
        kind = source.kind if source else NoteKind.DOCTOR
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        visit = source.encounter_type if source else None
        self.visit.setCurrentIndex(max(0, self.visit.findData(visit)) if visit else 0)
        self.sections.set_sections(source.sections if source else ())
        retired = template is not None and not template.active
        for field in (self.name, self.kind, self.visit):
            field.setEnabled(not retired)
        self.sections.set_read_only(retired)
        self.retired_note.setVisible(retired)
        self.retire_button.setEnabled(template is not None and template.active)
        self.duplicate_button.setEnabled(template is not None)
        self.reload_button.hide()
        self.form_title.setText(template.name if template else self.tr("New template"))
        self._baseline = self.value()
        self.state_changed.emit()

    def value(self) -> TemplateInput:
        visit = self.visit.currentData()
        return TemplateInput(
            name=self.name.text().strip(),
            kind=NoteKind(self.kind.currentData()),
            sections=self.sections.sections(),
            encounter_type=EncounterType(visit) if visit else None,
        )

    def dirty(self) -> bool:
        return self._baseline is not None and self.value() != self._baseline

    def can_save(self) -> bool:
        return self.shown is None or self.shown.active

    def confirm_discard(self) -> bool:
        """True when nothing unsaved would be lost (or the user lets it go)."""
        if not self.dirty():
            return True
        name = self.name.text().strip() or self.tr("the new template")
        return discard_changes(self, self.tr("Discard your changes to “{name}”?").format(name=name))

    # -- actions -------------------------------------------------------------------------

    def start_new(self) -> None:
        if not self.confirm_discard():
            return
        self._forget_selection()
        self._show(None)
        self.name.setFocus()

    def duplicate(self) -> None:
        source = self.shown
        if source is None or not self.confirm_discard():
            return
        copy = TemplateInput(
            self.tr("{name} (copy)").format(name=source.name),
            source.kind,
            source.sections,
            source.encounter_type,
        )
        self._forget_selection()
        self._show(None, draft=copy)
        self._baseline = TemplateInput("", copy.kind, ())  # the copy is unsaved work
        self.name.setFocus()
        self.name.selectAll()

    def _forget_selection(self) -> None:
        """No row chosen: the form holds a template that is not saved yet."""
        self._settling = True
        self.table.setCurrentIndex(QModelIndex())
        self._settling = False

    def save(self) -> None:
        if not self.can_save():
            return
        if self.shown is not None and not self.dirty():
            self.host.message.show_as("notice", self.tr("Nothing has changed since it was saved."))
            return
        data = self.value()
        shown = self.shown
        task = self.host.run(
            self.service.save_template,
            data,
            shown.id if shown else None,
            shown.version if shown else None,
            done=self._saved,
        )
        task.failed.connect(lambda error: self._refused(error, data))

    def _saved(self, view: TemplateView) -> None:
        created = self.shown is None
        self._show(view)
        self.reload(select=view.id)
        text = (
            self.tr("“{name}” added: it is offered for new notes.")
            if created
            else self.tr("“{name}” saved. Notes started from now on use it.")
        )
        self.host.message.show_as("notice", text.format(name=view.name))

    def _refused(self, error: BaseException, data: TemplateInput) -> None:
        """Point at what the message is about: the section it names, or the name."""
        if isinstance(error, ConcurrentChange):
            self.reload_button.show()
            return
        for row, section in enumerate(data.sections):
            try:
                checked_section(section)
            except DomainError as wrong:
                if str(wrong) == str(error):
                    self.sections.select(row)
                    self.sections.label.setFocus()
                    return
        if not data.name:
            self.name.setFocus()

    def _reload_shown(self) -> None:
        """After someone else saved the template first: show their version."""
        if self.shown is not None:
            self.reload(select=self.shown.id)
            self.host.message.clear_message()

    def retire(self) -> None:
        shown = self.shown
        if shown is None or not shown.active:
            return
        if not confirm_retire(
            self,
            self.tr("Retire template"),
            self.tr("Retire “{name}”?").format(name=shown.name),
            self.tr(
                "It will no longer be offered for new notes. Notes already written with it "
                "are unchanged."
            ),
        ):
            return
        self.host.run(self.service.retire_template, shown.id, done=self._retired)

    def _retired(self, view: TemplateView) -> None:
        self._show(view)
        self.reload(select=view.id)
        self.host.message.show_as(
            "notice",
            self.tr("“{name}” is retired: it is no longer offered for new notes.").format(
                name=view.name
            ),
        )
