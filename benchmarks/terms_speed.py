"""What the ``policy_terms`` component adds to the pipeline's time on the seed.

Builds the default pipeline with and without ``policy_terms`` in the same process (the
segmenter dictionary is the same in both, so only the component differs), warms both up,
then times them alternately (CPU time of this process) and prints the best-of-N times, their ratio (with / without; the
target is <= 1.15) and the median of the paired ratios. Also times the component's own matching.

    python benchmarks/terms_speed.py [--repeat 15] [FILE]
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from nlp.pipeline.builder import DEFAULT_COMPONENTS, build
from spacy.language import Language
from timing import best_time  # benchmarks/timing.py (the script folder is on sys.path)

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "shanghai_2024_government_work_report.txt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", default=str(SEED))
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    text = Path(args.file).read_text(encoding="utf-8")

    names = [c for c in DEFAULT_COMPONENTS if Language.has_factory(c)]
    with_terms = build(components=names)
    without = build(components=[c for c in names if c != "policy_terms"])
    # same segmenter dictionary in both: the lexicon words change how jieba cuts
    terms = with_terms.get_pipe("policy_terms")
    with_terms.tokenizer.add_words(terms.segmenter_words())
    without.tokenizer.add_words(terms.segmenter_words())
    for nlp in (with_terms, without):
        nlp(text)  # warm-up: jieba's dictionary, caches

    times_with: list[float] = []
    times_without: list[float] = []
    for _ in range(args.repeat):  # alternate so that machine load hits both alike
        times_with.append(best_time(lambda: with_terms(text), 1))
        times_without.append(best_time(lambda: without(text), 1))
    t_with, t_without = min(times_with), min(times_without)
    paired = sorted(w / wo for w, wo in zip(times_with, times_without))
    t_find = best_time(lambda: terms.find(text), args.repeat)

    print(f"text: {Path(args.file).name}, {len(text)} chars; components: {', '.join(names)}")
    print(f"lexicon entries: {len(terms.entries)}, rules: {', '.join(terms.rules)}")
    print(f"pipeline without policy_terms: {t_without * 1000:8.1f} ms")
    print(f"pipeline with policy_terms:    {t_with * 1000:8.1f} ms")
    print(f"policy_terms matching alone:   {t_find * 1000:8.1f} ms")
    print(f"median of paired ratios: {statistics.median(paired):.3f}")
    print(f"ratio with/without (best of {args.repeat}): {t_with / t_without:.3f}  (target <= 1.15)")


if __name__ == "__main__":
    main()
