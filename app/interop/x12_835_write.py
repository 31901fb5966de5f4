"""Write 835 remittance files (005010X221A1) from the same dataclasses `read_835` returns.

Payers write 835s, not practices: this exists so the demo, the benchmark and the tests
can make remittance files to import. It writes check (CHK) and no-payment (NON)
remittances; bank details for EFT are no business of ours."""

from __future__ import annotations

from collections.abc import Sequence

from app.interop.claim_document import Adjustment
from app.interop.x12_835 import ClaimPayment, LinePayment, ProviderAdjustment, Remittance
from app.interop.x12_common import DEFAULT_SEPARATORS, format_amount, format_date
from app.interop.x12_envelope import Elements, Envelope, TransactionBody, interchange

GUIDE = "005010X221A1"
_BPR_TO_BPR16 = 11  # empty elements between BPR04 and BPR16 for a check (BPR05..BPR15)


def write_835(
    remittances: Remittance | Sequence[Remittance], envelope: Envelope, *, newline: bool = False
) -> bytes:
    """One interchange with one 835 transaction set per remittance."""
    batch = [remittances] if isinstance(remittances, Remittance) else list(remittances)
    bodies = [TransactionBody("835", _remittance(r)) for r in batch]
    return interchange(envelope, "HP", GUIDE, bodies, version_in_st=False, newline=newline)


def _remittance(remittance: Remittance) -> list[Elements]:
    if remittance.payment_method not in ("CHK", "NON"):
        raise ValueError("The 835 writer makes check (CHK) or no-payment (NON) files only.")
    if remittance.payer_address is None or not remittance.payer_phone:
        raise ValueError("An 835 needs the payer's address and phone (N3/N4, PER*BL).")
    total = remittance.total_paid_cents
    address = remittance.payer_address
    # BPR01: I = remittance information only (the check travels separately), H = notice
    # only; BPR03: C credit to the payee, D debit (the payee owes).
    handling = "I" if total else "H"
    bpr = ["BPR", handling, format_amount(abs(total)), "D" if total < 0 else "C"]
    bpr += [remittance.payment_method] + [""] * _BPR_TO_BPR16
    bpr += [format_date(remittance.paid_on)] if remittance.paid_on else []
    segments: list[Elements] = [
        bpr,
        ["TRN", "1", remittance.trace_number, remittance.originator_id],
        ["N1", "PR", remittance.payer_name],
        ["N3", address.line1, address.line2 or ""],
        ["N4", address.city, address.state, address.postal_code],
    ]
    if remittance.payer_id:
        segments.append(["REF", "2U", remittance.payer_id])
    segments.append(["PER", "BL", "", "TE", remittance.payer_phone])
    payee = ["N1", "PE", remittance.payee_name]
    segments.append(payee + (["XX", remittance.payee_npi] if remittance.payee_npi else []))
    if remittance.payee_tax_id:
        segments.append(["REF", "TJ", remittance.payee_tax_id])
    if remittance.claims:
        segments.append(["LX", "1"])
    for claim in remittance.claims:
        segments.extend(_claim(claim))
    segments.extend(_provider_adjustments(remittance.provider_adjustments))
    return segments


def _claim(claim: ClaimPayment) -> list[Elements]:
    responsibility = claim.patient_responsibility_cents
    segments: list[Elements] = [
        [
            "CLP",
            claim.patient_control_number,
            claim.status_code,
            format_amount(claim.charge_cents),
            format_amount(claim.paid_cents),
            format_amount(responsibility) if responsibility else "",
            claim.filing_indicator,
            claim.payer_claim_number,
        ],
        *_cas(claim.adjustments),
        [
            "NM1",
            "QC",
            "1",
            claim.patient_last_name,
            claim.patient_first_name,
            "",
            "",
            "",
            "MI" if claim.member_id else "",
            claim.member_id or "",
        ],
    ]
    if claim.remark_codes:
        segments.append(["MOA", "", "", *claim.remark_codes[:5]])
    if claim.statement_from:
        segments.append(["DTM", "232", format_date(claim.statement_from)])
    if claim.statement_through:
        segments.append(["DTM", "233", format_date(claim.statement_through)])
    for line in claim.lines:
        segments.extend(_line(line))
    return segments


def _line(line: LinePayment) -> list[Elements]:
    svc = [
        "SVC", _procedure(line.procedure_code, line.modifiers),
        format_amount(line.charge_cents), format_amount(line.paid_cents), "",
        "" if line.units == 1 else str(line.units),
    ]  # fmt: skip
    if line.submitted_procedure_code:
        svc.append(_procedure(line.submitted_procedure_code, line.submitted_modifiers))
    segments: list[Elements] = [svc]
    if line.service_on:
        segments.append(["DTM", "472", format_date(line.service_on)])
    segments.extend(_cas(line.adjustments))
    if line.line_control_number:
        segments.append(["REF", "6R", line.line_control_number])
    if line.allowed_cents is not None:
        segments.append(["AMT", "B6", format_amount(line.allowed_cents)])
    segments.extend(["LQ", "HE", code] for code in line.remark_codes)
    return segments


def _procedure(code: str, modifiers: Sequence[str]) -> str:
    return DEFAULT_SEPARATORS.component.join(["HC", code, *modifiers])


def _cas(adjustments: Sequence[Adjustment]) -> list[Elements]:
    """One CAS per group code, six (reason, amount, quantity) triplets per segment."""
    segments: list[Elements] = []
    groups: dict[str, list[Adjustment]] = {}
    for adjustment in adjustments:
        groups.setdefault(adjustment.group_code, []).append(adjustment)
    for group, items in groups.items():
        for start in range(0, len(items), 6):
            cas = ["CAS", group]
            for item in items[start : start + 6]:
                cas += [item.reason_code, format_amount(item.amount_cents), ""]
            segments.append(cas)
    return segments


def _provider_adjustments(adjustments: Sequence[ProviderAdjustment]) -> list[Elements]:
    """PLB: one segment per provider and fiscal period, six adjustments per segment."""
    segments: list[Elements] = []
    keyed: dict[tuple[str, str], list[ProviderAdjustment]] = {}
    for item in adjustments:
        period = format_date(item.fiscal_period_on) if item.fiscal_period_on else ""
        keyed.setdefault((item.provider_id, period), []).append(item)
    for (provider, period), items in keyed.items():
        for start in range(0, len(items), 6):
            plb = ["PLB", provider, period]
            for item in items[start : start + 6]:
                reason = DEFAULT_SEPARATORS.component.join(
                    [item.reason_code] + ([item.reference] if item.reference else [])
                )
                plb += [reason, format_amount(item.amount_cents)]
            segments.append(plb)
    return segments
