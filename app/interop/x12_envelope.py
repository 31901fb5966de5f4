"""The X12 5010 envelope around transaction sets we write: ISA/GS ... GE/IEA, with ST/SE
around each set and the control counts right (X12.5 interchange control structure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from app.interop.x12_common import DEFAULT_SEPARATORS, format_date

Elements = Sequence[str]  # one segment: its id, then its elements


@dataclass(frozen=True)
class Envelope:
    """Who sends, who receives, and the control numbers (the caller keeps them unique)."""

    sender_id: str  # ISA06 / GS02 (15 characters at most)
    receiver_id: str  # ISA08 / GS03
    interchange_number: int  # ISA13, 1..999999999
    created_at: datetime
    production: bool = False  # ISA15: P or T
    group_number: int = 1  # GS06


@dataclass(frozen=True)
class TransactionBody:
    set_id: str  # ST01: 835, 999, 277...
    segments: Sequence[Elements]  # between ST and SE


def segment_text(elements: Elements) -> str:
    """'*'-joined elements with trailing empty ones dropped (X12 forbids them)."""
    values = list(elements)
    while values and values[-1] == "":
        values.pop()
    return DEFAULT_SEPARATORS.element.join(values)


def interchange(
    envelope: Envelope,
    functional_id: str,
    version: str,
    transactions: Sequence[TransactionBody],
    *,
    version_in_st: bool = True,
    newline: bool = False,
) -> bytes:
    """One interchange with one functional group.

    functional_id is GS01 (HP 835, FA 999, HN 277, HC 837) and version GS08 (the
    implementation guide, e.g. 005010X221A1); version_in_st repeats it as ST03 (the 835
    guide leaves ST03 out). newline adds a line break after each terminator."""
    seps = DEFAULT_SEPARATORS
    when = envelope.created_at
    control = f"{envelope.interchange_number:09d}"
    segments: list[Elements] = [
        [
            "ISA",
            "00",
            " " * 10,
            "00",
            " " * 10,
            "ZZ",
            envelope.sender_id.ljust(15),
            "ZZ",
            envelope.receiver_id.ljust(15),
            when.strftime("%y%m%d"),
            when.strftime("%H%M"),
            seps.repetition,
            "00501",
            control,
            "0",
            "P" if envelope.production else "T",
            seps.component,
        ],
        [
            "GS",
            functional_id,
            envelope.sender_id,
            envelope.receiver_id,
            format_date(when.date()),
            when.strftime("%H%M"),
            str(envelope.group_number),
            "X",
            version,
        ],
    ]
    for number, transaction in enumerate(transactions, start=1):
        st_control = f"{number:04d}"
        header = ["ST", transaction.set_id, st_control] + ([version] if version_in_st else [])
        segments.append(header)
        segments.extend(transaction.segments)
        segments.append(["SE", str(len(transaction.segments) + 2), st_control])
    segments.append(["GE", str(len(transactions)), str(envelope.group_number)])
    segments.append(["IEA", "1", control])
    terminator = seps.segment + ("\n" if newline else "")
    return "".join(segment_text(s) + terminator for s in segments).encode("ascii")
