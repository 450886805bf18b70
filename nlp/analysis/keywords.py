"""Keywords per document and per section: TF-IDF against jieba's background IDF table (and
the corpus's own IDF when there are several documents) and TextRank.

Policy terms and numbers are single tokens; numbers, punctuation, stop words and single
characters never rank. Scores are rounded to 6 decimals and ties broken by the keyword, so
the same input gives the same table.

>>> from nlp.analysis.keywords import extract_keywords
>>> extract_keywords(doc, method="tfidf", top=20)          # DataFrame rank, keyword, score, is_term
>>> keywords_table(docs, top=20)                             # every document and section
"""

from __future__ import annotations

import heapq
import importlib.util
import marshal
import math
import os
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # spaCy is only needed for type hints here
    from spacy.tokens import Doc

from .tokens import Tok, default_stopwords, doc_name, doc_tokens, labelled_units, token_range, words

__all__ = [
    "KEYWORD_COLUMNS",
    "METHODS",
    "IDFError",
    "BackgroundIDF",
    "background_idf",
    "jieba_idf_path",
    "tfidf_scores",
    "textrank_scores",
    "corpus_idf",
    "extract_keywords",
    "keywords_table",
]

KEYWORD_COLUMNS = ["document", "section", "method", "rank", "keyword", "score"]
#: tfidf: background IDF; tfidf_corpus: background × corpus IDF (several documents); textrank
METHODS = ("tfidf", "tfidf_corpus", "textrank")


class IDFError(ValueError):
    """An IDF table cannot be read."""


def jieba_idf_path() -> Path:
    """The ``idf.txt`` shipped inside jieba's ``analyse`` package (found without importing it)."""
    spec = importlib.util.find_spec("jieba.analyse")
    if spec is None or not spec.submodule_search_locations:
        raise IDFError("jieba.analyse: package not found; cannot locate jieba's idf.txt")
    return Path(list(spec.submodule_search_locations)[0]) / "idf.txt"


#: IDF given to words missing from the table: about that of a specific two-character word
#: (跨境 8.1, 知识产权 8.3). jieba's own median (11.95) lets every unknown fragment outrank
#: 集成电路 (8.6), and most unknown words are the segmenter's HMM guesses (四是, 请予, 号线).
UNKNOWN_IDF = 8.0
#: IDF given to policy terms (at least): about jieba's median, above most ordinary words.
TERM_IDF = 12.0


@dataclass(frozen=True)
class BackgroundIDF:
    """A word -> IDF table with the IDF of unknown words and of policy terms."""

    table: Mapping[str, float]
    median: float
    unknown: float = UNKNOWN_IDF
    term: float = TERM_IDF

    def __getitem__(self, word: str) -> float:
        return self.table.get(word, self.unknown)

    def of(self, word: str, is_term: bool = False) -> float:
        """The IDF of ``word``; a policy term gets at least :attr:`term`."""
        value = self.table.get(word, self.unknown)
        return max(value, self.term) if is_term else value

    @classmethod
    def from_file(cls, path: str | os.PathLike) -> "BackgroundIDF":
        """Read ``word idf`` lines (jieba's format)."""
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError) as err:
            raise IDFError(f"{path}: cannot read IDF table ({err})") from None
        parts = text.split()
        lines = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
        if len(parts) % 2 or len(parts) != 2 * lines:
            bad = next((l for l in text.splitlines() if len(l.split()) != 2), "")
            raise IDFError(f"{path}: every line must be 'word idf', got {bad.strip()!r}")
        try:
            table = dict(zip(parts[0::2], map(float, parts[1::2])))
        except ValueError as err:
            raise IDFError(f"{path}: bad IDF value ({err})") from None
        if not table:
            raise IDFError(f"{path}: IDF table is empty")
        return cls(table, float(np.median(np.fromiter(table.values(), dtype=float))))


@lru_cache(maxsize=4)
def background_idf(path: str | None = None) -> BackgroundIDF:
    """jieba's IDF table (or another file in its format), read once per process.

    The parsed table is cached (marshal, keyed by the file's path, size and mtime) in the
    private policy-nlp cache folder, which makes later processes start faster.
    """
    from ..cache import cache_file, file_stamp, load_cached, store_cached

    source = Path(path or jieba_idf_path())
    try:
        cached = cache_file("idf", file_stamp(source), ".marshal")
    except OSError:
        cached = None  # a missing file: from_file says so
    parsed = load_cached(cached, marshal.loads) if cached is not None else None
    if isinstance(parsed, tuple) and len(parsed) == 2:
        return BackgroundIDF(*parsed)
    idf = BackgroundIDF.from_file(source)
    if cached is not None:
        store_cached(cached, marshal.dumps((dict(idf.table), idf.median)))
    return idf


