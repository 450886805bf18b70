"""Term discovery: rank candidate new policy terms that the lexicon lacks.

Statistics over character n-grams (2–8 characters, never across punctuation) of the documents:
frequency, cohesion (the weakest pointwise mutual information over the n-gram's split points),
boundary freedom (left/right branching entropy), spread across documents and how often the
n-gram is quoted (“…”). :func:`accept_candidates` appends accepted terms to a user lexicon.
"""

from __future__ import annotations

import json
import math
import os
import re
import tempfile
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping, Sequence, Union

import pandas as pd

from nlp.pipeline.normalize import normalize_view
from nlp.pipeline.terms.lexicon import (
    LABELS,
    LexiconEntry,
    LexiconError,
    load_generic_words,
    load_lexicon,
    parse_entries,
    shipped_generic_words_path,
    shipped_lexicon_path,
    strip_quotes,
)
from nlp.pipeline.terms.rules import guess_label

__all__ = ["discover_terms", "accept_candidates", "COLUMNS"]

COLUMNS = [
    "term",
    "score",
    "freq",
    "doc_freq",
    "cohesion",
    "left_entropy",
    "right_entropy",
    "quoted",
    "label",
    "examples",
]
_SEGMENT = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fffA-Za-z0-9+.\-]+")
_QUOTED = re.compile(r"“([^“”\n]{2,16})”")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# Characters that never start or end a term (function words and particles).
_BAD_EDGE = frozenset("的了和在是等与及对把将为也并以之其从向于或而被让使给由到就都很更又再还才这那各每该此")
_BAD_START = frozenset("上下中里内外后前年月日个项条家次种些")
_BAD_END = frozenset("上下中里内外以着过地得要")
_EDGE = "\x00"  # a segment boundary as a neighbour: every occurrence counts as a distinct one

TextsOrDocs = Iterable[Union[str, object]]


def _texts(items: TextsOrDocs) -> list[str]:
    out = []
    for item in items:
        text = item if isinstance(item, str) else getattr(item, "text", None)
        if not isinstance(text, str):
            raise ValueError(f"discover_terms: expected str or spaCy Doc, got {type(item).__name__}")
        out.append(text)
    return out


def _lexicon_forms(lexicon) -> set[str]:
    if lexicon is None:
        path = shipped_lexicon_path()
        entries = load_lexicon(path) if path.exists() else []
    elif isinstance(lexicon, (str, Path)):
        entries = load_lexicon(lexicon)
    else:
        entries = parse_entries(lexicon)
    return {normalize_view(strip_quotes(f)) for e in entries for f in e.forms()}


@lru_cache(maxsize=1)
def _dictionary() -> tuple[dict[str, int], dict[str, str], int]:
    """jieba's general dictionary, read from its file: (word -> frequency, word -> POS tag, longest)."""
    import jieba

    freq: dict[str, int] = {}
    tags: dict[str, str] = {}
    path = Path(jieba.__file__).parent / "dict.txt"
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) >= 2:
                freq[parts[0]] = int(parts[1])
                if len(parts) > 2:
                    tags[parts[0]] = parts[2]
    return freq, tags, max(map(len, freq), default=1)


def _pieces(gram: str, freq: Mapping[str, int], longest: int) -> list[str]:
    """Split ``gram`` into dictionary words, longest match first from the left."""
    out, i = [], 0
    while i < len(gram):
        for j in range(min(len(gram), i + longest), i, -1):
            if j - i == 1 or freq.get(gram[i:j], 0) > 0:
                out.append(gram[i:j])
                i = j
                break
    return out


# POS tags of a first word that make a phrase, not a name: verbs, adverbs, pronouns, ...
_PHRASE_START_TAGS = frozenset({"v", "d", "r", "p", "c", "u", "ad", "vd", "a", "f", "q", "m", "t", "nr"})
_NUMBER = re.compile(r"[\d.]+[万亿千百]*[元个家人次件项户所座条倍%]*")


def _entropy(counts: Mapping[str, int], edges: int) -> float:
    total = sum(counts.values()) + edges
    if total <= 0:
        return 0.0
    h = -sum(c / total * math.log2(c / total) for c in counts.values())
    if edges:
        h += edges * (1 / total) * math.log2(total)  # each edge occurrence its own neighbour
    return h


def _example(text: str, view: str, term: str, width: int, limit: int) -> list[str]:
    out = []
    pos = view.find(term)
    while pos >= 0 and len(out) < limit:
        left = text[max(0, pos - width) : pos].replace("\n", " ")
        right = text[pos + len(term) : pos + len(term) + width].replace("\n", " ")
        out.append(f"…{left}【{text[pos : pos + len(term)]}】{right}…")
        pos = view.find(term, pos + len(term))
    return out


