"""Admin → Practice: how the practice works on every computer — how soon an idle screen
locks, and the units vitals are entered and shown in (US or metric)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QSpinBox, QVBoxLayout, QWidget

from app.services.context import AppContext
from app.services.settings import VITALS_UNITS, SettingsService
from app.ui.session import DesktopSession
from app.ui.tasks import error_message
from app.ui.widgets import MessageLabel, button, card, form_layout, form_row, text_label

UNIT_CHOICES = (("us", "US: lb, in, °F"), ("metric", "Metric: kg, cm, °C"))


@dataclass(frozen=True)
class PracticeSettings:
    auto_lock_minutes: int
    vitals_units: str


def load_settings(ctx: AppContext) -> PracticeSettings:
    service = SettingsService(ctx)
    return PracticeSettings(service.auto_lock_minutes(), str(service.get(VITALS_UNITS)))


def save_settings(ctx: AppContext, settings: PracticeSettings) -> PracticeSettings:
    service = SettingsService(ctx)
    service.set_auto_lock_minutes(settings.auto_lock_minutes)
    service.set_vitals_units(settings.vitals_units)
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
        self.save_button = button(
            self.tr("Save settings"), self.tr("Save settings"), variant="primary"
        )
        self.save_button.clicked.connect(self.save)
        self.message = MessageLabel()

        frame, body = card(margins=22, spacing=12)
        form = form_layout()
        form_row(form, self.tr("Lock the screen after"), self.auto_lock)
        form_row(form, self.tr("Vitals units"), self.units)
        body.addLayout(form)
        body.addWidget(
            text_label(
                self.tr(
                    "Idle screens lock on every computer of the practice. Vitals are always "
                    "stored in metric units; this chooses how they are typed and shown."
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

    def save(self) -> None:
        chosen = PracticeSettings(self.auto_lock.value(), str(self.units.currentData()))
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
