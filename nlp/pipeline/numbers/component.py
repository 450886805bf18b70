"""The ``numeric_expressions`` spaCy component.

Puts every numeric expression into ``doc.spans[spans_key]`` (labels MONEY, PERCENT,
PERCENT_POINT, QUANTITY, DATE, ORDINAL) with the span extensions ``value``, ``value_high``,
``unit``, ``qualifier``, ``change`` and ``date``. Spans are exact at the character level
(tokens are split where jieba's tokens straddle a boundary). ``to_ents`` also writes them to
``doc.ents`` next to existing entities (ours are dropped where they overlap one);
``merge`` makes each expression a single token.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Iterable

from spacy.attrs import IDX, ORTH, SPACY
from spacy.language import Language
from spacy.tokens import Doc, Span

from ..align import char_spans
from .extract import NumberMatch, find_numbers

__all__ = ["NumericExpressions", "make_numeric_expressions", "SPAN_ATTRS", "span_reading"]

#: the span extensions this component fills
SPAN_ATTRS = ("value", "value_high", "unit", "qualifier", "change", "date")

for _name in SPAN_ATTRS:
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)


def span_reading(span: Span) -> dict:
    """The normalized reading of a number span as a dict (text, label and the extensions)."""
    out = {"start": span.start_char, "end": span.end_char, "text": span.text, "label": span.label_}
    out.update({name: getattr(span._, name) for name in SPAN_ATTRS})
    return out


class NumericExpressions:
    """Tag numeric expressions on characters and store them as spans (see module doc)."""

    def __init__(self, name: str = "numeric_expressions", *, spans_key: str = "numbers",
                 to_ents: bool = False, merge: bool = False) -> None:
        if not isinstance(spans_key, str) or not spans_key:
            raise ValueError(f"numeric_expressions: spans_key must be a non-empty string, got {spans_key!r}")
        self.name = name
        self.spans_key = spans_key
        self.to_ents = bool(to_ents)
        self.merge = bool(merge)

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        matches = find_numbers(text)
        offsets = [(m.start, m.end, m.label) for m in matches]
        cuts = _cuts_needed(doc, offsets, len(text))
        if cuts:
            _split_tokens(doc, cuts)
        spans = [doc.char_span(a, b, label=lab, alignment_mode="strict") for a, b, lab in offsets]
        if any(sp is None for sp in spans):  # pragma: no cover - the split makes this impossible
            spans = char_spans(doc, offsets)
        for span, m in zip(spans, matches):
            _set_reading(span, m)
        doc.spans[self.spans_key] = spans
        if self.to_ents:
            _add_ents(doc, spans)
        if self.merge:
            _merge(doc, self.spans_key)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)


def _set_reading(span: Span, m: NumberMatch) -> None:
    underscore = span._
    for name in SPAN_ATTRS:
        setattr(underscore, name, getattr(m, name))


_ORTH_TEXT: dict[int, str] = {}


def doc_text(doc: Doc) -> str:
    """``doc.text``, rebuilt from the token array (several times faster on long docs)."""
    if not len(doc):
        return ""
    arr = doc.to_array([ORTH, SPACY])
    if arr[:, 1].any():
        return doc.text
    cache = _ORTH_TEXT
    if len(cache) > 500_000:
        cache.clear()
    strings = doc.vocab.strings
    parts = []
    append = parts.append
    for orth in arr[:, 0].tolist():
        piece = cache.get(orth)
        if piece is None:
            piece = cache[orth] = strings[orth]
        append(piece)
    return "".join(parts)


def _cuts_needed(doc: Doc, spans: list[tuple[int, int, str]], n_chars: int) -> dict[int, set[int]]:
    """Token index -> offsets inside that token where a span boundary falls."""
    if not spans:
        return {}
    starts = doc.to_array(IDX).tolist()
    start_set = set(starts)
    cuts: dict[int, set[int]] = {}
    for a, b, _ in spans:
        for off in (a, b):
            if 0 < off < n_chars and off not in start_set:
                i = bisect_right(starts, off) - 1
                cuts.setdefault(i, set()).add(off - starts[i])
    return cuts


def _split_tokens(doc: Doc, cuts: dict[int, set[int]]) -> None:
    """Split tokens at the given inner offsets, keeping stored span groups (as
    :func:`nlp.pipeline.align.ensure_boundaries` does, without a pass over every token)."""
    saved = {
        key: ([(s.start_char, s.end_char, s.label, s.kb_id, s.id) for s in group], dict(group.attrs))
        for key, group in doc.spans.items()
    }
    with doc.retokenize() as retokenizer:
        for i, rel in cuts.items():
            token = doc[i]
            tok_text = token.text
            bounds = [0, *sorted(r for r in rel if 0 < r < len(tok_text)), len(tok_text)]
            orths = [tok_text[x:y] for x, y in zip(bounds, bounds[1:])]
            if len(orths) > 1:
                retokenizer.split(token, orths, heads=[(token, j) for j in range(len(orths))])
    for key, (items, attrs) in saved.items():
        rebuilt = [doc.char_span(a, b, label=lab, kb_id=kb, span_id=sid) for a, b, lab, kb, sid in items]
        doc.spans[key] = [sp for sp in rebuilt if sp is not None]
        doc.spans[key].attrs.update(attrs)


def _add_ents(doc: Doc, spans: list[Span]) -> None:
    """Add our spans to ``doc.ents``, keeping every existing entity."""
    existing = list(doc.ents)
    taken = [(e.start, e.end) for e in existing]
    ours = [s for s in spans if not any(s.start < b and a < s.end for a, b in taken)]
    doc.ents = sorted(existing + ours, key=lambda s: s.start)


def _merge(doc: Doc, key: str) -> None:
    """Merge each number span into one token; every stored span group is kept.

    A number span that cuts through another stored span or an entity is left unmerged.
    """
    others = [(s.start, s.end) for k, g in doc.spans.items() if k != key for s in g]
    others += [(e.start, e.end) for e in doc.ents]
    saved = {
        k: ([(s.start_char, s.end_char, s.label, s.kb_id, s.id) for s in g], dict(g.attrs))
        for k, g in doc.spans.items()
    }
    to_merge = []
    for s in doc.spans[key]:
        if len(s) < 2:
            continue
        crossing = any(
            (a < s.start < b or a < s.end < b or s.start < a < s.end or s.start < b < s.end)
            and not (a <= s.start and s.end <= b)
            for a, b in others
        )
        if not crossing:
            to_merge.append(s)
    if not to_merge:
        return
    with doc.retokenize() as retokenizer:
        for s in to_merge:
            retokenizer.merge(s)
    for k, (items, attrs) in saved.items():
        rebuilt = [doc.char_span(a, b, label=lab, kb_id=kb, span_id=sid) for a, b, lab, kb, sid in items]
        doc.spans[k] = [sp for sp in rebuilt if sp is not None]
        doc.spans[k].attrs.update(attrs)


@Language.factory(
    "numeric_expressions",
    default_config={"spans_key": "numbers", "to_ents": False, "merge": False},
)
def make_numeric_expressions(nlp: Language, name: str, spans_key: str, to_ents: bool, merge: bool) -> NumericExpressions:
    """spaCy factory for :class:`NumericExpressions`."""
    return NumericExpressions(name, spans_key=spans_key, to_ents=to_ents, merge=merge)
