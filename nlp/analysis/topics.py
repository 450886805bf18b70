"""Topic models (NMF or LDA from scikit-learn) over sections or paragraphs, scored by NPMI
coherence, with the number of topics chosen by coherence.

>>> model = TopicModel(method="nmf", random_state=0).fit(paragraph_token_lists)
>>> model.n_topics_, model.coherence_, model.topics_table()
>>> model.transform(section_token_lists)        # topic mix, rows sum to 1
"""

from __future__ import annotations

import math
from typing import Any, Iterable, Sequence

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import CountVectorizer

from .tfidf import PolicyTfidfVectorizer

__all__ = ["TopicModel", "TopicModelError", "npmi_coherence", "TOPIC_COLUMNS", "MIX_COLUMNS", "SELECTION_COLUMNS"]

TOPIC_COLUMNS = ["method", "topic", "label", "coherence", "rank", "term", "weight"]
MIX_COLUMNS = ["document", "section", "topic", "label", "weight"]
SELECTION_COLUMNS = ["method", "n_topics", "coherence", "chosen"]


class TopicModelError(ValueError):
    """The texts cannot support a topic model (too few texts or words)."""


def npmi_coherence(top_term_ids: Sequence[Sequence[int]], binary) -> np.ndarray:
    """Mean NPMI of every pair of a topic's top terms, by co-occurrence in the rows of ``binary``
    (a texts × terms 0/1 matrix). A pair never seen together scores -1. One value per topic."""
    from scipy import sparse

    binary = sparse.csc_matrix(binary)
    n = binary.shape[0]
    out = []
    for ids in top_term_ids:
        ids = list(ids)
        sub = binary[:, ids]
        co = (sub.T @ sub).toarray().astype(float)
        p = np.diag(co) / n
        scores = []
        for i in range(len(ids)):
            for j in range(i + 1, len(ids)):
                pij = co[i, j] / n
                if pij <= 0:
                    scores.append(-1.0)
                elif pij >= 1.0:
                    scores.append(1.0)
                else:
                    scores.append(math.log(pij / (p[i] * p[j])) / -math.log(pij))
        out.append(float(np.mean(scores)) if scores else 0.0)
    return np.array(out)


