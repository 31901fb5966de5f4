"""Add or edit an appointment type: name, default length, colour on the calendar, who
offers it, new patients only, active. Edits carry the version they started from, so two
administrators cannot silently overwrite each other."""

from __future__ import annotations

import re

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QLabel,
    QWidget,
)

from app.services.errors import ConcurrentChange, DomainError
from app.services.schedule_data import AppointmentTypeView, ProviderView
from app.services.schedule_rules import MAX_MINUTES, MIN_MINUTES
from app.services.schedule_setup import AppointmentTypeInput, ScheduleSetupService
from app.ui.patients.fields import text_field
from app.ui.schedule.schedule_dialog import ScheduleDialog
from app.ui.schedule.schedule_widgets import CheckList, NumberField
from app.ui.session import DesktopSession
from app.ui.widgets import button, form_layout, form_row, inline_row, text_label

DEFAULT_COLOUR = "#3A7BD5"
# Offered as the picker's custom colours: distinct, and readable behind dark text.
CALENDAR_COLOURS = (
    "#3A7BD5",
    "#2E9E6A",
    "#8E6BBF",
    "#D9822B",
    "#C2417A",
    "#2A9D8F",
    "#B5892E",
    "#5C7A99",
)
_HEX = re.compile(r"#?[0-9A-Fa-f]{6}")


def swatch_icon(colour: str, size: int = 14) -> QIcon:
    pixmap = QPixmap(QSize(size, size))
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


