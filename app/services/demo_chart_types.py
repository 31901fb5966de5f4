"""What a demo chart is made from: the patient, the visits they had, how each visit's note
ended up, and what the practice provides (staff, note templates, code sets, clock)."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from app.terminology.cvx import CvxCatalog
from app.terminology.icd10cm import Icd10Catalog


@dataclass(frozen=True)
class ChartPatient:
    id: str
    birth: date
    female: bool
    name: str  # "Last, First": printed on the demo's documents
    mrn: str


class NotePlan(enum.StrEnum):
    """How a visit's note ends up."""

    SIGNED = "signed"
    DRAFT = "draft"  # not signed yet: the encounter stays open
    AWAITING_COSIGN = "awaiting_cosign"  # a nurse's note sent to a physician
    COSIGNED = "cosigned"
    ADDENDUM = "addendum"  # signed, then an addendum a few days later
    REPLACED = "replaced"  # signed, entered in error, then the right note signed


@dataclass(frozen=True)
class DemoVisit:
    """A visit the patient had: a checked-out appointment (or a made-up one for a bench)."""

    appointment_id: str | None
    provider_id: str
    nurse_visit: bool  # the provider is the nurse (an immunization or injection visit)
    location_id: str | None
    type_name: str  # the appointment type: "Follow-up", "Sick visit", ...
    reason: str | None
    arrived_at: datetime
    roomed_at: datetime
    seen_at: datetime
    out_at: datetime
    plan: NotePlan = NotePlan.SIGNED


@dataclass(frozen=True)
class TemplateForm:
    id: str
    sections: tuple[Mapping[str, Any], ...]  # as stored in NoteTemplate.sections


@dataclass(frozen=True)
class ChartSetting:
    """What every chart in one practice shares."""

    now: datetime
    zone: ZoneInfo
    units: str  # the practice's vitals units ("us" or "metric"), as notes show vitals
    window_start: date  # doses due before this were given elsewhere
    nurse_id: str
    physician_ids: tuple[str, ...]
    names: Mapping[str, str]  # user id → "Priya Patel, MD"
    soap: TemplateForm
    nursing: TemplateForm
    icd10: Icd10Catalog
    cvx: CvxCatalog

    @property
    def today(self) -> date:
        return self.now.astimezone(self.zone).date()
