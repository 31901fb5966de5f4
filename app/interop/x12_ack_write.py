"""Write the acknowledgements a clearinghouse and a payer send back for an 837P batch: a
999 accepting the batch (005010X231A1) and a 277CA (005010X214) accepting or rejecting
each claim.

Practices receive these, never send them: this exists so the demo can leave files in the
inbox for the biller to import. It writes the common, error-free shapes only (a 999
accepting whole sets; a 277CA with one patient level per claim)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from app.interop.x12_common import DEFAULT_SEPARATORS, format_amount, format_date
from app.interop.x12_envelope import Elements, Envelope, TransactionBody, interchange

# 277CA claim status categories that turn a claim back (the rest acknowledge it).
REJECTING = frozenset({"A3", "A4", "A6", "A7", "A8"})


def write_999_accepted(
    group_control_number: str, set_control_numbers: Sequence[str], envelope: Envelope
) -> bytes:
    """A 999 accepting every 837 transaction set of our functional group (AK1 = our GS06)."""
    body: list[Elements] = [["AK1", "HC", group_control_number, "005010X222A1"]]
    for number in set_control_numbers:
        body += [["AK2", "837", number, "005010X222A1"], ["IK5", "A"]]
    count = str(len(set_control_numbers))
    body.append(["AK9", "A", count, count, count])
    return interchange(envelope, "FA", "005010X231A1", [TransactionBody("999", body)])


@dataclass(frozen=True)
class ClaimAcknowledgement:
    control_number: str  # our CLM01, echoed in TRN02
    patient_last_name: str
    patient_first_name: str
    member_id: str
    charge_cents: int
    service_on: date
    category: str = "A2"  # A2 accepted into adjudication; A3/A7 rejected...
    status: str = "20"  # claim status code (20 accepted for processing)
    payer_claim_number: str | None = None  # REF*1K, given when accepted
    free_text: str = ""  # STC12: the payer's words


@dataclass(frozen=True)
class Acknowledgement277:
    payer_name: str
    payer_id: str
    provider_name: str
    provider_npi: str
    submitter_id: str
    batch_reference: str  # TRN02 at the receiver level: our batch
    on: date
    claims: Sequence[ClaimAcknowledgement]


def write_277ca(ack: Acknowledgement277, envelope: Envelope) -> bytes:
    """A 277CA: the payer (HL 20), the submitter (21), the billing provider (19), then one
    patient level (PT) per claim with its status (STC), payer claim number and service day."""
    day = format_date(ack.on)
    total = sum(c.charge_cents for c in ack.claims)
    turned_back = [c for c in ack.claims if c.category in REJECTING]
    refused = sum(c.charge_cents for c in turned_back)
    body: list[Elements] = [
        ["BHT", "0085", "08", ack.batch_reference, day, "0930", "TH"],
        ["HL", "1", "", "20", "1"],
        ["NM1", "PR", "2", ack.payer_name, "", "", "", "", "PI", ack.payer_id],
        ["TRN", "1", ack.batch_reference],
        ["DTP", "050", "D8", day],
        ["DTP", "009", "D8", day],
        ["HL", "2", "1", "21", "1"],
        ["NM1", "41", "2", ack.provider_name, "", "", "", "", "46", ack.submitter_id],
        ["TRN", "2", ack.batch_reference],
        _stc("A1", "19", total, day),
        ["QTY", "90", str(len(ack.claims) - len(turned_back))],
        ["QTY", "AA", str(len(turned_back))],
        ["AMT", "YU", format_amount(total - refused)],
        ["AMT", "YY", format_amount(refused)],
        ["HL", "3", "2", "19", "1"],
        ["NM1", "85", "2", ack.provider_name, "", "", "", "", "XX", ack.provider_npi],
        ["TRN", "1", "0"],
        _stc("A1", "19", total, ""),  # the provider level leaves STC02 out
    ]
    for number, claim in enumerate(ack.claims, start=4):
        body += [
            ["HL", str(number), "3", "PT"],
            _patient_name(claim),
            ["TRN", "2", claim.control_number],
            _stc(claim.category, claim.status, claim.charge_cents, day, claim.free_text),
        ]
        if claim.payer_claim_number:
            body.append(["REF", "1K", claim.payer_claim_number])
        body.append(["DTP", "472", "D8", format_date(claim.service_on)])
    return interchange(envelope, "HN", "005010X214", [TransactionBody("277", body)])


def _patient_name(claim: ClaimAcknowledgement) -> Elements:
    last, first = claim.patient_last_name, claim.patient_first_name
    return ["NM1", "QC", "1", last, first, "", "", "", "MI", claim.member_id]


def _stc(category: str, status: str, cents: int, day: str, text: str = "") -> Elements:
    """STC01 status (entity PR: payer), STC02 date, STC03 action (WQ accepted, U rejected),
    STC04 amount, STC12 free text."""
    action = "U" if category in REJECTING else "WQ"
    code = DEFAULT_SEPARATORS.component.join([category, status, "PR"])
    words = text.translate({ord(c): " " for c in "*:~^"})  # the separators may not appear
    tail = ["", "", " ".join(words.split())] if text else []
    return ["STC", code, day, action, format_amount(cents), *[""] * 5, *tail]