class AppointmentTypeDialog(ScheduleDialog):
    saved = Signal(object)  # AppointmentTypeView

    def __init__(
        self,
        session: DesktopSession,
        providers: tuple[ProviderView, ...],
        existing: AppointmentTypeView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        title = self.tr("Edit appointment type") if existing else self.tr("Add an appointment type")
        ok = self.tr("Save type") if existing else self.tr("Add type")
        super().__init__(session, title, ok, parent)
        self.setMinimumWidth(560)
        self.existing = existing
        self.version = existing.version if existing else None

        self.name = text_field(self.tr("Name"), self.tr("e.g. Well-child visit"), 100)
        self.minutes = NumberField(
            self.tr("Default length (minutes)"), MIN_MINUTES, MAX_MINUTES, step=5
        )
        self.minutes.setValue(20)
        self.colour = text_field(self.tr("Colour"), "#3A7BD5", 7)
        self.colour.setFixedWidth(110)
        self.swatch = QLabel()
        self.swatch.setFixedSize(28, 28)
        self.pick_colour = button(self.tr("Choose…"), self.tr("Choose colour"))
        self.pick_colour.clicked.connect(self.choose_colour)
        self.everyone = QCheckBox(self.tr("Every provider offers it"))
        self.everyone.setAccessibleName(self.tr("Every provider offers it"))
        self.providers = CheckList(self.tr("Providers who offer it"))
        self.providers.set_items([(p.name, p.id) for p in providers])
        self.new_only = QCheckBox(self.tr("Only for new patients"))
        self.new_only.setAccessibleName(self.tr("Only for new patients"))
        self.active = QCheckBox(self.tr("Active (can be booked)"))
        self.active.setAccessibleName(self.tr("Active"))

        colour_row = inline_row(self.swatch, self.colour, self.pick_colour)
        minutes_row = inline_row(self.minutes, self.tr("minutes"))
        self.form = form = form_layout()
        form_row(form, self.tr("&Name"), self.name)
        form_row(form, self.tr("&Length"), minutes_row, self.minutes)
        form_row(form, self.tr("&Colour"), colour_row, self.colour)
        form_row(form, self.tr("Offered by"), self.everyone)
        form.addRow("", self.providers)
        form_row(form, self.tr("Patients"), self.new_only)
        form_row(form, self.tr("Status"), self.active)
        self.content.addLayout(form)
        self.content.addWidget(
            text_label(
                self.tr(
                    "The length is what a booking starts with; the desk can change it per "
                    "visit. An inactive type stays on visits already booked."
                ),
                "hint",
            )
        )

        self.colour.textChanged.connect(self._show_swatch)
        self.everyone.toggled.connect(self._everyone_toggled)
        self._fill(existing)
        self.name.setFocus()

    def _fill(self, existing: AppointmentTypeView | None) -> None:
        if existing is None:
            self.colour.setText(DEFAULT_COLOUR)
            self.everyone.setChecked(True)
            self.active.setChecked(True)
            self._everyone_toggled(True)
            return
        self.name.setText(existing.name)
        self.minutes.setValue(existing.default_minutes)
        self.colour.setText(existing.colour)
        everyone = not existing.provider_ids
        self.everyone.setChecked(everyone)
        self._everyone_toggled(everyone)
        self.providers.set_checked(list(existing.provider_ids))
        self.new_only.setChecked(existing.new_patients_only)
        self.active.setChecked(existing.active)

    def _everyone_toggled(self, everyone: bool) -> None:
        """The list of providers only matters when not everyone offers the type."""
        self.form.setRowVisible(self.providers, not everyone)
        self.adjustSize()

    # -- colour --------------------------------------------------------------------------

    def colour_text(self) -> str:
        raw = self.colour.text().strip()
        if not _HEX.fullmatch(raw):
            raise DomainError(self.tr("The colour must look like #3A7BD5."))
        return ("#" + raw.lstrip("#")).upper()

    def set_colour(self, colour: str) -> None:
        self.colour.setText(colour.upper())

    def _show_swatch(self) -> None:
        try:
            colour = self.colour_text()
        except DomainError:
            self.swatch.setStyleSheet("border: 1px dashed #a9b2ba; border-radius: 6px;")
            return
        self.swatch.setStyleSheet(
            f"background: {colour}; border: 1px solid #56626d; border-radius: 6px;"
        )

    def choose_colour(self) -> None:
        try:
            current = QColor(self.colour_text())
        except DomainError:
            current = QColor(DEFAULT_COLOUR)
        for index, colour in enumerate(CALENDAR_COLOURS):
            QColorDialog.setCustomColor(index, QColor(colour))
        picker = QColorDialog(current, self)
        picker.setWindowTitle(self.tr("Colour on the calendar"))
        picker.setAccessibleName(self.tr("Colour on the calendar"))
        picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        picker.colorSelected.connect(lambda chosen: self.set_colour(chosen.name()))
        picker.open()

    # -- saving --------------------------------------------------------------------------

    def type_input(self) -> AppointmentTypeInput:
        name = self.name.text().strip()
        if not name:
            raise DomainError(self.tr("Give the appointment type a name."))
        providers: tuple[str, ...] = ()
        if not self.everyone.isChecked():
            providers = tuple(str(value) for value in self.providers.checked())
            if not providers:
                raise DomainError(
                    self.tr("Tick who offers it, or choose “Every provider offers it”.")
                )
        return AppointmentTypeInput(
            name=name,
            default_minutes=self.minutes.value(),
            colour=self.colour_text(),
            provider_ids=providers,
            new_patients_only=self.new_only.isChecked(),
            active=self.active.isChecked(),
        )

    def submit(self) -> None:
        try:
            data = self.type_input()
        except DomainError as error:
            self.refuse(error)
            return
        service = ScheduleSetupService(self.session.ctx)
        type_id = self.existing.id if self.existing else None
        self.run(service.save_appointment_type, data, type_id, self.version, done=self._done)

    def failed(self, error: BaseException) -> None:
        if isinstance(error, ConcurrentChange) and self.existing is not None:
            self.set_busy(False)
            self._catch_up()
            return
        super().failed(error)

    def _catch_up(self) -> None:
        """Someone saved this type meanwhile: keep what is typed here, take their version,
        and say so, so saving again is a decision."""
        assert self.existing is not None
        type_id = self.existing.id
        service = ScheduleSetupService(self.session.ctx)
        task = self.session.run(service.appointment_types, include_inactive=True, owner=self)

        def caught_up(types: list[AppointmentTypeView]) -> None:
            latest = next((t for t in types if t.id == type_id), None)
            if latest is None:
                self.message.show_message(self.tr("This appointment type no longer exists."))
                return
            self.version = latest.version
            self.message.show_message(
                self.tr(
                    "Someone else changed this type a moment ago (now: {name}, {minutes} "
                    "minutes). Save again to replace their changes with yours."
                ).format(name=latest.name, minutes=latest.default_minutes)
            )

        task.succeeded.connect(caught_up)
        task.failed.connect(super().failed)

    def _done(self, view: AppointmentTypeView) -> None:
        self.saved.emit(view)
        self.accept()
