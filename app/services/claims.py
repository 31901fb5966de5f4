"""The biller's claims: build them from charges, check them, send them as 837P batches,
follow them through the payer's answers, correct, void or appeal them, and work the denials.

Every use case needs MANAGE_CLAIMS (claims carry PHI, so reading them too) and is audited."""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.interop import claim_document as doc
from app.interop.x12_837p import write_837p
from app.models import (
    Charge,
    Claim,
    ClaimEvent,
    ClaimFile,
    ClaimFileKind,
    ClaimStatus,
    Coverage,
    Patient,
    Payer,
    Practice,
    User,
)
from app.services.audit_chain import AuditEntry
from app.services.bus import ClaimsChanged
from app.services.claim_building import (
    add_lines,
    build_drafts,
    claim_document,
    claim_lines,
    encounter_charges,
    new_claim_row,
    practice_rules,
    preload_parties,
)
from app.services.claim_data import (
    CATEGORY,
    ClaimDetail,
    ClaimEventView,
    ClaimFileView,
    ClaimLineView,
    ClaimSummary,
    DenialRow,
    ScrubFailed,
    WorklistFields,
    note_text,
)
from app.services.claim_parties import billing_provider, phone_digits
from app.services.claim_rules import PracticeRule, ScrubProblem
from app.services.claim_scrubber import ScrubContext, has_errors, scrub
from app.services.claims_lifecycle import move, record, refuse_move
from app.services.context import AppContext, UnitOfWork, requires
from app.services.errors import DomainError, NotFound
from app.services.numbering import device_numbered, next_number
from app.services.patients import practice_today
from app.services.permissions import Permission
from app.storage.files import write_atomically

S = ClaimStatus
# ISA13: nine digits a clearinghouse refuses to see twice; each device numbers in its own
# block so two machines of the practice never send the same one.
INTERCHANGE_COUNTER = "x12_interchange"
ISA13_LIMIT = 999_999_999
BATCH_COUNTER = "claim_batch"
MAX_ACTION = 300


