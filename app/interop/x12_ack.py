"""Acknowledgements of the 837 files we send, as plain data.

- 999 (005010X231A1): did the clearinghouse accept each transaction set (syntax and
  implementation-guide checks)? Errors come in IK3 (segment) and IK4 (element) codes,
  which we turn into words.
- 277CA (005010X214): did the payer accept each claim into adjudication? The claim's
  TRN02 (loop 2200D) echoes our CLM01, STC01 carries the status category (A1 received,
  A2 accepted, A3/A6/A7/A8 rejected...) and REF*1K the payer's claim number.

Both raise ValueError only when the file is not the kind asked for."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from app.interop.x12_common import parse_amount, parse_date
from app.interop.x12_read import Segment, TransactionSet, sets_of_kind, split_at


class AckStatus(enum.StrEnum):
    ACCEPTED = "accepted"
    ACCEPTED_WITH_ERRORS = "accepted_with_errors"
    REJECTED = "rejected"


# IK501 / AK901: A accepted, E accepted with errors noted, P partially accepted (a group
# where some sets were rejected); M, R, W, X are kinds of rejection.
_ACK_CODES = {"A": AckStatus.ACCEPTED, "E": AckStatus.ACCEPTED_WITH_ERRORS}
_PARTIAL = "P"

# IK304 implementation segment syntax error codes.
_SEGMENT_ERRORS = {
    "1": "unrecognized segment",
    "2": "unexpected segment",
    "3": "required segment missing",
    "4": "loop occurs more often than allowed",
    "5": "segment occurs more often than allowed",
    "6": "segment not in the defined transaction set",
    "7": "segment not in the proper order",
    "8": "segment has data element errors",
    "I4": "segment the guide marks 'not used' is present",
    "I6": "segment the guide requires in this situation is missing",
    "I7": "loop occurs fewer times than the guide requires",
    "I8": "segment occurs fewer times than the guide requires",
    "I9": "segment the guide marks 'not used' in this situation is present",
}

# IK403 implementation data element syntax error codes.
_ELEMENT_ERRORS = {
    "1": "required value missing",
    "2": "conditionally required value missing",
    "3": "too many data elements",
    "4": "value too short",
    "5": "value too long",
    "6": "invalid character",
    "7": "invalid code",
    "8": "invalid date",
    "9": "invalid time",
    "10": "value not allowed together with another value",
    "12": "too many repetitions",
    "13": "too many components",
    "I6": "code not used by this implementation guide",
    "I9": "value the guide requires in this situation is missing",
    "I10": "value the guide marks 'not used' is present",
    "I11": "too few repetitions",
    "I12": "value does not match the required pattern",
    "I13": "value the guide marks 'not used' in this situation is present",
}

# IK502..IK506 transaction set and AK905..AK909 group syntax error codes (the common ones).
_SET_ERRORS = {
    "1": "transaction set not supported",
    "2": "transaction set trailer missing",
    "3": "control numbers in the set header and trailer differ",
    "4": "segment count in the trailer is wrong",
    "6": "missing or invalid transaction set identifier",
    "7": "missing or invalid transaction set control number",
    "18": "transaction set not in a functional group",
    "19": "invalid implementation guide reference",
    "23": "control number used twice in the functional group",
    "I6": "implementation guide not supported",
}
_GROUP_SETS = {"HC": "837"}  # AK101 functional id -> the sets such a group holds
_SET_ERRORS_ALREADY_DETAILED = {"5", "I5"}  # "one or more segments in error"
_GROUP_ERRORS = {
    "1": "functional group not supported",
    "2": "functional group version not supported",
    "3": "functional group trailer missing",
    "4": "group control numbers in the header and trailer differ",
    "5": "number of transaction sets in the trailer is wrong",
    "6": "group control number is invalid",
    "19": "group control number used twice in the interchange",
}


@dataclass(frozen=True)
class AckError:
    message: str  # plain words, with the claim and place when the 999 names them
    segment_id: str | None = None  # IK301
    segment_position: int | None = None  # IK302: position in our transaction set
    loop_id: str | None = None  # IK303
    claim_control_number: str | None = None  # CTX*CLM01: the claim the error is in


@dataclass(frozen=True)
class AckResult:
    """The 999's verdict on one transaction set of ours (or, when the 999 rejects a whole
    group without naming sets, on the group: transaction_control_number is None)."""

    group_control_number: str  # AK102: our GS06
    transaction_control_number: str | None  # AK202: our ST02
    transaction_set_id: str  # AK201: 837
    status: AckStatus
    code: str  # IK501 (or AK901)
    errors: tuple[AckError, ...] = ()

    @property
    def accepted(self) -> bool:
        return self.status is not AckStatus.REJECTED

    @property
    def error_texts(self) -> tuple[str, ...]:
        return tuple(error.message for error in self.errors)


def read_999(data: bytes) -> list[AckResult]:
    return [result for t in sets_of_kind(data, "999") for result in _read_999_set(t)]


def _ack_status(code: str) -> AckStatus:
    return _ACK_CODES.get(code, AckStatus.REJECTED)


def _read_999_set(transaction: TransactionSet) -> list[AckResult]:
    segments = transaction.segments
    ak1 = next((s for s in segments if s.id == "AK1"), None)
    group = ak1.get(2) if ak1 else ""
    results = []
    for chunk in split_at(segments, frozenset({"AK2"}))[1:]:
        ak2 = chunk[0]
        ik5 = next((s for s in chunk if s.id == "IK5"), None)
        code = ik5.get(1) if ik5 else ""
        errors = _segment_errors(chunk)
        if ik5 is not None:
            errors += _coded(ik5, range(2, 7), _SET_ERRORS, _SET_ERRORS_ALREADY_DETAILED)
        results.append(
            AckResult(group, ak2.get(2), ak2.get(1), _ack_status(code), code, tuple(errors))
        )
    ak9 = next((s for s in segments if s.id == "AK9"), None)
    if ak9 is not None and not results:
        code, group_id = ak9.get(1), ak1.get(1) if ak1 else ""
        status = AckStatus.ACCEPTED_WITH_ERRORS if code == _PARTIAL else _ack_status(code)
        errors = _coded(ak9, range(5, 10), _GROUP_ERRORS, set())
        results.append(
            AckResult(group, None, _GROUP_SETS.get(group_id, group_id), status, code, tuple(errors))
        )
    return results


def _coded(
    segment: Segment, positions: range, words: dict[str, str], skip: set[str]
) -> list[AckError]:
    codes = [segment.get(i) for i in positions]
    return [AckError(words.get(c, f"error code {c}")) for c in codes if c and c not in skip]


def _segment_errors(chunk: Sequence[Segment]) -> list[AckError]:
    """IK3 (segment) errors, each with its IK4 (element) errors and CTX*CLM01 context."""
    errors: list[AckError] = []
    for ik3_chunk in split_at(chunk, frozenset({"IK3", "IK5"}))[1:]:
        ik3 = ik3_chunk[0]
        if ik3.id != "IK3":
            continue
        # CTX*CLM01:<our claim number>: the business unit the error sits in.
        contexts = [s for s in ik3_chunk if s.id == "CTX" and s.component(1, 1) == "CLM01"]
        claim = contexts[0].component(1, 2) or None if contexts else None
        place = _place(ik3)
        prefix = f"Claim {claim}: " if claim else ""
        details = [_element_error(ik3.get(1), ik4) for ik4 in ik3_chunk if ik4.id == "IK4"]
        messages = details or [_SEGMENT_ERRORS.get(ik3.get(4), f"error code {ik3.get(4)}")]
        position = ik3.get(2)
        for message in messages:
            errors.append(
                AckError(
                    f"{prefix}{place}: {message}.",
                    segment_id=ik3.get(1),
                    segment_position=int(position) if position.isdigit() else None,
                    loop_id=ik3.get(3) or None,
                    claim_control_number=claim,
                )
            )
    return errors


def _place(ik3: Segment) -> str:
    loop = f" in loop {ik3.get(3)}" if ik3.get(3) else ""
    return f"segment {ik3.get(1)} (number {ik3.get(2)}{loop})"


def _element_error(segment_id: str, ik4: Segment) -> str:
    """'NM109: invalid code 'XYZ''. IK401 is position[:component[:repeat]]."""
    position = ik4.component(1, 1)
    component = ik4.component(1, 2)
    name = f"{segment_id}{position.zfill(2)}" + (f"-{component}" if component else "")
    words = _ELEMENT_ERRORS.get(ik4.get(3), f"error code {ik4.get(3)}")
    bad_value = f" '{ik4.get(4)}'" if ik4.get(4) else ""
    return f"{name}: {words}{bad_value}"


# --- 277CA ---------------------------------------------------------------------------


class ClaimOutcome(enum.StrEnum):
    """In order of precedence: one rejected line rejects the claim."""

    REJECTED = "rejected"  # must be corrected and sent again
    ACCEPTED = "accepted"  # in the payer's adjudication system
    RECEIVED = "received"  # seen (or forwarded) but not yet accepted
    OTHER = "other"


# Claim status category codes (code source 507) allowed in a 277CA: the "A" family.
_CATEGORIES = {
    "A0": (ClaimOutcome.RECEIVED, "forwarded to another entity"),
    "A1": (ClaimOutcome.RECEIVED, "received"),
    "A2": (ClaimOutcome.ACCEPTED, "accepted into adjudication"),
    "A3": (ClaimOutcome.REJECTED, "returned as unprocessable"),
    "A4": (ClaimOutcome.REJECTED, "not found"),
    "A5": (ClaimOutcome.ACCEPTED, "split claim"),
    "A6": (ClaimOutcome.REJECTED, "rejected for missing information"),
    "A7": (ClaimOutcome.REJECTED, "rejected for invalid information"),
    "A8": (ClaimOutcome.REJECTED, "rejected for relational field in error"),
}


@dataclass(frozen=True)
class StatusDetail:
    """One STC status composite (STC01, STC10 or STC11)."""

    category_code: str  # -1: A1, A2, A7...
    status_code: str  # -2: claim status code (e.g. 20 accepted for processing)
    entity_code: str = ""  # -3: whom it is about (85 billing provider, IL subscriber...)

    @property
    def outcome(self) -> ClaimOutcome:
        return _CATEGORIES.get(self.category_code, (ClaimOutcome.OTHER, ""))[0]

    @property
    def text(self) -> str:
        words = _CATEGORIES.get(self.category_code, (None, "status"))[1]
        return f"{words} ({self.category_code}/{self.status_code})"


@dataclass(frozen=True)
class LineStatus:
    """Loop 2220D: a service line the payer reports on (usually one it rejected)."""

    line_control_number: str | None  # REF*FJ: our REF*6R
    procedure_code: str
    statuses: tuple[StatusDetail, ...]


@dataclass(frozen=True)
class ClaimStatus:
    """Loop 2200D: what the payer says about one claim of ours."""

    patient_control_number: str  # TRN02: our CLM01
    statuses: tuple[StatusDetail, ...]
    payer_claim_number: str | None = None  # REF*1K
    clearinghouse_trace: str | None = None  # REF*D9
    status_on: date | None = None  # STC02
    charge_cents: int | None = None  # STC04
    free_text: str = ""  # STC12
    patient_last_name: str = ""  # NM1*QC of loop 2100D
    patient_first_name: str = ""
    lines: tuple[LineStatus, ...] = ()

    @property
    def outcome(self) -> ClaimOutcome:
        """Rejected if any status (claim or line) rejects it, else the best news."""
        everything = self.statuses + tuple(s for line in self.lines for s in line.statuses)
        outcomes = {status.outcome for status in everything}
        return next((o for o in ClaimOutcome if o in outcomes), ClaimOutcome.OTHER)

    @property
    def category_code(self) -> str:
        return self._deciding().category_code if self.statuses else ""

    @property
    def status_code(self) -> str:
        return self._deciding().status_code if self.statuses else ""

    @property
    def texts(self) -> tuple[str, ...]:
        """Every status in words, lines included, then the payer's free text."""
        words = [s.text for s in self.statuses]
        for line in self.lines:
            words += [f"line {line.procedure_code}: {s.text}" for s in line.statuses]
        return tuple(words + ([self.free_text] if self.free_text else []))

    def _deciding(self) -> StatusDetail:
        outcome = self.outcome
        return next((s for s in self.statuses if s.outcome is outcome), self.statuses[0])


