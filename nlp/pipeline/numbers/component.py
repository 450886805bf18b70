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

from spacy.language import Language
from spacy.tokens import Doc, Span

from ..align import char_spans, merge_spans, split_for_spans
from ..text import doc_text
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

    def predict(self, doc: Doc) -> list[NumberMatch]:
        """Every numeric expression of the doc's text, with its reading."""
        return find_numbers(doc_text(doc)) if len(doc) else []

    def set_annotations(self, doc: Doc, matches: list[NumberMatch]) -> Doc:
        """Store the matches as spans (splitting tokens where needed); returns the Doc to use."""
        offsets = [(m.start, m.end, m.label) for m in matches]
        doc = split_for_spans(doc, offsets)
        spans = char_spans(doc, offsets)
        for span, m in zip(spans, matches):
            for name in SPAN_ATTRS:
                value = getattr(m, name)
                if value is not None:  # None is every extension's default
                    setattr(span._, name, value)
        doc.spans[self.spans_key] = spans
        if self.to_ents:
            _add_ents(doc, spans)
        if self.merge:
            merge_spans(doc, [(m.start, m.end) for m in matches])
        return doc

    def __call__(self, doc: Doc) -> Doc:
        return self.set_annotations(doc, self.predict(doc))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        """Tag a stream of docs."""
        for doc in docs:
            yield self(doc)


def _add_ents(doc: Doc, spans: list[Span]) -> None:
    """Add our spans to ``doc.ents``, keeping every existing entity."""
    existing = list(doc.ents)
    taken = [(e.start, e.end) for e in existing]
    ours = [s for s in spans if not any(s.start < b and a < s.end for a, b in taken)]
    doc.ents = sorted(existing + ours, key=lambda s: s.start)


@Language.factory(
    "numeric_expressions",
    assigns=["doc.spans", "doc.ents", "span._.value", "span._.value_high", "span._.unit", "span._.qualifier",
             "span._.change", "span._.date"],
    default_config={"spans_key": "numbers", "to_ents": False, "merge": False},
)
def make_numeric_expressions(nlp: Language, name: str, spans_key: str, to_ents: bool, merge: bool) -> NumericExpressions:
    """spaCy factory for :class:`NumericExpressions`."""
    return NumericExpressions(name, spans_key=spans_key, to_ents=to_ents, merge=merge)