def discover_terms(
    texts: TextsOrDocs,
    *,
    lexicon: str | Path | Iterable[Mapping | LexiconEntry] | None = None,
    top: int = 50,
    min_freq: int = 3,
    min_len: int = 2,
    max_len: int = 8,
    stop_words: Iterable[str] | None = None,
    examples: int = 3,
) -> pd.DataFrame:
    """Rank candidate new terms in ``texts`` (strings or Docs) that the lexicon lacks.

    ``lexicon``: a lexicon file, entries, or None for the shipped lexicon (``[]`` for none).
    Returns at most ``top`` rows with the columns :data:`COLUMNS`, best first; ``examples``
    holds up to ``examples`` mentions in context (``…left【term】right…``).
    """
    docs = _texts(texts)
    if not docs:
        return pd.DataFrame(columns=COLUMNS)
    views = [normalize_view(t) for t in docs]
    known = _lexicon_forms(lexicon)
    stop = load_generic_words(shipped_generic_words_path())
    boiler = Path(shipped_generic_words_path()).parent.parent / "stopwords" / "policy_boilerplate.txt"
    stop |= load_generic_words(boiler) if boiler.exists() else set()
    stop |= set(stop_words or ())

    # n-gram counts per length (one longer than max_len, for the right/left neighbours)
    segments = [seg for v in views for seg in _SEGMENT.findall(v)]
    counts: dict[int, Counter] = {}
    for n in range(1, max_len + 2):
        counts[n] = Counter(seg[i : i + n] for seg in segments for i in range(len(seg) - n + 1))
    total_chars = sum(counts[1].values()) or 1
    quoted = Counter(normalize_view(m.group(1)) for v in views for m in _QUOTED.finditer(v))

    # candidates: frequent (or quoted twice), well-formed, not known, not generic
    cands: dict[str, int] = {}
    for n in range(min_len, max_len + 1):
        grams = {g: f for g, f in counts[n].items() if f >= min_freq}
        grams.update({g: counts[n][g] for g, q in quoted.items() if q >= 2 and len(g) == n and g in counts[n]})
        for gram, freq in grams.items():
            if gram in known or gram in stop or not _HAN.search(gram):
                continue
            if gram[0] in _BAD_EDGE or gram[-1] in _BAD_EDGE or gram[0] in _BAD_START or gram[-1] in _BAD_END:
                continue
            cands[gram] = freq

    # cohesion: the weakest association over the split points
    rows = []
    for gram, freq in cands.items():
        p = freq / total_chars
        cohesion = min(
            math.log2(p / ((counts[k][gram[:k]] / total_chars) * (counts[len(gram) - k][gram[k:]] / total_chars)))
            for k in range(1, len(gram))
        )
        if cohesion > 1.0:
            rows.append((gram, freq, cohesion))
    cands = {gram: freq for gram, freq, _ in rows}

    # neighbours of the candidates, from the (n+1)-gram counts
    right: dict[str, dict[str, int]] = {gram: {} for gram in cands}
    left: dict[str, dict[str, int]] = {gram: {} for gram in cands}
    for n in range(min_len + 1, max_len + 2):
        for gram, freq in counts[n].items():
            r = right.get(gram[:-1])
            if r is not None:
                r[gram[-1]] = r.get(gram[-1], 0) + freq
            lft = left.get(gram[1:])
            if lft is not None:
                lft[gram[0]] = lft.get(gram[0], 0) + freq

    n_docs = len(views)
    dictionary, tags, longest = _dictionary()
    empty: dict[str, int] = {}
    scored = []
    for gram, freq, cohesion in rows:
        r_counts, l_counts = right.get(gram, empty), left.get(gram, empty)
        r_ent = _entropy(r_counts, freq - sum(r_counts.values()))
        l_ent = _entropy(l_counts, freq - sum(l_counts.values()))
        if min(l_ent, r_ent) <= 0.5:
            continue
        q = quoted.get(gram, 0)
        if q < freq / 2:
            pieces = _pieces(gram, dictionary, longest)
            # 表示诚挚感谢, 我代表国务院: a phrase opening with a verb, adverb, pronoun, ...
            if len(pieces) > 1 and tags.get(pieces[0], "x") in _PHRASE_START_TAGS:
                continue
            # 科技创新, 体系建设: made of generic words only
            if all(p in stop for p in pieces):
                continue
            # 五个中心建设: a name followed by a generic verbal head; the name is the candidate
            rest = gram[: -len(pieces[-1])]
            if len(pieces) > 1 and pieces[-1] in stop and tags.get(pieces[-1], "x").startswith("v"):
                if len(rest) < 2 or rest in cands or rest in known:
                    continue
            if pieces[0] in stop and tags.get(pieces[0], "x").startswith("v"):
                continue
        if _NUMBER.fullmatch(gram) or (gram[0].isdigit() and any(ch.isdigit() for ch in l_counts)):
            continue  # 00亿元: a piece of a number
        # an ordinary word of the general dictionary is vocabulary, not a new policy term
        common = dictionary.get(gram, 0) >= 5 and q < freq / 2
        score = (0.1 if common else 1.0) * (
            math.log2(1 + freq)
            * min(l_ent, r_ent)
            * math.log2(1 + cohesion)
            * (1 + 2 * min(1.0, q / freq))
            * (1 + 0.15 * (len(gram) - 2))
        )
        scored.append((gram, score, freq, cohesion, l_ent, r_ent, q))

    # spread across documents, for the best few only (a substring test per document)
    scored.sort(key=lambda r: (-r[1], r[0]))
    spread = []
    for gram, score, freq, cohesion, l_ent, r_ent, q in scored[: max(20 * top, 500)]:
        df = sum(1 for v in views if gram in v)
        spread.append((gram, score * (0.5 + 0.5 * df / n_docs), freq, df, cohesion, l_ent, r_ent, q))
    scored = spread

    # a fragment of a better candidate (same count inside a longer one) is not a term
    scored.sort(key=lambda r: (-r[1], r[0]))
    kept: list[tuple] = []
    for row in scored:
        gram, freq = row[0], row[2]
        if any(gram in k[0] and freq <= k[2] * 1.1 for k in kept):
            continue
        kept.append(row)
        if len(kept) >= top:
            break

    out = []
    for gram, score, freq, df, cohesion, l_ent, r_ent, q in kept:
        ex: list[str] = []
        for text, view in zip(docs, views):
            if len(ex) >= examples:
                break
            ex += _example(text, view, gram, 12, examples - len(ex))
        out.append(
            {
                "term": gram,
                "score": round(score, 4),
                "freq": freq,
                "doc_freq": df,
                "cohesion": round(cohesion, 3),
                "left_entropy": round(l_ent, 3),
                "right_entropy": round(r_ent, 3),
                "quoted": q,
                "label": guess_label(gram),
                "examples": ex,
            }
        )
    return pd.DataFrame(out, columns=COLUMNS)


