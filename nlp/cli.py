"""``policy-nlp``: the command line, a thin layer over the Python API.

Expected problems (a bad input file, a bad option) print one line to stderr and exit
with status 2; nothing is written. Unexpected ones keep their traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from typing import Callable, Sequence

from . import __version__
from .io import InputError

__all__ = ["main"]


class CLIError(Exception):
    """An expected failure: its message is shown without a traceback."""


# -- helpers -----------------------------------------------------------------------
def _load_pipeline(args: argparse.Namespace, config: dict | None = None):
    from .api import load

    return load(getattr(args, "pipeline", None), lexicon=getattr(args, "lexicon", None), model=getattr(args, "model", None), config=config)


def _read_inputs(paths: Sequence[str]):
    from .io import iter_paths, read

    files = list(iter_paths(paths))
    if not files:
        raise CLIError(f"no supported input files in {' '.join(paths)}")
    return [read(p) for p in files]


# -- commands ----------------------------------------------------------------------
def cmd_tag(args: argparse.Namespace) -> int:
    """`policy-nlp tag`: print every span of every file."""
    from .api import process
    from .pipeline.spans import span_records

    documents = _read_inputs(args.files)
    pipeline = _load_pipeline(args)
    out = sys.stdout
    for document, doc in zip(documents, process(pipeline, documents)):
        records = span_records(doc)
        if args.format == "jsonl":
            for record in records:
                out.write(json.dumps({"document": document.path, **record}, ensure_ascii=False) + "\n")
        else:
            out.write(f"# {document.path}: {len(records)} spans\n")
            for r in records:
                extra = " ".join(f"{k}={v}" for k, v in r.items() if k not in ("group", "label", "start", "end", "text"))
                out.write(f"{r['group']:<14} {r['label']:<14} {r['start']:>6} {r['end']:>6}  {r['text']}  {extra}".rstrip() + "\n")
    return 0


def cmd_analyze(args: argparse.Namespace) -> int:
    """`policy-nlp analyze`: the whole analysis into a results folder."""
    from .cache import output_lock
    from .output import check_output_folder

    check_output_folder(args.output, args.inputs)  # before any work: never delete what we did not write
    with output_lock(args.output):
        documents = _read_inputs(args.inputs)
        from .run import analyze

        result = analyze(documents, nlp=_load_pipeline(args), progress=not args.quiet)
        folder = result.save(args.output)
    if not args.quiet:
        print(f"policy-nlp: {len(documents)} documents analysed; results in {folder}", file=sys.stderr)
    return 0


def cmd_indicators(args: argparse.Namespace) -> int:
    """`policy-nlp indicators`: the indicators table as CSV or JSON."""
    from .api import process
    from .output import atomic_write_text
    from .pipeline.indicators import indicators_table

    suffix = args.output.rsplit(".", 1)[-1].lower() if args.output else "csv"
    if suffix not in ("csv", "json"):
        raise CLIError(f"{args.output}: the output must end in .csv or .json")
    documents = _read_inputs(args.files)
    docs = list(process(_load_pipeline(args), documents))
    table = indicators_table(docs, [d.name for d in documents])
    if suffix == "json":
        text = table.to_json(orient="records", force_ascii=False, indent=1) + "\n"
    else:
        text = table.to_csv(index=False, lineterminator="\n")
    if args.output:
        atomic_write_text(args.output, text)
        print(f"policy-nlp: {len(table)} indicator figures written to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def cmd_discover(args: argparse.Namespace) -> int:
    """`policy-nlp discover`: candidate new terms."""
    from .analysis.discovery import discover_terms
    from .output import atomic_write_text

    documents = _read_inputs(args.inputs)
    table = discover_terms([d.text for d in documents], lexicon=args.lexicon, top=args.top, min_freq=args.min_freq)
    if args.output:
        atomic_write_text(args.output, table.to_csv(index=False, lineterminator="\n"))
        print(f"policy-nlp: {len(table)} candidate terms written to {args.output}", file=sys.stderr)
    else:
        cols = [c for c in ("term", "score", "freq", "doc_freq", "quoted", "label") if c in table.columns]
        sys.stdout.write(table[cols].to_string(index=False) + "\n")
    return 0


def cmd_accept(args: argparse.Namespace) -> int:
    """`policy-nlp accept`: add discovered candidates to a user lexicon."""
    import pandas as pd

    from .analysis.discovery import accept_candidates

    try:
        table = pd.read_csv(args.candidates, dtype=str, keep_default_na=False)
    except (OSError, ValueError) as err:
        raise CLIError(f"{args.candidates}: cannot be read as a candidates CSV ({err.__class__.__name__})") from None
    if "term" not in table.columns:
        raise CLIError(f"{args.candidates}: has no 'term' column (write it with `policy-nlp discover -o`)")
    if args.terms:
        unknown = sorted(set(args.terms) - set(table["term"]))
        if unknown:
            raise CLIError(f"{args.candidates}: no candidate {'、'.join(unknown)}")
        table = table[table["term"].isin(args.terms)]
    else:
        table = table.head(args.top)
    added = accept_candidates(table, args.to, label=args.label)
    print(f"policy-nlp: {len(added)} terms added to {args.to}" + (f": {'、'.join(e['canonical'] for e in added)}" if added else ""), file=sys.stderr)
    return 0


def cmd_annotate(args: argparse.Namespace) -> int:
    """`policy-nlp annotate`: silver data or pre-annotations from the lexicon and rules."""
    from .io import iter_paths

    files = list(iter_paths(args.inputs))
    if not files:
        raise CLIError(f"no supported input files in {' '.join(args.inputs)}")
    _read_inputs(args.inputs)  # every file must read before anything is written
    pipeline = _load_pipeline(args)
    if args.format == "spacy":
        from .training.silver import annotate_corpus

        stats = annotate_corpus(files, args.output, nlp=pipeline, include_numbers=args.numbers, labels=args.labels)
    else:
        from .training.export import export_preannotated

        stats = export_preannotated(files, args.output, format=args.format, nlp=pipeline, include_numbers=args.numbers, labels=args.labels)
    print(f"policy-nlp: {stats.summary()}", file=sys.stderr)
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    """`policy-nlp train`: train a term tagger."""
    from .training.train import train_tagger

    if not sys.stdout.isatty():  # spaCy's training log colours only a terminal
        os.environ.setdefault("ANSI_COLORS_DISABLED", "1")
    result = train_tagger(
        args.train, args.dev, output=args.output, labels=args.labels, component=args.component,
        max_steps=args.max_steps, seed=args.seed, progress=not args.quiet, lexicon=args.lexicon,
    )
    print(result.summary(), file=sys.stderr)
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    """`policy-nlp evaluate`: per-label scores of a trained tagger, and its missed and spurious spans."""
    from .output import atomic_write_text
    from .training.evaluate import evaluate_tagger, format_scores

    table = evaluate_tagger(args.model, args.data, output=args.output, lexicon=args.lexicon, combined=args.combined)
    for warning in table.warnings:
        print(f"policy-nlp: warning: {warning}", file=sys.stderr)
    sys.stdout.write(format_scores(table) + "\n")
    errors = table.errors
    for kind, title in (("missed", "missed (in the annotations, not found)"), ("spurious", "spurious (found, not annotated)"),
                        ("label", "wrong label")):
        part = errors[errors["kind"] == kind]
        if len(part):
            sys.stdout.write(f"\n{title}: {len(part)}\n")
            for r in part.head(args.show).itertuples(index=False):
                extra = f" (found as {r.other_label})" if kind == "label" else ""
                sys.stdout.write(f"  {r.source}:{r.line}  {r.label:<9} {r.context}{extra}\n")
            if len(part) > args.show:
                sys.stdout.write(f"  ... {len(part) - args.show} more\n")
    errors_file = str(args.output).rsplit(".", 1)[0] + "_errors.csv"
    atomic_write_text(errors_file, errors.to_csv(index=False, lineterminator="\n"))
    print(f"policy-nlp: scores written to {args.output}, every missed and spurious span to {errors_file}", file=sys.stderr)
    return 0


def _add_pipeline_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lexicon", metavar="FILE", help="a user lexicon (JSONL or CSV) added to the shipped one")
    p.add_argument("--model", metavar="DIR", help="a trained term tagger (saved by `policy-nlp train`) to plug in")
    p.add_argument("--pipeline", metavar="DIR", help="use a saved pipeline folder instead of building the default one")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command."""
    parser = argparse.ArgumentParser(
        prog="policy-nlp",
        description="Chinese text mining for policy documents: policy terms, numbers, keywords, topics, trends.",
    )
    parser.add_argument("--version", action="version", version=f"policy-nlp {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("tag", help="print every span the pipeline finds", description="Tag files and print every span (policy terms, numbers, sections) with label, character offsets and attributes.")
    p.add_argument("files", nargs="+", metavar="FILE", help="input files or folders (.txt .docx .pdf .html; folders are searched)")
    p.add_argument("--format", choices=["jsonl", "table"], default="jsonl", help="jsonl: one JSON object per span (default); table: aligned text")
    _add_pipeline_options(p)
    p.set_defaults(func=cmd_tag)

    p = sub.add_parser("analyze", help="analyse documents into a results folder", description="Analyse documents: tag them, run the analyses, and write tables (CSV, JSON), figures (PNG, SVG) and report.html into a results folder. The folder is replaced whole, or left as it was if anything fails.")
    p.add_argument("inputs", nargs="+", metavar="FILE_OR_DIR", help="input files or folders")
    p.add_argument("-o", "--output", default="results", metavar="DIR", help="results folder (default: results)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bars or messages")
    _add_pipeline_options(p)
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser("indicators", help="the table of figures and what they measure", description="Link every figure to the measure it states (全市生产总值 → 4.72万亿元, 增长5%), with year and kind (actual or target), and write the table.")
    p.add_argument("files", nargs="+", metavar="FILE", help="input files or folders")
    p.add_argument("-o", "--output", metavar="OUT.csv|OUT.json", help="where to write the table (CSV or JSON by suffix); default: CSV on stdout")
    _add_pipeline_options(p)
    p.set_defaults(func=cmd_indicators)

    p = sub.add_parser("discover", help="rank candidate new terms the lexicon lacks", description="Rank candidate new policy terms that the lexicon lacks, from statistics over the documents: frequency, cohesion (PMI), boundary freedom (branching entropy), spread across documents and quotation. Each candidate comes with examples in context.")
    p.add_argument("inputs", nargs="+", metavar="FILE_OR_DIR", help="input files or folders")
    p.add_argument("--top", type=int, default=50, metavar="N", help="how many candidates (default 50)")
    p.add_argument("--min-freq", type=int, default=3, metavar="N", help="minimum frequency of a candidate (default 3)")
    p.add_argument("--lexicon", metavar="FILE", help="a user lexicon whose terms are known too (not proposed again)")
    p.add_argument("-o", "--output", metavar="CANDIDATES.csv", help="write all columns (with examples) as CSV; default: a summary on stdout")
    p.set_defaults(func=cmd_discover)

    p = sub.add_parser("accept", help="add discovered candidates to a user lexicon", description="Append candidates from a `discover` CSV to a user lexicon JSONL file (created if missing; no duplicates; atomic). Use it with --lexicon on other commands or nlp.load(lexicon=...).")
    p.add_argument("candidates", metavar="CANDIDATES.csv", help="the CSV written by `policy-nlp discover -o`")
    p.add_argument("--to", required=True, metavar="LEXICON.jsonl", help="the user lexicon file to extend")
    p.add_argument("--terms", nargs="+", metavar="TERM", help="the candidates to accept (default: the first --top)")
    p.add_argument("--top", type=int, default=10, metavar="N", help="without --terms: accept the first N candidates (default 10)")
    p.add_argument("--label", choices=["STRATEGY", "PROGRAM", "POLICY", "PLATFORM"], help="label for all accepted terms (default: the guessed label)")
    p.set_defaults(func=cmd_accept)

    p = sub.add_parser("annotate", help="label a corpus with the lexicon and rules (silver data, or pre-annotations to correct)", description="Label documents with the lexicon and rules: spaCy-style JSONL silver data for `train`, or pre-annotated doccano / Label Studio files so that people correct suggestions instead of starting from nothing.")
    p.add_argument("inputs", nargs="+", metavar="FILE_OR_DIR", help="input files or folders")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="output file (silver.jsonl, doccano.jsonl, label_studio.json)")
    p.add_argument("--format", choices=["spacy", "doccano", "label-studio"], default="spacy", help="spacy: {text, spans} JSONL for training (default); doccano JSONL; Label Studio JSON tasks")
    p.add_argument("--numbers", action="store_true", help="also label numeric expressions (MONEY, PERCENT, ...)")
    p.add_argument("--labels", nargs="+", metavar="LABEL", help="keep only these labels")
    _add_pipeline_options(p)
    p.set_defaults(func=cmd_annotate)

    p = sub.add_parser("train", help="train a term tagger (ner or spancat) on annotations", description="Train a spaCy ner or spancat term tagger with our tokenizer, on CPU, with a fixed seed and early stopping. Annotations are validated first (spaCy JSONL, doccano, Label Studio, .spacy); without --dev the data are split by document.")
    p.add_argument("--train", required=True, nargs="+", metavar="FILE", help="training annotations")
    p.add_argument("--dev", nargs="+", metavar="FILE", help="development annotations (default: hold out whole documents of --train)")
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="where to save the trained pipeline (e.g. models/my_tagger)")
    p.add_argument("--labels", nargs="+", metavar="LABEL", help="train only these labels")
    p.add_argument("--component", choices=["crf", "ner", "spancat"], default="crf", help="crf: the character-CRF recognizer (default; seconds to train); ner or spancat: a spaCy CNN tagger (minutes)")
    p.add_argument("--max-steps", type=int, default=2500, metavar="N", help="at most N optimizer steps (default 2500; early stopping may end sooner)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--lexicon", metavar="FILE", help="a user lexicon whose words the tokenizer keeps whole")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress display")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("evaluate", help="per-label precision, recall and F1 of a trained tagger", description="Score a trained tagger on annotated data: per-label precision, recall and F1, and recall on terms that are not in the lexicon (OUT_OF_LEXICON).")
    p.add_argument("model", metavar="MODEL", help="a folder written by `policy-nlp train`")
    p.add_argument("data", nargs="+", metavar="DATA", help="annotation files to score against")
    p.add_argument("-o", "--output", default="evaluation.csv", metavar="OUT.csv|OUT.json", help="where to save the scores (default evaluation.csv)")
    p.add_argument("--lexicon", metavar="FILE", help="a user lexicon that also counts as 'in the lexicon'")
    p.add_argument("--combined", action="store_true", help="score the full pipeline (lexicon + rules + model) instead of the tagger alone")
    p.add_argument("--show", type=int, default=20, metavar="N", help="list at most N missed, spurious and mislabelled spans each (default 20; all go to OUT_errors.csv)")
    p.set_defaults(func=cmd_evaluate)

    for register in _EXTRA_COMMANDS:
        register(sub, _add_pipeline_options)
    return parser


# Other modules add their commands here: a function (subparsers, add_pipeline_options) -> None.
_EXTRA_COMMANDS: list[Callable] = []


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status (0 ok, 2 expected error)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (InputError, CLIError, ValueError) as err:
        print(f"policy-nlp: error: {err}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        print("policy-nlp: interrupted", file=sys.stderr)
        return 130
    except Terminated:
        print("policy-nlp: terminated", file=sys.stderr)
        return 143


class Terminated(BaseException):
    """SIGTERM arrived: raised where the program is, so staging folders and locks are cleaned up."""


def _terminated(signum, frame) -> None:
    raise Terminated()


def run() -> None:
    """The ``policy-nlp`` program: :func:`main`, then exit with its status. SIGTERM (what
    ``timeout`` and service managers send) unwinds like Ctrl-C, so no staging folder is left."""
    signal.signal(signal.SIGTERM, _terminated)
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    run()
