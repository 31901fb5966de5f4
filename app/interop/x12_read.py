"""Reading incoming X12 interchanges (835, 999, 277CA): segments with positional access,
grouped into transaction sets with the functional group they came in.

Tokenizing (separators from the ISA, splitting, tolerance for line breaks) is
x12_common's; this module adds the structure every reader walks."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.interop.x12_common import detect_separators, split_segments

# ST01 -> what a biller calls the file, for "this is X, not Y" messages.
_KIND_NAMES = {
    "835": "an 835 remittance (ERA)",
    "837": "an 837 claim file",
    "999": "a 999 acknowledgement",
    "997": "a 997 acknowledgement",
    "277": "a 277CA claim acknowledgement",
    "270": "a 270 eligibility request",
    "271": "a 271 eligibility response",
    "276": "a 276 claim status request",
}


@dataclass(frozen=True)
class Segment:
    elements: tuple[str, ...]  # elements[0] is the segment id
    component_separator: str

    @property
    def id(self) -> str:
        return self.elements[0]

    def get(self, position: int) -> str:
        """Element `position` (1-based, as the guides number them); '' when absent."""
        return self.elements[position] if position < len(self.elements) else ""

    def components(self, position: int) -> tuple[str, ...]:
        """A composite element split into its components ('HC:99213:25' -> 3 parts)."""
        value = self.get(position)
        return tuple(value.split(self.component_separator)) if value else ()

    def component(self, position: int, index: int) -> str:
        """Component `index` (1-based) of element `position`; '' when absent."""
        parts = self.components(position)
        return parts[index - 1] if index <= len(parts) else ""


@dataclass(frozen=True)
class TransactionSet:
    """One ST..SE set: `segments` are the ones between ST and SE."""

    group_id: str  # GS01: HP (835), FA (999), HN (277)...
    group_control_number: str  # GS06
    set_id: str  # ST01
    control_number: str  # ST02
    segments: tuple[Segment, ...]
    declared_count: str  # SE01 as written (counts ST and SE too)

    @property
    def count_problem(self) -> str | None:
        actual = len(self.segments) + 2
        if self.declared_count == str(actual):
            return None
        return (
            f"The file says transaction {self.control_number} has {self.declared_count or 'no'}"
            f" segments but it has {actual}; it may be cut short or damaged."
        )


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return text


def read_transaction_sets(data: bytes) -> list[TransactionSet]:
    """Every transaction set in an interchange. ValueError when `data` is not X12."""
    text = _decode(data)
    separators = detect_separators(text)  # ValueError for anything without an ISA
    sets: list[TransactionSet] = []
    group = ("", "")
    current: list[Segment] | None = None
    header: Segment | None = None
    for elements in split_segments(text, separators):
        segment = Segment(tuple(e.strip() for e in elements), separators.component)
        if segment.id == "GS":
            group = (segment.get(1), segment.get(6))
        elif segment.id == "ST":
            header, current = segment, []
        elif segment.id == "SE" and header is not None and current is not None:
            sets.append(_transaction(group, header, current, segment.get(1)))
            header, current = None, None
        elif current is not None:
            current.append(segment)
    if header is not None and current is not None:  # no SE: keep what arrived
        sets.append(_transaction(group, header, current, ""))
    return sets


def _transaction(
    group: tuple[str, str], header: Segment, body: list[Segment], count: str
) -> TransactionSet:
    return TransactionSet(
        group_id=group[0],
        group_control_number=group[1],
        set_id=header.get(1),
        control_number=header.get(2),
        segments=tuple(body),
        declared_count=count,
    )


def transaction_kind(data: bytes) -> str:
    """ST01 of the first transaction set ('835', '999', '277', ...), so an importer can
    send a file to the right reader. ValueError when it is not X12 or holds no set."""
    sets = read_transaction_sets(data)
    if not sets:
        raise ValueError("This X12 file holds no transaction (no ST segment).")
    return sets[0].set_id


def sets_of_kind(data: bytes, set_id: str) -> list[TransactionSet]:
    """The transaction sets of one kind; ValueError naming what the file is otherwise."""
    try:
        sets = read_transaction_sets(data)
    except ValueError as exc:
        raise ValueError(f"This is not {_KIND_NAMES[set_id]}: {exc}.") from exc
    wanted = [s for s in sets if s.set_id == set_id]
    if wanted:
        return wanted
    found = sets[0].set_id if sets else ""
    what = _KIND_NAMES.get(found, f"a '{found}' X12 file" if found else "an empty X12 file")
    raise ValueError(f"This file is {what}, not {_KIND_NAMES[set_id]}.")


def split_at(segments: Sequence[Segment], starts: frozenset[str]) -> list[list[Segment]]:
    """Cut a run of segments into chunks that each begin with a segment in `starts`;
    whatever comes before the first such segment is chunk 0 (possibly empty)."""
    chunks: list[list[Segment]] = [[]]
    for segment in segments:
        if segment.id in starts:
            chunks.append([])
        chunks[-1].append(segment)
    return chunks