def accept_candidates(
    df_or_terms: pd.DataFrame | Sequence[str],
    user_lexicon_path: str | Path,
    *,
    label: str | None = None,
    note: str = "accepted from discover_terms",
    scope: str = "national",
) -> list[dict]:
    """Append accepted terms to a user lexicon JSONL file (atomic write, no duplicates).

    ``df_or_terms``: a :func:`discover_terms` frame (its ``term`` and ``label`` columns) or
    term strings. ``label`` overrides the guessed label. New entries get ids ``U0001``, … after
    the file's highest. Returns the entries added.
    """
    if label is not None and label.upper() not in LABELS:
        raise LexiconError(f"{user_lexicon_path}: label {label!r} is not one of {', '.join(LABELS)}")
    if isinstance(df_or_terms, pd.DataFrame):
        if "term" not in df_or_terms.columns:
            raise ValueError("accept_candidates: the frame has no 'term' column")
        labels = df_or_terms["label"] if "label" in df_or_terms.columns else [None] * len(df_or_terms)
        items = list(zip(df_or_terms["term"], labels))
    else:
        items = [(t, None) for t in df_or_terms]
    path = Path(user_lexicon_path)
    existing = load_lexicon(path) if path.exists() and path.stat().st_size else []
    forms = {strip_quotes(f) for e in existing for f in e.forms()}
    numbers = [int(m.group(1)) for e in existing if (m := re.fullmatch(r"U(\d+)", e.id))]
    next_id = max(numbers, default=0) + 1
    added = []
    for term, guessed in items:
        canonical = strip_quotes(str(term)).strip()
        if not canonical or canonical in forms:
            continue
        entry = {
            "id": f"U{next_id:04d}",
            "canonical": canonical,
            "aliases": [],
            "label": (label or guessed or guess_label(canonical)).upper(),
            "note": note,
            "scope": scope,
        }
        parse_entries([entry], str(path))  # validate before writing
        added.append(entry)
        forms.add(canonical)
        next_id += 1
    if not added:
        return []
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if old and not old.endswith("\n"):
        old += "\n"
    new = old + "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in added)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(new)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return added
