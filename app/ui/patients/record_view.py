"""One patient's record: the banner on top, then details, insurance and merge history, with
the actions the signed-in role may take. Opening it reads the record (and audits the view)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QMenu,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.models import PatientStatus
from app.services.bus import PatientsChanged
from app.services.patients import PatientService
from app.services.permissions import Permission
from app.ui.notices import NoticeBridge
from app.ui.patient_banner import PatientBanner
from app.ui.patients.appointments_panel import AppointmentsPanel
from app.ui.patients.coverages_panel import CoveragesPanel
from app.ui.patients.demographics_view import DemographicsView
from app.ui.patients.edit_dialog import EditPatientDialog
from app.ui.patients.merge import MergeDialog
from app.ui.patients.merge_history import MergeHistory
from app.ui.patients.picker import PatientPickerDialog
from app.ui.patients.record_data import PatientFile, load_patient_file
from app.ui.patients.status_dialog import StatusDialog
from app.ui.session import DesktopSession
from app.ui.tasks import error_message
from app.ui.widgets import BusyBar, MessageLabel, add_shortcuts, button

IMAGE_FILTER = "Images (*.png *.jpg *.jpeg)"


class PatientRecordView(QWidget):
    back_requested = Signal()
    open_requested = Signal(str)  # another record (the one this was merged into)
    chart_requested = Signal(str)  # this patient's chart
    shown = Signal(str)  # a record finished loading (its id)

    def __init__(self, session: DesktopSession) -> None:
        super().__init__()
        self.session = session
        actor = session.ctx.actor
        self.can_edit = bool(actor and actor.can(Permission.REGISTER_PATIENTS))
        self.can_merge = bool(actor and actor.can(Permission.MERGE_PATIENTS))
        self.can_chart = bool(actor and actor.can(Permission.VIEW_CHART))
        self.patient_id: str | None = None
        self.file: PatientFile | None = None
        self._pending_notice = ""
        self._generation = 0

        self.back_button = button(
            self.tr("All patients"),
            self.tr("Back to patients"),
            variant="link",
            icon_name="arrow-left",
        )
        self.back_button.setToolTip(self.tr("Back to the patient list (Alt+Left)"))
        self.back_button.clicked.connect(self.back_requested)
        self.edit_button = button(
            self.tr("Edit details…"), self.tr("Edit details"), icon_name="edit"
        )
        self.edit_button.setToolTip(self.tr("Edit the patient's details (Ctrl+E)"))
        self.edit_button.clicked.connect(self.edit)
        self.status_button = button(self.tr("Status…"), self.tr("Change status"))
        self.status_button.clicked.connect(self.change_status)
        self.photo_button = button(self.tr("Photo"), self.tr("Photo"), icon_name="camera")
        menu = QMenu(self.photo_button)
        menu.addAction(self.tr("Choose a photo…"), self.choose_photo)
        menu.addAction(self.tr("Remove photo"), lambda: self.set_photo(None))
        self.photo_button.setMenu(menu)
        self.merge_button = button(self.tr("Merge with…"), self.tr("Merge with"), icon_name="merge")
        self.merge_button.setToolTip(self.tr("This record and a duplicate of the same person"))
        self.merge_button.clicked.connect(self.pick_duplicate)
        self.chart_button = button(
            self.tr("Open chart"), self.tr("Open chart"), variant="primary", icon_name="chart"
        )
        self.chart_button.setToolTip(self.tr("This patient's chart (Ctrl+Shift+C)"))
        self.chart_button.clicked.connect(self.open_chart)
        self.banner = PatientBanner(session)
        self.busy = BusyBar()
        self.message = MessageLabel("error", self.tr("Record message"))
        self.notice = MessageLabel("notice", self.tr("Record notice"))
        self.follow_button = button(
            self.tr("Open the record it was merged into"),
            self.tr("Open merged record"),
            variant="link",
        )
        self.follow_button.clicked.connect(self._follow_merge)
        self.follow_button.hide()
        self.details = DemographicsView()
        self.coverages = CoveragesPanel(session, can_edit=self.can_edit)
        self.coverages.changed.connect(self.reload)  # card pictures send no change notice
        self.appointments = AppointmentsPanel(session)
        self.history = MergeHistory(session, can_undo=self.can_merge)
        self.history.hide()
        self._notices = NoticeBridge(session.ctx.bus, PatientsChanged, parent=self)
        self._notices.received.connect(self._changed)
        self._build()
        add_shortcuts(
            self,
            [
                ("Ctrl+E", self.edit),
                ("Alt+Left", self.back_requested.emit),
                ("Ctrl+Shift+C", self.open_chart),
            ],
        )
        self._update_actions()

    def _build(self) -> None:
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.back_button)
        top.addStretch(1)
        for widget in (self.edit_button, self.status_button, self.photo_button):
            top.addWidget(widget)
            widget.setVisible(self.can_edit)
        top.addWidget(self.merge_button)
        self.merge_button.setVisible(self.can_merge)
        top.addWidget(self.chart_button)
        self.chart_button.setVisible(self.can_chart)
        notice_row = QHBoxLayout()
        notice_row.addWidget(self.notice, 1)
        notice_row.addWidget(self.follow_button)
        inner = QWidget()
        inner.setObjectName("RecordBody")
        column = QVBoxLayout(inner)
        column.setContentsMargins(0, 0, 0, 8)
        column.setSpacing(16)
        column.addWidget(self.details)
        column.addWidget(self.appointments)
        column.addWidget(self.coverages)
        column.addWidget(self.history)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("RecordScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 20, 32, 20)
        layout.setSpacing(12)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.busy)
        layout.addWidget(self.message)
        layout.addLayout(notice_row)
        layout.addWidget(scroll, 1)

    # -- loading -------------------------------------------------------------------------

    def open_patient(self, patient_id: str, notice: str = "") -> None:
        if patient_id != self.patient_id:
            self.clear()
        self.patient_id = patient_id
        self._pending_notice = notice
        self.reload()

    def reload(self) -> None:
        if self.patient_id is None:
            return
        self._generation += 1
        generation = self._generation
        self.busy.show()
        task = self.session.run(load_patient_file, self.session.ctx, self.patient_id, owner=self)
        task.succeeded.connect(lambda file: self._loaded(file, generation))
        task.failed.connect(lambda error: self._failed(error, generation))

    def _loaded(self, file: PatientFile, generation: int) -> None:
        if generation != self._generation:
            return
        self.busy.hide()
        self.message.clear_message()
        self.file = file
        record = file.record
        self.banner.show_patient(record)
        self.banner.show_photo(file.photo)
        self.details.show_record(record)
        merged = record.status is PatientStatus.MERGED
        self.coverages.show_coverages(
            record.id, file.coverages, editable=self.can_edit and not merged
        )
        self.history.show_entries(file.merges)
        if merged:
            self.appointments.clear()
        else:
            self.appointments.show_patient(record.id)
        if merged:
            self.notice.show_message(
                self.tr(
                    "This record was merged into another record and is kept only for history. "
                    "Work in the record it was merged into."
                )
            )
        else:
            self.notice.show_message(self._pending_notice)
        self._pending_notice = ""
        self.follow_button.setVisible(merged and record.merged_into_id is not None)
        self._update_actions()
        self.shown.emit(record.id)

    def _failed(self, error: BaseException, generation: int) -> None:
        if generation == self._generation:
            self.busy.hide()
            self.message.show_message(error_message(error))

    def _changed(self, notice: PatientsChanged) -> None:
        """Saved here or elsewhere: show the record as it is now."""
        if self.patient_id and (not notice.patient_ids or self.patient_id in notice.patient_ids):
            self.reload()

    def _update_actions(self) -> None:
        record = self.file.record if self.file else None
        usable = record is not None and record.status is not PatientStatus.MERGED
        for widget in (
            self.edit_button,
            self.status_button,
            self.photo_button,
            self.merge_button,
            self.chart_button,
        ):
            widget.setEnabled(usable)

    def _follow_merge(self) -> None:
        if self.file and self.file.record.merged_into_id:
            self.open_requested.emit(self.file.record.merged_into_id)

    # -- actions -------------------------------------------------------------------------

    def open_chart(self) -> None:
        if self.file and self.can_chart and self.chart_button.isEnabled():
            self.chart_requested.emit(self.file.record.id)

    def edit(self) -> None:
        if self.file and self.can_edit and self.edit_button.isEnabled():
            EditPatientDialog(self.session, self.file.record, self).open()

    def change_status(self) -> None:
        if self.file:
            StatusDialog(self.session, self.file.record, self).open()

    def choose_photo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose a photo"), str(Path.home()), self.tr(IMAGE_FILTER)
        )
        if path:
            self.import_photo(Path(path))

    def import_photo(self, path: Path) -> None:
        try:
            data = path.read_bytes()
        except OSError:
            self.message.show_message(self.tr("That file could not be read."))
            return
        self.set_photo(data)

    def set_photo(self, data: bytes | None) -> None:
        if self.patient_id is None:
            return
        service = PatientService(self.session.ctx)
        task = self.session.run(service.set_photo, self.patient_id, data, owner=self)
        task.failed.connect(lambda error: self.message.show_message(error_message(error)))

    def pick_duplicate(self) -> None:
        if self.file is None:
            return
        dialog = PatientPickerDialog(
            self.session,
            self.tr("Merge with…"),
            self.tr("Compare records"),
            explanation=self.tr("Find the other record of {name}: the duplicate to merge.").format(
                name=self.file.record.display_name
            ),
            exclude_id=self.file.record.id,
            parent=self,
        )
        dialog.chosen.connect(lambda hit: self.compare_with(hit.id))
        dialog.open()

    def compare_with(self, other_id: str) -> None:
        if self.file is None:
            return
        dialog = MergeDialog(self.session, self.file.record, other_id, self)
        dialog.merged.connect(self._merged)
        dialog.open()

    def _merged(self, result: object) -> None:
        from app.services.patient_merge import MergeResult

        assert isinstance(result, MergeResult)
        text = self.tr("Merged. {n} items moved to this record.").format(n=result.rows_moved)
        if result.needs_review:
            text += " " + " ".join(result.needs_review)
        if result.survivor_id != self.patient_id:
            self.open_patient(result.survivor_id, text)
        else:
            self._pending_notice = text  # the change notice has already asked for a reload

    def clear(self) -> None:
        """Forget the patient: nothing of theirs stays in any widget."""
        self._generation += 1
        self.patient_id = None
        self.file = None
        self._pending_notice = ""
        self.busy.hide()
        self.banner.clear()
        self.details.clear()
        self.coverages.clear()
        self.appointments.clear()
        self.history.clear()
        self.history.hide()
        self.message.clear_message()
        self.notice.clear_message()
        self.follow_button.hide()
        self._update_actions()
