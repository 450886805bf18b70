"""How well does a trained term tagger find terms that no lexicon lists? An honest test.

1. The held-out report (default: the Shanghai 2024 seed) is tagged with the full lexicon;
   every lexicon entry found there is removed from the lexicon ("the removed terms"), and
   their occurrences in the held-out report are the gold spans.
2. The other reports in seeds/ are labelled with the reduced lexicon + rules (silver data)
   and a tagger is trained on them (dev split by document, never the held-out report).
3. On the held-out report we measure the recall of the removed terms' occurrences: by the
   reduced lexicon + rules alone (baseline), by the tagger alone, and merged (policy_terms
   with the tagger plugged in). Exact = same offsets (and label), overlap = any overlap.

Run:  .venv/bin/python benchmarks/generalization.py [--holdout NAME] [--max-steps N] [-o out.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp.pipeline.builder import build  # noqa: E402
from nlp.training.plug import add_term_model, load_term_model  # noqa: E402
from nlp.training.silver import annotate_documents  # noqa: E402
from nlp.training.tokens import lexicon_entries  # noqa: E402
from nlp.training.train import train_tagger  # noqa: E402

SEEDS = ROOT / "seeds"


def terms_pipeline(entries):
    """A pipeline with only policy_terms, using exactly ``entries`` as its lexicon."""
    nlp = build(components=["policy_terms"], config={"policy_terms": {"use_shipped_lexicon": False}})
    nlp.get_pipe("policy_terms").add_lexicon(entries)
    return nlp


def recall(gold, predicted) -> dict:
    """Occurrence recall (exact with label, exact offsets, any overlap) and term-type recall."""
    pred_lab = {(s, e, lab) for s, e, lab, _ in predicted}
    pred_off = {(s, e) for s, e, _, _ in predicted}
    exact_lab = [g for g in gold if (g[0], g[1], g[2]) in pred_lab]
    exact = [g for g in gold if (g[0], g[1]) in pred_off]
    overlap = [g for g in gold if any(s < g[1] and g[0] < e for s, e, _, _ in predicted)]
    types = {g[3] for g in gold}
    n = len(gold) or 1
    return {
        "gold_occurrences": len(gold),
        "recall_exact_label": round(len(exact_lab) / n, 4),
        "recall_exact": round(len(exact) / n, 4),
        "recall_overlap": round(len(overlap) / n, 4),
        "gold_terms": len(types),
        "term_recall_exact": round(len({g[3] for g in exact}) / (len(types) or 1), 4),
    }


def spans_of(doc, key: str, source: str | None = None):
    return [(s.start_char, s.end_char, s.label_, s._.canonical or s.text) for s in doc.spans.get(key, [])
            if source is None or s._.source == source]


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--holdout", default="shanghai_2024_government_work_report", help="seed file stem to hold out")
    ap.add_argument("--component", default="ner", choices=["ner", "spancat"])
    ap.add_argument("--max-steps", type=int, default=2500)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--plain-tokens", action="store_true", help="train on plain jieba tokens (no lexicon words)")
    ap.add_argument("--quiet", action="store_true", help="no training progress table")
    ap.add_argument("-o", "--output", help="write the figures as JSON here")
    args = ap.parse_args(argv)

    started = time.perf_counter()
    held = SEEDS / f"{args.holdout}.txt"
    others = sorted(p for p in SEEDS.glob("*.txt") if p != held)
    text = held.read_text(encoding="utf-8")
    full = lexicon_entries()
    full_nlp = terms_pipeline(full)
    full_doc = full_nlp(text)
    gold = spans_of(full_doc, "policy_terms", "lexicon")
    removed_ids = {s._.term_id for s in full_doc.spans["policy_terms"] if s._.source == "lexicon"}
    reduced = [e for e in full if e.id not in removed_ids]
    silver_full = {(s, e, lab) for s, e, lab, _ in spans_of(full_doc, "policy_terms")}
    print(f"held out {held.name}: {len(removed_ids)} of {len(full)} lexicon terms removed "
          f"({len(gold)} occurrences); training on {len(others)} reports", flush=True)

    reduced_nlp = terms_pipeline(reduced)
    t0 = time.perf_counter()
    records = annotate_documents(others, nlp=reduced_nlp)
    silver_seconds = time.perf_counter() - t0
    with tempfile.TemporaryDirectory(prefix="policy-nlp-gen-") as tmp:
        result = train_tagger(records, output=Path(tmp) / "model", component=args.component,
                              max_steps=args.max_steps, seed=args.seed, progress=not args.quiet,
                              lexicon=reduced, use_shipped_lexicon=False, lexicon_tokens=not args.plain_tokens)
        print(result.summary(), flush=True)
        tagger = load_term_model(result.output)
        model_doc = tagger(text)
        model_spans = spans_of(model_doc, "policy_terms_model")
        baseline = spans_of(reduced_nlp(text), "policy_terms")
        add_term_model(reduced_nlp, result.output)
        merged = spans_of(reduced_nlp(text), "policy_terms")
    new_model = [s for s in model_spans if not any(b[0] < s[1] and s[0] < b[1] for b in baseline)]
    base_exact = {(s, e) for s, e, _, _ in baseline}
    missed = [g for g in gold if (g[0], g[1]) not in base_exact]  # what lexicon-less rules cannot find
    figures = {
        "holdout": held.name,
        "component": args.component,
        "lexicon_tokens": not args.plain_tokens,
        "lexicon_terms": len(full),
        "removed_terms": len(removed_ids),
        "training_reports": [p.name for p in others],
        "train_seconds": round(result.seconds, 1),
        "silver_seconds": round(silver_seconds, 1),
        "dev_scores_on_silver": result.scores,
        "baseline_reduced_lexicon_and_rules": recall(gold, baseline),
        "tagger_alone": recall(gold, model_spans),
        "merged_pipeline": recall(gold, merged),
        "tagger_on_occurrences_the_baseline_misses": recall(missed, model_spans),
        "tagger_predictions": len(model_spans),
        "tagger_predictions_matching_full_silver": round(
            sum((s, e, lab) in silver_full for s, e, lab, _ in model_spans) / (len(model_spans) or 1), 4),
        "tagger_spans_not_found_by_baseline": len(new_model),
        "examples_found_by_tagger_only": sorted({t for s, e, lab, t in model_spans
                                                  if (s, e) in {(g[0], g[1]) for g in gold}
                                                  and not any(b[0] < e and s < b[1] for b in baseline)})[:25],
        "tagger_spans_outside_full_silver_sample": sorted({text[s:e] for s, e, _, _ in model_spans
                                                          if not any(a < e and s < b for a, b, _ in silver_full)})[:30],
        "seconds_total": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(figures, ensure_ascii=False, indent=1))
    if args.output:
        from nlp.output import atomic_write_text

        atomic_write_text(args.output, json.dumps(figures, ensure_ascii=False, indent=1) + "\n")
    return figures


if __name__ == "__main__":
    main()
