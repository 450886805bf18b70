"""Tables straight from the taggers: every policy-term mention, and (when the pipeline has
the ``indicators`` component) the indicators."""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from typing import TYPE_CHECKING, Sequence

import pandas as pd

if TYPE_CHECKING:  # spaCy is only needed for type hints here
    from spacy.tokens import Doc

from .tokens import TERMS_KEY, Unit, doc_name, section_units

__all__ = ["TERM_COLUMNS", "terms_table", "section_of", "indicators_table"]

TERM_COLUMNS = ["document", "section", "term", "canonical", "label", "source", "start", "end", "count"]


def section_of(units: Sequence[Unit], char: int) -> str:
    """The title of the unit (see :func:`~nlp.analysis.tokens.section_units`) holding ``char``."""
    starts = [u.start for u in units]
    i = bisect_right(starts, char) - 1
    if i >= 0 and units[i].start <= char < units[i].end:
        return units[i].title
    return ""


def terms_table(docs: Sequence[Doc], names: Sequence[str] | None = None, *, max_level: int = 2) -> pd.DataFrame:
    """One row per policy-term mention, in text order.

    Columns :data:`TERM_COLUMNS`: ``term`` is the text as written, ``canonical`` its lexicon
    form, ``source`` lexicon/rule/model, ``start``/``end`` character offsets into the
    document, ``count`` the number of mentions of that canonical form in the document.
    """
    names = list(names) if names is not None else [doc_name(d, i) for i, d in enumerate(docs)]
    rows = []
    for doc, name in zip(docs, names):
        spans = sorted(doc.spans[TERMS_KEY], key=lambda s: (s.start_char, s.end_char)) if TERMS_KEY in doc.spans else []
        canon = [(s._.canonical if s.has_extension("canonical") else None) or s.text for s in spans]
        counts = Counter(canon)
        units = section_units(doc, max_level)
        for span, c in zip(spans, canon):
            source = span._.source if span.has_extension("source") else None
            rows.append((name, section_of(units, span.start_char), span.text, c, span.label_, source or "",
                         span.start_char, span.end_char, counts[c]))
    return pd.DataFrame(rows, columns=TERM_COLUMNS)


def indicators_table(docs: Sequence[Doc], names: Sequence[str] | None = None) -> pd.DataFrame | None:
    """The indicators of ``docs`` (``nlp.pipeline.indicators.indicators_table``: a document
    column first, then each figure with its measure, value, unit, year and kind), or None when
    that module is not available."""
    try:
        from ..pipeline.indicators import indicators_table as _table
    except ImportError:
        return None
    names = list(names) if names is not None else [doc_name(d, i) for i, d in enumerate(docs)]
    return _table(docs, names)
