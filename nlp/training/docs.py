"""From validated records to training documents: paragraph-sized units, spaCy Docs, splits."""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Iterable, Sequence

from spacy.language import Language
from spacy.tokens import Doc, DocBin

from ..pipeline.align import char_spans
from ..pipeline.terms.model_spans import MODEL_SPANS_KEY
from ..pipeline.sentences import sentence_starts
from .formats import AnnotatedText

__all__ = ["split_units", "make_doc", "make_docbin", "split_by_document", "MODEL_SPANS_KEY"]



def _cuts(text: str, spans: Sequence[tuple[int, int, str]], max_chars: int) -> list[tuple[int, int]]:
    """Ranges of ``text``: paragraphs, long ones cut at sentence ends; never inside a span."""
    inside = set()  # offsets strictly inside a span: no cut there
    covered = set()  # characters covered by a span: no paragraph break there
    for s, e, _ in spans:
        inside.update(range(s + 1, e))
        covered.update(range(s, e))
    ranges = []
    start = 0
    for i, ch in enumerate(text):
        if ch == "\n" and i not in covered:
            ranges.append((start, i))
            start = i + 1
    ranges.append((start, len(text)))
    out = []
    for a, b in ranges:
        if b - a <= max_chars:
            out.append((a, b))
            continue
        sents = [a] + [a + o for o in sentence_starts(text[a:b]) if a + o not in inside] + [b]
        piece = a
        for prev, nxt in zip(sents, sents[1:]):
            if nxt - piece > max_chars and prev > piece:
                out.append((piece, prev))
                piece = prev
        out.append((piece, b))
    return out


def split_units(record: AnnotatedText, max_chars: int = 400) -> list[AnnotatedText]:
    """The record's paragraphs (sentence groups of at most ``max_chars`` if longer) as records.

    Whitespace-only pieces are dropped; spans are shifted to the piece's offsets and
    ``meta["doc"]`` keeps the original document, ``meta["offset"]`` the piece's start.
    """
    out = []
    for a, b in _cuts(record.text, record.spans, max_chars):
        text = record.text[a:b]
        if not text.strip():
            continue
        spans = [(s - a, e - a, lab) for s, e, lab in record.spans if a <= s and e <= b]
        meta = {**record.meta, "doc": record.doc_id, "offset": record.meta.get("offset", 0) + a}
        out.append(replace(record, text=text, spans=spans, meta=meta))
    return out


def make_doc(tokenizer: Language, record: AnnotatedText, component: str = "ner") -> Doc:
    """Tokenize ``record.text`` and set its spans (tokens split at span edges where needed).

    ``ner``: ``doc.ents`` (every other token is outside an entity); ``spancat``:
    ``doc.spans["policy_terms_model"]``.
    """
    doc = tokenizer.make_doc(record.text)
    spans = char_spans(doc, record.spans)
    if component == "ner":
        doc.set_ents(spans, default="outside")
    else:
        doc.spans[MODEL_SPANS_KEY] = spans
    return doc


def make_docbin(tokenizer: Language, records: Iterable[AnnotatedText], component: str = "ner") -> DocBin:
    """A DocBin of :func:`make_doc` documents."""
    db = DocBin(store_user_data=False)
    for rec in records:
        if rec.text.strip():
            db.add(make_doc(tokenizer, rec, component))
    return db


def split_by_document(records: Sequence[AnnotatedText], dev_fraction: float = 0.2,
                      seed: int = 0) -> tuple[list[AnnotatedText], list[AnnotatedText]]:
    """Train/dev split by document (``record.doc_id``), never within one document.

    Raises ValueError if there are fewer than two documents.
    """
    ids = sorted({r.doc_id for r in records})
    if len(ids) < 2:
        raise ValueError(f"cannot split {len(ids)} document(s) into train and dev by document; give a dev file")
    rng = random.Random(seed)
    rng.shuffle(ids)
    n_dev = min(len(ids) - 1, max(1, round(len(ids) * dev_fraction)))
    dev_ids = set(ids[:n_dev])
    return [r for r in records if r.doc_id not in dev_ids], [r for r in records if r.doc_id in dev_ids]