class ClaimService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    # -- building and reading ---------------------------------------------------------

    @requires(Permission.MANAGE_CLAIMS)
    def build_ready(self) -> list[ClaimSummary]:
        """Draft claims for every visit insurance still owes on and no live claim bills
        yet (one per visit per payer); running it again builds nothing new."""
        with self.ctx.unit_of_work() as uow:
            claims = build_drafts(uow)
            if not claims:
                uow.audit(AuditEntry("create", CATEGORY, detail="build claims: none"))
            return [_summary(uow.session, c) for c in claims]

    @requires(Permission.MANAGE_CLAIMS)
    def claims(self, status: ClaimStatus | None = None) -> list[ClaimSummary]:
        with self.ctx.unit_of_work() as uow:
            query = select(Claim).where(Claim.deleted_at.is_(None))
            if status is not None:
                query = query.where(Claim.status == status)
            rows = list(uow.session.scalars(query.order_by(Claim.service_on, Claim.control_number)))
            _audit_reads(uow, rows, f"claims {status or 'all'}")
            return [_summary(uow.session, c) for c in rows]

    @requires(Permission.MANAGE_CLAIMS)
    def claim(self, claim_id: str) -> ClaimDetail:
        with self.ctx.unit_of_work() as uow:
            claim = _claim(uow.session, claim_id)
            _audit_reads(uow, [claim], "claim")
            return _detail(uow.session, claim)

    @requires(Permission.MANAGE_CLAIMS)
    def document(self, claim_id: str) -> doc.Claim:
        """The claim as the 837P and the CMS-1500 print it."""
        with self.ctx.unit_of_work() as uow:
            claim = _claim(uow.session, claim_id)
            _audit_reads(uow, [claim], "claim document")
            return claim_document(uow.session, claim)

    @requires(Permission.MANAGE_CLAIMS)
    def check(self, claim_id: str) -> list[ScrubProblem]:
        """What the scrubber finds in the claim now (errors and warnings)."""
        with self.ctx.unit_of_work() as uow:
            claim = _claim(uow.session, claim_id)
            _audit_reads(uow, [claim], "claim check")
            return _scrub(uow, claim, claim_document(uow.session, claim))

    # -- sending ----------------------------------------------------------------------

    @requires(Permission.MANAGE_CLAIMS)
    def mark_ready(self, claim_id: str) -> ClaimSummary:
        """A draft passes the scrubber and waits for the next batch; refused with every
        problem (ScrubFailed) while it has errors."""
        with self.ctx.unit_of_work() as uow:
            claim = _claim(uow.session, claim_id)
            refuse_move(claim, S.READY)
            problems = _scrub(uow, claim, claim_document(uow.session, claim))
            if has_errors(problems):
                raise _scrub_failed([(claim, problems)])
            move(uow, claim, S.READY)
            return _summary(uow.session, claim)

    @requires(Permission.MANAGE_CLAIMS)
    def return_to_draft(self, claim_id: str, note: str | None = None) -> ClaimSummary:
        """Take a ready claim out of the next batch, or reopen a rejected one to fix it."""
        with self.ctx.unit_of_work() as uow:
            claim = _claim(uow.session, claim_id)
            move(uow, claim, S.DRAFT, note_text(note))
            return _summary(uow.session, claim)

    @requires(Permission.MANAGE_CLAIMS)
    def submit_ready(
        self, out_dir: Path, *, production: bool = True, file_name: str | None = None
    ) -> ClaimFileView:
        """Every ready claim in one 837P file written to `out_dir` (the outbox a
        clearinghouse transport picks up), named `file_name` or after the batch; the claims
        become submitted. Nothing is written if any claim fails the scrubber now."""
        if file_name is not None and (
            Path(file_name).name != file_name or file_name in {"", ".", ".."}
        ):
            raise DomainError("Give the claim file a plain file name, without folders.")
        with self.ctx.unit_of_work() as uow:
            session = uow.session
            claims = list(
                session.scalars(
                    select(Claim)
                    .where(Claim.status == S.READY, Claim.deleted_at.is_(None))
                    .order_by(Claim.control_number)
                )
            )
            if not claims:
                raise DomainError("No claims are ready to send.")
            # Facts the same for the whole batch are read once, the claims' parties in bulk.
            kept = preload_parties(session, claims)
            billing = billing_provider(session)
            documents = [claim_document(session, c, billing=billing) for c in claims]
            today = practice_today(session, self.ctx.clock.now())
            rules = practice_rules(session)
            failed = [
                (c, p)
                for c, d in zip(claims, documents, strict=True)
                if has_errors(p := _scrub(uow, c, d, today=today, rules=rules))
            ]
            del kept
            if failed:
                raise _scrub_failed(failed)
            now = self.ctx.clock.now()
            batch = doc.ClaimBatch(
                submitter=_submitter(session),
                claims=documents,
                interchange_number=device_numbered(
                    session, self.ctx.device_id, INTERCHANGE_COUNTER, ISA13_LIMIT
                ),
                created_at_date=practice_today(session, now),
                created_at_time=_local(session, now).strftime("%H%M"),
                production=production,
                batch_id=next_number(session, self.ctx.device_id, BATCH_COUNTER, kind="B"),
            )
            try:
                data = write_837p(batch)
            except ValueError as exc:  # the scrubber should have caught it: say what it was
                raise DomainError(f"The claim file could not be written: {exc}") from exc
            file = ClaimFile(
                kind=ClaimFileKind.CLAIMS_837P,
                file_name=file_name or f"{batch.batch_id}.837",
                content_hash=hashlib.sha256(data).hexdigest(),
                interchange_number=batch.interchange_number,
                claims_count=len(claims),
                counts={"claims": len(claims)},
                created_by_id=self.ctx.actor.user_id if self.ctx.actor else None,
                content=data,
            )
            session.add(file)
            session.flush()
            for claim in claims:
                move(uow, claim, S.SUBMITTED, f"Sent in batch {batch.batch_id}")
                claim.submitted_at = now
                claim.claim_file_id = file.id
            uow.audit(AuditEntry("create", CATEGORY, entity_id=file.id, detail=file.file_name))
            session.flush()
            # The file goes out last, and is taken back if the transaction fails.
            target = out_dir / file.file_name
            write_atomically(target, data)
            uow.on_rollback(lambda: target.unlink(missing_ok=True))
            return _file_view(file, tuple(c.id for c in claims))

    # -- the payer's answers ----------------------------------------------------------

    @requires(Permission.MANAGE_CLAIMS)
    def accept(
        self, claim_id: str, payer_claim_number: str | None = None, note: str | None = None
    ) -> ClaimSummary:
        with self.ctx.unit_of_work() as uow:
            claim = _claim(uow.session, claim_id)
            move(uow, claim, S.ACCEPTED, note_text(note))
            if payer_claim_number and payer_claim_number.strip():
                claim.payer_claim_number = payer_claim_number.strip()
            return _summary(uow.session, claim)

    @requires(Permission.MANAGE_CLAIMS)
    def reject(self, claim_id: str, reason: str, codes: tuple[str, ...] = ()) -> ClaimSummary:
        why = note_text(reason, required="Say why the claim was rejected.")
        with self.ctx.unit_of_work() as uow:
            claim = _claim(uow.session, claim_id)
            move(uow, claim, S.REJECTED, why)
            claim.denial_reason = why
            claim.denial_codes = list(codes)
            return _summary(uow.session, claim)

    # -- corrections, voids, appeals --------------------------------------------------

    @requires(Permission.MANAGE_CLAIMS)
    def correct(self, claim_id: str, note: str | None = None) -> ClaimSummary:
        """A corrected claim (frequency 7) with the visit's charges as they are now, naming
        the payer's number of the claim it replaces; the original becomes corrected."""
        return self._replace(claim_id, "7", S.CORRECTED, note_text(note))

    @requires(Permission.MANAGE_CLAIMS)
    def void(self, claim_id: str, note: str | None = None) -> ClaimSummary:
        """A void claim (frequency 8) repeating the original's lines, so the payer cancels
        it; the original becomes voided."""
        return self._replace(claim_id, "8", S.VOIDED, note_text(note))

    def _replace(
        self, claim_id: str, frequency: str, to: ClaimStatus, note: str | None
    ) -> ClaimSummary:
        with self.ctx.unit_of_work() as uow:
            session = uow.session
            original = _claim(session, claim_id)
            if original.status is S.REJECTED:
                raise DomainError(
                    f"Claim {original.control_number} was rejected before the payer took it "
                    "in: return it to draft, fix it and send it again."
                )
            refuse_move(original, to)
            if not original.payer_claim_number:
                raise DomainError(
                    f"The payer's claim number for {original.control_number} is not known yet "
                    "(it comes with the 277CA or the 835); a corrected or void claim must name it."
                )
            if frequency == "8":  # a void repeats exactly what the payer has
                lines = claim_lines(session, original.id)
                charges = [c for x in lines if (c := session.get(Charge, x.charge_id))]
            else:
                charges = encounter_charges(session, original)
            if not charges:
                raise DomainError("The visit has no posted charges left to bill.")
            coverage = session.get(Coverage, original.coverage_id)
            if coverage is None:
                raise NotFound("The insurance this claim billed no longer exists.")
            replacement = new_claim_row(
                uow,
                original.patient_id,
                original.encounter_id,
                coverage,
                charges,
                frequency_code=frequency,
                replaces=original,
            )
            add_lines(session, replacement, charges)
            what = "Corrects" if frequency == "7" else "Voids"
            record(
                uow,
                replacement,
                S.DRAFT,
                f"{what} {original.control_number} (payer's claim {original.payer_claim_number})",
                from_status=None,
            )
            move(uow, original, to, note or f"Replaced by {replacement.control_number}")
            return _summary(session, replacement)

    @requires(Permission.MANAGE_CLAIMS)
    def appeal(self, claim_id: str, note: str) -> ClaimSummary:
        why = note_text(note, required="Say what the appeal asks the payer to reconsider.")
        with self.ctx.unit_of_work() as uow:
            claim = _claim(uow.session, claim_id)
            move(uow, claim, S.APPEALED, why)
            return _summary(uow.session, claim)

    @requires(Permission.MANAGE_CLAIMS)
    def close(self, claim_id: str, note: str | None = None) -> ClaimSummary:
        with self.ctx.unit_of_work() as uow:
            claim = _claim(uow.session, claim_id)
            move(uow, claim, S.CLOSED, note_text(note))
            return _summary(uow.session, claim)

    # -- the denial worklist ----------------------------------------------------------

    @requires(Permission.MANAGE_CLAIMS)
    def denials(self) -> list[DenialRow]:
        """Denied and rejected claims, those due soonest first (undated last)."""
        with self.ctx.unit_of_work() as uow:
            rows = list(
                uow.session.scalars(
                    select(Claim)
                    .where(Claim.status.in_((S.DENIED, S.REJECTED)), Claim.deleted_at.is_(None))
                    .order_by(Claim.due_on.is_(None), Claim.due_on, Claim.service_on)
                )
            )
            _audit_reads(uow, rows, "denial worklist")
            return [DenialRow(_summary(uow.session, c), _worklist(uow.session, c)) for c in rows]

    @requires(Permission.MANAGE_CLAIMS)
    def assign(
        self,
        claim_id: str,
        owner_id: str | None,
        next_action: str | None,
        due_on: date | None,
    ) -> DenialRow:
        action = " ".join((next_action or "").split()) or None
        if action and len(action) > MAX_ACTION:
            raise DomainError(f"Keep the next action under {MAX_ACTION} characters.")
        with self.ctx.unit_of_work() as uow:
            claim = _claim(uow.session, claim_id)
            if owner_id is not None:
                owner = uow.session.get(User, owner_id)
                if owner is None or owner.deleted_at is not None or owner.disabled_at is not None:
                    raise DomainError("Choose an active user to own this claim.")
            claim.owner_id, claim.next_action, claim.due_on = owner_id, action, due_on
            uow.session.flush()
            uow.audit(
                AuditEntry(
                    "update",
                    CATEGORY,
                    patient_id=claim.patient_id,
                    entity_id=claim.id,
                    detail="worklist",
                )
            )
            uow.notify(ClaimsChanged((claim.id,)))
            return DenialRow(_summary(uow.session, claim), _worklist(uow.session, claim))