class TopicModel(BaseEstimator):
    """NMF (on TF-IDF) or LDA (on counts) topics of token lists, strings or Docs.

    ``n_topics=None`` tries every k in ``k_range`` (inclusive, capped by the data) and keeps
    the one with the highest mean NPMI coherence (ties: the smaller k). Deterministic for a
    given ``random_state``.

    Fitted attributes: ``n_topics_``, ``topics_`` (the :meth:`topics_table` DataFrame),
    ``coherence_`` (per topic), ``coherence_by_k_``
    ({k: mean coherence}), ``labels_`` (top ``label_terms`` terms joined by "·"),
    ``top_terms_`` (list of (term, weight) lists), ``feature_names_``, ``model_``,
    ``vectorizer_``, ``doc_topic_`` (the fitted texts' topic mix, rows sum to 1).
    """

    def __init__(
        self,
        method: str = "nmf",
        n_topics: int | None = None,
        k_range: tuple[int, int] = (4, 12),
        random_state: int = 0,
        top_n: int = 10,
        label_terms: int = 3,
        min_df: int | float = 2,
        max_df: int | float = 0.5,
        max_features: int | None = 5000,
        max_iter: int | None = None,
    ) -> None:
        self.method = method
        self.n_topics = n_topics
        self.k_range = k_range
        self.random_state = random_state
        self.top_n = top_n
        self.label_terms = label_terms
        self.min_df = min_df
        self.max_df = max_df
        self.max_features = max_features
        self.max_iter = max_iter

    # -- helpers ---------------------------------------------------------------------------
    def _vectorizer(self):
        if self.method == "nmf":
            return PolicyTfidfVectorizer(min_df=self.min_df, max_df=self.max_df, max_features=self.max_features,
                                         sublinear_tf=True)
        return CountVectorizer(analyzer=list, min_df=self.min_df, max_df=self.max_df,
                               max_features=self.max_features, lowercase=False)

    def _estimator(self, k: int):
        if self.method == "nmf":
            from sklearn.decomposition import NMF

            return NMF(n_components=k, init="custom", random_state=self.random_state, max_iter=self.max_iter or 300,
                       tol=1e-3)
        from sklearn.decomposition import LatentDirichletAllocation

        return LatentDirichletAllocation(n_components=k, random_state=self.random_state, learning_method="batch",
                                         max_iter=self.max_iter or 30)

    def _tokens(self, texts: Iterable[Any]) -> list[list[str]]:
        if isinstance(texts, str):
            raise TopicModelError("TopicModel: expected an iterable of texts, got a single string")
        tokenizer = getattr(self, "_tokenizer", None)
        if tokenizer is None:
            tokenizer = self._tokenizer = PolicyTfidfVectorizer()  # runs the pipeline only for strings
        return tokenizer.tokenize_documents(texts)

    def _top(self, components: np.ndarray) -> list[list[int]]:
        # feature names are sorted, so a stable sort breaks ties by term
        return [[int(j) for j in np.argsort(-np.round(row, 12), kind="stable")[: self.top_n]] for row in components]

    # -- fitting ---------------------------------------------------------------------------
    def fit(self, texts: Iterable[Any], y: Any = None) -> "TopicModel":
        """Fit on texts (token lists, strings or Docs), choosing the number of topics if not given."""
        if self.method not in ("nmf", "lda"):
            raise TopicModelError(f"TopicModel: method must be 'nmf' or 'lda', got {self.method!r}")
        tokens = self._tokens(texts)
        if len([t for t in tokens if t]) < 2:
            raise TopicModelError(f"TopicModel: need at least 2 non-empty texts, got {len([t for t in tokens if t])}")
        vec = self._vectorizer()
        try:
            matrix = vec.fit_transform(tokens)
        except ValueError as err:  # e.g. no term left after min_df/max_df
            raise TopicModelError(f"TopicModel: {err}") from None
        self.vectorizer_ = vec
        self.feature_names_ = [str(f) for f in vec.get_feature_names_out()]
        binary = (matrix > 0).astype(np.int32)
        n_texts, n_terms = matrix.shape
        cap = max(1, min(n_texts - 1, n_terms - 1))
        if self.n_topics is not None:
            if self.n_topics < 1:
                raise TopicModelError(f"TopicModel: n_topics must be at least 1, got {self.n_topics}")
            ks = [min(self.n_topics, cap)]
        else:
            lo, hi = self.k_range
            if lo < 1 or hi < lo:
                raise TopicModelError(f"TopicModel: k_range must be (low, high) with 1 <= low <= high, got {self.k_range}")
            ks = list(range(min(lo, cap), min(hi, cap) + 1))
        best = None
        self.coherence_by_k_ = {}
        svd = None
        if self.method == "nmf":  # one SVD serves the NNDSVD start of every k
            from sklearn.utils.extmath import randomized_svd

            svd = randomized_svd(matrix, max(ks), random_state=self.random_state)
        for k in ks:
            model = self._estimator(k)
            if svd is not None:
                W, H = _nndsvd(*svd, k)
                doc_topic = model.fit_transform(matrix, W=W, H=H)
            else:
                doc_topic = model.fit_transform(matrix)
            components = model.components_
            coherence = npmi_coherence(self._top(components), binary)
            mean = round(float(coherence.mean()), 6)
            self.coherence_by_k_[k] = mean
            if best is None or mean > best[0]:
                best = (mean, k, model, doc_topic, coherence)
        _, k, model, doc_topic, coherence = best
        self.n_topics_ = k
        self.model_ = model
        self.coherence_ = coherence
        self.doc_topic_ = _normalize(doc_topic)
        weights = model.components_ / np.maximum(model.components_.sum(axis=1, keepdims=True), 1e-12)
        self.top_terms_ = [[(self.feature_names_[j], float(weights[t, j])) for j in ids]
                           for t, ids in enumerate(self._top(model.components_))]
        self.labels_ = ["·".join(term for term, _ in terms[: self.label_terms]) for terms in self.top_terms_]
        self.topics_ = self.topics_table()
        return self

    def transform(self, texts: Iterable[Any]) -> np.ndarray:
        """Topic mix of texts: one row per text, summing to 1 (all zeros for a text with no known word)."""
        tokens = self._tokens(texts)
        return _normalize(self.model_.transform(self.vectorizer_.transform(tokens)))

    def fit_transform(self, texts: Iterable[Any], y: Any = None) -> np.ndarray:
        """Fit, then the topic mix of the fitted texts."""
        return self.fit(texts).doc_topic_

    # -- tables ----------------------------------------------------------------------------
    def topics_table(self) -> pd.DataFrame:
        """One row per (topic, rank): columns :data:`TOPIC_COLUMNS` (topics numbered from 1)."""
        rows = []
        for t, terms in enumerate(self.top_terms_):
            for rank, (term, weight) in enumerate(terms, 1):
                rows.append((self.method, t + 1, self.labels_[t], round(float(self.coherence_[t]), 6), rank, term,
                             round(weight, 6)))
        return pd.DataFrame(rows, columns=TOPIC_COLUMNS)

    def selection_table(self) -> pd.DataFrame:
        """Mean coherence of every number of topics tried: columns :data:`SELECTION_COLUMNS`."""
        return pd.DataFrame([(self.method, k, c, k == self.n_topics_) for k, c in self.coherence_by_k_.items()],
                            columns=SELECTION_COLUMNS)

    def mix_table(self, mix: np.ndarray, labels: Sequence[tuple[str, str]]) -> pd.DataFrame:
        """A topic-mix matrix as rows (document, section, topic, label, weight) for the given labels."""
        rows = []
        for (document, section), row in zip(labels, mix):
            for t, w in enumerate(row):
                rows.append((document, section, t + 1, self.labels_[t], round(float(w), 6)))
        return pd.DataFrame(rows, columns=MIX_COLUMNS)

    def __getstate__(self) -> dict:
        state = dict(super().__getstate__())  # a copy: the base may return __dict__ itself
        state.pop("_tokenizer", None)
        return state


