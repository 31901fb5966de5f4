"""Posting an 835 remittance to claims and the ledger.

Each claim payment (CLP) is matched to our claim by CLP01 (our CLM01) and each service
line by REF*6R (our line control), else by procedure code and charge. For a matched line:
- the paid amount (SVC03) pays the charge's insurance part, as one insurance payment per
  remittance (check/EFT trace) per patient: the ledger is kept per patient account, and
  the payments of one trace add up to the deposit;
- CAS CO (contractual obligation) lowers the insurance part (an adjustment whose reason
  code is the CARC, e.g. 45);
- CAS PR (patient responsibility: 1 deductible, 2 coinsurance, 3 copay...) moves that
  amount from insurance to the patient (a transfer with the CARC), unless a secondary
  payer is billed for it next: then it stays with insurance (claim_secondary);
- CAS OA / PI / CR lower the insurance part as adjustments with their CARC (on a
  secondary claim, CARC 23, the prior payer's part, is not posted again);
- claim-level CAS is shared among the lines in proportion to their charge.
Each line's adjudication is kept (claim_adjudication) for the secondary claim.
A denied claim (CLP02 = 4) posts nothing: its balance stays with insurance on the denial
worklist, to be appealed, corrected or written off by the biller. A reversal (CLP02 = 22)
reverses every line an earlier remittance posted for the claim and its adjudication.
(005010X221A1: loop 2100 CLP, 2110 SVC/CAS/REF*6R; group codes CO, PR, OA, PI, CR.)

Everything that does not fit (unknown claim or line, a claim in a status that takes no
payment, more than the charge's insurance part, claim-level adjustments that cannot be
shared, provider-level (PLB) adjustments) is left unposted and goes to the review list."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select, text

from app.interop.claim_document import Adjustment
from app.interop.x12_835 import ClaimPayment, LinePayment, Remittance
from app.models import (
    Charge,
    ChargeStatus,
    Claim,
    ClaimFile,
    ClaimFileKind,
    ClaimLine,
    ClaimStatus,
    EntryKind,
    Payment,
    PaymentMethod,
    Responsibility,
)
from app.models.base import new_id
from app.services.claim_adjudication import (
    posted_adjustments,
    record_adjudication,
    spread_claim_adjustments,
)
from app.services.claim_imports_prefetch import load_remittance_data
from app.services.claim_imports_reversal import reverse_claim
from app.services.claim_imports_run import ERA, MAX_REASON, ImportRun
from app.services.claim_secondary import keeps_patient_share
from app.services.claims_lifecycle import move
from app.services.errors import DomainError
from app.services.ledger_data import MAX_REASON as MAX_LEDGER_REASON
from app.services.ledger_data import money
from app.services.ledger_posting import Posting, record_write
from app.services.numbering import next_number

S = ClaimStatus
INSURANCE, PATIENT = Responsibility.INSURANCE, Responsibility.PATIENT
PAYABLE = frozenset({S.SUBMITTED, S.ACCEPTED, S.APPEALED})  # may take an adjudication
TRANSFER_GROUP = "PR"
_Why = Callable[[str], str]  # what -> the ledger reason naming the trace and the claim


def import_remittances(run: ImportRun, remittances: Sequence[Remittance]) -> None:
    # Posting runs without a flush per payment, and the ORM (no relationships) may insert
    # ledger lines before the payment they name: foreign keys are checked at COMMIT instead
    # (still checked; SQLite turns this off again when the transaction ends).
    run.uow.session.execute(text("PRAGMA defer_foreign_keys = ON"))
    done = _imported_payment_keys(run)
    for remittance in remittances:
        key = f"{remittance.originator_id or remittance.payer_id or ''}|{remittance.trace_number}"
        if key in done:
            run.skipped_payments.append(f"trace {remittance.trace_number}")
            continue
        done.add(key)
        run.file.payment_keys = [*run.file.payment_keys, key]
        run.problems.extend(remittance.problems)
        _Remittance(run, remittance).post()
    if remittances and len(run.skipped_payments) == len(remittances):
        raise DomainError(
            "Every payment in this 835 was imported before ("
            + ", ".join(run.skipped_payments)
            + "); nothing was posted."
        )


def _imported_payment_keys(run: ImportRun) -> set[str]:
    rows = run.uow.session.scalars(
        select(ClaimFile.payment_keys).where(
            ClaimFile.kind == ClaimFileKind.REMIT_835, ClaimFile.id != run.file.id
        )
    )
    return {key for keys in rows for key in keys or ()}


@dataclass
class _LinePlan:
    line: LinePayment
    charge: Charge
    claim_line: ClaimLine


@dataclass
class _Account:
    """One patient's part of the remittance: its posting and (once money is paid) payment."""

    posting: Posting
    payment: Payment | None = None
    claim_ids: list[str] = field(default_factory=list)