# -- helpers ---------------------------------------------------------------------------


def _claim(session: Session, claim_id: str) -> Claim:
    claim = session.get(Claim, claim_id)
    if claim is None or claim.deleted_at is not None:
        raise NotFound("That claim does not exist.")
    return claim


def _audit_reads(uow: UnitOfWork, claims: list[Claim], detail: str) -> None:
    patient_ids = sorted({c.patient_id for c in claims})
    for patient_id in patient_ids:
        uow.audit(AuditEntry("read", CATEGORY, patient_id=patient_id, detail=detail))
    if not patient_ids:
        uow.audit(AuditEntry("read", CATEGORY, detail=f"{detail}: none"))


def _scrub(
    uow: UnitOfWork,
    claim: Claim,
    document: doc.Claim,
    *,
    today: date | None = None,
    rules: list[PracticeRule] | None = None,
) -> list[ScrubProblem]:
    """The scrubber's findings; a batch passes `today` and `rules` (the same for every
    claim) read once."""
    payer = uow.session.get(Payer, claim.payer_id)
    context = ScrubContext(
        today=today if today is not None else practice_today(uow.session, uow.ctx.clock.now()),
        timely_filing_days=payer.timely_filing_days if payer else 365,
        rules=rules if rules is not None else practice_rules(uow.session),
    )
    return scrub(document, context)


