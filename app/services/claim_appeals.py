"""The appeal letter of a denied claim, drawn from the claim, its patient, coverage and payer,
and the practice. A read (audited as one: the letter carries PHI); it does not change the
claim — ClaimService.appeal marks the claim appealed once the letter goes out."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select

from app.interop.appeal_letter_pdf import AppealLetter, appeal_letter_pdf
from app.models import Charge, Claim, ClaimLine, ClaimStatus, Coverage, Patient, Payer, Practice
from app.services.audit_chain import AuditEntry
from app.services.claim_data import CATEGORY, MAX_NOTE, STATUS_LABELS
from app.services.context import AppContext, requires
from app.services.errors import DomainError, NotFound
from app.services.patients import practice_today
from app.services.payments import practice_address
from app.services.permissions import Permission

S = ClaimStatus
# Claims a payer has decided on that the practice may ask to reconsider (an appealed claim's
# letter can be printed again).
APPEALABLE = frozenset({S.DENIED, S.PARTIALLY_PAID, S.APPEALED})
STANDARD_ENCLOSURES = ("Medical records", "Corrected claim", "Itemised bill")
MAX_ARGUMENT = 5000  # about two pages
MAX_ENCLOSURE = 100
MAX_ENCLOSURES = 10


class ClaimAppealService:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    @requires(Permission.MANAGE_CLAIMS)
    def letter(self, claim_id: str, argument: str, enclosures: Sequence[str] = ()) -> bytes:
        """The appeal letter as a PDF, in memory: the biller previews, prints or saves it."""
        case = _argument(argument)
        enclosed = _enclosures(enclosures)
        with self.ctx.unit_of_work() as uow:
            session = uow.session
            claim = session.get(Claim, claim_id)
            if claim is None or claim.deleted_at is not None:
                raise NotFound("That claim does not exist.")
            if claim.status not in APPEALABLE:
                raise DomainError(
                    f"Claim {claim.control_number} is {STATUS_LABELS[claim.status].lower()}; "
                    "only a denied or partly paid claim is appealed."
                )
            patient = session.get(Patient, claim.patient_id)
            coverage = session.get(Coverage, claim.coverage_id)
            payer = session.get(Payer, claim.payer_id)
            practice = session.scalars(select(Practice).limit(1)).one()
            if patient is None or coverage is None or payer is None:
                raise NotFound("This claim's patient, coverage or payer no longer exists.")
            first, last = session.execute(
                select(func.min(Charge.service_on), func.max(Charge.service_on))
                .join(ClaimLine, ClaimLine.charge_id == Charge.id)
                .where(ClaimLine.claim_id == claim.id, ClaimLine.deleted_at.is_(None))
            ).one()
            actor = self.ctx.actor
            letter = AppealLetter(
                practice_name=practice.name,
                practice_address=practice_address(session),
                practice_phone=practice.billing_phone or practice.phone,
                practice_npi=practice.npi,
                written_on=practice_today(session, self.ctx.clock.now()),
                payer_name=payer.name,
                payer_address=_payer_address(payer),
                patient_name=" ".join(
                    p for p in (patient.first_name, patient.middle_name, patient.last_name) if p
                ),
                patient_birth_date=patient.date_of_birth,
                member_id=coverage.member_id,
                group_number=coverage.group_number,
                claim_number=claim.control_number,
                payer_claim_number=claim.payer_claim_number,
                first_service_on=first or claim.service_on,
                last_service_on=last or claim.service_on,
                billed_cents=claim.total_cents,
                denial_reason=claim.denial_reason,
                denial_codes=tuple(claim.denial_codes or ()),
                argument=case,
                enclosures=enclosed,
                contact_name=practice.billing_contact
                or (actor.display_name if actor else practice.name),
                contact_phone=practice.billing_phone or practice.phone,
                decision="paid only in part" if claim.status is S.PARTIALLY_PAID else "denied",
            )
            uow.audit(
                AuditEntry(
                    "read",
                    CATEGORY,
                    patient_id=claim.patient_id,
                    entity_id=claim.id,
                    detail="appeal letter",
                )
            )
        return appeal_letter_pdf(letter)


def history_note(argument: str) -> str:
    """The argument as the claim's history keeps it when the claim is marked appealed (the
    letter has it all; the history note holds MAX_NOTE characters)."""
    text = " ".join(argument.split())
    return text if len(text) <= MAX_NOTE else text[: MAX_NOTE - 1].rstrip() + "…"


def _argument(text: str) -> str:
    """The biller's case, paragraphs kept (blank lines), spaces tidied."""
    paragraphs = [" ".join(p.split()) for p in (text or "").replace("\r\n", "\n").split("\n\n")]
    kept = "\n\n".join(p for p in paragraphs if p)
    if not kept:
        raise DomainError("Write why the payer should reconsider the claim: the letter argues it.")
    if len(kept) > MAX_ARGUMENT:
        raise DomainError(f"Keep the argument under {MAX_ARGUMENT} characters (about two pages).")
    return kept


def _enclosures(items: Sequence[str]) -> tuple[str, ...]:
    kept = tuple(dict.fromkeys(" ".join(i.split()) for i in items if i.strip()))
    if len(kept) > MAX_ENCLOSURES:
        raise DomainError(f"List at most {MAX_ENCLOSURES} enclosures.")
    if any(len(i) > MAX_ENCLOSURE for i in kept):
        raise DomainError(f"Name each enclosure in under {MAX_ENCLOSURE} characters.")
    return kept


def _payer_address(payer: Payer) -> tuple[str, ...]:
    city = " ".join(
        p for p in (f"{payer.city}," if payer.city else None, payer.state, payer.postal_code) if p
    )
    return tuple(line for line in (payer.address_line1, city) if line)
