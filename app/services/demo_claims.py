"""Demo claims (issue #7): the biller's claims screens show every state a claim can be in.

demo_billing already wrote the claims behind the payments it posted, and drafts for the last
few days' insured visits (demo_claim_history). Here, as the biller and through the real
services, the practice is set up for claims (NPI, tax id, clearinghouse ids, payers' filing
limits, a payer rule) and the drafts are worked: the oldest that pass the scrubber go out in
a batch; the rest stay drafts, some with problems a biller can fix (the payer rule wants a
group number, a nurse has no NPI). What came back for batch one is imported (277CA: accepted
or rejected; 835: paid, partly paid, denied); the rejection and denials sit on the worklist
with an owner, a next action and a due date; one denial is appealed, one paid claim
corrected, one closed, one accepted claim voided. A second batch (with the corrected and
void claims) goes out, two claims wait ready for the next one, and the inbox holds what came
back for batch two, for the biller to import: a 999, a 277CA (one rejection) and an 835
(paid, partly paid with CO-45 and PR-2, one denial, one line Stethos never sent: the review
list)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from app.interop import claim_document as doc
from app.models import ClaimStatus, Location, Payer, Practice, ScrubCheck
from app.services.audit_chain import AuditEntry
from app.services.claim_data import BillingSetup, ClaimSummary, ScrubRuleInput
from app.services.claim_imports import ClaimImportService
from app.services.claim_scrubber import has_errors
from app.services.claims import ClaimService
from app.services.claims_setup import ClaimSetupService
from app.services.context import AppContext
from app.services.demo_claim_files import (
    Answer,
    Parties,
    batch_accepted_999,
    claims_277ca,
    remittance_file,
)
from app.services.errors import DomainError
from app.services.patients import practice_today
from app.storage.files import ensure_private_dir, write_atomically

S = ClaimStatus
OUTBOX, INBOX = "claims-outbox", "claims-inbox"
CLEARINGHOUSE_ID = "CLAIMSHUB"
SUBMITTER_ID = "RIVERSIDE01"
GROUP_RULE_PAYER = "LKSH1"  # Lakeshore wants the subscriber's group number on every claim
# Payer code → (timely filing days, SBR09 claim filing indicator).
PAYER_RULES = {"GRMA3": (365, "MB"), "HLMD4": (180, "MC"), "NSHC6": (120, "HM")}
DEFAULT_PAYER_RULES = (180, "CI")
# Denials the demo's 835 brings back: (CARC, RARC...) and what the biller does next.
DENIALS = (
    (("16", "N290"), "Add the rendering provider's NPI and send a corrected claim"),
    (("197",), "Get the retro authorization from the payer and appeal"),
    (("50",), "Appeal with the visit note showing medical necessity"),
    (("11",), "Check the diagnosis with the provider and send a corrected claim"),
)
CLAIMS_SENT = 36  # recent drafts that pass the scrubber go out in two batches (and 2 wait)
MIN_CLAIMS = 20  # fewer clean recent claims than this: too small a demo for every state
REJECTION = "Subscriber's member id not found; check the insurance card and send again."


@dataclass(frozen=True)
class DemoClaimCounts:
    claims: int  # drafts worked here
    inbox_files: int


def seed_demo_claims(ctx: AppContext, seed: int, data_dir: Path, npi: str) -> DemoClaimCounts:
    """`ctx` is the biller's; `npi` the practice's (a valid check digit)."""
    rng = random.Random(seed + 23)
    parties = _set_up(ctx, npi)
    service = ClaimService(ctx)
    drafts = service.claims(S.DRAFT)  # demo_claim_history made them as build_ready would
    clean: list[ClaimSummary] = []
    for claim in drafts:  # oldest first; the rest wait for the biller (checking costs)
        if len(clean) < CLAIMS_SENT and _passes(service, claim):
            clean.append(claim)
    outbox, inbox = data_dir / OUTBOX, data_dir / INBOX
    ensure_private_dir(outbox)
    ensure_private_dir(inbox)
    if len(clean) < MIN_CLAIMS:  # too small a demo to show every state
        return DemoClaimCounts(len(drafts), 0)
    cut = len(clean) * 5 // 8
    first, second, newest = clean[:cut], clean[cut:-2], clean[-2:]
    documents = {c.id: service.document(c.id) for c in first + second}
    for claim in first:  # batch one: the older visits
        service.mark_ready(claim.id)
    service.submit_ready(outbox)
    day = _Day(ctx)
    ids = {c.control_number: c.id for c in first}
    replacements = _answer_batch_one(ctx, parties, [documents[c.id] for c in first], ids, day, rng)
    # Batch two: the next visits, and the corrected and void claims just made.
    for claim_id in [c.id for c in second] + replacements:
        service.mark_ready(claim_id)
    batch_two = service.submit_ready(outbox)
    for claim in newest:  # waiting for the next batch
        service.mark_ready(claim.id)
    files = _inbox_files(
        [documents[c.id] for c in second], parties, batch_two.interchange_number or 0, day, rng
    )
    for name, data in files.items():
        write_atomically(inbox / name, data)
    return DemoClaimCounts(len(drafts), len(files))


class _Day:
    """Today in the practice, and now, for the files' dates."""

    def __init__(self, ctx: AppContext) -> None:
        with ctx.unit_of_work() as uow:
            self.today = practice_today(uow.session, ctx.clock.now())
        self.now = ctx.clock.now()
        self.biller_id = ctx.actor.user_id if ctx.actor else None