def _scrub_failed(failed: list[tuple[Claim, list[ScrubProblem]]]) -> ScrubFailed:
    lines = []
    problems: list[ScrubProblem] = []
    for claim, found in failed:
        errors = [p for p in found if p.blocks_submission]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        lines.append(f"Claim {claim.control_number}: {errors[0].message}{more}")
        problems += found
    head = (
        "This claim cannot be sent yet." if len(failed) == 1 else "These claims cannot be sent yet."
    )
    return ScrubFailed("\n".join([head, *lines]), tuple(problems))


def _submitter(session: Session) -> doc.Submitter:
    practice = session.scalars(select(Practice).limit(1)).one()
    phone = phone_digits(practice.billing_phone or practice.phone)
    if not (practice.submitter_id and practice.receiver_id and practice.clearinghouse_name):
        raise DomainError(
            "Enter the clearinghouse's name and the submitter and receiver ids it gave the "
            "practice before sending claims."
        )
    if not phone:
        raise DomainError("Enter the practice's billing phone before sending claims.")
    return doc.Submitter(
        name=practice.name,
        submitter_id=practice.submitter_id,
        contact_name=practice.billing_contact or practice.name,
        contact_phone=phone,
        receiver_name=practice.clearinghouse_name,
        receiver_id=practice.receiver_id,
    )


