"""Recording a vaccine dose: given here (lot, expiry, site, route, dose) or reported from
elsewhere (a pharmacy, another clinic, the state registry). The vaccine is chosen from CVX;
a dose reported from elsewhere may be an older vaccine no longer given."""

from __future__ import annotations

import functools
from datetime import date

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QButtonGroup, QComboBox, QRadioButton, QWidget

from app.services.immunizations import ROUTES, SITES, ImmunizationInput, ImmunizationService
from app.terminology.cvx import Vaccine
from app.ui.chart.fact_forms import choice_combo, date_field, note_box, note_row, read_date
from app.ui.chart.fact_table import PAST_INK
from app.ui.chart.list_tab import FactDialog
from app.ui.chart.search_picker import SearchPicker
from app.ui.patients.fields import suggest_combo, text_field
from app.ui.session import DesktopSession
from app.ui.widgets import form_layout, form_row, inline_row


def _tr(text: str) -> str:
    return QCoreApplication.translate("ImmunizationDialog", text)


def find_vaccines(service: ImmunizationService, include_inactive: bool, text: str) -> list[Vaccine]:
    """Runs on the worker: every vaccine while nothing is typed, else the matches."""
    if not text:
        return service.vaccines(include_inactive)
    return service.search_vaccines(text, 50, include_inactive)


class VaccinePicker(SearchPicker):
    headers = ("CVX", "Vaccine", "Also known as")

    def __init__(self, session: DesktopSession, service: ImmunizationService) -> None:
        super().__init__(
            session,
            functools.partial(find_vaccines, service, False),
            name=_tr("Search vaccines"),
            placeholder=_tr("Name, brand or CVX code: Tdap, Shingrix, 187"),
            min_chars=0,
        )

    def cell_text(self, item: Vaccine, column: int) -> str:
        if column == 0:
            return item.code
        if column == 1:
            return item.short_description
        names = ", ".join(item.trade_names)
        if not item.active:
            return _tr("Past doses only") + (f" · {names}" if names else "")
        return names

    def cell_ink(self, item: Vaccine, column: int) -> QColor | None:
        return None if item.active else PAST_INK

    def cell_tip(self, item: Vaccine) -> str | None:
        return item.full_name

    def item_text(self, item: Vaccine) -> str:
        return f"{item.code} {item.short_description}"

    def chosen_text(self, item: Vaccine) -> str:
        return _tr("Chosen: CVX {code} — {name}").format(code=item.code, name=item.full_name)


class RecordDoseDialog(FactDialog):
    def __init__(
        self,
        session: DesktopSession,
        patient_id: str,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(session, _tr("Record immunization"), _tr("Save"), parent)
        self.setMinimumWidth(720)
        self.patient_id = patient_id
        self.service = ImmunizationService(session.ctx)
        self.picker = VaccinePicker(session, self.service)
        self.given_on = date_field(_tr("Date given"), today)
        self.picker.picked.connect(self._picked)
        self.here = QRadioButton(_tr("Given here"))
        self.here.setAccessibleName(_tr("Given here"))
        self.elsewhere = QRadioButton(_tr("Given elsewhere (reported)"))
        self.elsewhere.setAccessibleName(_tr("Given elsewhere"))
        self.where = QButtonGroup(self)
        for radio in (self.here, self.elsewhere):
            self.where.addButton(radio)
        self.here.setChecked(True)
        self.here.toggled.connect(lambda _on: self._where_chosen())
        self.source = text_field(
            _tr("Where it was given"), _tr("e.g. CVS pharmacy, state registry"), 200
        )
        self.lot = text_field(_tr("Lot number"), _tr("On the vial"), 40)
        self.lot.setFixedWidth(180)
        self.expires = date_field(_tr("Lot expiry date"))
        self.site = suggest_combo(_tr("Site"), SITES)
        self.route = choice_combo(
            _tr("Route"), ((code, f"{code} · {name}") for code, name in ROUTES.items()), blank=""
        )
        self.dose = text_field(_tr("Dose"), _tr("e.g. 0.5 mL"), 40)
        self.dose.setFixedWidth(110)
        self.note = note_box(_tr("Immunization note"))

        self.content.addWidget(self.picker)
        form = form_layout()
        form_row(form, _tr("Date given"), self.given_on)
        form_row(form, _tr("Where"), inline_row(self.here, self.elsewhere), self.here)
        self.source_label = form_row(form, _tr("Given at"), self.source)
        form_row(form, _tr("Lot"), inline_row(self.lot, _tr("Expires"), self.expires), self.lot)
        form_row(
            form,
            _tr("Site"),
            inline_row(self.site, _tr("Route"), self.route, _tr("Dose"), self.dose),
            self.dose,
        )
        note_row(form, _tr("Note"), self.note)
        self.content.addLayout(form)
        self._where_chosen()  # lists the vaccines
        self.picker.setFocus()

    def _picked(self, vaccine: Vaccine | None) -> None:
        if vaccine is not None:
            self.message.clear_message()
            self.given_on.setFocus()

    def _where_chosen(self) -> None:
        elsewhere = self.elsewhere.isChecked()
        self.source.setVisible(elsewhere)
        self.source_label.setVisible(elsewhere)
        # An older vaccine no longer given may still be recorded as a past dose.
        self.picker.set_search(functools.partial(find_vaccines, self.service, elsewhere))

    def submit(self) -> None:
        vaccine = self.picker.chosen
        if vaccine is None:
            self.message.show_message(_tr("Choose the vaccine from the list."))
            self.picker.setFocus()
            return
        ok, given_on = read_date(self.given_on, self)
        ok_expiry, expires = read_date(self.expires, self) if ok else (False, None)
        if not (ok and ok_expiry):
            return
        if given_on is None:
            self.message.show_message(_tr("Enter the date the dose was given."))
            self.given_on.setFocus()
            return
        here = self.here.isChecked()
        data = ImmunizationInput(
            cvx_code=vaccine.code,
            given_on=given_on,
            given_here=here,
            source=None if here else self.source.text(),
            lot_number=self.lot.text(),
            expires_on=expires,
            site=self.site.currentText(),
            route=_route(self.route),
            dose=self.dose.text(),
            note=self.note.toPlainText(),
        )
        self.run(self.service.record, self.patient_id, data, done=self._saved)


def _route(combo: QComboBox) -> str | None:
    value = combo.currentData()
    return str(value) if value else None
