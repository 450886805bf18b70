"""Make character offsets token boundaries, whatever the segmenter did.

Components that find spans on characters (numbers, policy terms) call
:func:`char_spans` so that every span is exact at the character level: tokens that
straddle a span boundary are split first, then the spans are made.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Iterable, Sequence

from spacy.attrs import IDX
from spacy.tokens import Doc, Span

__all__ = ["ensure_boundaries", "char_spans"]


def ensure_boundaries(doc: Doc, offsets: Iterable[int]) -> int:
    """Split tokens so that each character offset in ``offsets`` starts a token.

    Returns the number of tokens split. Offsets at 0, at ``len(doc.text)`` or already
    on a boundary cost nothing.
    """
    if not len(doc):
        return 0
    starts = doc.to_array(IDX).tolist()
    cuts: dict[int, set[int]] = {}
    n_chars = len(doc.text)
    for off in offsets:
        if off <= 0 or off >= n_chars:
            continue
        i = bisect_right(starts, off) - 1
        if starts[i] == off:
            continue
        cuts.setdefault(i, set()).add(off - starts[i])
    if not cuts:
        return 0
    # spaCy does not move stored span groups when it splits tokens: keep them as
    # character offsets and rebuild them afterwards (extension values are keyed by
    # character offsets, so they survive).
    saved = {
        key: ([(s.start_char, s.end_char, s.label, s.kb_id, s.id) for s in group], dict(group.attrs))
        for key, group in doc.spans.items()
    }
    with doc.retokenize() as retokenizer:
        for i, rel in cuts.items():
            token = doc[i]
            text = token.text
            bounds = [0, *sorted(r for r in rel if 0 < r < len(text)), len(text)]
            orths = [text[a:b] for a, b in zip(bounds, bounds[1:])]
            if len(orths) < 2:
                continue
            heads = [(token, j) for j in range(len(orths))]
            retokenizer.split(token, orths, heads=heads)
    for key, (items, attrs) in saved.items():
        spans = [doc.char_span(a, b, label=lab, kb_id=kb, span_id=sid) for a, b, lab, kb, sid in items]
        doc.spans[key] = [sp for sp in spans if sp is not None]
        doc.spans[key].attrs.update(attrs)
    return len(cuts)


def char_spans(doc: Doc, spans: Sequence[tuple[int, int, str]]) -> list[Span]:
    """Make ``Span`` objects for ``(start_char, end_char, label)`` triples, splitting
    tokens where needed so that every span covers exactly those characters."""
    ensure_boundaries(doc, [o for s, e, _ in spans for o in (s, e)])
    out = []
    for start, end, label in spans:
        span = doc.char_span(start, end, label=label, alignment_mode="strict")
        if span is None:  # pragma: no cover - ensure_boundaries makes this impossible
            raise ValueError(f"span {start}:{end} does not align with the tokens")
        out.append(span)
    return out
