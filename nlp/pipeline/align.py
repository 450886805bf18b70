"""Make character offsets token boundaries, whatever the segmenter did.

Components that find spans on characters (numbers, policy terms) split the tokens that
straddle a span boundary so that every span is exact at the character level. spaCy does
not move stored span groups when it splits tokens; :func:`split_tokens` moves them.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Iterable, Sequence

from spacy.attrs import IDX
from spacy.tokens import Doc, Span

from .text import doc_text

__all__ = ["cuts_needed", "split_tokens", "ensure_boundaries", "char_spans"]


def cuts_needed(starts: Sequence[int], spans: Iterable[tuple[int, int, str]], n_chars: int) -> dict[int, set[int]]:
    """Token index → offsets inside that token where a span boundary falls.

    ``starts`` are the tokens' first characters (``doc.to_array(IDX)``).
    """
    cuts: dict[int, set[int]] = {}
    for a, b, *_ in spans:
        for off in (a, b):
            if 0 < off < n_chars:
                i = bisect_right(starts, off) - 1
                if starts[i] != off:
                    cuts.setdefault(i, set()).add(off - starts[i])
    return cuts


def split_tokens(doc: Doc, cuts: dict[int, set[int]]) -> int:
    """Split tokens at the given inner offsets; stored span groups keep their characters.

    Returns the number of tokens split.
    """
    if not cuts:
        return 0
    first_cut = min(cuts)
    saved = {}
    for key, group in doc.spans.items():
        # only spans ending after the first split token move
        saved[key] = [(k, sp.start, sp.end, sp.label, sp.kb_id, sp.id) for k, sp in enumerate(group) if sp.end > first_cut]
    added: list[tuple[int, int]] = []  # (token index, tokens added after it)
    with doc.retokenize() as retokenizer:
        for i, rel in sorted(cuts.items()):
            token = doc[i]
            tok_text = token.text
            bounds = [0, *sorted(r for r in rel if 0 < r < len(tok_text)), len(tok_text)]
            orths = [tok_text[x:y] for x, y in zip(bounds, bounds[1:])]
            if len(orths) > 1:
                retokenizer.split(token, orths, heads=[(token, j) for j in range(len(orths))])
                added.append((i, len(orths) - 1))
    if not saved or not added:
        return len(added)
    split_at = [i for i, _ in added]
    shift_after = []  # tokens added at or before each split token
    total = 0
    for _, extra in added:
        total += extra
        shift_after.append(total)

    def moved(t: int) -> int:
        # a token index (or end) moves by the tokens added by splits of tokens before it
        k = bisect_right(split_at, t - 1)
        return t + (shift_after[k - 1] if k else 0)

    for key, items in saved.items():
        group = doc.spans[key]
        for k, a, b, lab, kb, sid in items:
            group[k] = Span(doc, moved(a), moved(b), label=lab, kb_id=kb, span_id=sid)
    return len(added)


def ensure_boundaries(doc: Doc, offsets: Iterable[int]) -> int:
    """Split tokens so that each character offset in ``offsets`` starts a token.

    Returns the number of tokens split. Offsets at 0, at the end of the text or already
    on a boundary cost nothing.
    """
    if not len(doc):
        return 0
    starts = doc.to_array(IDX).tolist()
    return split_tokens(doc, cuts_needed(starts, ((o, o) for o in offsets), len(doc_text(doc))))


def char_spans(doc: Doc, spans: Sequence[tuple[int, int, str]], *, starts: list[int] | None = None) -> list[Span]:
    """Make ``Span`` objects for ``(start_char, end_char, label)`` triples, splitting
    tokens where needed so that every span covers exactly those characters.

    ``starts`` may be ``doc.to_array(IDX).tolist()`` when the caller has it already.
    """
    if not spans:
        return []
    n_chars = len(doc_text(doc))
    if starts is None:
        starts = doc.to_array(IDX).tolist()
    if split_tokens(doc, cuts_needed(starts, spans, n_chars)):
        starts = doc.to_array(IDX).tolist()
    n_tokens = len(starts)
    out = []
    for a, b, label in spans:
        i = bisect_right(starts, a) - 1
        j = bisect_right(starts, b) - 1 if b < n_chars else n_tokens
        if i < 0 or starts[i] != a or (j < n_tokens and starts[j] != b):  # e.g. whitespace: let spaCy align
            span = doc.char_span(a, b, label=label, alignment_mode="strict")
            if span is None:  # pragma: no cover - the split makes this impossible
                raise ValueError(f"span {a}:{b} does not align with the tokens")
        else:
            span = Span(doc, i, j, label=label)
        out.append(span)
    return out
