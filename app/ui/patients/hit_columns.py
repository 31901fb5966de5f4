"""The columns every patient list shows (search results, the full list, pickers)."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QColor, QFont

from app.models import PatientStatus
from app.services.patient_search import PatientHit
from app.ui.patients.labels import date_text, reason_label, sex_label, status_label
from app.ui.table_model import TableModel

HIT_ROLE = Qt.ItemDataRole.UserRole  # the row's PatientHit
ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the row's patient id (known before the row loads)

_QUIET_INK = QColor("#7b8791")
_STATUS_INK = {
    PatientStatus.INACTIVE: QColor("#6b5a1f"),
    PatientStatus.DECEASED: QColor("#5b2f6e"),
    PatientStatus.MERGED: QColor("#8a4b14"),
}


class PatientColumn(IntEnum):
    NAME = 0
    DOB = 1
    AGE = 2
    SEX = 3
    MRN = 4
    PHONE = 5
    STATUS = 6


HEADERS = {
    PatientColumn.NAME: "Name",
    PatientColumn.DOB: "Date of birth",
    PatientColumn.AGE: "Age",
    PatientColumn.SEX: "Sex",
    PatientColumn.MRN: "MRN",
    PatientColumn.PHONE: "Phone",
    PatientColumn.STATUS: "Status",
}

# Fixed widths: a lazy list must not measure 100,000 rows to size its columns.
COLUMN_WIDTHS = {
    PatientColumn.DOB: 120,
    PatientColumn.AGE: 70,
    PatientColumn.SEX: 90,
    PatientColumn.MRN: 130,
    PatientColumn.PHONE: 150,
    PatientColumn.STATUS: 110,
}


def _tr(text: str) -> str:
    return QCoreApplication.translate("PatientColumns", text)


def cell_text(hit: PatientHit, column: PatientColumn) -> str:
    if column == PatientColumn.NAME:
        return hit.display_name
    if column == PatientColumn.DOB:
        return date_text(hit.date_of_birth)
    if column == PatientColumn.AGE:
        return hit.age
    if column == PatientColumn.SEX:
        return sex_label(hit.sex_at_birth)
    if column == PatientColumn.MRN:
        return hit.mrn
    if column == PatientColumn.PHONE:
        return hit.phone or ""
    return status_label(hit.status)


def hit_data(hit: PatientHit, column: PatientColumn, role: int, *, show_match: bool) -> Any:
    """What a model answers for one cell of `hit`."""
    if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
        return cell_text(hit, column)
    if role == Qt.ItemDataRole.ForegroundRole:
        if column == PatientColumn.STATUS and hit.status in _STATUS_INK:
            return _STATUS_INK[hit.status]
        if hit.status is not PatientStatus.ACTIVE or column == PatientColumn.STATUS:
            return _QUIET_INK
        return None
    if role == Qt.ItemDataRole.FontRole and column == PatientColumn.STATUS:
        if hit.status is not PatientStatus.ACTIVE:
            font = QFont()
            font.setBold(True)
            return font
        return None
    if role == Qt.ItemDataRole.ToolTipRole and column == PatientColumn.NAME and show_match:
        return _tr("Found by: {how}").format(how=reason_label(hit.matched_by))
    if role == HIT_ROLE:
        return hit
    if role == ID_ROLE:
        return hit.id
    return None


class PatientTableModel(TableModel):
    """Columns and headers shared by every list of patients; subclasses supply the rows."""

    TR_CONTEXT = "PatientColumns"

    def __init__(self, parent: Any = None) -> None:
        super().__init__([HEADERS[column] for column in PatientColumn], parent)
