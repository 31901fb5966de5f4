"""Permission-table rows for vital signs and growth charts (issue #5): only clinicians
(physicians and nurses) read or record vitals; the practice's units are an admin setting.

Refused calls of one module share a practice, so each `prepare` first looks for what an
earlier one made.
"""

from __future__ import annotations

from datetime import date

from app.models import SexAtBirth
from app.services.context import AppContext
from app.services.growth import GrowthMeasure, GrowthService
from app.services.patient_data import PatientInput
from app.services.patients import PatientService
from app.services.permissions import Permission
from app.services.settings import SettingsService
from app.services.vitals import Quantity, VitalField, VitalsInput, VitalsService
from tests.services.helpers import query
from tests.services.permission_table import ADMIN_ONLY, CLINICAL, Target, UseCase

CLINICIAN = "drpatel"
CHILD = PatientInput(
    "Kit", "Kidwell", date(2022, 3, 4), SexAtBirth.FEMALE, guarantor_name="Kim Kidwell"
)


def _record(ctx: AppContext, t: Target) -> object:
    return VitalsService(ctx).record(t.patient_id, VitalsInput({VitalField.PULSE: 70}))


def _strike_latest(ctx: AppContext, t: Target) -> object:
    (row,) = query(
        ctx,
        "SELECT id FROM vitals_set WHERE patient_id = ? AND error_at IS NULL "
        "ORDER BY taken_at DESC LIMIT 1",
        t.patient_id,
    )
    return VitalsService(ctx).mark_entered_in_error(row["id"], "recorded twice")


def _child_id(ctx: AppContext) -> str | None:
    rows = query(ctx, "SELECT id FROM patient WHERE last_name = 'Kidwell'")
    return str(rows[0]["id"]) if rows else None


def _child_with_weight(ctx: AppContext, t: Target) -> object:
    if _child_id(ctx) is None:
        child = PatientService(ctx).register(CHILD, confirm_not_duplicate=True)
        values = {VitalField.WEIGHT: Quantity(14, "kg")}
        VitalsService(ctx).record(child.id, VitalsInput(values))
    return None


def _growth_chart(ctx: AppContext, t: Target) -> object:
    child = _child_id(ctx)
    assert child is not None, "prepare registered no child"
    return GrowthService(ctx).growth_chart(child, GrowthMeasure.WEIGHT)


CASES = [
    UseCase("VitalsService.record", Permission.EDIT_CHART, CLINICAL, _record),
    UseCase(
        "VitalsService.mark_entered_in_error",
        Permission.EDIT_CHART,
        CLINICAL,
        _strike_latest,
        prepare=_record,
        prepare_as=CLINICIAN,
    ),
    UseCase(
        "VitalsService.latest",
        Permission.VIEW_CHART,
        CLINICAL,
        lambda c, t: VitalsService(c).latest(t.patient_id),
    ),
    UseCase(
        "VitalsService.flowsheet",
        Permission.VIEW_CHART,
        CLINICAL,
        lambda c, t: VitalsService(c).flowsheet(t.patient_id),
    ),
    UseCase(
        "VitalsService.trend",
        Permission.VIEW_CHART,
        CLINICAL,
        lambda c, t: VitalsService(c).trend(t.patient_id, "8867-4"),
    ),
    UseCase(
        "VitalsService.units",
        Permission.VIEW_CHART,
        CLINICAL,
        lambda c, t: VitalsService(c).units(),
        audited=False,  # a practice setting, no patient's data
    ),
    UseCase(
        "GrowthService.growth_chart",
        Permission.VIEW_CHART,
        CLINICAL,
        _growth_chart,
        prepare=_child_with_weight,
        prepare_as=CLINICIAN,
    ),
    UseCase(
        "SettingsService.set_vitals_units",
        Permission.MANAGE_SETTINGS,
        ADMIN_ONLY,
        lambda c, t: SettingsService(c).set_vitals_units("metric"),
    ),
    UseCase(
        "SettingsService.set_billing_starts_on",
        Permission.MANAGE_SETTINGS,
        ADMIN_ONLY,
        lambda c, t: SettingsService(c).set_billing_starts_on(date(2025, 1, 1)),
    ),
]
SERVICES: list[type] = [VitalsService, GrowthService]