def _answer_batch_one(
    ctx: AppContext,
    parties: Parties,
    sent: list[doc.Claim],
    ids: dict[str, str],
    day: _Day,
    rng: random.Random,
) -> list[str]:
    """The payers' answers to batch one, imported as the biller would, then worked: the
    rejection and the denials on the worklist, one appeal, a correction, a void, a close.
    Returns the corrected and void claims made (drafts). `ids`: control number → claim id."""
    imports, service = ClaimImportService(ctx), ClaimService(ctx)
    rejected, accepted = sent[0], sent[1:]
    ack = claims_277ca(
        sent, {rejected.control_number: REJECTION}, parties,
        batch_reference="BATCH1", on=day.today, number=901, at=day.now,
    )  # fmt: skip
    imports.import_file(ack, f"{day.today:%Y%m%d}-batch1.277")
    denied = accepted[: len(DENIALS)]
    paid = accepted[len(DENIALS) :][::2]  # every other one: the rest still wait for the payer
    answers = [Answer(c, "denied", codes) for c, (codes, _) in zip(denied, DENIALS, strict=False)]
    answers += [Answer(c, "coinsurance" if i % 3 else "paid") for i, c in enumerate(paid)]
    remit = remittance_file(
        answers, parties, trace_prefix=f"{day.today:%y%m%d}A", paid_on=day.today,
        number=902, at=day.now, rng=rng,
    )  # fmt: skip
    imports.import_file(remit, f"{day.today:%Y%m%d}-batch1.835")
    for offset, (claim, (_, action)) in enumerate(zip(denied, DENIALS, strict=False)):
        due = day.today + timedelta(days=7 + 5 * offset)
        service.assign(ids[claim.control_number], day.biller_id, action, due)
    service.assign(
        ids[rejected.control_number], day.biller_id, "Call the patient for the insurance card",
        day.today + timedelta(days=3),
    )  # fmt: skip
    service.appeal(
        ids[denied[2].control_number],
        "Appealed with the visit note and the history of the condition (medical necessity).",
    )
    corrected = service.correct(
        ids[paid[0].control_number], "Resent with the visit's charges as they are now."
    )
    service.close(ids[paid[1].control_number], "Paid as expected; nothing more to do.")
    waiting = [c for c in accepted[len(DENIALS) :] if c not in paid]
    void = service.void(ids[waiting[0].control_number], "Billed to the wrong payer in error.")
    return [corrected.id, void.id]


