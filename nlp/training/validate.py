"""Check annotations before training and align them with our tokens, reporting every change.

Broken spans (offsets out of range, empty spans, empty labels, conflicting labels, overlaps
where the component cannot take them) raise :class:`AnnotationError` naming the first
``FILE:LINE`` (all problems are in ``exc.problems``). Fixable things are fixed and reported
as :class:`Issue` records: whitespace trimmed, duplicates removed, spans that cut through a
token (tokens split at the exact offsets, or the span expanded to whole tokens), tasks
without an annotation skipped. spaCy would drop misaligned spans silently (W030); we never do.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Callable, Iterable, Sequence

from spacy.language import Language

from .formats import AnnotatedText, AnnotationError

__all__ = ["Issue", "ValidationReport", "validate", "check_files", "ALIGNMENTS"]

ALIGNMENTS = ("split", "expand", "error")


@dataclass(frozen=True)
class Issue:
    """One change made to (or one piece left out of) the input, with where it was."""

    source: str
    line: int
    kind: str  # trimmed | duplicate | split-tokens | expanded | overlap-dropped | skipped
    message: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.kind}: {self.message}"


@dataclass
class ValidationReport:
    """Clean records plus what was changed or left out, and label counts."""

    records: list[AnnotatedText]
    issues: list[Issue] = field(default_factory=list)
    labels: Counter = field(default_factory=Counter)
    filtered: Counter = field(default_factory=Counter)

    @property
    def n_spans(self) -> int:
        """Spans kept."""
        return sum(self.labels.values())

    def summary(self) -> str:
        """A few lines: counts, labels, changes by kind."""
        kinds = Counter(i.kind for i in self.issues)
        lines = [f"{len(self.records)} texts, {self.n_spans} spans: "
                 + ", ".join(f"{k} {v}" for k, v in sorted(self.labels.items()))]
        if self.filtered:
            lines.append("left out (label not selected): " + ", ".join(f"{k} {v}" for k, v in sorted(self.filtered.items())))
        if kinds:
            lines.append("changes: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))
        return "\n".join(lines)

    def text(self) -> str:
        """The summary and one line per issue (``FILE:LINE: kind: message``)."""
        return "\n".join([self.summary(), *map(str, self.issues)]) + "\n"


def _show(text: str, start: int, end: int) -> str:
    return repr(text[start:end]) if end - start <= 40 else repr(text[start : start + 37] + "...")


def _check_record(rec: AnnotatedText, labels: set[str] | None, report: ValidationReport,
                  problems: list[str], component: str, overlaps: str) -> list[tuple[int, int, str]]:
    """Structural checks on one record; returns the spans kept (sorted)."""
    n = len(rec.text)
    kept: dict[tuple[int, int, str], None] = {}
    for i, (start, end, label) in enumerate(rec.spans, 1):
        if start < 0 or end > n:
            problems.append(f"{rec.where}: span {i} {start}:{end} is out of range for a text of {n} characters")
            continue
        if start >= end:
            problems.append(f"{rec.where}: span {i} {start}:{end} is empty (start must be < end)")
            continue
        if not label.strip():
            problems.append(f"{rec.where}: span {i} {start}:{end} {_show(rec.text, start, end)} has an empty label")
            continue
        label = label.strip()
        if labels is not None and label not in labels:
            report.filtered[label] += 1
            continue
        s, e = start, end
        while s < e and rec.text[s].isspace():
            s += 1
        while e > s and rec.text[e - 1].isspace():
            e -= 1
        if s == e:
            report.issues.append(Issue(rec.source, rec.line, "skipped", f"span {i} {start}:{end} is only whitespace"))
            continue
        if (s, e) != (start, end):
            report.issues.append(Issue(rec.source, rec.line, "trimmed",
                                       f"span {i} {start}:{end} trimmed to {s}:{e} {_show(rec.text, s, e)}"))
        if (s, e, label) in kept:
            report.issues.append(Issue(rec.source, rec.line, "duplicate",
                                       f"span {i} {s}:{e} {label} repeats an earlier span; kept once"))
            continue
        kept[(s, e, label)] = None
    spans = sorted(kept, key=lambda t: (t[0], -t[1], t[2]))
    if component == "spancat":
        return spans
    return _no_overlaps(rec, spans, report, problems, overlaps)


def _no_overlaps(rec: AnnotatedText, spans: list, report: ValidationReport, problems: list[str],
                 overlaps: str) -> list[tuple[int, int, str]]:
    """NER needs non-overlapping spans: an error, or keep the longest (``overlaps="longest"``)."""
    out: list[tuple[int, int, str]] = []
    for span in sorted(spans, key=lambda t: (-(t[1] - t[0]), t[0], t[2])) if overlaps == "longest" else spans:
        clash = next((o for o in out if o[0] < span[1] and span[0] < o[1]), None)
        if clash is None:
            out.append(span)
            continue
        a, b = sorted([clash, span])
        what = (f"spans {a[0]}:{a[1]} {_show(rec.text, a[0], a[1])} {a[2]} and "
                f"{b[0]}:{b[1]} {_show(rec.text, b[0], b[1])} {b[2]} overlap")
        if overlaps == "longest":
            report.issues.append(Issue(rec.source, rec.line, "overlap-dropped", f"{what}; kept the longer one"))
        else:
            problems.append(f"{rec.where}: {what} (ner needs non-overlapping spans; "
                            "use component spancat or overlaps='longest')")
    return sorted(out)


def _align(rec: AnnotatedText, spans: list, tokenizer: Language, alignment: str, report: ValidationReport,
           problems: list[str], component: str) -> list[tuple[int, int, str]]:
    """Report (and, with ``expand``, move) spans that do not start and end on token boundaries."""
    doc = tokenizer.make_doc(rec.text)
    out = []
    for start, end, label in spans:
        if doc.char_span(start, end, alignment_mode="strict") is not None:
            out.append((start, end, label))
            continue
        cut = doc.char_span(start, end, alignment_mode="expand")
        tokens = " | ".join(t.text for t in cut) if cut is not None else "?"
        what = f"span {start}:{end} {_show(rec.text, start, end)} {label} cuts through tokens [{tokens}]"
        if alignment == "error":
            problems.append(f"{rec.where}: {what}")
        elif alignment == "expand" and cut is not None:
            report.issues.append(Issue(rec.source, rec.line, "expanded",
                                       f"{what}; expanded to {cut.start_char}:{cut.end_char} {_show(rec.text, cut.start_char, cut.end_char)}"))
            out.append((cut.start_char, cut.end_char, label))
        else:
            report.issues.append(Issue(rec.source, rec.line, "split-tokens", f"{what}; tokens split at its boundaries"))
            out.append((start, end, label))
    if alignment == "expand" and component != "spancat":
        out = _no_overlaps(rec, sorted(set(out)), report, problems, "longest")
    return sorted(set(out))


def validate(
    records: Iterable[AnnotatedText],
    *,
    tokenizer: Language | Callable[[], Language] | None = None,
    component: str = "ner",
    alignment: str = "split",
    labels: Sequence[str] | None = None,
    overlaps: str = "error",
) -> ValidationReport:
    """Check records and align their spans with ``tokenizer``'s tokens (see module doc).

    ``tokenizer`` is a pipeline or a function making one (called only if the data passes
    the structural checks); None means ``nlp.load()``'s segmentation.
    ``alignment``: ``split`` keeps the exact offsets (tokens are split there when the
    training documents are built), ``expand`` widens the span to whole tokens, ``error``
    refuses. ``labels`` keeps only those labels. ``overlaps`` (ner only): ``error`` or
    ``longest``. Raises :class:`AnnotationError` if any record is broken.
    """
    if alignment not in ALIGNMENTS:
        raise ValueError(f"alignment must be one of {ALIGNMENTS}, got {alignment!r}")
    if component not in ("ner", "spancat"):
        raise ValueError(f"component must be 'ner' or 'spancat', got {component!r}")
    if overlaps not in ("error", "longest"):
        raise ValueError(f"overlaps must be 'error' or 'longest', got {overlaps!r}")
    wanted = {lab.strip() for lab in labels} if labels else None
    report = ValidationReport(records=[])
    problems: list[str] = []
    checked = []
    for rec in records:
        if rec.meta.get("unannotated"):
            report.issues.append(Issue(rec.source, rec.line, "skipped", "task has no annotation; not used"))
            continue
        checked.append((rec, _check_record(rec, wanted, report, problems, component, overlaps)))
    if not problems:  # tokenize only data that passed the structural checks
        if tokenizer is None or not isinstance(tokenizer, Language):
            from .tokens import tokenizer_nlp

            tokenizer = tokenizer() if tokenizer is not None else tokenizer_nlp()
        for rec, spans in checked:
            spans = _align(rec, spans, tokenizer, alignment, report, problems, component)
            report.labels.update(lab for _, _, lab in spans)
            report.records.append(replace(rec, spans=spans))
    if problems:
        more = f" (+{len(problems) - 1} more problems)" if len(problems) > 1 else ""
        exc = AnnotationError(problems[0] + more)
        exc.problems = problems  # type: ignore[attr-defined]
        raise exc
    return report


def check_files(
    paths,
    *,
    component: str = "ner",
    alignment: str = "split",
    labels: Sequence[str] | None = None,
    overlaps: str = "error",
    lexicon=None,
) -> ValidationReport:
    """Read annotation files/folders and :func:`validate` them with ``nlp.load()``'s segmentation
    (plus the words of ``lexicon``); raises AnnotationError for a broken file."""
    from .formats import read_many_annotations
    from .tokens import lexicon_entries, tokenizer_nlp

    records = read_many_annotations(paths)
    return validate(records, tokenizer=lambda: tokenizer_nlp(lexicon_entries(lexicon)), component=component,
                    alignment=alignment, labels=labels, overlaps=overlaps)