class _Remittance:
    def __init__(self, run: ImportRun, remittance: Remittance) -> None:
        self.run = run
        self.session = run.uow.session
        self.remittance = remittance
        self.accounts: dict[str, _Account] = {}
        self.first_posting: Posting | None = None
        self.flushed_counter = False

    def post(self) -> None:
        # Read before posting, with autoflush: earlier remittances' rows count.
        self.data = load_remittance_data(self.session, self.remittance)
        for payment in self.remittance.claims:
            self.claim_payment(payment)
        for plb in self.remittance.provider_adjustments:
            what = "taken from" if plb.amount_cents > 0 else "added to"
            self.run.review(
                f"Trace {self.remittance.trace_number}: the payer {what} the payment "
                f"{money(abs(plb.amount_cents))} as provider-level adjustment {plb.reason_code}"
                + (f" ({plb.reference})" if plb.reference else "")
                + "; it is on no patient's account.",
                amount_cents=-plb.amount_cents,
            )
        for patient_id, account in self.accounts.items():
            entity = account.payment.id if account.payment else account.claim_ids[0]
            record_write(self.run.uow, "remittance", patient_id, entity)

    # -- one claim ---------------------------------------------------------------------

    def claim_payment(self, payment: ClaimPayment) -> None:
        control = payment.patient_control_number
        claim = self.data.claims.get(control)
        if claim is None:
            self.run.review(
                f"Claim {control} ({payment.patient_last_name}, {payment.patient_first_name}) "
                f"is not in Stethos; {money(payment.paid_cents)} was not posted.",
                control_number=control[:50],
                amount_cents=payment.paid_cents,
            )
            return
        if payment.is_reversal:
            self.reverse(claim, payment)  # rare: its own queries, with autoflush
            return
        # Everything below reads self.data: no query needs the pending rows.
        with self.session.no_autoflush:
            self.adjudicate(claim, payment)

    def adjudicate(self, claim: Claim, payment: ClaimPayment) -> None:
        control = payment.patient_control_number
        if claim.status not in PAYABLE:
            self.run.review(
                f"Claim {control} is {claim.status.value.replace('_', ' ')}; this remittance "
                f"({payment.status_text}, {money(payment.paid_cents)}) was not posted.",
                claim=claim,
                amount_cents=payment.paid_cents,
            )
            return
        if payment.payer_claim_number:
            claim.payer_claim_number = payment.payer_claim_number[:50]
        codes = _codes(payment)
        if payment.is_denied:
            reason = _text(f"Denied by the payer ({', '.join(codes) or 'no reason given'})")
            move(self.run.uow, claim, S.DENIED, self._note(payment, reason))
            claim.denial_reason, claim.denial_codes = reason, codes
            self.run.touched(claim, "denied")
            if payment.paid_cents:
                self.run.review(
                    f"Claim {control} is denied but {money(payment.paid_cents)} was paid on it; "
                    "it was not posted.",
                    claim=claim,
                    amount_cents=payment.paid_cents,
                )
            return
        plans, short = self.match_lines(claim, payment)
        if payment.adjustments:
            spread = None if short else spread_claim_adjustments(payment, [p.line for p in plans])
            if spread is None:
                # Which line the claim-level amount comes off is unknown: posting the lines'
                # own payments would post more (or less) than the payer paid on the claim.
                self.run.review(
                    f"Claim {control}: claim-level adjustments "
                    + ", ".join(
                        f"{a.group_code}-{a.reason_code} {money(a.amount_cents)}"
                        for a in payment.adjustments
                    )
                    + " cannot be shared among its lines; nothing was posted for the claim "
                    f"({money(payment.paid_cents)} paid): post it by hand.",
                    claim=claim,
                    amount_cents=payment.paid_cents,
                )
                plans, short = [], True
            else:
                for plan, line in zip(plans, spread, strict=True):
                    plan.line = line
        account = self.account(claim)
        keep_share = keeps_patient_share(
            self.session, claim, self.data.coverages.get(claim.patient_id, [])
        )
        for plan in plans:
            self.post_line(claim, account, plan, keep_share)
            record_adjudication(
                self.session,
                plan.claim_line,
                plan.line,
                claim_status_code=payment.status_code,
                claim_file_id=self.run.file.id,
                trace_number=self.remittance.trace_number,
                paid_on=self.remittance.paid_on or account.posting.day,
            )
        unpaid_line = any(
            p.line.paid_cents == 0
            and any(a.group_code != TRANSFER_GROUP for a in posted_adjustments(claim, p.line))
            for p in plans
        )
        status = S.PARTIALLY_PAID if short or unpaid_line else S.PAID
        if not plans and payment.paid_cents == 0:
            status = S.DENIED
        move(self.run.uow, claim, status, self._note(payment, None))
        if status is not S.PAID:
            claim.denial_reason = _text(f"{payment.status_text}: {', '.join(codes)}")
            claim.denial_codes = codes
        self.run.touched(claim, status.value)

    def match_lines(self, claim: Claim, payment: ClaimPayment) -> tuple[list[_LinePlan], bool]:
        """The lines we can post, and whether any was left for review."""
        ours = self.data.lines.get(claim.id, [])
        charges = {x.charge_id: self.data.charges[x.charge_id] for x in ours}
        free = list(ours)
        plans: list[_LinePlan] = []
        short = False
        if not payment.lines:
            self.run.review(
                f"Claim {claim.control_number}: the remittance has no service lines; "
                f"{money(payment.paid_cents)} was not posted.",
                claim=claim,
                amount_cents=payment.paid_cents,
            )
            return [], True
        for line in payment.lines:
            found = next((x for x in free if line.line_control_number == x.control), None)
            if found is None and line.line_control_number is None:
                code = line.submitted_procedure_code or line.procedure_code
                found = next(
                    (
                        x
                        for x in free
                        if charges[x.charge_id].procedure_code == code
                        and x.charge_cents == line.charge_cents
                    ),
                    None,
                )
            problem = self.line_problem(claim, found, charges, line)
            if problem:
                short = True
                self.run.review(
                    f"Claim {claim.control_number}, line {line.procedure_code}: {problem}",
                    claim=claim,
                    line_control=(line.line_control_number or "")[:50] or None,
                    amount_cents=line.paid_cents,
                )
                continue
            assert found is not None
            free.remove(found)
            plans.append(_LinePlan(line, charges[found.charge_id], found))
        return plans, short

    def line_problem(
        self, claim: Claim, found: ClaimLine | None, charges: dict[str, Charge], line: LinePayment
    ) -> str | None:
        if found is None:
            return f"no line of the claim matches it; {money(line.paid_cents)} was not posted."
        charge = charges[found.charge_id]
        if charge.status is not ChargeStatus.POSTED or charge.deleted_at is not None:
            return "its charge was voided; nothing was posted."
        if line.paid_cents < 0 or any(a.amount_cents < 0 for a in line.adjustments):
            return "negative amounts on a payment line are posted by hand; nothing was posted."
        taken = line.paid_cents + sum(a.amount_cents for a in posted_adjustments(claim, line))
        open_cents = self.data.balances.of(charge.id)[INSURANCE]
        if taken > open_cents:
            return (
                f"the remittance accounts for {money(taken)} but insurance's part of the "
                f"charge is {money(open_cents)}; nothing was posted."
            )
        return None

    def post_line(self, claim: Claim, account: _Account, plan: _LinePlan, keep_share: bool) -> None:
        line, charge, posting = plan.line, plan.charge, account.posting
        why = self._reason(claim)
        if line.paid_cents:
            payment = self.payment(claim, account)
            payment.amount_cents += line.paid_cents
            posting.post(
                EntryKind.PAYMENT,
                -line.paid_cents,
                INSURANCE,
                charge=charge,
                payment_id=payment.id,
                reason=why("paid"),
            )
            self.run.paid_cents += line.paid_cents
        for adjustment in posted_adjustments(claim, line):
            if adjustment.group_code == TRANSFER_GROUP and keep_share:
                self.run.secondary_cents += adjustment.amount_cents  # stays with insurance
            else:
                self.post_adjustment(posting, charge, adjustment, why)

    def post_adjustment(self, posting: Posting, charge: Charge, adj: Adjustment, why: _Why) -> None:
        code, cents = adj.reason_code[:10], adj.amount_cents
        label = why(f"{adj.group_code}-{adj.reason_code}")
        if not cents:
            return
        if adj.group_code == TRANSFER_GROUP:
            posting.post(
                EntryKind.TRANSFER, -cents, INSURANCE, charge=charge, reason=label, reason_code=code
            )
            posting.post(
                EntryKind.TRANSFER, cents, PATIENT, charge=charge, reason=label, reason_code=code
            )
            self.run.patient_cents += cents
        else:
            posting.post(
                EntryKind.ADJUSTMENT,
                -cents,
                INSURANCE,
                charge=charge,
                reason=label,
                reason_code=code,
            )
            self.run.adjusted_cents += cents

    # -- reversals ---------------------------------------------------------------------

    def reverse(self, claim: Claim, payment: ClaimPayment) -> None:
        reverse_claim(
            self.run,
            claim,
            payment,
            trace_number=self.remittance.trace_number,
            posting=lambda: self.account(claim).posting,
            note=self._note(payment, "Payer reversed its payment"),
        )

    # -- helpers -----------------------------------------------------------------------

    def account(self, claim: Claim) -> _Account:
        account = self.accounts.get(claim.patient_id)
        if account is None:
            if self.first_posting is None:  # checks that today's books are open
                posting = self.first_posting = Posting(self.run.uow, claim.patient_id)
            else:
                posting = self.first_posting.for_patient(claim.patient_id)
            posting.balances = self.data.balances
            account = _Account(posting)
            self.accounts[claim.patient_id] = account
        account.claim_ids.append(claim.id)
        return account

    def payment(self, claim: Claim, account: _Account) -> Payment:
        if account.payment is None:
            actor = self.run.uow.ctx.actor
            assert actor is not None  # MANAGE_CLAIMS let a signed-in person through
            account.payment = Payment(
                id=new_id(),  # known now: the lines refer to it before any flush
                patient_id=claim.patient_id,
                method=PaymentMethod.INSURANCE,
                amount_cents=0,  # grows with each line it pays
                received_on=account.posting.day,
                reference=self.remittance.trace_number[:60],
                receipt_number=next_number(
                    self.session, self.run.uow.ctx.device_id, "receipt", kind="R"
                ),
                payer_id=claim.payer_id,
                received_by_id=actor.user_id,
                note=_text(f"Remittance (835) from {self.remittance.payer_name}")[:300],
            )
            self.session.add(account.payment)
            if not self.flushed_counter:
                # The receipt counter's row may be new; numbering reads it with session.get,
                # which sees flushed rows only. Once flushed, later payments find it.
                self.session.flush()
                self.flushed_counter = True
        return account.payment

    def _reason(self, claim: Claim) -> _Why:
        head = f"{ERA} {self.remittance.trace_number} claim {claim.control_number}:"

        def why(what: str) -> str:
            return f"{head} {what}"[:MAX_LEDGER_REASON]

        return why

    def _note(self, payment: ClaimPayment, head: str | None) -> str:
        parts = [
            head or f"835 {payment.status_text}",
            f"trace {self.remittance.trace_number}",
            f"paid {money(payment.paid_cents)}",
        ]
        if payment.patient_responsibility_cents:
            parts.append(f"patient owes {money(payment.patient_responsibility_cents)}")
        codes = _codes(payment)
        if codes:
            parts.append("codes " + ", ".join(codes))
        return _text("; ".join(parts))


def _codes(payment: ClaimPayment) -> list[str]:
    """Adjustment codes (group-CARC) and remark codes (RARC), each once, in file order."""
    found = [f"{a.group_code}-{a.reason_code}" for a in payment.all_adjustments]
    found += list(payment.remark_codes)
    found += [code for line in payment.lines for code in line.remark_codes]
    return list(dict.fromkeys(found))


def _text(text: str) -> str:
    return text[:MAX_REASON]