def _inbox_files(
    sent: list[doc.Claim], parties: Parties, interchange: int, day: _Day, rng: random.Random
) -> dict[str, bytes]:
    """What came back for batch two, not imported yet: the clearinghouse's 999, the
    payers' 277CA (one claim rejected) and an 835 (paid, coinsurance, a denial, a line
    Stethos never sent, which goes to the review list)."""
    rejected = sent[-1]
    accepted = sent[:-1]
    several = [c for c in accepted if len(c.lines) > 1]
    unmatched = several[0] if several else accepted[-1]
    rest = [c for c in accepted if c is not unmatched]
    answers = [Answer(unmatched, "unmatched_line"), Answer(rest[0], "denied", ("96", "N130"))]
    # Two thirds of the rest are paid, some leaving the patient coinsurance.
    answers += [
        Answer(c, "coinsurance" if i % 3 == 1 else "paid")
        for i, c in enumerate(rest[1 : 1 + len(rest) * 2 // 3])
    ]
    stamp = f"{day.today:%Y%m%d}"
    return {
        f"{stamp}-batch2.999": batch_accepted_999(parties, interchange, 903, day.now),
        f"{stamp}-batch2.277": claims_277ca(
            sent, {rejected.control_number: REJECTION}, parties,
            batch_reference="BATCH2", on=day.today, number=904, at=day.now,
        ),
        f"{stamp}-batch2.835": remittance_file(
            answers, parties, trace_prefix=f"{day.today:%y%m%d}B", paid_on=day.today,
            number=905, at=day.now, rng=rng,
        ),
    }  # fmt: skip


def _set_up(ctx: AppContext, npi: str) -> Parties:
    """The practice as billing provider and submitter, its address, the payers' claim
    rules and addresses, and one payer rule the scrubber enforces."""
    setup = BillingSetup(
        npi=npi,
        tax_id="36-4821907",
        taxonomy_code="207Q00000X",  # family medicine
        billing_phone="(312) 555-0148",
        billing_contact="Grace Whitfield",
        clearinghouse_name="Claims Hub Clearinghouse",
        submitter_id=SUBMITTER_ID,
        receiver_id=CLEARINGHOUSE_ID,
    )
    ClaimSetupService(ctx).save_billing_setup(setup)
    with ctx.unit_of_work() as uow:
        session = uow.session
        office = session.scalars(select(Location).order_by(Location.created_at)).first()
        if office is not None and not office.address_line1:
            office.address_line1, office.city = "2150 W Riverside Drive", "Chicago"
            office.state, office.postal_code = "IL", "60618-4402"
        payers = list(session.scalars(select(Payer).where(Payer.deleted_at.is_(None))))
        for number, payer in enumerate(payers, start=1):
            if not payer.address_line1:
                payer.address_line1 = f"PO Box {4100 + number * 17}"
                payer.city, payer.state, payer.postal_code = "Chicago", "IL", "60680-4100"
        uow.audit(AuditEntry("create", "demo_data", detail="demo claims set-up"))
        rules = [(p.id, p.payer_code) for p in payers]
        practice_name = session.scalars(select(Practice.name).limit(1)).one()
    setup_service = ClaimSetupService(ctx)
    for payer_id, code in rules:
        setup_service.set_payer_claim_rules(payer_id, *PAYER_RULES.get(code, DEFAULT_PAYER_RULES))
        if code == GROUP_RULE_PAYER:
            setup_service.save_rule(
                None,
                ScrubRuleInput(
                    "Lakeshore needs the group number",
                    "subscriber.group_number",
                    ScrubCheck.REQUIRED,
                    message="Lakeshore Health Plan needs the subscriber's group number: add it "
                    "on the patient's insurance.",
                    payer_id=payer_id,
                ),
            )
    return Parties(practice_name, npi, "364821907", SUBMITTER_ID, CLEARINGHOUSE_ID)


def _passes(service: ClaimService, claim: ClaimSummary) -> bool:
    """Whether the draft passes the scrubber; those that do not stay drafts for the biller
    to fix (one whose document cannot even be made, a DomainError, too)."""
    try:
        return not has_errors(service.check(claim.id))
    except DomainError:
        return False


def _is(service: ClaimService, claim: ClaimSummary, status: ClaimStatus) -> bool:
    return service.claim(claim.id).summary.status is status
