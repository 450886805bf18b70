"""Comparison of several documents (e.g. reports of successive years): how often each policy
term and keyword occurs per 10,000 characters, and which terms are new or dropped.

Documents form *series* by region (``doc._.meta["region"]``), ordered by year then name; when
no region has two documents, all documents form one series. "New" and "dropped" compare each
document with the previous one in its series.
"""

from __future__ import annotations

import warnings
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Sequence

import pandas as pd

if TYPE_CHECKING:  # spaCy is only needed for type hints here
    from spacy.tokens import Doc

from .tokens import TERMS_KEY, Tok, default_stopwords, doc_name, doc_tokens, text_of

__all__ = [
    "TREND_COLUMNS",
    "CHANGE_COLUMNS",
    "DocInfo",
    "doc_info",
    "series_of",
    "trends_table",
    "changes_table",
]

TREND_COLUMNS = ["series", "document", "year", "kind", "term", "count", "per_10k"]
CHANGE_COLUMNS = ["series", "document", "year", "previous_document", "previous_year", "kind", "term", "change",
                  "count", "previous_count"]


@dataclass(frozen=True)
class DocInfo:
    """What the comparison needs to know of one document."""

    name: str
    year: int | None
    region: str
    characters: int


def doc_info(doc: Doc, name: str | None = None, index: int = 0) -> DocInfo:
    """Name, year, region and length of a processed document."""
    meta = (doc._.meta or {}) if doc.has_extension("meta") else {}
    year = meta.get("year")
    return DocInfo(name or doc_name(doc, index), int(year) if year is not None else None, str(meta.get("region") or ""),
                   len(text_of(doc)))


def series_of(infos: Sequence[DocInfo]) -> dict[str, list[int]]:
    """Series name -> indexes of its documents, ordered by (year, name); see the module doc."""
    groups: dict[str, list[int]] = {}
    for i, info in enumerate(infos):
        groups.setdefault(info.region, []).append(i)
    if not any(len(v) > 1 for v in groups.values()):
        groups = {"all": list(range(len(infos)))}
    key = lambda i: (infos[i].year is None, infos[i].year or 0, infos[i].name)  # noqa: E731
    return {name: sorted(idx, key=key) for name, idx in sorted(groups.items())}


def _counts(doc: Doc, tokens: Sequence[Tok]) -> tuple[Counter[str], Counter[str]]:
    """(policy-term counts by canonical form, word counts) of one document."""
    terms: Counter[str] = Counter()
    if TERMS_KEY in doc.spans:
        terms.update((s._.canonical if s.has_extension("canonical") else None) or s.text for s in doc.spans[TERMS_KEY])
    words = Counter(t.text for t in tokens if t.kind == "word")
    return terms, words


def trends_table(
    docs: Sequence[Doc],
    names: Sequence[str] | None = None,
    *,
    keywords: Iterable[str] = (),
    tokens: Sequence[Sequence[Tok]] | None = None,
) -> pd.DataFrame:
    """Frequency per 10,000 characters of every policy term (kind ``term``) and of each given
    keyword (kind ``keyword``) in every document, zeros included.

    Columns :data:`TREND_COLUMNS`; rows by series, document (in series order), kind, term.
    """
    names = list(names) if names is not None else [doc_name(d, i) for i, d in enumerate(docs)]
    toks = list(tokens) if tokens is not None else [doc_tokens(d) for d in docs]
    infos = [doc_info(d, n, i) for i, (d, n) in enumerate(zip(docs, names))]
    counted = [_counts(d, t) for d, t in zip(docs, toks)]
    all_terms = sorted(set().union(*(c[0] for c in counted)))
    term_set = set(all_terms)
    kw = sorted({k for k in keywords if k not in term_set})
    if tokens is None:
        stopped = [k for k in kw if k in default_stopwords()]
        if stopped:
            warnings.warn(
                f"trends_table: {'、'.join(stopped)} are stop words and always count 0; pass tokens made "
                "with doc_tokens(doc, stopwords=...) to count them",
                UserWarning,
                stacklevel=2,
            )
    rows = []
    for series, idx in series_of(infos).items():
        for i in idx:
            info, (terms, words) = infos[i], counted[i]
            for kind, vocab, counter in (("term", all_terms, terms), ("keyword", kw, words)):
                for term in vocab:
                    n = counter.get(term, 0)
                    rows.append((series, info.name, info.year, kind, term, n,
                                 round(n * 10000 / info.characters, 4) if info.characters else 0.0))
    table = pd.DataFrame(rows, columns=TREND_COLUMNS)
    table["year"] = table["year"].astype("Int64")
    return table


def changes_table(trends: pd.DataFrame) -> pd.DataFrame:
    """Terms new in a document (absent from the previous one of its series) and terms dropped
    (present in the previous one, absent now), from a :func:`trends_table`.

    Columns :data:`CHANGE_COLUMNS`; ``change`` is ``new`` or ``dropped``.
    """
    rows = []
    for series, part in trends.groupby("series", sort=True):
        order = list(dict.fromkeys(part["document"]))
        by_doc = {d: g for d, g in part.groupby("document", sort=False)}
        for prev, cur in zip(order, order[1:]):
            a = by_doc[prev].set_index(["kind", "term"])
            b = by_doc[cur].set_index(["kind", "term"])
            year = b["year"].iloc[0]
            prev_year = a["year"].iloc[0]
            for (kind, term), count in b["count"].items():
                before = int(a["count"].get((kind, term), 0))
                if count > 0 and before == 0:
                    rows.append((series, cur, year, prev, prev_year, kind, term, "new", int(count), 0))
                elif count == 0 and before > 0:
                    rows.append((series, cur, year, prev, prev_year, kind, term, "dropped", 0, before))
    table = pd.DataFrame(rows, columns=CHANGE_COLUMNS)
    for col in ("year", "previous_year"):
        table[col] = table[col].astype("Int64")
    if not table.empty:
        rank = {"new": 0, "dropped": 1, **{d: i for i, d in enumerate(dict.fromkeys(trends["document"]))}}
        table = table.sort_values(["series", "document", "change", "kind", "count", "previous_count", "term"],
                                  key=lambda s: s.map(rank) if s.name in ("change", "document") else s,
                                  kind="mergesort",
                                  ascending=[True, True, True, True, False, False, True])
        table = table.reset_index(drop=True)
    return table