def _nndsvd(U: np.ndarray, S: np.ndarray, V: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """NNDSVD start (Boutsidis & Gallopoulos 2008) for k components from a precomputed SVD."""
    W = np.zeros((U.shape[0], k))
    H = np.zeros((k, V.shape[1]))
    W[:, 0] = np.sqrt(S[0]) * np.abs(U[:, 0])
    H[0, :] = np.sqrt(S[0]) * np.abs(V[0, :])
    for j in range(1, k):
        x, y = U[:, j], V[j, :]
        xp, yp, xn, yn = np.maximum(x, 0), np.maximum(y, 0), np.abs(np.minimum(x, 0)), np.abs(np.minimum(y, 0))
        mp = np.linalg.norm(xp) * np.linalg.norm(yp)
        mn = np.linalg.norm(xn) * np.linalg.norm(yn)
        u, v, sigma = (xp, yp, mp) if mp > mn else (xn, yn, mn)
        nu, nv = np.linalg.norm(u), np.linalg.norm(v)
        if nu == 0 or nv == 0:
            continue
        lbd = np.sqrt(S[j] * sigma)
        W[:, j] = lbd * u / nu
        H[j, :] = lbd * v / nv
    eps = 1e-6
    W[W < eps] = 0
    H[H < eps] = 0
    return W, H


def _normalize(matrix: np.ndarray) -> np.ndarray:
    matrix = np.asarray(matrix, dtype=float)
    sums = matrix.sum(axis=1, keepdims=True)
    return np.divide(matrix, sums, out=np.zeros_like(matrix), where=sums > 0)