def read_277ca(data: bytes) -> list[ClaimStatus]:
    """Every claim status (loop 2200D) in the file, in file order."""
    return [claim for t in sets_of_kind(data, "277") for claim in _read_277_set(t)]


def _read_277_set(transaction: TransactionSet) -> list[ClaimStatus]:
    claims: list[ClaimStatus] = []
    patient: Segment | None = None
    for hl_chunk in split_at(transaction.segments, frozenset({"HL"}))[1:]:
        if hl_chunk[0].get(3) != "PT":  # 20 source, 21 receiver, 19 provider levels
            continue
        patient = next((s for s in hl_chunk if s.id == "NM1" and s.get(1) == "QC"), None)
        for claim_chunk in split_at(hl_chunk, frozenset({"TRN"}))[1:]:
            claims.append(_claim_status(claim_chunk, patient))
    return claims


def _claim_status(chunk: list[Segment], patient: Segment | None) -> ClaimStatus:
    claim_part, *line_chunks = split_at(chunk, frozenset({"SVC"}))
    stcs = [s for s in claim_part if s.id == "STC"]
    first = stcs[0] if stcs else None
    refs = {s.get(1): s.get(2) for s in claim_part if s.id == "REF"}
    return ClaimStatus(
        patient_control_number=chunk[0].get(2),
        statuses=tuple(d for stc in stcs for d in _details(stc)),
        payer_claim_number=refs.get("1K") or None,
        clearinghouse_trace=refs.get("D9") or None,
        status_on=_date_or_none(first.get(2)) if first else None,
        charge_cents=_cents_or_none(first.get(4)) if first else None,
        free_text=" ".join(s.get(12) for s in stcs if s.get(12)),
        patient_last_name=patient.get(3) if patient else "",
        patient_first_name=patient.get(4) if patient else "",
        lines=tuple(_line_status(line) for line in line_chunks),
    )


def _line_status(chunk: list[Segment]) -> LineStatus:
    control = next((s.get(2) for s in chunk if s.id == "REF" and s.get(1) == "FJ"), None)
    return LineStatus(
        line_control_number=control,
        procedure_code=chunk[0].component(1, 2),
        statuses=tuple(d for s in chunk if s.id == "STC" for d in _details(s)),
    )


def _details(stc: Segment) -> list[StatusDetail]:
    found = []
    for position in (1, 10, 11):
        parts = stc.components(position)
        if parts and parts[0]:
            padded = (*parts, "", "")
            found.append(StatusDetail(padded[0], padded[1], padded[2]))
    return found


def _date_or_none(text: str) -> date | None:
    try:
        return parse_date(text)
    except ValueError:
        return None


def _cents_or_none(text: str) -> int | None:
    try:
        return parse_amount(text)
    except ValueError:
        return None
