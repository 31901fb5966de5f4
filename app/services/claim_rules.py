"""A practice's own claim rules, kept as data: which field of a claim, what to check and
what to tell the biller. `check_rule` refuses a rule that cannot work before it is saved;
`rule_problems` applies one to a claim. No database: rules and claims are plain data."""

from __future__ import annotations

import functools
import re
import types
import typing
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from enum import StrEnum

from app.interop.claim_document import Claim


class Severity(StrEnum):
    ERROR = "error"  # the claim cannot be submitted until it is fixed
    WARNING = "warning"  # shown to the biller; submission may go ahead


@dataclass(frozen=True)
class ScrubProblem:
    """One thing wrong with a claim. `field` is a dotted path into the Claim; list
    positions are 1-based as the biller counts them ("lines[2].diagnosis_pointers")."""

    field: str
    message: str
    severity: Severity
    rule: str  # a built-in check's name or the practice rule's name

    @property
    def blocks_submission(self) -> bool:
        return self.severity is Severity.ERROR


class RuleKind(StrEnum):
    REQUIRED = "required"  # the field has a value
    PATTERN = "pattern"  # the whole value matches a regular expression
    ONE_OF = "one_of"  # the value is in a comma list
    NOT_ONE_OF = "not_one_of"  # the value is not in a comma list
    # The field is a date (of service); today is at most N days after it.
    MAX_DAYS_AFTER_SERVICE = "max_days_after_service"


RULE_KIND_LABELS = {
    RuleKind.REQUIRED: "required",
    RuleKind.PATTERN: "pattern",
    RuleKind.ONE_OF: "one of",
    RuleKind.NOT_ONE_OF: "not one of",
    RuleKind.MAX_DAYS_AFTER_SERVICE: "max days after service",
}


@dataclass(frozen=True)
class PracticeRule:
    """A check the practice adds, e.g. ("Acme needs modifier 95 on telehealth",
    "lines.modifiers", "required", "", "...", "ACME1"). A field path through a list
    ("lines.procedure_code") checks every item of it."""

    name: str
    field: str
    kind: RuleKind | str
    argument: str = ""  # the pattern, the comma list or the number of days
    message: str = ""  # what the biller reads; a plain default is written when blank
    payer_id: str | None = None  # None: every payer
    severity: Severity = Severity.ERROR

    def applies_to(self, claim: Claim) -> bool:
        wanted = (self.payer_id or "").strip().upper()
        return not wanted or wanted == claim.payer.payer_id.strip().upper()


def check_rule(rule: PracticeRule) -> list[str]:
    """Why the rule cannot work, each reason written for the person defining it; empty
    when it is fine to save."""
    reasons: list[str] = []
    if not rule.name.strip():
        reasons.append("Give the rule a name.")
    kind = _kind(rule.kind)
    if kind is None:
        kinds = ", ".join(RULE_KIND_LABELS.values())
        reasons.append(f"“{rule.kind}” is not a kind of rule; choose one of: {kinds}.")
    leaf, field_reason = field_type(rule.field)
    if field_reason:
        reasons.append(field_reason)
    if kind is None or field_reason:
        return reasons
    if kind is not RuleKind.REQUIRED and is_dataclass(leaf):
        names = ", ".join(f.name for f in fields(leaf))
        reasons.append(f"“{rule.field}” is a group of fields; choose one of its fields: {names}.")
    if kind is RuleKind.PATTERN:
        if not rule.argument.strip():
            reasons.append("Write the pattern the value must match.")
        else:
            try:
                re.compile(rule.argument)
            except re.error as error:
                reasons.append(
                    f"The pattern “{rule.argument}” is not a valid regular expression: {error.msg}."
                )
    elif kind in (RuleKind.ONE_OF, RuleKind.NOT_ONE_OF) and not _choices(rule.argument):
        reasons.append("List the values, separated by commas (for example: 11, 02, 10).")
    elif kind is RuleKind.MAX_DAYS_AFTER_SERVICE:
        if not (rule.argument.strip().isascii() and rule.argument.strip().isdigit()):
            reasons.append("Write the number of days as a whole number, for example 90.")
        if leaf is not date:
            reasons.append(
                f"“{rule.field}” is not a date; this kind of rule needs a date of service "
                "such as lines.service_on."
            )
    return reasons


def rule_problems(claim: Claim, rule: PracticeRule, today: date) -> list[ScrubProblem]:
    """What one (valid, see check_rule) rule finds wrong with the claim."""
    if not rule.applies_to(claim):
        return []
    kind = _kind(rule.kind)
    if kind is None:  # pragma: no cover - check_rule refuses it
        return []
    found: list[ScrubProblem] = []
    for path, value in _values(claim, rule.field.strip().split("."), ""):
        if kind is RuleKind.REQUIRED:
            if _blank(value):
                found.append(_problem(rule, path, f"{label(path)} is missing."))
            continue
        for item_path, item in _scalars(path, value):
            message = _finding(rule, kind, item_path, item, today)
            if message:
                found.append(_problem(rule, item_path, message))
    return found


