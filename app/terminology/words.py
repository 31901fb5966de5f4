"""Words of code titles and of what a person types, and how well one covers the other.

Searching a code set is mostly picking among titles that all contain the words typed.
The title a person means is usually the one those words account for entirely: "headache"
means "Headache, unspecified" rather than "Hypnic headache", and "hypertension" means I10,
whose inclusion term is "Hypertension (arterial) (benign) (essential)...". So a title's
words in parentheses or brackets (ICD-10-CM's nonessential modifiers and synonyms), the
"unspecified"-like words that mark the default code, and little words such as "of" do not
need to be typed; every other word does, for a title to count as fully covered.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

# Same idea of a word as FTS5's unicode61 tokenizer: runs of letters and digits.
_WORD = re.compile(r"[^\W_]+")
_TITLE_PART = re.compile(r"\([^)]*\)|\[[^\]]*\]|[^\W_]+")
# Phrases that mark the default choice rather than say something a person would type.
_DEFAULT_MARKERS = re.compile(
    r"\b(?:unspecified|uncomplicated|nos|nec|site not specified|not elsewhere classified"
    r"|without complications?)\b"
)
_DEFAULT_MARKER_HINTS = ("unspecified", "uncomplicated", "nos", "nec", "not ", "without compl")
# The 7th character's episode of care ("S93.401A ..., initial encounter"): A, D and S of
# one injury name it equally well, and then the list keeps them in A, D, S order.
_EPISODE_OF_CARE = re.compile(r", (?:initial encounter|subsequent encounter|sequela)\b.*$")
STOPWORDS = frozenset(
    {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with"}
)


class TitleWords(NamedTuple):
    every: str  # every word, space-separated with a space at each end: " a b c "
    key: list[str]  # the words a person would type to mean the title


@dataclass(frozen=True)
class Typed:
    """Typed words ready to compare with titles: one character must be a whole word
    ("type 2"), longer ones may be a word's start ("diab" for "diabetic")."""

    words: tuple[str, ...]
    prefixes: tuple[str, ...]
    singles: frozenset[str]

    @classmethod
    def of(cls, words: list[str]) -> Typed:
        return cls(
            tuple(words),
            tuple(w for w in words if len(w) > 1),
            frozenset(w for w in words if len(w) == 1),
        )

    def matches(self, word: str) -> bool:
        return word in self.singles or word.startswith(self.prefixes)


def fold(text: str) -> str:
    """Lower case without accents, as the FTS5 index folds text (remove_diacritics 2)."""
    text = text.lower()
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def query_words(text: str, max_words: int = 8) -> list[str]:
    """The words to look for; little words go unless nothing else was typed."""
    words = _WORD.findall(fold(text))
    kept = [word for word in words if word not in STOPWORDS] or words
    return kept[:max_words]


def query_variants(text: str, abbreviations: Mapping[str, str]) -> list[Typed]:
    """The words as typed and, when they hold abbreviations, with those spelled out;
    [] when nothing searchable was typed."""
    words = query_words(text)
    if not words:
        return []
    spelled = [part for word in words for part in abbreviations.get(word, word).split()]
    return [Typed.of(words)] if spelled == words else [Typed.of(words), Typed.of(spelled)]


def title_words(title: str) -> TitleWords:
    folded = fold(title)
    # Cheap substring checks first: most titles need neither regex (this runs per hit).
    if "encounter" in folded or "sequela" in folded:
        folded = _EPISODE_OF_CARE.sub(r"(\g<0>)", folded)
    if any(hint in folded for hint in _DEFAULT_MARKER_HINTS):
        folded = _DEFAULT_MARKERS.sub(r"(\g<0>)", folded)
    every: list[str] = []
    key: list[str] = []
    if "(" not in folded and "[" not in folded:
        every = _WORD.findall(folded)
        key = [word for word in every if word not in STOPWORDS]
    else:
        for part in _TITLE_PART.findall(folded):
            if part[0] in "([":
                every += _WORD.findall(part)
            else:
                every.append(part)
                if part not in STOPWORDS:
                    key.append(part)
    return TitleWords(f" {' '.join(every)} ", list(dict.fromkeys(key)))  # each word once


def encode_title(title: str) -> str:
    """The title's words as one string, for a code set built ahead of time: non-key
    words carry a "~" ("essential ~primary hypertension"); `decode_title` reads it back."""
    words = title_words(title)
    key = set(words.key)
    return " ".join(word if word in key else f"~{word}" for word in words.every.split())


def decode_title(encoded: str) -> TitleWords:
    words = encoded.split()
    key = [word for word in words if word[0] != "~"]
    return TitleWords(f" {encoded.replace('~', '')} ", list(dict.fromkeys(key)))


def coverage(typed: Typed, title: TitleWords) -> float:
    """0 when the title lacks a typed word; else the share of its key words typed (0–1]."""
    for word in typed.words:
        needle = f" {word} " if len(word) == 1 else f" {word}"
        if needle not in title.every:
            return 0.0
    if not title.key:
        return 1.0
    return sum(map(typed.matches, title.key)) / len(title.key)
