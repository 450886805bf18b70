"""Character-level lexicon matching and overlap resolution.

Matching runs on the normalized view of the text (same length as the text, so offsets are
the original's), independent of the segmenter's tokens: leftmost, longest match, no overlaps.
The forms are compiled into one regex shaped as a character trie (longest form first at each
position), plus a dict from form to entry.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Iterable, NamedTuple, Sequence

from ..normalize import normalize_view
from .lexicon import LexiconEntry, strip_quotes

try:  # optional speed-up: a C Aho-Corasick automaton; the pure-regex trie gives the same matches
    import ahocorasick as _ahocorasick
except ImportError:  # pragma: no cover - depends on the environment
    _ahocorasick = None

__all__ = ["Candidate", "LexiconMatcher", "resolve_overlaps", "trie_pattern", "SOURCES"]

SOURCES = ("lexicon", "rule", "model")
_CLOSE = {"“": "”", "「": "」", "『": "』", "《": "》"}


class Candidate(NamedTuple):
    """A term found in a text: character offsets, label, where it came from, canonical, id.

    ``extends`` marks a rule span that is a more specific name built around a contained term:
    ``"all"`` (促消费“15条”, “丝路电商”合作先行区) takes the priority of any span it contains,
    ``"head"`` (乡村振兴示范区) only of spans it extends by a head (ending before its end).
    """

    start: int
    end: int
    label: str
    source: str
    canonical: str
    term_id: str | None = None
    rule: str | None = None
    extends: str = ""


def trie_pattern(words: Iterable[str]) -> str:
    """A regex matching any of ``words``, longest first at each position (a character trie)."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch != ""]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


class LexiconMatcher:
    """Leftmost-longest matcher of lexicon forms over characters (Aho-Corasick or a regex trie).

    A match enclosed in quotation marks (“一网通办”) takes them into the span.
    """

    def __init__(self, entries: Iterable[LexiconEntry] = ()) -> None:
        self._forms: dict[str, LexiconEntry] = {}
        self._canonical: dict[LexiconEntry, str] = {}
        self._regex: re.Pattern | None = None
        self._automaton = None
        self.add(entries)

    def __len__(self) -> int:
        return len(self._forms)

    def add(self, entries: Iterable[LexiconEntry]) -> None:
        """Index the entries' forms; a later entry overrides an earlier one with the same form."""
        for entry in entries:
            for form in entry.forms():
                form = normalize_view(form.strip())
                if strip_quotes(form):
                    self._forms[form] = entry
            self._canonical[entry] = strip_quotes(entry.canonical)
        self._regex = None  # compiled lazily, once after a batch of additions
        self._automaton = None

    def spans(self, view: str, backend: str | None = None) -> list[tuple[int, int]]:
        """Leftmost-longest, non-overlapping ``(start, end)`` of the forms in ``view``.

        ``backend``: ``"ahocorasick"`` (pyahocorasick, if installed; the default then) or
        ``"regex"`` (a compiled character trie); both give the same matches.
        """
        if not self._forms:
            return []
        backend = backend or ("ahocorasick" if _ahocorasick is not None else "regex")
        if backend == "ahocorasick":
            if self._automaton is None:
                automaton = _ahocorasick.Automaton()
                for form in self._forms:
                    automaton.add_word(form, len(form))
                automaton.make_automaton()
                self._automaton = automaton
            return [(end + 1 - size, end + 1) for end, size in self._automaton.iter_long(view)]
        if self._regex is None:
            self._regex = re.compile(trie_pattern(self._forms))
        return [m.span() for m in self._regex.finditer(view)]

    def find(self, view: str, backend: str | None = None) -> list[Candidate]:
        """All leftmost-longest, non-overlapping matches in the normalized view ``view``."""
        out: list[Candidate] = []
        forms = self._forms
        n = len(view)
        for start, end in self.spans(view, backend):
            entry = forms[view[start:end]]  # a dict hit per match: cheap next to the scan
            if start > 0 and end < n and _CLOSE.get(view[start - 1]) == view[end]:
                start, end = start - 1, end + 1
            out.append(Candidate(start, end, entry.label, "lexicon", self._canonical[entry], entry.id))
        return out


def resolve_overlaps(
    spans_with_source: Sequence[Candidate | tuple],
    priority: Sequence[str] = ("lexicon", "rule", "model"),
) -> list[Candidate]:
    """Keep non-overlapping spans: higher-priority source first, then longer, then earlier.

    Items are :class:`Candidate` or tuples ``(start, end, label, source[, canonical, term_id])``.
    A candidate flagged ``extends`` competes with the priority of the spans it extends.
    Sources not in ``priority`` rank last. Returns the kept spans sorted by offset.
    """
    cands = [c if isinstance(c, Candidate) else _as_candidate(c) for c in spans_with_source]
    rank_of = {s: i for i, s in enumerate(priority)}
    last = len(rank_of)
    by_start = sorted(cands, key=lambda c: c.start)
    starts = [c.start for c in by_start]

    def rank(c: Candidate) -> int:
        r = rank_of.get(c.source, last)
        if c.extends:
            size = c.end - c.start
            inside = [
                o
                for o in by_start[bisect_left(starts, c.start) : bisect_left(starts, c.end)]
                if o is not c and o.end <= c.end and (o.end - o.start) < size
            ]
            if c.extends == "head" and any(o.end == c.end and o.source != c.source for o in inside):
                return r  # the head itself belongs to another source's term: that analysis stands
            for o in inside:
                r = min(r, rank_of.get(o.source, last))
        return r

    order = sorted(cands, key=lambda c: (rank(c), -(c.end - c.start), c.start, c.end, c.label))
    taken: list[Candidate] = []
    used = bytearray(max((c.end for c in cands), default=0))
    for c in order:
        if c.end <= c.start or any(used[c.start : c.end]):
            continue
        taken.append(c)
        used[c.start : c.end] = b"\x01" * (c.end - c.start)
    return sorted(taken, key=lambda c: (c.start, c.end))


def _as_candidate(item: tuple) -> Candidate:
    start, end, label, source, *rest = item
    canonical = rest[0] if rest else ""
    term_id = rest[1] if len(rest) > 1 else None
    return Candidate(int(start), int(end), str(label), str(source), canonical, term_id)
