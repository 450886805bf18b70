"""Score a trained term tagger on annotated data: per-label P/R/F1 and out-of-lexicon recall.

A prediction counts only if its character offsets and label match a gold span exactly.
``OUT_OF_LEXICON`` scores the gold spans whose text is no lexicon form (quotes and width
ignored), i.e. the terms the lexicon could not have found: recall there is the reason to
train a model at all; its precision is over predicted spans that are not lexicon forms.
"""

from __future__ import annotations

import json
import math
import os
from typing import Iterable, Sequence

import pandas as pd
from spacy.language import Language

from ..output import atomic_write_text
from .formats import AnnotatedText, read_many_annotations
from .validate import validate

__all__ = ["evaluate_tagger", "score_spans", "span_errors", "lexicon_forms", "format_scores", "COLUMNS",
           "ERROR_COLUMNS", "MIN_DEV_SPANS", "Evaluation"]

COLUMNS = ["label", "tp", "fp", "fn", "support", "predicted", "precision", "recall", "f1"]
ERROR_COLUMNS = ["kind", "source", "line", "start", "end", "text", "label", "other_label", "context"]
#: fewer gold spans than this and the scores mean little: a warning says so
MIN_DEV_SPANS = 50
Span3 = tuple[int, int, str]


def lexicon_forms(entries: Iterable) -> set[str]:
    """Every lexicon form, normalized and without quotes (the key for 'in the lexicon')."""
    from ..pipeline.terms.lexicon import strip_quotes

    return {_key(form, strip_quotes) for e in entries for form in e.forms()}


def _key(text: str, strip=None) -> str:
    from ..pipeline.normalize import normalize_view
    from ..pipeline.terms.lexicon import strip_quotes

    return (strip or strip_quotes)(normalize_view(text)).strip()


