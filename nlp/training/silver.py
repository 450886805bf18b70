"""Silver data: label a corpus with the lexicon and rules (and optionally numbers).

One record per paragraph (``meta``: ``doc`` = the document, ``offset`` = where the paragraph
starts in it), so that training splits by document and examples stay paragraph-sized.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from spacy.language import Language

from .formats import AnnotatedText, write_spacy_jsonl

__all__ = ["SilverStats", "annotate_documents", "annotate_corpus", "paragraph_ranges"]

Paths = str | os.PathLike | Sequence


@dataclass
class SilverStats:
    """What an annotation run produced."""

    output: Path | None
    documents: int
    texts: int
    spans: int
    labels: dict = field(default_factory=dict)
    sources: dict = field(default_factory=dict)

    def summary(self) -> str:
        """One line for the terminal."""
        labels = ", ".join(f"{k} {v}" for k, v in sorted(self.labels.items()))
        return f"{self.documents} documents, {self.texts} paragraphs, {self.spans} spans ({labels}) -> {self.output}"


def paragraph_ranges(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each non-blank line of ``text`` (without its line break)."""
    out, start = [], 0
    for line in text.split("\n"):
        end = start + len(line)
        if line.strip():
            out.append((start, end))
        start = end + 1
    return out


def _pipeline(nlp: Language | None, include_numbers: bool) -> Language:
    if nlp is not None:
        return nlp
    from ..pipeline.builder import load_pipeline as load

    return load(components=["policy_terms", "numeric_expressions"] if include_numbers else ["policy_terms"])


def _spans(doc, include_numbers: bool, labels: set[str] | None) -> list[tuple[int, int, str, str]]:
    terms = [(s.start_char, s.end_char, s.label_, s._.source or "lexicon") for s in doc.spans.get("policy_terms", [])]
    out = list(terms)
    if include_numbers and "numbers" in doc.spans:
        for s in doc.spans["numbers"]:
            if not any(a < s.end_char and s.start_char < b for a, b, *_ in terms):
                out.append((s.start_char, s.end_char, s.label_, "numbers"))
    if labels is not None:
        out = [t for t in out if t[2] in labels]
    return sorted(out)


def annotate_documents(
    paths: Paths,
    *,
    nlp: Language | None = None,
    include_numbers: bool = False,
    labels: Sequence[str] | None = None,
    stats: Counter | None = None,
) -> list[AnnotatedText]:
    """Read documents (files or folders), run the pipeline, return one record per paragraph.

    ``nlp`` defaults to ``nlp.load()`` with ``policy_terms`` (and ``numeric_expressions``).
    ``stats`` (a Counter) receives counts by span source.
    """
    from ..io import read_many

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    documents = read_many(paths)
    if not documents:
        raise ValueError(f"{', '.join(map(str, paths))}: no documents (.txt .docx .pdf .html) found")
    nlp = _pipeline(nlp, include_numbers)
    names = [d.name for d in documents]
    wanted = set(labels) if labels else None
    records = []
    for document, name, doc in zip(documents, names, nlp.pipe(d.text for d in documents)):
        doc_id = name if names.count(name) == 1 else document.path
        spans = _spans(doc, include_numbers, wanted)
        for a, b in paragraph_ranges(document.text):
            inside = [(s - a, e - a, lab) for s, e, lab, src in spans if a <= s and e <= b]
            if stats is not None:
                stats.update(src for s, e, lab, src in spans if a <= s and e <= b)
            records.append(AnnotatedText(document.text[a:b], inside, document.path, 0, {"doc": doc_id, "offset": a}))
    return records


def annotate_corpus(
    paths: Paths,
    out_path: str | os.PathLike,
    *,
    nlp: Language | None = None,
    include_numbers: bool = False,
    labels: Sequence[str] | None = None,
) -> SilverStats:
    """Label documents with the lexicon and rules and write spaCy-style JSONL (silver data)."""
    sources: Counter = Counter()
    records = annotate_documents(paths, nlp=nlp, include_numbers=include_numbers, labels=labels, stats=sources)
    write_spacy_jsonl(records, out_path)
    label_counts = Counter(lab for r in records for _, _, lab in r.spans)
    return SilverStats(
        output=Path(out_path), documents=len({r.meta["doc"] for r in records}), texts=len(records),
        spans=sum(label_counts.values()), labels=dict(sorted(label_counts.items())), sources=dict(sorted(sources.items())),
    )
