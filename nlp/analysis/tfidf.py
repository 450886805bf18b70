"""TF-IDF with our Chinese tokens: a scikit-learn vectorizer and top terms per section/document.

:class:`PolicyTfidfVectorizer` is a :class:`~sklearn.feature_extraction.text.TfidfVectorizer`
whose documents may be raw strings (segmented with the policy-nlp pipeline, created lazily on
first use), processed spaCy ``Doc`` objects, or lists of tokens. It clones and pickles like any
scikit-learn estimator and works inside a :class:`~sklearn.pipeline.Pipeline`::

    Pipeline([("tfidf", PolicyTfidfVectorizer(min_df=2)), ("nmf", NMF(5, random_state=0))])
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Iterable, Sequence

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer

if TYPE_CHECKING:  # spaCy is only needed for type hints here
    from spacy.tokens import Doc

from ..lazy import loaded_instance
from .tokens import Tok, doc_name, doc_tokens, section_words, words

__all__ = ["PolicyTfidfVectorizer", "TFIDF_COLUMNS", "top_terms", "tfidf_table", "tfidf_words_table"]

TFIDF_COLUMNS = ["document", "section", "rank", "term", "tfidf"]


class PolicyTfidfVectorizer(TfidfVectorizer):
    """TfidfVectorizer over policy-nlp content tokens (terms and numbers single tokens,
    stop words, numbers, punctuation and single characters removed).

    ``stopwords``: None for the default list (spaCy's Chinese + policy boilerplate) or a
    collection of words. ``pipeline``: None (``nlp.load()`` on first use), a saved pipeline
    path, or a spaCy ``Language``; only needed for raw strings. A ``Language`` is shared by
    clones and left out when pickling (the unpickled vectorizer loads the default pipeline).
    """

    def __init__(
        self,
        *,
        stopwords: Iterable[str] | None = None,
        min_chars: int = 2,
        pipeline: Any = None,
        min_df: float | int = 1,
        max_df: float | int = 1.0,
        max_features: int | None = None,
        vocabulary: Any = None,
        binary: bool = False,
        dtype: Any = np.float64,
        norm: str | None = "l2",
        use_idf: bool = True,
        smooth_idf: bool = True,
        sublinear_tf: bool = False,
    ) -> None:
        super().__init__(
            min_df=min_df,
            max_df=max_df,
            max_features=max_features,
            vocabulary=vocabulary,
            binary=binary,
            dtype=dtype,
            norm=norm,
            use_idf=use_idf,
            smooth_idf=smooth_idf,
            sublinear_tf=sublinear_tf,
            lowercase=False,
        )
        self.stopwords = stopwords
        self.min_chars = min_chars
        self.pipeline = pipeline

    # -- tokenizing ------------------------------------------------------------------------
    def _language(self):
        nlp = getattr(self, "_nlp", None)
        if nlp is None:
            if self.pipeline is None or isinstance(self.pipeline, (str, os.PathLike)):
                from ..api import load

                nlp = load(self.pipeline)
            else:
                nlp = self.pipeline
            self._nlp = nlp
        return nlp

    def _stops(self) -> frozenset[str] | None:
        return None if self.stopwords is None else frozenset(self.stopwords)

    def tokenize_documents(self, raw_documents: Iterable[Any]) -> list[list[str]]:
        """Every document as its list of content tokens (strings go through the pipeline in one batch)."""
        if isinstance(raw_documents, str) or _is_doc(raw_documents):
            raise ValueError("PolicyTfidfVectorizer: expected an iterable of documents, got a single document")
        docs = list(raw_documents)
        texts = [i for i, d in enumerate(docs) if isinstance(d, str)]
        if texts:
            for i, doc in zip(texts, self._language().pipe(docs[i] for i in texts)):
                docs[i] = doc
        out = []
        for i, d in enumerate(docs):
            if _is_doc(d):
                out.append(words(doc_tokens(d, stopwords=self._stops(), min_chars=self.min_chars)))
            elif isinstance(d, (list, tuple)) and all(isinstance(t, str) for t in d):
                out.append(list(d))
            else:
                raise ValueError(f"PolicyTfidfVectorizer: document {i} is a {type(d).__name__}; "
                                 "expected a string, a spaCy Doc or a list of token strings")
        return out

    def build_analyzer(self):
        """Token lists pass through unchanged (:meth:`fit`/:meth:`transform` tokenize first)."""
        return _identity

    # -- estimator API ---------------------------------------------------------------------
    def fit(self, raw_documents: Iterable[Any], y: Any = None) -> "PolicyTfidfVectorizer":
        """Learn vocabulary and IDF from strings, Docs or token lists."""
        return super().fit(self.tokenize_documents(raw_documents), y)

    def fit_transform(self, raw_documents: Iterable[Any], y: Any = None):
        """Learn vocabulary and IDF, return the document-term matrix."""
        return super().fit_transform(self.tokenize_documents(raw_documents), y)

    def transform(self, raw_documents: Iterable[Any]):
        """Document-term matrix of new documents."""
        return super().transform(self.tokenize_documents(raw_documents))

    def __sklearn_clone__(self) -> "PolicyTfidfVectorizer":
        """An unfitted copy with the same parameters; a ``Language`` given as ``pipeline`` is
        shared, not copied (spaCy pipelines cannot be deep-copied)."""
        from sklearn.base import clone

        params = self.get_params(deep=False)
        pipeline = params.pop("pipeline")
        return type(self)(pipeline=pipeline, **{k: clone(v, safe=False) for k, v in params.items()})

    def __getstate__(self) -> dict:
        state = dict(super().__getstate__())  # a copy: the base may return __dict__ itself
        state.pop("_nlp", None)  # the pipeline is rebuilt lazily after unpickling
        if not (state.get("pipeline") is None or isinstance(state["pipeline"], (str, os.PathLike))):
            state["pipeline"] = None  # a Language object is not pickled: the default pipeline is used
        return state


def _is_doc(obj: Any) -> bool:
    """Whether obj is a spaCy Doc (without importing spaCy)."""
    return loaded_instance(obj, "spacy.tokens", "Doc")


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def top_terms(matrix, feature_names: Sequence[str], labels: Sequence[tuple[str, str]], top: int = 10) -> pd.DataFrame:
    """The ``top`` terms of every row of a TF-IDF ``matrix`` (ties by term), one row per term.

    ``labels`` gives (document, section) for every matrix row. Columns :data:`TFIDF_COLUMNS`.
    """
    from scipy import sparse

    matrix = sparse.csr_matrix(matrix)
    names = np.asarray(feature_names, dtype=object)
    rows = []
    for r, (document, section) in enumerate(labels):
        lo, hi = matrix.indptr[r], matrix.indptr[r + 1]
        idx, vals = matrix.indices[lo:hi], np.round(matrix.data[lo:hi], 6)
        order = sorted(range(len(idx)), key=lambda k: (-vals[k], names[idx[k]]))[:top]
        for rank, k in enumerate(order, 1):
            if vals[k] > 0:
                rows.append((document, section, rank, names[idx[k]], float(vals[k])))
    return pd.DataFrame(rows, columns=TFIDF_COLUMNS)


def tfidf_table(
    docs: Sequence[Doc],
    names: Sequence[str] | None = None,
    *,
    top: int = 20,
    section_top: int = 10,
    max_level: int = 2,
    tokens: Sequence[Sequence[Tok]] | None = None,
    sublinear_tf: bool = True,
) -> pd.DataFrame:
    """Top TF-IDF terms of every section unit and every document (section "").

    The IDF is learnt over all section units of all documents, so a term scores high where it
    is frequent and few sections use it. Rows: each document's own rows first, then its sections.
    """
    names = list(names) if names is not None else [doc_name(d, i) for i, d in enumerate(docs)]
    toks = list(tokens) if tokens is not None else [doc_tokens(d) for d in docs]
    return tfidf_words_table(names, [words(t) for t in toks],
                             [section_words(d, t, max_level) for d, t in zip(docs, toks)],
                             top=top, section_top=section_top, sublinear_tf=sublinear_tf)


def tfidf_words_table(
    names: Sequence[str],
    doc_words: Sequence[list[str]],
    sections: Sequence[Sequence[tuple[str, list[str]]]],
    *,
    top: int = 20,
    section_top: int = 10,
    sublinear_tf: bool = True,
) -> pd.DataFrame:
    """:func:`tfidf_table` from plain data: each document's words and its (label, words) sections."""
    fit_on = [w for secs in sections for _, w in secs if w] or [w for w in doc_words if w]
    if not fit_on:
        return pd.DataFrame(columns=TFIDF_COLUMNS)
    vec = PolicyTfidfVectorizer(sublinear_tf=sublinear_tf).fit(fit_on)
    features = vec.get_feature_names_out()
    parts = []
    for name, words_, secs in zip(names, doc_words, sections):
        parts.append(top_terms(vec.transform([words_]), features, [(name, "")], top))
        if secs:
            parts.append(top_terms(vec.transform([w for _, w in secs]), features, [(name, label) for label, _ in secs],
                                   section_top))
    return pd.concat(parts, ignore_index=True)
