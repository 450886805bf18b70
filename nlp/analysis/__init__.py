"""Analyses over processed Docs: keywords, TF-IDF, topics, comparison and tables.

Each module has a small API returning pandas DataFrames and can be used alone. Every
name is imported on first use, so ``import nlp.analysis`` stays light.
"""

from __future__ import annotations

from ..lazy import lazy_exports

_LAZY = {
    "changes_table": ".compare",
    "trends_table": ".compare",
    "background_idf": ".keywords",
    "extract_keywords": ".keywords",
    "keywords_table": ".keywords",
    "indicators_table": ".tables",
    "terms_table": ".tables",
    "content_tokens": ".tokens",
    "doc_tokens": ".tokens",
    "load_stopwords": ".tokens",
    "paragraph_units": ".tokens",
    "section_units": ".tokens",
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


__getattr__, __dir__ = lazy_exports(__name__, _LAZY)