# -- scoring ---------------------------------------------------------------------------
def tfidf_scores(
    items: Sequence[tuple[str, bool]],
    *,
    idf: BackgroundIDF | None = None,
    corpus: Mapping[str, float] | None = None,
    sublinear_tf: bool = True,
    idf_power: float = 2.0,
) -> dict[str, float]:
    """``(word, is_term)`` tokens -> TF-IDF score of each distinct word.

    tf is ``1 + ln(count)`` (``sublinear_tf``) or the count; the background IDF is raised to
    ``idf_power`` (which favours specific words over frequent generic ones); ``corpus`` is an
    extra per-word factor (the corpus IDF).
    """
    idf = idf or background_idf()
    counts = Counter(w for w, _ in items)  # insertion order = first appearance
    terms = {w for w, t in items if t}
    out = {}
    for word, count in counts.items():
        tf = 1.0 + math.log(count) if sublinear_tf else float(count)
        score = tf * idf.of(word, word in terms) ** idf_power
        if corpus is not None:
            score *= corpus.get(word, 1.0)
        out[word] = score
    return out


def corpus_idf(token_lists: Sequence[Iterable[str]]) -> dict[str, float]:
    """Smoothed corpus IDF ``ln((1+N)/(1+df)) + 1`` of every word over the given documents."""
    n = len(token_lists)
    df: Counter[str] = Counter()
    for tokens in token_lists:
        df.update(set(tokens))
    return {w: math.log((1 + n) / (1 + d)) + 1.0 for w, d in df.items()}


def textrank_scores(
    sequences: Sequence[Sequence[tuple[str, bool]]],
    *,
    window: int = 5,
    damping: float = 0.85,
    idf: BackgroundIDF | None = None,
    idf_power: float = 3.0,
    iterations: int = 100,
    tol: float = 1e-9,
) -> dict[str, float]:
    """IDF-weighted TextRank: PageRank over the co-occurrence graph of words within ``window``.

    Each sequence (a paragraph) is windowed separately; edges are weighted by co-occurrence
    counts. The random jump goes to each word in proportion to its background IDF **
    ``idf_power`` and the final score is PageRank × IDF ** ``idf_power``, normalized to a
    maximum of 1 (plain TextRank with ``idf_power=0``). Deterministic: nodes in order of
    first appearance, power iteration to a fixed tolerance.
    """
    idf = idf or background_idf()
    index: dict[str, int] = {}
    terms: set[str] = set()
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    for seq in sequences:
        ids = np.fromiter((index.setdefault(word, len(index)) for word, _ in seq), dtype=np.int64, count=len(seq))
        terms.update(word for word, is_term in seq if is_term)
        for d in range(1, window):  # pairs d tokens apart, both directions
            a, b = ids[:-d], ids[d:]
            keep = a != b
            rows += [a[keep], b[keep]]
            cols += [b[keep], a[keep]]
    n = len(index)
    if n == 0:
        return {}
    # the weighted co-occurrence graph as edge lists (numpy only: no sparse-matrix library to load)
    edges = np.concatenate(rows) * n + np.concatenate(cols) if rows else np.zeros(0, dtype=np.int64)
    edges, counts = np.unique(edges, return_counts=True)
    source, target = edges // n, edges % n
    out_sum = np.bincount(source, weights=counts, minlength=n)
    dangling = out_sum == 0
    scale = np.divide(1.0, out_sum, out=np.zeros(n), where=~dangling)
    share = counts * scale[source]  # the part of a node's rank each out-edge passes on
    prior = np.array([idf.of(w, w in terms) ** idf_power for w in index])
    jump = prior / prior.sum()
    rank = np.full(n, 1.0 / n)
    for _ in range(iterations):
        passed = np.bincount(target, weights=share * rank[source], minlength=n)
        new = damping * (passed + rank[dangling].sum() * jump) + (1 - damping) * jump
        done = np.abs(new - rank).sum() < tol
        rank = new
        if done:
            break
    score = rank * prior
    score = score / score.max()
    return {w: float(score[i]) for w, i in index.items()}


def _ranked(scores: Mapping[str, float], top: int | None) -> list[tuple[str, float]]:
    """(word, score) by score; ties keep the order of first appearance (scores' insertion order)."""
    items = [(-round(s, 6), i, w) for i, (w, s) in enumerate(scores.items())]
    best = heapq.nsmallest(top, items) if top is not None else sorted(items)
    return [(w, -s + 0.0) for s, _, w in best]


