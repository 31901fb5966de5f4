"""Permission-table rows for documents, the chart summary and timeline, and the visit summary
(collected by tests/services/test_permissions.py)."""

from __future__ import annotations

import uuid
from datetime import date

from app.models import (
    ClinicalNote,
    DocumentCategory,
    Encounter,
    EncounterType,
    NoteKind,
    NoteStatus,
)
from app.services.chart import ChartService
from app.services.context import AppContext
from app.services.documents import DocumentInput, DocumentService
from app.services.permissions import Permission
from app.services.visit_summary import VisitSummaryService
from tests.services.helpers import query
from tests.services.permission_table import CLINICAL, PHYSICIAN_ONLY, Target, UseCase


def _pdf() -> DocumentInput:
    """A new file each time (the same file twice in one chart is refused)."""
    data = f"%PDF-1.4\n% {uuid.uuid4()}\n%%EOF\n".encode()
    return DocumentInput(
        data, "report.pdf", DocumentCategory.LAB_REPORT, "Report", date(2025, 12, 1)
    )


def _import(ctx: AppContext, t: Target) -> object:
    return DocumentService(ctx).import_document(t.patient_id, _pdf())


def _latest_document(ctx: AppContext, t: Target) -> str:
    (row,) = query(
        ctx,
        "SELECT id FROM clinical_document WHERE patient_id = ? AND error_at IS NULL "
        "ORDER BY id DESC LIMIT 1",
        t.patient_id,
    )
    return str(row["id"])


def _signed_visit(ctx: AppContext, t: Target) -> object:
    """A visit with a signed doctor's note, as the notes service leaves it."""
    assert ctx.actor is not None
    now = ctx.clock.now()
    with ctx.unit_of_work() as uow:
        visit = Encounter(
            patient_id=t.patient_id,
            provider_id=ctx.actor.user_id,
            type=EncounterType.OFFICE_VISIT,
            starts_at=now,
        )
        uow.session.add(visit)
        uow.session.flush()
        uow.session.add(
            ClinicalNote(
                patient_id=t.patient_id,
                encounter_id=visit.id,
                kind=NoteKind.DOCTOR,
                title="Office visit",
                author_id=ctx.actor.user_id,
                written_at=now,
                sections=[{"key": "plan", "label": "Plan", "text": "Rest."}],
                status=NoteStatus.SIGNED,
                signed_at=now,
                signed_by_id=ctx.actor.user_id,
                content_hash="0" * 64,
            )
        )
        return visit.id


def _visit_summary(ctx: AppContext, t: Target) -> object:
    (row,) = query(
        ctx,
        "SELECT id FROM encounter WHERE patient_id = ? ORDER BY id DESC LIMIT 1",
        t.patient_id,
    )
    return VisitSummaryService(ctx).pdf(row["id"])


CASES = [
    UseCase("DocumentService.import_document", Permission.EDIT_CHART, CLINICAL, _import),
    UseCase(
        "DocumentService.for_patient",
        Permission.VIEW_CHART,
        CLINICAL,
        lambda c, t: DocumentService(c).for_patient(t.patient_id),
    ),
    UseCase(
        "DocumentService.content",
        Permission.VIEW_CHART,
        CLINICAL,
        lambda c, t: DocumentService(c).content(_latest_document(c, t)),
        prepare=_import,
        prepare_as="drpatel",
    ),
    UseCase(
        "DocumentService.sign_off",
        Permission.SIGN_NOTES,
        PHYSICIAN_ONLY,
        lambda c, t: DocumentService(c).sign_off(_latest_document(c, t), "Seen"),
        prepare=_import,
        prepare_as="drpatel",
    ),
    UseCase(
        "DocumentService.awaiting_review",
        Permission.SIGN_NOTES,
        PHYSICIAN_ONLY,
        lambda c, t: DocumentService(c).awaiting_review(),
        prepare=_import,
        prepare_as="drpatel",
    ),
    UseCase(
        "DocumentService.mark_entered_in_error",
        Permission.EDIT_CHART,
        CLINICAL,
        lambda c, t: DocumentService(c).mark_entered_in_error(_latest_document(c, t), "Duplicate"),
        prepare=_import,
        prepare_as="drpatel",
    ),
    UseCase(
        "ChartService.summary",
        Permission.VIEW_CHART,
        CLINICAL,
        lambda c, t: ChartService(c).summary(t.patient_id),
    ),
    UseCase(
        "ChartService.timeline",
        Permission.VIEW_CHART,
        CLINICAL,
        lambda c, t: ChartService(c).timeline(t.patient_id),
    ),
    UseCase(
        "VisitSummaryService.pdf",
        Permission.VIEW_CHART,
        CLINICAL,
        _visit_summary,
        prepare=_signed_visit,
        prepare_as="drpatel",
    ),
]
SERVICES: list[type] = [DocumentService, ChartService, VisitSummaryService]
