"""Merge a duplicate record into the one that stays: both side by side, the person chooses
which to keep and says why. Everything on the duplicate moves; the merge can be undone."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QGridLayout, QLabel, QRadioButton, QWidget

from app.services.patient_data import PatientRecord
from app.services.patient_merge import MergeResult, PatientMergeService
from app.services.patients import PatientService
from app.ui.patients.dialogs import PatientDialog
from app.ui.patients.fields import labeled, text_field
from app.ui.patients.labels import NO_VALUE, date_text, sex_label, status_label
from app.ui.session import DesktopSession
from app.ui.widgets import card, text_label


def _facts(record: PatientRecord) -> list[tuple[str, str]]:
    city = ", ".join(p for p in (record.address_line1, record.city, record.state) if p)
    return [
        ("name", record.display_name),
        ("birth", f"{date_text(record.date_of_birth)} ({record.age})"),
        ("sex", sex_label(record.sex_at_birth)),
        ("mrn", record.mrn),
        ("phones", ", ".join(p.display for p in record.phones)),
        ("email", record.email or ""),
        ("address", city),
        ("status", status_label(record.status)),
    ]


class MergeDialog(PatientDialog):
    merged = Signal(object)  # MergeResult

    def __init__(
        self,
        session: DesktopSession,
        this: PatientRecord,
        other_id: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            session,
            self.tr("Merge two records of the same person"),
            self.tr("Merge records"),
            parent,
            subtitle=self.tr(
                "Everything on the duplicate (phones, insurance, and later visits and bills) "
                "moves to the record you keep. The duplicate is hidden from searches. You can "
                "undo the merge from the record's merge history."
            ),
        )
        self.resize(920, 600)
        self.this = this
        self.other: PatientRecord | None = None
        self.keep = QButtonGroup(self)
        self.columns = QGridLayout()
        self.columns.setHorizontalSpacing(16)
        self.content.addLayout(self.columns)
        self.reason = text_field(
            self.tr("Reason for merging"),
            self.tr("For example: same person, registered twice with a misspelt name"),
            300,
        )
        self.reason.textChanged.connect(lambda _t: self._ready())
        self.content.addWidget(labeled(self.tr("Why are these the same person? *"), self.reason))
        self.content.addStretch(1)
        self.ok_button.setEnabled(False)
        task = session.run(PatientService(session.ctx).get, other_id, owner=self)
        task.succeeded.connect(self._show_both)
        task.failed.connect(self.failed)

    def _show_both(self, other: PatientRecord) -> None:
        self.other = other
        mine, theirs = dict(_facts(self.this)), dict(_facts(other))
        captions = {
            "name": self.tr("Name"), "birth": self.tr("Date of birth"), "sex": self.tr("Sex"),
            "mrn": self.tr("MRN"), "phones": self.tr("Phones"), "email": self.tr("E-mail"),
            "address": self.tr("Address"), "status": self.tr("Status"),
        }  # fmt: skip
        for column, (record, facts, other_facts) in enumerate(
            ((self.this, mine, theirs), (other, theirs, mine))
        ):
            frame, body = card(margins=16, spacing=8)
            title = self.tr("This record") if column == 0 else self.tr("The other record")
            radio = QRadioButton(self.tr("Keep {which}").format(which=title.lower()))
            radio.setAccessibleName(self.tr("Keep {mrn}").format(mrn=record.mrn))
            radio.setChecked(column == 0)
            radio.setProperty("patient_id", record.id)
            self.keep.addButton(radio, column)
            body.addWidget(text_label(title, "heading"))
            body.addWidget(radio)
            grid = QGridLayout()
            grid.setHorizontalSpacing(12)
            grid.setVerticalSpacing(6)
            for row, (key, caption) in enumerate(captions.items()):
                value = QLabel(facts[key] or NO_VALUE)
                value.setWordWrap(True)
                value.setObjectName("FactValue")
                if facts[key] != other_facts[key]:
                    value.setProperty("differs", True)
                caption_label = QLabel(caption)
                caption_label.setObjectName("FactCaption")
                grid.addWidget(caption_label, row, 0, Qt.AlignmentFlag.AlignTop)
                grid.addWidget(value, row, 1)
            grid.setColumnStretch(1, 1)
            body.addLayout(grid)
            body.addStretch(1)
            self.columns.addWidget(frame, 0, column)
        self.columns.addWidget(text_label(self.tr("Differences are highlighted."), "hint"), 1, 0)
        self.reason.setFocus()
        self._ready()

    def _ready(self) -> None:
        self.ok_button.setEnabled(self.other is not None and bool(self.reason.text().strip()))

    def survivor_and_duplicate(self) -> tuple[str, str]:
        assert self.other is not None
        if self.keep.checkedId() == 1:
            return self.other.id, self.this.id
        return self.this.id, self.other.id

    def submit(self) -> None:
        if self.other is None or not self.reason.text().strip():
            return
        survivor, duplicate = self.survivor_and_duplicate()
        service = PatientMergeService(self.session.ctx)
        self.run(service.merge, survivor, duplicate, self.reason.text(), done=self._merged)

    def _merged(self, result: MergeResult) -> None:
        self.merged.emit(result)
        self.accept()