def _local(session: Session, now: datetime) -> datetime:
    zone = session.scalar(select(Practice.time_zone).limit(1)) or "UTC"
    return now.astimezone(ZoneInfo(zone))


def _summary(session: Session, claim: Claim) -> ClaimSummary:
    patient = session.get(Patient, claim.patient_id)
    payer = session.get(Payer, claim.payer_id)
    return ClaimSummary(
        id=claim.id,
        version=claim.version,
        control_number=claim.control_number,
        status=claim.status,
        patient_id=claim.patient_id,
        patient_name=f"{patient.last_name}, {patient.first_name}" if patient else "",
        payer_id=claim.payer_id,
        payer_name=payer.name if payer else "",
        priority=claim.priority,
        frequency_code=claim.frequency_code,
        service_on=claim.service_on,
        total_cents=claim.total_cents,
        payer_claim_number=claim.payer_claim_number,
        replaces_claim_id=claim.replaces_claim_id,
        submitted_at=claim.submitted_at,
    )


def _worklist(session: Session, claim: Claim) -> WorklistFields:
    owner = session.get(User, claim.owner_id) if claim.owner_id else None
    return WorklistFields(
        owner_id=claim.owner_id,
        owner_name=owner.display_name if owner else None,
        next_action=claim.next_action,
        due_on=claim.due_on,
        denial_reason=claim.denial_reason,
        denial_codes=tuple(claim.denial_codes or ()),
    )


def _detail(session: Session, claim: Claim) -> ClaimDetail:
    lines = claim_lines(session, claim.id)
    charges = {
        c.id: c
        for c in session.scalars(select(Charge).where(Charge.id.in_([x.charge_id for x in lines])))
    }
    events = session.execute(
        select(ClaimEvent, User.display_name)
        .outerjoin(User, User.id == ClaimEvent.user_id)
        .where(ClaimEvent.claim_id == claim.id)
        .order_by(ClaimEvent.occurred_at, ClaimEvent.created_at, ClaimEvent.id)
    )
    return ClaimDetail(
        summary=_summary(session, claim),
        lines=tuple(
            ClaimLineView(
                line_number=line.line_number,
                charge_id=line.charge_id,
                procedure_code=charges[line.charge_id].procedure_code,
                modifiers=tuple(charges[line.charge_id].modifiers or ()),
                service_on=charges[line.charge_id].service_on,
                units=line.units,
                charge_cents=line.charge_cents,
                control=line.control,
            )
            for line in lines
        ),
        history=tuple(
            ClaimEventView(e.occurred_at, e.from_status, e.to_status, name, e.note)
            for e, name in events
        ),
        worklist=_worklist(session, claim),
    )


def _file_view(file: ClaimFile, claim_ids: tuple[str, ...]) -> ClaimFileView:
    return ClaimFileView(
        id=file.id,
        kind=file.kind,
        file_name=file.file_name,
        interchange_number=file.interchange_number,
        claims_count=file.claims_count,
        created_at=file.created_at,
        claim_ids=claim_ids,
    )
