"""Admin → Practice: how the practice works on every computer — how soon an idle screen
locks, the units vitals are entered and shown in (US or metric), and the first day of
visits billed in Stethos (older ones were billed in the practice's previous system)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.services.context import AppContext
from app.services.settings import VITALS_UNITS, SettingsService
from app.ui.billing.day_picker import DATE_STYLE
from app.ui.resources import ICONS_DIR
from app.ui.session import DesktopSession
from app.ui.tasks import error_message
from app.ui.widgets import (
    MessageLabel,
    button,
    card,
    form_layout,
    form_row,
    inline_row,
    text_label,
)

UNIT_CHOICES = (("us", "US: lb, in, °F"), ("metric", "Metric: kg, cm, °C"))


@dataclass(frozen=True)
class PracticeSettings:
    auto_lock_minutes: int
    vitals_units: str
    billing_starts_on: date | None = None  # None: every visit is billed in Stethos


def load_settings(ctx: AppContext) -> PracticeSettings:
    service = SettingsService(ctx)
    return PracticeSettings(
        service.auto_lock_minutes(), str(service.get(VITALS_UNITS)), service.billing_starts_on()
    )


def save_settings(ctx: AppContext, settings: PracticeSettings) -> PracticeSettings:
    service = SettingsService(ctx)
    service.set_auto_lock_minutes(settings.auto_lock_minutes)
    service.set_vitals_units(settings.vitals_units)
    service.set_billing_starts_on(settings.billing_starts_on)
    return load_settings(ctx)


class PracticeSettingsPanel(QWidget):
    saved = Signal()

    def __init__(self, session: DesktopSession) -> None:
        super().__init__()
        self.session = session
        self.setAccessibleName(self.tr("Practice settings"))
        self.auto_lock = QSpinBox()
        self.auto_lock.setRange(1, 120)
        self.auto_lock.setSuffix(self.tr(" minutes"))
        self.auto_lock.setAccessibleName(self.tr("Lock the screen after"))
        self.units = QComboBox()
        self.units.setAccessibleName(self.tr("Vitals units"))
        for value, label in UNIT_CHOICES:
            self.units.addItem(self.tr(label), value)
        self.bill_from_set = QCheckBox(self.tr("Only visits from"))
        self.bill_from_set.setAccessibleName(self.tr("Bill only visits from a date"))
        self.bill_from = QDateEdit(QDate.currentDate())
        self.bill_from.setAccessibleName(self.tr("Bill visits from"))
        self.bill_from.setCalendarPopup(True)
        self.bill_from.setDisplayFormat("ddd MMM d, yyyy")
        self.bill_from.setMinimumWidth(170)
        self.bill_from.setStyleSheet(DATE_STYLE.replace("@ICONS@", ICONS_DIR.as_posix()))
        self.bill_from.setEnabled(False)
        self.bill_from_set.toggled.connect(self.bill_from.setEnabled)
        self.save_button = button(
            self.tr("Save settings"), self.tr("Save settings"), variant="primary"
        )
        self.save_button.clicked.connect(self.save)
        self.message = MessageLabel()

        frame, body = card(margins=22, spacing=12)
        form = form_layout()
        form_row(form, self.tr("Lock the screen after"), self.auto_lock)
        form_row(form, self.tr("Vitals units"), self.units)
        form_row(
            form,
            self.tr("Bill visits from"),
            inline_row(self.bill_from_set, self.bill_from),
            self.bill_from,
        )
        body.addLayout(form)
        body.addWidget(
            text_label(
                self.tr(
                    "Idle screens lock on every computer of the practice. Vitals are always "
                    "stored in metric units; this chooses how they are typed and shown. "
                    "Visits before the billing date were billed in your previous system: they "
                    "stay out of the biller's visits to bill (untick it to bill every visit)."
                ),
                "muted",
            )
        )
        row = QHBoxLayout()
        row.addWidget(self.message, 1)
        row.addWidget(self.save_button)
        body.addLayout(row)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 28, 32, 24)
        layout.setSpacing(14)
        layout.addWidget(text_label(self.tr("Practice settings"), "title"))
        layout.addWidget(frame)
        layout.addStretch(1)

    def reload(self) -> None:
        task = self.session.run(load_settings, self.session.ctx, owner=self)
        task.succeeded.connect(self._show)
        task.failed.connect(lambda error: self.message.show_message(error_message(error)))

    def _show(self, settings: PracticeSettings) -> None:
        self.auto_lock.setValue(settings.auto_lock_minutes)
        self.units.setCurrentIndex(max(0, self.units.findData(settings.vitals_units)))
        self.bill_from_set.setChecked(settings.billing_starts_on is not None)
        self.bill_from.setMaximumDate(QDate.currentDate())
        if settings.billing_starts_on is not None:
            day = settings.billing_starts_on
            self.bill_from.setDate(QDate(day.year, day.month, day.day))

    def save(self) -> None:
        picked = self.bill_from.date()
        first_day: date | None = date(picked.year(), picked.month(), picked.day())
        if not self.bill_from_set.isChecked():
            first_day = None
        chosen = PracticeSettings(self.auto_lock.value(), str(self.units.currentData()), first_day)
        self.save_button.setEnabled(False)
        task = self.session.run(save_settings, self.session.ctx, chosen, owner=self)
        task.succeeded.connect(self._saved)
        task.failed.connect(self._failed)

    def _saved(self, settings: PracticeSettings) -> None:
        self.save_button.setEnabled(True)
        self._show(settings)
        self.message.show_as("notice", self.tr("Saved."))
        self.saved.emit()

    def _failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        self.message.show_message(error_message(error))

    def clear_sensitive(self) -> None:
        """Nothing here names a patient or a member of staff."""
        self.message.clear_message()
