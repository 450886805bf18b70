"""Content tokens from a processed Doc: the shared input of every analysis.

Policy terms (``doc.spans["policy_terms"]``, as their canonical form) and numeric
expressions (``doc.spans["numbers"]``) count as single tokens whether or not the pipeline
merged them. Punctuation, numbers, stop words and single characters never become content
tokens. Sections are partitioned into analysis *units* (the innermost numbered section down
to ``max_level``) and paragraphs.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

if TYPE_CHECKING:  # spaCy is only needed for type hints here
    from spacy.tokens import Doc

from ..resources import data_path

__all__ = [
    "Tok",
    "Unit",
    "StopwordsError",
    "TERMS_KEY",
    "NUMBERS_KEY",
    "PREAMBLE",
    "boilerplate_path",
    "load_stopwords",
    "default_stopwords",
    "doc_tokens",
    "content_tokens",
    "words",
    "token_range",
    "section_units",
    "section_words",
    "labelled_units",
    "paragraph_units",
    "doc_name",
    "text_of",
]

TERMS_KEY = "policy_terms"
NUMBERS_KEY = "numbers"
#: the unit label of text before a document's first section
PREAMBLE = "（开篇）"

# Numerals, ordinal prefixes and measure words that make a token a bare number.
_NUMERIC = re.compile(r"^[\d０-９.．,，%％‰+\-－~～/:：零〇一二三四五六七八九十百千万亿两几多余第个年月日号届次项条倍成]+$")
_HAS_WORD_CHAR = re.compile(r"[\u3400-\u9fffA-Za-zＡ-Ｚａ-ｚ]")


class StopwordsError(ValueError):
    """A stop-word file cannot be read."""


@dataclass(frozen=True)
class Tok:
    """One analysis token: ``kind`` is term, number, word, stop or punct; offsets index ``doc.text``."""

    text: str
    kind: str
    start: int
    end: int


@dataclass(frozen=True)
class Unit:
    """A stretch ``doc.text[start:end]`` analysed on its own (a section or a paragraph)."""

    title: str
    level: int
    start: int
    end: int


def boilerplate_path() -> Path:
    """The shipped boilerplate stop-word list (nlp/data/stopwords/policy_boilerplate.txt)."""
    return data_path("stopwords", "policy_boilerplate.txt")


def _read_word_list(path: str | os.PathLike) -> set[str]:
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise StopwordsError(f"{path}: cannot read stop-word list ({err.__class__.__name__}: {err})") from None
    return {line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")}


@lru_cache(maxsize=8)
def _cached_list(path: str) -> frozenset[str]:
    return frozenset(_read_word_list(path))


def load_stopwords(
    extra: Iterable[str] | str | os.PathLike = (),
    *,
    spacy_list: bool = True,
    boilerplate: bool | str | os.PathLike = True,
) -> frozenset[str]:
    """spaCy's Chinese stop words + the policy boilerplate list (or another file) + ``extra``.

    ``extra`` is a collection of words or the path of a word list (one word a line, ``#`` comments).
    """
    words: set[str] = set()
    if spacy_list:
        from spacy.lang.zh.stop_words import STOP_WORDS

        words |= set(STOP_WORDS)
    if boilerplate is True:
        words |= _cached_list(str(boilerplate_path()))
    elif boilerplate:
        words |= _cached_list(str(boilerplate))
    if isinstance(extra, (str, os.PathLike)):
        words |= _read_word_list(extra)
    else:
        words |= {str(w) for w in extra}
    return frozenset(words)


@lru_cache(maxsize=1)
def default_stopwords() -> frozenset[str]:
    """The default stop words (spaCy's Chinese list + the boilerplate list), cached."""
    return load_stopwords()


def text_of(doc: Doc) -> str:
    """``doc.text`` without rebuilding it from every token (the pipeline keeps a copy)."""
    from ..pipeline.text import doc_text

    return doc_text(doc)


def _span_starts(doc: Doc) -> dict[int, tuple[int, str, str]]:
    """start_char -> (end_char, kind, text) for term and number spans; terms win overlaps."""
    found: dict[int, tuple[int, str, str]] = {}
    covered: list[tuple[int, int]] = []
    if TERMS_KEY in doc.spans:
        for span in doc.spans[TERMS_KEY]:
            canonical = getattr(span._, "canonical", None) if span.has_extension("canonical") else None
            found[span.start_char] = (span.end_char, "term", canonical or span.text)
            covered.append((span.start_char, span.end_char))
    if NUMBERS_KEY in doc.spans:
        covered.sort()
        starts = [x for x, _ in covered]
        for span in doc.spans[NUMBERS_KEY]:
            a, b = span.start_char, span.end_char
            i = bisect_right(starts, a)  # terms do not overlap each other: check the neighbours
            if any(x < b and a < y for x, y in covered[max(0, i - 1) : i + 1]) or (i < len(covered) and covered[i][0] < b):
                continue
            found[a] = (b, "number", span.text)
    return found


def _classify(text: str, stopwords: frozenset[str], min_chars: int) -> str:
    stripped = text.strip()
    if not stripped:
        return "break" if "\n" in text else "punct"
    if not _HAS_WORD_CHAR.search(stripped):
        return "number" if any(c.isdigit() for c in stripped) else "punct"
    if _NUMERIC.match(stripped):
        return "number"
    if stripped in stopwords or len(stripped) < min_chars:
        return "stop"
    return "word"


def doc_tokens(doc: Doc, *, stopwords: Iterable[str] | None = None, min_chars: int = 2) -> list[Tok]:
    """Every token of ``doc`` in order with its kind (term, number, word, stop, punct, or break
    for whitespace with a line break); term and number spans are one token each."""
    from spacy.attrs import IDX, LENGTH

    stops = default_stopwords() if stopwords is None else frozenset(stopwords)
    starts = _span_starts(doc)
    text = text_of(doc)
    kinds: dict[str, str] = {}
    out: list[Tok] = []
    skip_until = -1
    for idx, length in doc.to_array([IDX, LENGTH]).tolist():
        if idx < skip_until:
            continue
        hit = starts.get(idx)
        if hit is not None:
            end, kind, form = hit
            out.append(Tok(form, kind, idx, end))
            skip_until = end
            continue
        word = text[idx : idx + length]
        kind = kinds.get(word)
        if kind is None:
            kind = kinds[word] = _classify(word, stops, min_chars)
        out.append(Tok(word, kind, idx, idx + length))
    return out


def content_tokens(
    doc: Doc,
    *,
    stopwords: Iterable[str] | None = None,
    min_chars: int = 2,
    start: int = 0,
    end: int | None = None,
    tokens: Sequence[Tok] | None = None,
) -> list[str]:
    """The words and terms of ``doc`` (or of ``doc.text[start:end]``) that may rank, in order."""
    toks = tokens if tokens is not None else doc_tokens(doc, stopwords=stopwords, min_chars=min_chars)
    return words(toks, start, end)


def token_range(tokens: Sequence[Tok], start: int = 0, end: int | None = None) -> Sequence[Tok]:
    """The tokens (sorted by offset) that start in ``[start, end)``."""
    lo = bisect_left(tokens, start, key=_start) if start else 0
    hi = len(tokens) if end is None else bisect_left(tokens, end, key=_start)
    return tokens[lo:hi]


def _start(tok: Tok) -> int:
    return tok.start


def words(tokens: Sequence[Tok], start: int = 0, end: int | None = None) -> list[str]:
    """Texts of the word and term tokens starting in ``[start, end)``."""
    return [t.text for t in token_range(tokens, start, end) if t.kind in ("word", "term")]


def section_units(doc: Doc, max_level: int = 2, *, text: str | None = None) -> list[Unit]:
    """The document cut at every section heading down to ``max_level``, in text order.

    Each unit is labelled with its innermost section's title; text before the first section
    is :data:`PREAMBLE` (dropped when blank). A document without sections is one unit titled "".
    ``text`` may pass ``doc.text`` when the caller has it (spaCy rebuilds it on every access).
    """
    text = text_of(doc) if text is None else text
    sections = [s for s in (doc._.sections or []) if s.level <= max_level] if doc.has_extension("sections") else []
    if not sections:
        return [Unit("", 0, 0, len(text))]
    cuts = sorted({0, len(text)} | {s.start_char for s in sections} | {s.end_char for s in sections})
    units: list[Unit] = []
    for a, b in zip(cuts, cuts[1:]):
        if not text[a:b].strip():
            continue
        inner = [s for s in sections if s.start_char <= a < s.end_char]
        if inner:
            sec = max(inner, key=lambda s: (s.level, s.start_char))
            units.append(Unit(sec.title, sec.level, a, b))
        else:
            units.append(Unit(PREAMBLE, 0, a, b))
    merged: list[Unit] = []
    for unit in units:  # a parent's text around its children stays one unit only when adjacent
        if merged and merged[-1].title == unit.title and merged[-1].end == unit.start and merged[-1].level == unit.level:
            merged[-1] = Unit(unit.title, unit.level, merged[-1].start, unit.end)
        else:
            merged.append(unit)
    return merged


def labelled_units(doc: Doc, max_level: int = 2) -> list[tuple[str, Unit]]:
    """Every titled section unit of ``doc`` with its label: its title, or "title (2)",
    "title (3)", … for a title used again, so that labels are unique within the document."""
    seen: dict[str, int] = {}
    out = []
    for unit in section_units(doc, max_level):
        if unit.title:
            seen[unit.title] = seen.get(unit.title, 0) + 1
            out.append((unit.title if seen[unit.title] == 1 else f"{unit.title} ({seen[unit.title]})", unit))
    return out


def section_words(doc: Doc, tokens: Sequence[Tok], max_level: int = 2) -> list[tuple[str, list[str]]]:
    """(label, words) of every titled section unit of ``doc`` (labels as :func:`labelled_units`)."""
    return [(label, words(tokens, unit.start, unit.end)) for label, unit in labelled_units(doc, max_level)]


def paragraph_units(doc: Doc, max_level: int = 2, min_chars: int = 20, *, text: str | None = None) -> list[Unit]:
    """Non-blank lines of ``doc`` (paragraphs), each titled with its section unit's title.

    Lines shorter than ``min_chars`` (headings, signatures) join the following paragraph.
    """
    text = text_of(doc) if text is None else text
    sections = section_units(doc, max_level, text=text)
    out: list[Unit] = []
    pending = None
    pos = 0
    for line in text.split("\n"):
        a, b = pos, pos + len(line)
        pos = b + 1
        if not line.strip():
            continue
        start = pending if pending is not None else a
        if len(line.strip()) < min_chars:
            pending = start
            continue
        pending = None
        title = next((u.title for u in sections if u.start <= a < u.end), "")
        out.append(Unit(title, 0, start, b))
    if pending is not None:
        if out:
            last = out[-1]
            out[-1] = Unit(last.title, 0, last.start, len(text.rstrip("\n")) or last.end)
        else:
            out.append(Unit("", 0, pending, len(text)))
    return out


def doc_name(doc: Doc, index: int = 0) -> str:
    """A document's name from ``doc._.meta`` (name, else title), else ``doc{index+1}``."""
    meta = (doc._.meta or {}) if doc.has_extension("meta") else {}
    return str(meta.get("name") or meta.get("title") or f"doc{index + 1}")
