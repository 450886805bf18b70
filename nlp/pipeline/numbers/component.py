"""The ``numeric_expressions`` spaCy component.

Puts every numeric expression into ``doc.spans[spans_key]`` (labels MONEY, PERCENT,
PERCENT_POINT, QUANTITY, DATE, ORDINAL) with the span extensions ``value``, ``value_high``,
``unit``, ``qualifier``, ``change`` and ``date``. Spans are exact at the character level
(tokens are split where jieba's tokens straddle a boundary). ``to_ents`` also writes them to
``doc.ents`` next to existing entities (ours are dropped where they overlap one);
``merge`` makes each expression a single token.
"""

from __future__ import annotations

from typing import Iterable

import numpy
from spacy.attrs import (ENT_ID, ENT_IOB, ENT_KB_ID, ENT_TYPE, IDX, LEMMA, MORPH, NORM, ORTH, POS, SENT_START,
                         SPACY, TAG)
from spacy.language import Language
from spacy.tokens import Doc, Span

from ..align import char_spans, cuts_needed
from ..text import doc_text, orth_texts
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
        starts = doc.to_array(IDX).tolist() if len(doc) else []
        text = doc_text(doc) if starts else ""
        matches = find_numbers(text)
        offsets = [(m.start, m.end, m.label) for m in matches]
        cuts = cuts_needed(starts, offsets, len(text)) if offsets else {}
        if len(cuts) >= REBUILD_MIN_CUTS and _rebuildable(doc):
            # spaCy's retokenizer costs a pass over the whole doc per split token;
            # with many splits one rebuilt Doc is several times cheaper
            doc = _rebuild_split(doc, cuts, doc.to_array([ORTH, SPACY]))
            starts = None
        spans = char_spans(doc, offsets, starts=starts)
        _set_readings(doc, spans, matches)
        doc.spans[self.spans_key] = spans
        if self.to_ents:
            _add_ents(doc, spans)
        if self.merge:
            _merge(doc, self.spans_key)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        """Tag a stream of docs."""
        for doc in docs:
            yield self(doc)


def _plain_extensions() -> bool:
    """True if our span extensions are plain values (no getter/setter/method)."""
    return all(Span.get_extension(name)[1:] == (None, None, None) for name in SPAN_ATTRS)


def _set_readings(doc: Doc, spans: list[Span], matches: list[NumberMatch]) -> None:
    """Store each match's reading in its span's extensions."""
    if _plain_extensions():
        # what ``span._.name = value`` does, without building an Underscore per value
        data = doc.user_data
        for m in matches:
            for name in SPAN_ATTRS:
                value = getattr(m, name)
                if value is not None:  # None is every extension's default
                    data[("._.", name, m.start, m.end)] = value
        return
    for span, m in zip(spans, matches):  # pragma: no cover - someone re-registered them
        _set_reading(span, m)


def _set_reading(span: Span, m: NumberMatch) -> None:
    underscore = span._
    for name in SPAN_ATTRS:
        value = getattr(m, name)
        if value is not None:  # None is every extension's default
            setattr(underscore, name, value)


#: from this many split tokens on, the doc is rebuilt instead of retokenized (a rebuild
#: costs about as much as eleven splits, each of which walks the whole doc)
REBUILD_MIN_CUTS = 12
_TOKEN_ATTRS = (LEMMA, NORM, TAG, POS, MORPH, ENT_IOB, ENT_TYPE, ENT_KB_ID, ENT_ID, SENT_START)


def _rebuildable(doc: Doc) -> bool:
    """A doc without a parse or tensor: its token annotation fits in ``_TOKEN_ATTRS``."""
    return (doc.tensor is None or doc.tensor.size == 0) and not doc.has_annotation("DEP")


def _rebuild_split(doc: Doc, cuts: dict[int, set[int]], arr) -> Doc:
    """A new Doc with the tokens in ``cuts`` split, carrying over every token attribute,
    the user data (extension values are keyed by characters), hooks, cats and span groups."""
    n = len(doc)
    counts = numpy.ones(n, dtype=numpy.int64)
    pieces: dict[int, list[str]] = {}
    orths = arr[:, 0].tolist()
    words = list(map(orth_texts(doc).__getitem__, orths))
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
    new_values[later & (new_values[:, sent] == 1), sent] = -1  # a sentence starts once
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
