"""Make character offsets token boundaries, whatever the segmenter did.

Components that find spans on characters (numbers, policy terms) split the tokens that
straddle a span boundary so that every span is exact at the character level. spaCy does
not move stored span groups when it splits tokens; :func:`split_tokens` moves them.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Iterable, Sequence

import numpy
from spacy.attrs import (ENT_ID, ENT_IOB, ENT_KB_ID, ENT_TYPE, IDX, LEMMA, MORPH, NORM, ORTH, POS, SENT_START,
                         SPACY, TAG)
from spacy.tokens import Doc, Span

from .text import doc_text, orth_texts

__all__ = ["cuts_needed", "split_tokens", "split_for_spans", "ensure_boundaries", "char_spans", "merge_spans",
           "REBUILD_MIN_CUTS"]

#: from this many split tokens on, the doc is rebuilt instead of retokenized (a rebuild
#: costs about as much as eleven splits, each of which walks the whole doc)
REBUILD_MIN_CUTS = 12
_TOKEN_ATTRS = (LEMMA, NORM, TAG, POS, MORPH, ENT_IOB, ENT_TYPE, ENT_KB_ID, ENT_ID, SENT_START)


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
    _continue_sentences(doc, added)
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


def _continue_sentences(doc: Doc, added: list[tuple[int, int]]) -> None:
    """The pieces of a split token continue its sentence: a sentence starts once, and no token
    is left without a sentence-start flag where the doc has them (else ``doc.sents`` fails)."""
    if not added or not doc.has_annotation("SENT_START"):
        return
    shift = 0
    for i, extra in added:
        first = i + shift
        for j in range(first + 1, first + 1 + extra):
            doc[j].is_sent_start = False
        shift += extra


def _rebuildable(doc: Doc) -> bool:
    """A doc without a parse or tensor: its token annotation fits in ``_TOKEN_ATTRS``."""
    return (doc.tensor is None or doc.tensor.size == 0) and not doc.has_annotation("DEP")


def _rebuild_split(doc: Doc, cuts: dict[int, set[int]]) -> Doc:
    """A new Doc with the tokens in ``cuts`` split, carrying over every token attribute,
    the user data (extension values are keyed by characters), hooks, cats and span groups."""
    arr = doc.to_array([ORTH, SPACY])
    n = len(doc)
    counts = numpy.ones(n, dtype=numpy.int64)
    pieces: dict[int, list[str]] = {}
    words = list(map(orth_texts(doc).__getitem__, arr[:, 0].tolist()))
    for i, rel in cuts.items():
        tok_text = words[i]
        bounds = [0, *sorted(r for r in rel if 0 < r < len(tok_text)), len(tok_text)]
        pieces[i] = [tok_text[x:y] for x, y in zip(bounds, bounds[1:])]
        counts[i] = len(pieces[i])
    spaces = [bool(x) for x in arr[:, 1].tolist()]
    new_words: list[str] = []
    new_spaces: list[bool] = []
    last = 0
    for i in sorted(pieces):
        new_words.extend(words[last:i])
        new_spaces.extend(spaces[last:i])
        new_words.extend(pieces[i])
        new_spaces.extend([False] * (len(pieces[i]) - 1) + [spaces[i]])
        last = i + 1
    new_words.extend(words[last:])
    new_spaces.extend(spaces[last:])
    values = doc.to_array(list(_TOKEN_ATTRS)).astype(numpy.int64)
    src = numpy.repeat(numpy.arange(n), counts)
    new_values = values[src]
    first = numpy.ones(len(src), dtype=bool)
    first[1:] = src[1:] != src[:-1]
    later = ~first
    iob, sent = _TOKEN_ATTRS.index(ENT_IOB), _TOKEN_ATTRS.index(SENT_START)
    new_values[later & (new_values[:, iob] == 3), iob] = 1  # B- continues as I-
    new_values[later & (new_values[:, sent] != 0), sent] = -1  # a sentence starts once
    new = Doc(doc.vocab, words=new_words, spaces=new_spaces)
    new.from_array(list(_TOKEN_ATTRS), new_values.astype(numpy.uint64))
    new.user_data.update(doc.user_data)
    new.cats = dict(doc.cats)
    new.user_hooks.update(doc.user_hooks)
    new.user_token_hooks.update(doc.user_token_hooks)
    new.user_span_hooks.update(doc.user_span_hooks)
    new._context = doc._context  # set by nlp.pipe(as_tuples=True)
    position = numpy.concatenate([[0], numpy.cumsum(counts)]).tolist()  # old token index -> new
    for key, group in doc.spans.items():
        new.spans[key] = [
            Span(new, position[sp.start], position[sp.end], label=sp.label, kb_id=sp.kb_id, span_id=sp.id)
            for sp in group
        ]
        new.spans[key].attrs.update(group.attrs)
    return new


def split_for_spans(doc: Doc, spans: Sequence[tuple[int, int, str]]) -> Doc:
    """The doc with a token boundary at both ends of every span: split in place, or, when
    many tokens need splitting (:data:`REBUILD_MIN_CUTS`), a rebuilt Doc several times cheaper
    than spaCy's retokenizer, which walks the whole doc per split. Use the returned Doc."""
    if not spans or not len(doc):
        return doc
    cuts = cuts_needed(doc.to_array(IDX).tolist(), spans, len(doc_text(doc)))
    if len(cuts) >= REBUILD_MIN_CUTS and _rebuildable(doc):
        return _rebuild_split(doc, cuts)
    split_tokens(doc, cuts)
    return doc


def merge_spans(doc: Doc, offsets: Iterable[tuple[int, int]]) -> None:
    """Merge each ``(start_char, end_char)`` into one token, keeping every stored span group by
    its characters. A span that cuts through another stored span or an entity stays unmerged
    (merging would lose the other)."""
    saved = {
        key: ([(s.start_char, s.end_char, s.label, s.kb_id, s.id) for s in group], dict(group.attrs))
        for key, group in doc.spans.items()
    }
    others = [(a, b) for items, _ in saved.values() for a, b, *_ in items]
    others += [(e.start_char, e.end_char) for e in doc.ents]
    merged = 0
    with doc.retokenize() as retokenizer:
        for start, end in offsets:
            if any(a < end and start < b and not (a <= start and end <= b) for a, b in others):
                continue
            span = doc.char_span(start, end)
            if span is not None and len(span) > 1:
                retokenizer.merge(span)
                merged += 1
    if not merged:
        return
    for key, (items, attrs) in saved.items():
        spans = [doc.char_span(a, b, label=lab, kb_id=kb, span_id=sid) for a, b, lab, kb, sid in items]
        doc.spans[key] = [sp for sp in spans if sp is not None]
        doc.spans[key].attrs.update(attrs)


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
