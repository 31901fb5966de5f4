"""The latest vitals as one line of text, for notes (the ".vitals" snippet)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.services.vitals_catalog import KINDS, VitalField
from app.services.vitals_reads import practice_units, set_rows, view_for

NO_VITALS = "No vitals recorded."
_BP_PARTS = (VitalField.SYSTOLIC, VitalField.DIASTOLIC)


def latest_vitals_text(session: Session, patient_id: str, units: str | None = None) -> str:
    """ "BP 128/82 mmHg · P 72 /min · T 98.6 °F · ... · BMI 26.1 kg/m² (Nov 27, 2026)" from the
    latest set not entered in error, or NO_VITALS. `units`: "us" or "metric" (None: the
    practice's setting).

    A helper inside the caller's unit of work: the caller checks permission and audits.
    """
    rows = set_rows(session, patient_id, limit=1, include_errors=False)
    if not rows:
        return NO_VITALS
    view = view_for(session, rows[0], units or practice_units(session))
    parts = [f"BP {view.blood_pressure} mmHg"] if view.blood_pressure else []
    parts += [f"{KINDS[v.field].short} {v.text}" for v in view.values if v.field not in _BP_PARTS]
    day = view.taken_at
    return " · ".join(parts) + f" ({day:%b} {day.day}, {day.year})"