def _row(label: str, tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else math.nan
    r = tp / (tp + fn) if tp + fn else math.nan
    f = 2 * p * r / (p + r) if tp else (0.0 if (tp + fp) or (tp + fn) else math.nan)
    return {"label": label, "tp": tp, "fp": fp, "fn": fn, "support": tp + fn, "predicted": tp + fp,
            "precision": p, "recall": r, "f1": f}


def score_spans(pairs: Iterable[tuple[str, Sequence[Span3], Sequence[Span3]]], forms: set[str] | None = None) -> pd.DataFrame:
    """Scores from ``(text, gold, predicted)`` triples: one row per label, ``ALL`` and ``OUT_OF_LEXICON``."""
    counts: dict[str, list[int]] = {}
    ool = [0, 0, 0]
    for text, gold, pred in pairs:
        g, p = set(gold), set(pred)
        for span in g | p:
            c = counts.setdefault(span[2], [0, 0, 0])
            c[0 if span in g and span in p else (1 if span in p else 2)] += 1
            if forms is not None and _key(text[span[0]:span[1]]) not in forms:
                ool[0 if span in g and span in p else (1 if span in p else 2)] += 1
    rows = [_row(label, *counts[label]) for label in sorted(counts)]
    rows.append(_row("ALL", *(sum(c[i] for c in counts.values()) for i in range(3))))
    if forms is not None:
        rows.append(_row("OUT_OF_LEXICON", *ool))
    return pd.DataFrame(rows, columns=COLUMNS)


def span_errors(records: Sequence[AnnotatedText], predicted: Sequence[Sequence[Span3]]) -> pd.DataFrame:
    """Every missed gold span (``missed``), spurious prediction (``spurious``) and right span
    with the wrong label (``label``), with its file, line and context."""
    rows = []
    for record, pred in zip(records, predicted):
        gold = {(s, e): lab for s, e, lab in record.spans}
        got = {(s, e): lab for s, e, lab in pred}

        def row(kind: str, span: tuple[int, int], label: str, other: str | None) -> dict:
            s, e = span
            context = record.text[max(0, s - 12):s] + "【" + record.text[s:e] + "】" + record.text[e:e + 12]
            return {"kind": kind, "source": record.source, "line": record.line, "start": s, "end": e,
                    "text": record.text[s:e], "label": label, "other_label": other, "context": context}

        for span, label in sorted(gold.items()):
            if span not in got:
                rows.append(row("missed", span, label, None))
            elif got[span] != label:
                rows.append(row("label", span, label, got[span]))
        for span, label in sorted(got.items()):
            if span not in gold:
                rows.append(row("spurious", span, label, None))
    return pd.DataFrame(rows, columns=ERROR_COLUMNS)


class Evaluation(pd.DataFrame):
    """The scores table, with ``errors`` (missed, spurious, wrongly labelled spans) and
    ``warnings`` (e.g. a dev set too small to mean anything) beside it."""

    _metadata = ["errors", "warnings"]

    @property
    def _constructor(self):
        return Evaluation


def _predict(nlp: Language, records: list[AnnotatedText], spans_key: str) -> list[list[Span3]]:
    out = []
    for rec, doc in zip(records, nlp.pipe(r.text for r in records)):
        out.append([(s.start_char, s.end_char, s.label_) for s in doc.spans.get(spans_key, [])])
    return out


def evaluate_tagger(
    model_path: str | os.PathLike,
    data_path: str | os.PathLike | Sequence,
    *,
    output: str | os.PathLike | None = None,
    lexicon: str | os.PathLike | Iterable | None = None,
    use_shipped_lexicon: bool = True,
    combined: bool = False,
    labels: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Per-label precision/recall/F1 of the tagger at ``model_path`` on ``data_path``.

    ``combined`` scores ``nlp.load(model=...)``'s merged ``policy_terms`` spans instead of
    the tagger alone. The lexicon (shipped + ``lexicon``) decides what is out of lexicon.
    ``output`` (``.csv`` or ``.json``) receives the table, written atomically.
    """
    from ..pipeline.plug import load_term_model
    from .tokens import lexicon_entries

    if combined:
        from ..pipeline.builder import load_pipeline as load

        nlp, key = load(model=model_path, lexicon=lexicon if isinstance(lexicon, (str, os.PathLike)) else None), "policy_terms"
    else:
        nlp, key = load_term_model(model_path), "policy_terms_model"
    records = read_many_annotations(data_path) if not _is_records(data_path) else list(data_path)
    report = validate(records, tokenizer=nlp, component="spancat", labels=labels)
    records = report.records
    predicted = _predict(nlp, records, key)
    if labels:
        predicted = [[s for s in spans if s[2] in labels] for spans in predicted]
    if not records:
        raise ValueError(f"{data_path}: no annotated texts to evaluate on")
    forms = lexicon_forms(lexicon_entries(lexicon, use_shipped=use_shipped_lexicon))
    table = Evaluation(score_spans(((r.text, r.spans, p) for r, p in zip(records, predicted)), forms))
    table.errors = span_errors(records, predicted)
    support = sum(len(r.spans) for r in records)
    table.warnings = [] if support >= MIN_DEV_SPANS else [
        f"only {support} annotated spans: scores on so few mean little (at least {MIN_DEV_SPANS} are needed)"]
    if output is not None:
        _save(table, output)
    return table


def _is_records(data) -> bool:
    return isinstance(data, (list, tuple)) and bool(data) and all(isinstance(r, AnnotatedText) for r in data)


def _save(table: pd.DataFrame, output: str | os.PathLike) -> None:
    if str(output).lower().endswith(".json"):
        rows = [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
                for row in table.to_dict(orient="records")]
        atomic_write_text(output, json.dumps(rows, ensure_ascii=False, indent=1, default=int) + "\n")
    else:
        atomic_write_text(output, table.to_csv(index=False, float_format="%.4f"))


def format_scores(table: pd.DataFrame) -> str:
    """The table as aligned text for the terminal."""
    lines = [f"{'label':<16}{'P':>8}{'R':>8}{'F1':>8}{'support':>9}{'predicted':>11}"]
    for row in table.itertuples(index=False):
        def f(x: float) -> str:
            return "       -" if isinstance(x, float) and math.isnan(x) else f"{x:8.3f}"
        lines.append(f"{row.label:<16}{f(row.precision)}{f(row.recall)}{f(row.f1)}{row.support:>9}{row.predicted:>11}")
    return "\n".join(lines)