# -- per document / section ------------------------------------------------------------
def _items(tokens: Sequence[Tok], start: int = 0, end: int | None = None) -> list[tuple[str, bool]]:
    return [(t.text, t.kind == "term") for t in token_range(tokens, start, end) if t.kind in ("word", "term")]


def _paragraph_items(tokens: Sequence[Tok], start: int = 0, end: int | None = None) -> list[list[tuple[str, bool]]]:
    """Word/term items per line (paragraph) within ``[start, end)``; punctuation does not break windows."""
    seqs: list[list[tuple[str, bool]]] = [[]]
    for t in token_range(tokens, start, end):
        if t.kind == "break":
            seqs.append([])
        elif t.kind in ("word", "term"):
            seqs[-1].append((t.text, t.kind == "term"))
    return [s for s in seqs if s]


def _score(method: str, doc: Doc, tokens: Sequence[Tok], start: int, end: int | None, *, idf: BackgroundIDF,
           corpus: Mapping[str, float] | None, window: int) -> dict[str, float]:
    if method == "textrank":
        return textrank_scores(_paragraph_items(tokens, start, end), idf=idf, window=window)
    if method == "tfidf":
        return tfidf_scores(_items(tokens, start, end), idf=idf)
    if method == "tfidf_corpus":
        return tfidf_scores(_items(tokens, start, end), idf=idf, corpus=corpus or {})
    raise ValueError(f"unknown keyword method {method!r}; known: {list(METHODS)}")


def extract_keywords(
    doc: Doc,
    *,
    method: str = "tfidf",
    top: int = 20,
    stopwords: Iterable[str] | None = None,
    idf: BackgroundIDF | None = None,
    window: int = 5,
    tokens: Sequence[Tok] | None = None,
) -> pd.DataFrame:
    """The top keywords of one document: columns rank, keyword, score, is_term."""
    if method not in ("tfidf", "textrank"):
        raise ValueError(f"extract_keywords: method must be 'tfidf' or 'textrank', got {method!r}")
    toks = tokens if tokens is not None else doc_tokens(doc, stopwords=stopwords)
    terms = {t.text for t in toks if t.kind == "term"}
    ranked = _ranked(_score(method, doc, toks, 0, None, idf=idf or background_idf(), corpus=None, window=window), top)
    return pd.DataFrame(
        [{"rank": i, "keyword": w, "score": s, "is_term": w in terms} for i, (w, s) in enumerate(ranked, 1)],
        columns=["rank", "keyword", "score", "is_term"],
    )


def keywords_table(
    docs: Sequence[Doc],
    names: Sequence[str] | None = None,
    *,
    top: int = 20,
    section_top: int = 10,
    methods: Sequence[str] | None = None,
    sections: bool = True,
    max_level: int = 2,
    stopwords: Iterable[str] | None = None,
    idf: BackgroundIDF | None = None,
    window: int = 5,
    tokens: Sequence[Sequence[Tok]] | None = None,
) -> pd.DataFrame:
    """Keywords of every document (section "") and of every section unit, for each method.

    Columns :data:`KEYWORD_COLUMNS`; rows by document, then section in text order (the
    document row first), method, rank. ``methods`` defaults to tfidf and textrank, plus
    tfidf_corpus when there are several documents.
    """
    names = list(names) if names is not None else [doc_name(d, i) for i, d in enumerate(docs)]
    if methods is None:
        methods = ["tfidf", "textrank"] + (["tfidf_corpus"] if len(docs) > 1 else [])
    unknown = [m for m in methods if m not in METHODS]
    if unknown:
        raise ValueError(f"keywords_table: unknown method(s) {unknown}; known: {list(METHODS)}")
    idf = idf or background_idf()
    stops = default_stopwords() if stopwords is None else frozenset(stopwords)
    all_tokens = list(tokens) if tokens is not None else [doc_tokens(d, stopwords=stops) for d in docs]
    corpus = corpus_idf([words(t) for t in all_tokens]) if "tfidf_corpus" in methods else None
    rows = []
    for doc, name, toks in zip(docs, names, all_tokens):
        units: list[tuple[str, int, int | None, int]] = [("", 0, None, top)]
        if sections:  # the same title twice in one document: the repeats are numbered
            units += [(label, u.start, u.end, section_top) for label, u in labelled_units(doc, max_level)]
        for label, start, end, k in units:
            for method in methods:
                scores = _score(method, doc, toks, start, end, idf=idf, corpus=corpus, window=window)
                for rank, (word, score) in enumerate(_ranked(scores, k), 1):
                    rows.append((name, label, method, rank, word, score))
    return pd.DataFrame(rows, columns=KEYWORD_COLUMNS)

