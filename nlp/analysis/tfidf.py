"""TF-IDF with our Chinese tokens: a scikit-learn vectorizer and top terms per section/document.

:class:`PolicyTfidfVectorizer` is a :class:`~sklearn.feature_extraction.text.TfidfVectorizer`
whose documents may be raw strings (segmented with the policy-nlp pipeline, created lazily on
first use), processed spaCy ``Doc`` objects, or lists of tokens. Its parameters, clones and
analyzer follow scikit-learn's contracts, and it works inside a :class:`~sklearn.pipeline.Pipeline`::

    Pipeline([("tfidf", PolicyTfidfVectorizer(min_df=2)), ("nmf", NMF(5, random_state=0))])
"""

from __future__ import annotations

import hashlib
import os
from typing import TYPE_CHECKING, Any, Callable, Iterable, Sequence

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

    Documents are raw strings (tagged with ``pipeline``), spaCy ``Doc`` objects or lists of
    tokens. ``stopwords``: None for the default list (spaCy's Chinese + policy boilerplate) or a
    collection of words. ``pipeline``: None (``nlp.load()`` on first use), a saved pipeline path,
    or a spaCy ``Language``. The other parameters are scikit-learn's, with ``ngram_range`` over
    our tokens (joined by a space). Parameters are stored as given (``get_params``/``set_params``/
    ``clone`` round-trip); :meth:`build_analyzer` is the document -> tokens callable. Strings are
    tagged once per text and pipeline: clones share that memo, so a grid search tags each text
    once. A vectorizer holding a ``Language`` object cannot be pickled (pass a saved pipeline's
    path instead): it raises rather than silently changing its features.
    """

    def __init__(
        self,
        *,
        stopwords: Iterable[str] | None = None,
        min_chars: int = 2,
        pipeline: Any = None,
        ngram_range: tuple[int, int] = (1, 1),
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
            ngram_range=ngram_range,
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
    def _memo(self) -> dict:
        memo = self.__dict__.get("_tagged")
        if memo is None:
            memo = self.__dict__["_tagged"] = {}
        return memo

    def _language(self):
        memo = self._memo()
        key = ("language", _pipeline_key(self.pipeline))
        if key not in memo:
            if self.pipeline is None or isinstance(self.pipeline, (str, os.PathLike)):
                from ..pipeline.builder import load_pipeline

                memo[key] = load_pipeline(self.pipeline)
            else:
                memo[key] = self.pipeline
        return memo[key]

    def _doc_tokens(self, doc: Any, where: str = "document") -> list[str]:
        """One document's content tokens (a string is tagged once per text and pipeline)."""
        if isinstance(doc, str):
            memo = self._memo()
            key = (_pipeline_key(self.pipeline), hashlib.sha1(doc.encode("utf-8")).hexdigest())
            if key not in memo:
                memo[key] = self._language()(doc)
            doc = memo[key]
        if _is_doc(doc):
            stops = None if self.stopwords is None else frozenset(self.stopwords)
            return words(doc_tokens(doc, stopwords=stops, min_chars=self.min_chars))
        if isinstance(doc, (list, tuple)) and all(isinstance(t, str) for t in doc):
            return list(doc)
        raise ValueError(f"PolicyTfidfVectorizer: {where} is a {type(doc).__name__}; "
                         "expected a string, a spaCy Doc or a list of token strings")

    def build_analyzer(self) -> Callable[[Any], list[str]]:
        """The callable that turns one document into its features: content tokens, then word
        n-grams of ``ngram_range`` (joined by a space)."""
        low, high = self.ngram_range

        def analyze(doc: Any) -> list[str]:
            tokens = self._doc_tokens(doc)
            if (low, high) == (1, 1):
                return tokens
            return [" ".join(tokens[i:i + n]) for n in range(low, high + 1) for i in range(len(tokens) - n + 1)]

        return analyze

    def tokenize_documents(self, raw_documents: Iterable[Any]) -> list[list[str]]:
        """Every document as its list of content tokens (new strings are tagged in one batch)."""
        return [self._doc_tokens(d, f"document {i}") for i, d in enumerate(self._check_documents(raw_documents))]

    def _check_documents(self, raw_documents: Any) -> list:
        if isinstance(raw_documents, str) or _is_doc(raw_documents):
            raise ValueError("PolicyTfidfVectorizer: expected an iterable of documents, got a single document")
        docs = list(raw_documents)
        for i, d in enumerate(docs):
            if not (isinstance(d, str) or _is_doc(d) or (isinstance(d, (list, tuple)) and all(isinstance(t, str) for t in d))):
                raise ValueError(f"PolicyTfidfVectorizer: document {i} is a {type(d).__name__}; "
                                 "expected a string, a spaCy Doc or a list of token strings")
        strings = [d for d in docs if isinstance(d, str)]
        if strings:  # tag the new texts in one batch
            memo, key = self._memo(), _pipeline_key(self.pipeline)
            todo = list(dict.fromkeys(t for t in strings if (key, hashlib.sha1(t.encode("utf-8")).hexdigest()) not in memo))
            for text, doc in zip(todo, self._language().pipe(todo)):
                memo[(key, hashlib.sha1(text.encode("utf-8")).hexdigest())] = doc
        return docs

    # -- estimator API ---------------------------------------------------------------------
    def fit(self, raw_documents: Iterable[Any], y: Any = None) -> "PolicyTfidfVectorizer":
        """Learn vocabulary and IDF from strings, Docs or token lists."""
        return super().fit(self._check_documents(raw_documents), y)

    def fit_transform(self, raw_documents: Iterable[Any], y: Any = None):
        """Learn vocabulary and IDF, return the document-term matrix."""
        return super().fit_transform(self._check_documents(raw_documents), y)

    def transform(self, raw_documents: Iterable[Any]):
        """Document-term matrix of new documents."""
        return super().transform(self._check_documents(raw_documents))

    def __sklearn_clone__(self) -> "PolicyTfidfVectorizer":
        """An unfitted copy with the same parameters that shares this one's memo of tagged texts
        (and a ``Language`` given as ``pipeline``, which cannot be deep-copied)."""
        from sklearn.base import clone

        params = self.get_params(deep=False)
        pipeline = params.pop("pipeline")
        copy = type(self)(pipeline=pipeline, **{k: clone(v, safe=False) for k, v in params.items()})
        copy.__dict__["_tagged"] = self._memo()
        return copy

    def __getstate__(self) -> dict:
        if not (self.pipeline is None or isinstance(self.pipeline, (str, os.PathLike))):
            raise TypeError("PolicyTfidfVectorizer: a vectorizer holding a spaCy Language cannot be pickled; "
                            "save the pipeline (nlp.to_disk(path)) and pass pipeline=path")
        state = dict(super().__getstate__())  # a copy: the base may return __dict__ itself
        state.pop("_tagged", None)  # tagged Docs are a memo, rebuilt when needed
        return state


def _pipeline_key(pipeline: Any) -> str:
    """What identifies a pipeline in the memo: its path, the default, or the object."""
    if pipeline is None:
        return "default"
    if isinstance(pipeline, (str, os.PathLike)):
        return f"path:{os.fspath(pipeline)}"
    return f"object:{id(pipeline)}"


def _is_doc(obj: Any) -> bool:
    """Whether obj is a spaCy Doc (without importing spaCy)."""
    return loaded_instance(obj, "spacy.tokens", "Doc")


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
