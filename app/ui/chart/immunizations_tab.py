"""The Immunizations tab: doses by date, newest first (CVX-coded), given here or reported
from elsewhere; doses entered in error stay, struck through, at the end."""

from __future__ import annotations

import functools
from enum import IntEnum

from PySide6.QtCore import QCoreApplication

from app.services.context import AppContext
from app.services.immunizations import ImmunizationService, ImmunizationView
from app.ui.chart.fact_table import FactTableModel, date_label
from app.ui.chart.immunization_dialog import RecordDoseDialog
from app.ui.chart.list_tab import FactList, ListTab


def _tr(text: str) -> str:
    return QCoreApplication.translate("ImmunizationsTab", text)


class DoseColumn(IntEnum):
    GIVEN_ON = 0
    VACCINE = 1
    CVX = 2
    WHERE = 3
    LOT = 4
    SITE = 5
    DOSE = 6


class ImmunizationListModel(FactTableModel[ImmunizationView]):
    def __init__(self) -> None:
        super().__init__(("Date", "Vaccine", "CVX", "Given", "Lot", "Site and route", "Dose"))

    def cell_text(self, item: ImmunizationView, column: int) -> str:
        if column == DoseColumn.GIVEN_ON:
            return date_label(item.given_on)
        if column == DoseColumn.VACCINE:
            return item.vaccine
        if column == DoseColumn.CVX:
            return item.cvx_code
        if column == DoseColumn.WHERE:
            if item.given_here:
                return _tr("Here")
            return item.source or _tr("Elsewhere")
        if column == DoseColumn.LOT:
            return item.lot_number or ""
        if column == DoseColumn.SITE:
            return " · ".join(part for part in (item.site, item.route) if part)
        return item.dose or ""

    def detail_parts(self, item: ImmunizationView) -> list[str]:
        given = _tr(item.given_where)
        if item.given_by_name:
            given = _tr("Given here by {name}").format(name=item.given_by_name)
        expiry = date_label(item.expires_on)
        return [
            f"{item.vaccine} (CVX {item.cvx_code})",
            given,
            _tr("Lot {lot}, expires {date}").format(lot=item.lot_number, date=expiry)
            if item.lot_number and expiry
            else "",
            _tr(item.route_label) if item.route_label else "",
            item.note or "",
        ]


class ImmunizationsTab(ListTab):
    title = "Immunizations"
    add_keys = "Ctrl+Shift+I"

    def build_list(self) -> FactList:
        self.model = ImmunizationListModel()
        return FactList(
            self.model,
            name=_tr("Immunization list"),
            what=_tr("immunization"),
            add_text=_tr("Record immunization…"),
            empty_text=_tr(
                "No immunizations recorded. Record a dose with Record immunization (Ctrl+Shift+I)."
            ),
            stretch_column=DoseColumn.VACCINE,
        )

    @staticmethod
    def fetch(ctx: AppContext, patient_id: str) -> list[ImmunizationView]:
        return ImmunizationService(ctx).for_patient(patient_id)

    def add(self) -> None:
        assert self.patient is not None
        self.open_form(RecordDoseDialog(self.session, self.patient.id, self.today, self))

    def mark_entered_in_error(self, item: ImmunizationView) -> None:
        service = ImmunizationService(self.session.ctx)
        action = functools.partial(
            service.mark_entered_in_error, item.id, expected_version=item.version
        )
        self.ask_entered_in_error(_tr("immunization"), action, item.id)
