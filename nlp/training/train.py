"""Train a term tagger (spaCy ``ner`` or ``spancat``) on annotation files, with our tokenizer.

Annotations are read and validated (:mod:`.validate`), cut into paragraph-sized examples,
tokenized with the same segmenter as ``nlp.load()`` (jieba + lexicon words) and written
to DocBins; ``nlp/data/configs/{ner,spancat}.cfg`` is filled in and spaCy's own training loop
runs on the CPU with a fixed seed, early stopping (patience) and a step limit. The best
model is saved as a pipeline folder that plain ``spacy.load`` opens and whose predictions
land in ``doc.spans["policy_terms_model"]``.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import spacy
from spacy.language import Language

from ..output import atomic_write_text, staged_directory
from ..resources import data_path
from .docs import make_docbin, split_by_document, split_units
from .formats import AnnotatedText, read_many_annotations
from .tokens import lexicon_entries, tokenizer_nlp
from .evaluate import MIN_DEV_SPANS
from .validate import ValidationReport, validate

__all__ = ["TrainResult", "TrainingError", "train_tagger", "config_path", "COMPONENTS", "component_name"]

COMPONENTS = ("ner", "spancat", "crf")
Data = str | os.PathLike | Sequence


class TrainingError(ValueError):
    """Training cannot start or produced nothing usable."""


@dataclass
class TrainResult:
    """What a training run did and how well the best model scored on the dev data."""

    output: Path
    component: str
    labels: list[str]
    scores: dict
    per_label: dict
    n_train_docs: int
    n_dev_docs: int
    n_train_examples: int
    n_dev_examples: int
    seconds: float
    seed: int
    issues: list = field(default_factory=list)
    dev_spans: int = 0

    def summary(self) -> str:
        """A few lines for the terminal."""
        lines = [
            f"saved {self.component} tagger to {self.output} ({self.seconds:.0f} s, seed {self.seed})",
            f"train: {self.n_train_docs} documents, {self.n_train_examples} examples; "
            f"dev: {self.n_dev_docs} documents, {self.n_dev_examples} examples",
            "dev: P {p:.3f}  R {r:.3f}  F {f:.3f}".format(**self.scores),
        ]
        if self.dev_spans < MIN_DEV_SPANS:
            lines.append(f"warning: the dev data has only {self.dev_spans} annotated spans; these scores mean little "
                         f"(at least {MIN_DEV_SPANS} are needed)")
        for label, s in sorted(self.per_label.items()):
            lines.append(f"  {label:<12} P {s.get('p', 0):.3f}  R {s.get('r', 0):.3f}  F {s.get('f', 0):.3f}")
        if self.issues:
            lines.append(f"{len(self.issues)} annotation changes (see {self.output / 'validation.txt'})")
        return "\n".join(lines)


def config_path(component: str = "ner") -> Path:
    """The config template ``nlp/data/configs/<component>.cfg``."""
    if component not in COMPONENTS or component == "crf":
        raise TrainingError(f"component must be one of {COMPONENTS}, got {component!r}")
    return data_path("configs", f"{component}.cfg")


def component_name(component: str) -> str:
    """The pipeline name of the trained component (``policy_terms_ner`` / ``policy_terms_spancat`` /
    ``policy_terms_recognizer``)."""
    return "policy_terms_recognizer" if component == "crf" else f"policy_terms_{component}"


def _records(data: Data) -> list[AnnotatedText]:
    if isinstance(data, (str, os.PathLike)):
        return read_many_annotations(data)
    items = list(data)
    if items and all(isinstance(r, AnnotatedText) for r in items):
        return items
    return read_many_annotations(items)


def _units(records: Iterable[AnnotatedText], max_chars: int) -> list[AnnotatedText]:
    return [u for r in records for u in split_units(r, max_chars)]


def _scores(meta: dict, component: str) -> tuple[dict, dict]:
    perf = meta.get("performance", {})
    prefix = "ents" if component == "ner" else "spans_policy_terms_model"
    scores = {k: float(perf.get(f"{prefix}_{k}") or 0.0) for k in ("p", "r", "f")}
    per_label = perf.get(f"{prefix}_per_type") or {}
    return scores, {k: {m: float(v) for m, v in d.items()} for k, d in per_label.items()}


def _fill_config(component: str, tmp: Path, *, seed: int, max_steps: int, max_epochs: int,
                 patience: int, eval_frequency: int, progress: bool, config: Path | None):
    from spacy.util import load_config

    overrides = {
        "paths.train": str(tmp / "train.spacy"),
        "paths.dev": str(tmp / "dev.spacy"),
        "system.seed": seed,
        "training.max_steps": max_steps,
        "training.max_epochs": max_epochs,
        "training.patience": patience,
        "training.eval_frequency": eval_frequency,
        "training.logger.progress_bar": bool(progress),
    }
    cfg = load_config(config or config_path(component), overrides=overrides, interpolate=False)
    if cfg["nlp"]["pipeline"] != [component_name(component)]:
        raise TrainingError(f"config must have pipeline = [\"{component_name(component)}\"]")
    return cfg


def _finish(best: Path, stage: Path, component: str, info: dict, report: ValidationReport) -> None:
    """Save the best model with the span-group glue, its training info and validation report."""
    nlp = spacy.load(best)
    name = component_name(component)
    if component == "ner":
        nlp.add_pipe("policy_terms_ents_stash", before=name)
        nlp.add_pipe("policy_terms_ents_to_spans", after=name)
    nlp.meta["name"] = info.get("name") or "policy_terms_tagger"
    nlp.meta.setdefault("description", "policy-nlp term tagger")
    nlp.meta["policy_nlp"] = info
    nlp.to_disk(stage)
    _write_validation(stage, report)


def _write_validation(stage: Path, report: ValidationReport) -> None:
    atomic_write_text(stage / "validation.txt", report.text())
    os.chmod(stage / "validation.txt", 0o644)  # like the files spaCy wrote (mkstemp makes 0600)


def train_tagger(
    train: Data,
    dev: Data | None = None,
    output: str | os.PathLike = "models/tagger",
    labels: Sequence[str] | None = None,
    component: str = "ner",
    max_steps: int = 2500,
    seed: int = 0,
    progress: bool = True,
    *,
    max_epochs: int = 0,
    patience: int = 750,
    eval_frequency: int = 250,
    dev_fraction: float = 0.2,
    lexicon: str | os.PathLike | Iterable | None = None,
    use_shipped_lexicon: bool = True,
    lexicon_tokens: bool = True,
    alignment: str = "split",
    overlaps: str = "error",
    max_chars: int = 400,
    threads: int = 2,
    config: str | os.PathLike | None = None,
    stdout=None,
) -> TrainResult:
    """Train a term tagger on ``train`` (files, folders or records) and save it to ``output``.

    Without ``dev``, ``dev_fraction`` of the documents (never parts of one) is held out.
    The tokenizer's dictionary gets the lexicon forms (shipped lexicon + ``lexicon``) so
    that the tagger sees the tokens ``nlp.load()`` produces (``lexicon_tokens=False``:
    plain jieba, so that known terms are split like unknown ones). Training stops after
    ``max_steps`` updates, ``max_epochs`` epochs (0: no limit) or ``patience`` updates
    without a better dev score. Raises AnnotationError for broken annotations.
    """
    if component not in COMPONENTS:
        raise TrainingError(f"component must be one of {COMPONENTS}, got {component!r}")
    started = time.perf_counter()
    train_raw = _records(train)
    dev_raw = _records(dev) if dev is not None else None
    entries = lexicon_entries(lexicon, use_shipped=use_shipped_lexicon)
    tokenizer: list[Language] = []

    def tok_factory() -> Language:
        if not tokenizer:
            tokenizer.append(tokenizer_nlp(entries if lexicon_tokens else []))
        return tokenizer[0]

    # the CRF tags each character once, like ner: its spans may not overlap
    check = dict(tokenizer=tok_factory, component="ner" if component == "crf" else component, alignment=alignment,
                 labels=labels, overlaps=overlaps)
    train_report = validate(train_raw, **check)
    if labels:
        missing = [lab for lab in labels if lab not in train_report.labels]
        if missing:
            raise TrainingError(f"no training spans with label(s) {missing}")
    if dev_raw is not None:
        dev_report = validate(dev_raw, **check)
        train_recs, dev_recs = train_report.records, dev_report.records
        issues = train_report.issues + dev_report.issues
    else:
        train_recs, dev_recs = split_by_document(train_report.records, dev_fraction, seed)
        dev_report, issues = None, train_report.issues
    tok = tok_factory()
    if progress or stdout is not None:
        _show_issues(train_report, dev_report, issues, stdout or sys.stdout)
    found = sorted(set(train_report.labels))
    if not found:
        raise TrainingError("the training data has no spans")
    train_units, dev_units = _units(train_recs, max_chars), _units(dev_recs, max_chars)
    if not dev_units:
        raise TrainingError("the dev data is empty")
    report = ValidationReport(train_report.records + (dev_report.records if dev_report else []), issues,
                              train_report.labels + (dev_report.labels if dev_report else type(train_report.labels)()),
                              train_report.filtered)
    if component == "crf":
        return _train_crf(train_recs, dev_recs, tok, output, found, labels, report, started, seed, issues,
                          n_train_examples=len(train_units), n_dev_examples=len(dev_units))
    tmp = Path(tempfile.mkdtemp(prefix="policy-nlp-train-"))
    try:
        make_docbin(tok, train_units, component).to_disk(tmp / "train.spacy")
        make_docbin(tok, dev_units, component).to_disk(tmp / "dev.spacy")
        cfg = _fill_config(component, tmp, seed=seed, max_steps=max_steps, max_epochs=max_epochs,
                           patience=patience, eval_frequency=eval_frequency, progress=progress,
                           config=Path(config) if config else None)
        _run(cfg, tok, tmp / "out", threads=threads, progress=progress, stdout=stdout)
        best = tmp / "out" / "model-best"
        if not best.exists():
            raise TrainingError("spaCy's training loop saved no model")
        best_meta = json.loads((best / "meta.json").read_text(encoding="utf-8"))
        scores, per_label = _scores(best_meta, component)
        info = {
            "component": component, "labels": found, "seed": seed, "max_steps": max_steps,
            "patience": patience, "alignment": alignment, "dev_scores": scores,
            "n_train_docs": len({r.doc_id for r in train_recs}), "n_dev_docs": len({r.doc_id for r in dev_recs}),
            "n_train_examples": len(train_units), "n_dev_examples": len(dev_units),
            "dev_documents": sorted({r.doc_id for r in dev_recs})[:100],
            "lexicon_terms": len(entries), "lexicon_tokens": lexicon_tokens, "name": Path(output).name,
        }
        with staged_directory(output) as stage:
            _finish(best, stage, component, info, report)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return TrainResult(
        output=Path(output).resolve(), component=component, labels=found, scores=scores, per_label=per_label,
        n_train_docs=info["n_train_docs"], n_dev_docs=info["n_dev_docs"],
        n_train_examples=len(train_units), n_dev_examples=len(dev_units),
        seconds=time.perf_counter() - started, seed=seed, issues=list(issues),
        dev_spans=sum(len(r.spans) for r in dev_recs),
    )


def _train_crf(train_recs, dev_recs, tok: Language, output, found, labels, report, started, seed, issues, *,
               n_train_examples: int, n_dev_examples: int) -> TrainResult:
    """Train the character-CRF recognizer and save it as a pipeline folder (tokenizer + component)."""
    from .evaluate import score_spans
    from .recognizer import train_recognizer

    model = train_recognizer(train_recs, tok, labels=labels)
    name = component_name("crf")
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "policy_nlp.jieba_tokenizer.v1"}}})
    nlp.tokenizer.add_words([(w, f, t) for w, (f, t) in tok.tokenizer.user_words.items()])
    nlp.add_pipe(name).set_model(model)
    predicted = [[(s.start_char, s.end_char, s.label_) for s in doc.spans.get("policy_terms_model", [])]
                 for doc in nlp.pipe(r.text for r in dev_recs)]
    table = score_spans((r.text, r.spans, p) for r, p in zip(dev_recs, predicted)).set_index("label")
    def prf(row) -> dict:
        return {"p": float(row["precision"]) if row["precision"] == row["precision"] else 0.0,
                "r": float(row["recall"]) if row["recall"] == row["recall"] else 0.0,
                "f": float(row["f1"]) if row["f1"] == row["f1"] else 0.0}
    scores = prf(table.loc["ALL"])
    per_label = {label: prf(row) for label, row in table.iterrows() if label != "ALL"}
    info = {
        "component": "crf", "labels": found, "seed": seed, "dev_scores": scores,
        "n_train_docs": len({r.doc_id for r in train_recs}), "n_dev_docs": len({r.doc_id for r in dev_recs}),
        "n_train_examples": n_train_examples, "n_dev_examples": n_dev_examples,
        "dev_documents": sorted({r.doc_id for r in dev_recs})[:100], "name": Path(output).name,
    }
    nlp.meta["name"] = info["name"] or "policy_terms_recognizer"
    nlp.meta["description"] = "policy-nlp term recognizer (character CRF)"
    nlp.meta["policy_nlp"] = info
    with staged_directory(output) as stage:
        nlp.to_disk(stage)
        _write_validation(stage, report)
    return TrainResult(
        output=Path(output).resolve(), component="crf", labels=found, scores=scores, per_label=per_label,
        n_train_docs=info["n_train_docs"], n_dev_docs=info["n_dev_docs"], n_train_examples=n_train_examples,
        n_dev_examples=n_dev_examples, seconds=time.perf_counter() - started, seed=seed, issues=list(issues),
        dev_spans=sum(len(r.spans) for r in dev_recs),
    )


def _show_issues(train_report: ValidationReport, dev_report: ValidationReport | None, issues: list, out,
                 limit: int = 20) -> None:
    """Print what validation changed or left out (the full list goes to validation.txt)."""
    print("train data: " + train_report.summary().replace("\n", "\n  "), file=out)
    if dev_report is not None:
        print("dev data: " + dev_report.summary().replace("\n", "\n  "), file=out)
    for issue in issues[:limit]:
        print(f"  {issue}", file=out)
    if len(issues) > limit:
        print(f"  ... {len(issues) - limit} more (all in validation.txt in the model folder)", file=out)


def _run(cfg, tok: Language, out: Path, *, threads: int, progress: bool, stdout) -> None:
    """spaCy's initialize + training loop, CPU only, BLAS threads limited."""
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train as spacy_train
    from threadpoolctl import threadpool_limits

    sink = stdout if stdout is not None else (sys.stdout if progress else io.StringIO())
    out.mkdir(parents=True, exist_ok=True)
    with threadpool_limits(limits=threads):
        nlp = init_nlp(cfg, use_gpu=-1)
        nlp.tokenizer.add_words([(w, f, t) for w, (f, t) in tok.tokenizer.user_words.items()])
        if nlp.tokenizer.user_words == tok.tokenizer.user_words and tok.tokenizer._segmenter is not None:
            # same dictionary: reuse the initialized jieba instance (saves loading it again)
            nlp.tokenizer._segmenter = tok.tokenizer._segmenter
        spacy_train(nlp, out, use_gpu=-1, stdout=sink, stderr=sink if not progress else sys.stderr)