@functools.lru_cache(maxsize=256)
def field_type(path: str) -> tuple[object, str | None]:
    """The type a dotted field path ends at (through lists and optional parts), or the
    reason it names no field of a claim."""
    current: object = Claim
    walked: list[str] = []
    segments = path.strip().split(".") if path.strip() else []
    if not segments:
        return None, "Choose the field the rule checks, for example lines.procedure_code."
    for segment in segments:
        where = ".".join(walked) or "a claim"
        if not is_dataclass(current):
            return None, f"“{where}” has no parts; “{path.strip()}” goes too far."
        hints = typing.get_type_hints(current)
        if segment not in hints:
            names = ", ".join(hints)
            return None, f"“{where}” has no field “{segment}”; its fields are: {names}."
        current = _element(_required(hints[segment]))
        walked.append(segment)
    return current, None


# Field names that read badly as words.
_FIELD_WORDS = {"service_on": "date of service", "charge_cents": "charge", "person": ""}


def label(path: str) -> str:
    """ "lines[2].modifiers[1]" → "Line 2: modifier 1", "subscriber.group_number" →
    "Subscriber group number": where a practice rule found something, for its message."""
    words: list[str] = []
    for segment in path.split("."):
        name, _, index = segment.partition("[")
        word = _FIELD_WORDS.get(name, name.replace("_", " "))
        if index:  # one item of a list: "modifier 1"
            word = f"{word.removesuffix('s')} {index.rstrip(']')}"
        if word:
            words.append(word)
    if len(words) > 1 and path.startswith("lines["):
        return f"{words[0].capitalize()}: {' '.join(words[1:])}"
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def _finding(rule: PracticeRule, kind: RuleKind, path: str, value: object, today: date) -> str:
    """The default message when the value breaks the rule; "" when it keeps it."""
    text = _text(value)
    if kind is RuleKind.PATTERN:
        bad = re.fullmatch(rule.argument, text) is None
        default = f"{label(path)} “{text}” does not have the form this practice requires."
    elif kind is RuleKind.ONE_OF:
        allowed = _choices(rule.argument)
        bad = text.upper() not in allowed
        default = f"{label(path)} “{text}” is not one of: {', '.join(allowed)}."
    elif kind is RuleKind.NOT_ONE_OF:
        bad = text.upper() in _choices(rule.argument)
        default = f"{label(path)} “{text}” is not allowed{_for_payer(rule)}."
    else:
        limit = int(rule.argument)
        if not isinstance(value, date):  # pragma: no cover - check_rule refuses the field
            return ""
        days = (today - value).days
        bad = days > limit
        default = (
            f"{label(path)} {value:%m/%d/%Y} was {days} days ago; this practice bills "
            f"within {limit} days{_for_payer(rule)}."
        )
    return default if bad else ""


def _problem(rule: PracticeRule, path: str, default: str) -> ScrubProblem:
    """The practice's own message wins over the default (with the line it is about)."""
    custom = rule.message.strip()
    message = f"{_where(path)}{custom}" if custom else default
    return ScrubProblem(path, message, Severity(rule.severity), rule.name)


def _values(obj: object, segments: list[str], prefix: str) -> Iterator[tuple[str, object]]:
    """(path, value) for each place the field path reaches; an absent optional part
    (no separate patient, no other payer) has nothing to check."""
    if not segments:
        yield prefix, obj
        return
    if obj is None:
        return
    segment, rest = segments[0], segments[1:]
    value = getattr(obj, segment)
    path = f"{prefix}.{segment}" if prefix else segment
    if rest and isinstance(value, list | tuple):
        for position, item in enumerate(value, start=1):
            yield from _values(item, rest, f"{path}[{position}]")
    else:
        yield from _values(value, rest, path)


def _scalars(path: str, value: object) -> Iterator[tuple[str, object]]:
    """A list of codes (modifiers, diagnosis codes) is checked code by code; blanks are
    left to a `required` rule."""
    if isinstance(value, list | tuple):
        for position, item in enumerate(value, start=1):
            if not _blank(item):
                yield f"{path}[{position}]", item
    elif not _blank(value):
        yield path, value


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    return isinstance(value, list | tuple) and not value


def _text(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "Y" if value else "N"
    return str(value).strip()


def _choices(argument: str) -> list[str]:
    return [choice.strip().upper() for choice in argument.split(",") if choice.strip()]


def _kind(kind: RuleKind | str) -> RuleKind | None:
    try:
        return RuleKind(str(kind).strip().lower())
    except ValueError:
        return None


def _where(path: str) -> str:
    line = re.match(r"lines\[(\d+)\]", path)
    return f"Line {line.group(1)}: " if line else ""


def _for_payer(rule: PracticeRule) -> str:
    return f" for payer {rule.payer_id.strip()}" if rule.payer_id and rule.payer_id.strip() else ""


def _required(hint: object) -> object:
    """X | None → X."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        kept = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return kept[0] if len(kept) == 1 else hint
    return hint


def _element(hint: object) -> object:
    """Sequence[X] → X: a path through a list checks each of its items."""
    if typing.get_origin(hint) is Sequence:
        return typing.get_args(hint)[0]
    return hint
