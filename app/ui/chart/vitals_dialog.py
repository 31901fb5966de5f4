"""Recording a set of vitals: each field in the practice's unit with the unit beside it,
blank for what was not measured; BMI worked out as height and weight are typed (an adult's
weight may use a height from the last year, as the service does); head circumference only
for children under 3. The service checks every number: a refusal shows its message and
keeps what was typed."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateTimeEdit,
    QGridLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from app.services.context import AppContext
from app.services.encounters import EncounterService
from app.services.errors import DomainError
from app.services.patient_data import PatientRecord
from app.services.vitals import Quantity, TrendPoint, VitalsInput, VitalsService, VitalsView
from app.services.vitals_catalog import (
    ADULT_AGE,
    HEAD_CIRCUMFERENCE_MAX_AGE,
    INFANT_OUNCES_AGE,
    KINDS,
    US,
    VitalField,
    body_mass_index,
    kind,
    unit_for,
)
from app.services.vitals_reads import age_years
from app.ui.patients.dialogs import PatientDialog
from app.ui.session import DesktopSession
from app.ui.widgets import inline_row, text_label

F = VitalField
Entry = float | Quantity | None
HEIGHT_KEPT = timedelta(days=365)  # as VitalsService: an adult's height serves for a year
_POUNDS_OUNCES = re.compile(r"^(\d+)\s*(?:lbs?|#)\s*(\d+(?:\.\d*)?)\s*oz$", re.IGNORECASE)
_NUMBER = re.compile(r"^(\d+(?:\.\d*)?|\.\d+)\s*([^\d\s.][^\d]*)?$")
SIGNS = (F.PULSE, F.TEMPERATURE, F.RESPIRATORY_RATE, F.SPO2, F.PAIN)  # after the BP row
BODY = (F.WEIGHT, F.HEIGHT)  # then BMI (worked out) and head circumference
EDIT_WIDTH = 84


def _tr(text: str) -> str:
    return QCoreApplication.translate("VitalsDialog", text)


def parse_entry(field: VitalField, text: str) -> Entry:
    """Blank: not measured. A bare number is in the practice's unit; "80 kg" or "7 lb 8 oz"
    names its own unit (the service converts and checks it)."""
    text = text.strip().replace(",", "")
    if not text:
        return None
    pounds_ounces = _POUNDS_OUNCES.match(text)
    if pounds_ounces and field is F.WEIGHT:
        return Quantity(int(pounds_ounces[1]) * 16 + float(pounds_ounces[2]), "oz")
    number = _NUMBER.match(text)
    if number is None:
        raise DomainError(_tr("Enter {what} as a number.").format(what=kind(field).label.lower()))
    value = float(number[1])
    return Quantity(value, number[2].strip()) if number[2] else value


def _canonical(field: VitalField, entry: Entry, units: str) -> float | None:
    if entry is None:
        return None
    if isinstance(entry, Quantity):
        return unit_for(field, entry.unit).to_canonical(entry.value)
    return kind(field).display_unit(units).to_canonical(entry)


def last_adult_height(ctx: AppContext, patient_id: str) -> TrendPoint | None:
    """On the worker: the latest height (the service reuses it for a year's weights)."""
    heights = VitalsService(ctx).trend(patient_id, KINDS[F.HEIGHT].loinc_code).points
    return heights[-1] if heights else None


def record_vitals(
    ctx: AppContext, patient_id: str, data: VitalsInput, appointment_id: str | None
) -> VitalsView:
    """Record the set in the visit the chart was opened from, once the patient has arrived
    (rooming is where vitals are taken); otherwise on its own."""
    if appointment_id is not None and data.encounter_id is None:
        try:
            encounter = EncounterService(ctx).open_for_appointment(appointment_id)
        except DomainError:
            encounter = None  # not checked in yet: the vitals still belong in the chart
        if encounter is not None:
            data = replace(data, encounter_id=encounter.id)
    return VitalsService(ctx).record(patient_id, data)


class VitalsDialog(PatientDialog):
    saved = Signal(object)  # the VitalsView recorded

    def __init__(
        self,
        session: DesktopSession,
        patient: PatientRecord,
        units: str,
        zone: str,
        parent: QWidget | None = None,
        *,
        encounter_id: str | None = None,
        appointment_id: str | None = None,
    ) -> None:
        self.appointment_id = appointment_id  # the visit the chart was opened from
        unit_names = _tr("US units") if units == US else _tr("metric units")
        super().__init__(
            session,
            _tr("Record vitals"),
            _tr("Save"),
            parent,
            subtitle=_tr("{name} · {units}. Leave blank what was not measured.").format(
                name=patient.display_name, units=unit_names
            ),
        )
        self.patient, self.units, self.zone = patient, units, ZoneInfo(zone)
        self.encounter_id = encounter_id
        now = session.ctx.clock.now().astimezone(self.zone)
        self.age = age_years(patient.date_of_birth, now.date())
        self.stored_height: TrendPoint | None = None  # an adult's, from the last year
        self.edits: dict[VitalField, QLineEdit] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(10)
        grid.setColumnMinimumWidth(3, 28)
        grid.setColumnStretch(7, 1)
        self._bp_row(grid)
        for row, field in enumerate(SIGNS, start=1):
            self._field_row(grid, row, 0, field)
        for row, field in enumerate(BODY):
            self._field_row(grid, row, 4, field)
        self.bmi = QLabel("—")
        self.bmi.setAccessibleName(_tr("BMI"))
        self.bmi.setToolTip(_tr("Worked out from height and weight; it is not typed in."))
        self.bmi.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.bmi.setContentsMargins(0, 0, 8, 0)  # lines up with the numbers typed above
        grid.addWidget(QLabel(_tr("BMI")), 2, 4)
        grid.addWidget(self.bmi, 2, 5)
        grid.addWidget(self._unit_label(kind(F.BMI).display_unit(units).symbol), 2, 6)
        self.bmi_source = text_label("", "hint")
        self.bmi_source.setAccessibleName(_tr("BMI source"))
        grid.addWidget(self.bmi_source, 3, 4, 1, 4)
        if self.age < HEAD_CIRCUMFERENCE_MAX_AGE:
            self._field_row(grid, 4, 4, F.HEAD_CIRCUMFERENCE)

        self.now = QCheckBox(_tr("Now"))
        self.now.setAccessibleName(_tr("Taken now"))
        self.now.setChecked(True)
        self.taken_at = QDateTimeEdit(
            QDateTime(QDate(now.year, now.month, now.day), QTime(now.hour, now.minute))
        )
        self.taken_at.setAccessibleName(_tr("Taken at"))
        self.taken_at.setDisplayFormat("MMM d, yyyy h:mm AP")
        self.taken_at.setCalendarPopup(True)
        self.taken_at.setEnabled(False)
        self.now.toggled.connect(lambda checked: self.taken_at.setEnabled(not checked))
        self.note = QLineEdit()
        self.note.setAccessibleName(_tr("Note"))
        self.note.setPlaceholderText(_tr("Optional, e.g. left arm, seated; after exercise"))
        self.note.setMaxLength(500)
        taken = QLabel(_tr("Taken"))
        taken.setBuddy(self.now)
        grid.addWidget(taken, 6, 0)
        grid.addWidget(inline_row(self.now, self.taken_at), 6, 1, 1, 7)
        note = QLabel(_tr("Note"))
        note.setBuddy(self.note)
        grid.addWidget(note, 7, 0)
        grid.addWidget(self.note, 7, 1, 1, 7)
        self.content.addLayout(grid)
        for edit in self.edits.values():
            edit.textChanged.connect(self._update_bmi)
        self._set_tab_order()
        self._update_bmi()
        self.resize(640, self.sizeHint().height())
        self.edits[F.SYSTOLIC].setFocus()
        if self.age >= ADULT_AGE:
            task = session.run(last_adult_height, session.ctx, patient.id, owner=self)
            task.succeeded.connect(self._height_found)

    # -- the form ----------------------------------------------------------------------

    def _edit(self, field: VitalField, width: int = EDIT_WIDTH) -> QLineEdit:
        edit = QLineEdit()
        edit.setAccessibleName(kind(field).label)
        edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        edit.setFixedWidth(width)
        edit.setMaxLength(16)
        self.edits[field] = edit
        return edit

    def _field_row(self, grid: QGridLayout, row: int, column: int, field: VitalField) -> None:
        spec = kind(field)
        edit = self._edit(field)
        label = QLabel(spec.label)
        label.setBuddy(edit)
        grid.addWidget(label, row, column)
        grid.addWidget(edit, row, column + 1)
        grid.addWidget(self._unit_label(spec.display_unit(self.units).symbol), row, column + 2)
        if field is F.WEIGHT and self.units == US and self.age < INFANT_OUNCES_AGE:
            edit.setFixedWidth(EDIT_WIDTH + 30)
            edit.setPlaceholderText(_tr("7 lb 8 oz"))

    @staticmethod
    def _unit_label(symbol: str) -> QLabel:
        return text_label(symbol, "muted", wrap=False)

    def _bp_row(self, grid: QGridLayout) -> None:
        systolic = self._edit(F.SYSTOLIC, 52)
        diastolic = self._edit(F.DIASTOLIC, 52)
        systolic.setToolTip(_tr("Systolic"))
        diastolic.setToolTip(_tr("Diastolic"))
        label = QLabel(_tr("Blood pressure"))
        label.setBuddy(systolic)
        grid.addWidget(label, 0, 0)
        grid.addWidget(inline_row(systolic, "/", diastolic, spacing=4), 0, 1)
        grid.addWidget(self._unit_label("mmHg"), 0, 2)

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [self.edits[F.SYSTOLIC], self.edits[F.DIASTOLIC]]
        chain += [self.edits[f] for f in (*SIGNS, *BODY, F.HEAD_CIRCUMFERENCE) if f in self.edits]
        chain += [self.now, self.taken_at, self.note, self.ok_button, self.cancel_button]
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)

    # -- BMI as typed ------------------------------------------------------------------

    def _height_found(self, point: TrendPoint | None) -> None:
        now = self.session.ctx.clock.now()
        if point is not None and now - point.taken_at <= HEIGHT_KEPT:
            self.stored_height = point
        self._update_bmi()

    def _update_bmi(self) -> None:
        self.bmi.setText("—")
        try:
            weight = _canonical(F.WEIGHT, parse_entry(F.WEIGHT, self._text(F.WEIGHT)), self.units)
            height = _canonical(F.HEIGHT, parse_entry(F.HEIGHT, self._text(F.HEIGHT)), self.units)
        except DomainError:
            self.bmi_source.setText(_tr("Check height and weight."))
            return
        source = ""
        if height is None and self.stored_height is not None:
            height = _canonical(F.HEIGHT, self.stored_height.value, self.units)
            day = self.stored_height.taken_at
            source = _tr("Using the height of {day}, {value} {unit}").format(
                day=f"{day:%b} {day.day}, {day:%Y}",
                value=f"{self.stored_height.value:g}",
                unit=kind(F.HEIGHT).display_unit(self.units).symbol,
            )
        if weight is None or height is None or height <= 0:
            self.bmi_source.setText(_tr("Worked out from height and weight."))
            return
        bmi = body_mass_index(weight, height)
        spec = KINDS[F.BMI]
        if not spec.low <= bmi <= spec.high:
            self.bmi_source.setText(_tr("Check height and weight."))
            return
        self.bmi.setText(f"{bmi:.1f}")
        self.bmi_source.setText(source)

    def _text(self, field: VitalField) -> str:
        edit = self.edits.get(field)
        return edit.text() if edit is not None else ""

    # -- saving ------------------------------------------------------------------------

    def values(self) -> dict[VitalField, Entry]:
        """What was typed, field by field (raises DomainError for a non-number)."""
        found: dict[VitalField, Entry] = {}
        for field, edit in self.edits.items():
            try:
                found[field] = parse_entry(field, edit.text())
            except DomainError:
                edit.setFocus()
                edit.selectAll()
                raise
        return found

    def chosen_time(self) -> datetime | None:
        if self.now.isChecked():
            return None
        chosen = self.taken_at.dateTime().toPython()
        assert isinstance(chosen, datetime)
        return chosen.replace(tzinfo=self.zone)

    def submit(self) -> None:
        try:
            values = self.values()
        except DomainError as error:
            self.refuse(error)
            return
        data = VitalsInput(
            values,
            taken_at=self.chosen_time(),
            encounter_id=self.encounter_id,
            note=self.note.text().strip() or None,
        )
        self.run(
            record_vitals,
            self.session.ctx,
            self.patient.id,
            data,
            self.appointment_id,
            done=self._saved,
        )

    def _saved(self, view: VitalsView) -> None:
        self.saved.emit(view)
        self.accept()
