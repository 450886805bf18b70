"""Character-level lexicon matching and overlap resolution.

Matching runs on the normalized view of the text (same length as the text, so offsets are
the original's), independent of the segmenter's tokens: leftmost, longest match, no overlaps.
The index is a dict from first character to the candidate lengths, plus a dict of forms.
"""

from __future__ import annotations

import re
from typing import Iterable, NamedTuple, Sequence

from ..normalize import normalize_view
from .lexicon import LexiconEntry, QUOTE_CHARS, strip_quotes

__all__ = ["Candidate", "LexiconMatcher", "resolve_overlaps", "SOURCES"]

SOURCES = ("lexicon", "rule", "model")
_OPEN_CLOSE = (("“", "”"), ("「", "」"), ("『", "』"))


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


class LexiconMatcher:
    """Leftmost-longest matcher of lexicon forms (and their quoted variants) over characters."""

    def __init__(self, entries: Iterable[LexiconEntry] = ()) -> None:
        self._forms: dict[str, LexiconEntry] = {}
        self._lengths: dict[str, list[int]] = {}
        self._first_re: re.Pattern | None = None
        self.add(entries)

    def __len__(self) -> int:
        return len(self._forms)

    def add(self, entries: Iterable[LexiconEntry]) -> None:
        """Index the entries' forms; a later entry overrides an earlier one with the same form."""
        for entry in entries:
            for form in entry.forms():
                form = normalize_view(form.strip())
                variants = [form]
                if not any(q in form for q in QUOTE_CHARS):
                    variants += [f"{o}{form}{c}" for o, c in _OPEN_CLOSE]
                for v in variants:
                    if len(strip_quotes(v)) < 1:
                        continue
                    self._forms[v] = entry
        lengths: dict[str, set[int]] = {}
        for form in self._forms:
            lengths.setdefault(form[0], set()).add(len(form))
        self._lengths = {ch: sorted(ls, reverse=True) for ch, ls in lengths.items()}
        chars = "".join(sorted(self._lengths))
        self._first_re = re.compile("[" + re.escape(chars) + "]") if chars else None

    def find(self, view: str) -> list[Candidate]:
        """All leftmost-longest, non-overlapping matches in the normalized view ``view``."""
        out: list[Candidate] = []
        if self._first_re is None:
            return out
        forms, lengths = self._forms, self._lengths
        pos = 0
        search = self._first_re.search
        n = len(view)
        while pos < n:
            m = search(view, pos)
            if m is None:
                break
            i = m.start()
            for length in lengths[view[i]]:
                entry = forms.get(view[i : i + length])
                if entry is not None:
                    out.append(
                        Candidate(i, i + length, entry.label, "lexicon", strip_quotes(entry.canonical), entry.id)
                    )
                    pos = i + length
                    break
            else:
                pos = i + 1
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

    def rank(c: Candidate) -> int:
        r = rank_of.get(c.source, last)
        if c.extends:
            inside = [
                o for o in cands
                if o is not c and c.start <= o.start and o.end <= c.end and (o.end - o.start) < (c.end - c.start)
            ]
            if c.extends == "head" and any(o.end == c.end and o.source != c.source for o in inside):
                return r  # the head itself belongs to another source's term: that analysis stands
            for o in inside:
                r = min(r, rank_of.get(o.source, last))
        return r

    order = sorted(cands, key=lambda c: (rank(c), -(c.end - c.start), c.start, c.end, c.label))
    taken: list[Candidate] = []
    occupied: list[tuple[int, int]] = []
    for c in order:
        if c.end <= c.start:
            continue
        if any(c.start < e and s < c.end for s, e in occupied):
            continue
        taken.append(c)
        occupied.append((c.start, c.end))
    return sorted(taken, key=lambda c: (c.start, c.end))


def _as_candidate(item: tuple) -> Candidate:
    start, end, label, source, *rest = item
    canonical = rest[0] if rest else ""
    term_id = rest[1] if len(rest) > 1 else None
    return Candidate(int(start), int(end), str(label), str(source), canonical, term_id)
