"""Analyses over processed Docs: keywords, TF-IDF, topics, comparison and tables.

Each module has a small API returning pandas DataFrames and can be used alone.
"""

from .keywords import extract_keywords, keywords_table
from .tables import indicators_table, terms_table
from .tokens import content_tokens, doc_tokens, load_stopwords, section_units

__all__ = [
    "content_tokens",
    "doc_tokens",
    "extract_keywords",
    "indicators_table",
    "keywords_table",
    "load_stopwords",
    "section_units",
    "terms_table",
]
