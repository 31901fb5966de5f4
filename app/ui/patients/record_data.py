"""Everything the record page shows, loaded in one task on the worker."""

from __future__ import annotations

from dataclasses import dataclass

from app.services.context import AppContext
from app.services.errors import DomainError
from app.services.insurance import CoverageService, CoverageView
from app.services.patient_data import PatientRecord
from app.services.patient_merge import MergeView, PatientMergeService
from app.services.patients import PatientService


@dataclass(frozen=True)
class MergeEntry:
    merge: MergeView
    kept_here: bool  # this record is the one kept; the other was folded into it
    other_name: str
    other_mrn: str


@dataclass(frozen=True)
class PatientFile:
    record: PatientRecord
    photo: bytes | None
    coverages: list[CoverageView]
    merges: list[MergeEntry]


def load_patient_file(ctx: AppContext, patient_id: str) -> PatientFile:
    """The record (its read is audited), photo, coverages and merge history."""
    patients = PatientService(ctx)
    record = patients.get(patient_id)
    photo = patients.photo(patient_id)
    coverages = CoverageService(ctx).coverages(patient_id)
    merges: list[MergeEntry] = []
    for merge in PatientMergeService(ctx).merges_for(patient_id):
        kept_here = merge.survivor_id == patient_id
        other_id = merge.duplicate_id if kept_here else merge.survivor_id
        try:
            other = patients.get(other_id)
            name, mrn = other.display_name, other.mrn
        except DomainError:
            name, mrn = "", ""
        merges.append(MergeEntry(merge, kept_here, name, mrn))
    return PatientFile(record, photo, coverages, merges)
