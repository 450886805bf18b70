"""Analyses over processed Docs: keywords, TF-IDF, topics, comparison and tables.

Each module has a small API returning pandas DataFrames and can be used alone. The
scikit-learn parts (``PolicyTfidfVectorizer``, ``TopicModel``, ``tfidf_table``) are imported
on first use, so ``import nlp.analysis`` stays light.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from .compare import changes_table, trends_table
from .keywords import background_idf, extract_keywords, keywords_table
from .tables import indicators_table, terms_table
from .tokens import content_tokens, doc_tokens, load_stopwords, paragraph_units, section_units

_LAZY = {
    "PolicyTfidfVectorizer": ".tfidf",
    "tfidf_table": ".tfidf",
    "top_terms": ".tfidf",
    "TopicModel": ".topics",
    "npmi_coherence": ".topics",
    "discover_terms": ".discovery",
    "accept_candidates": ".discovery",
}

__all__ = [
    "PolicyTfidfVectorizer",
    "TopicModel",
    "accept_candidates",
    "background_idf",
    "changes_table",
    "content_tokens",
    "discover_terms",
    "doc_tokens",
    "extract_keywords",
    "indicators_table",
    "keywords_table",
    "load_stopwords",
    "npmi_coherence",
    "paragraph_units",
    "section_units",
    "terms_table",
    "tfidf_table",
    "top_terms",
    "trends_table",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
