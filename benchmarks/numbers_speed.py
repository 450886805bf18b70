"""Speed of the numeric_expressions component: pipeline time with it / without it.

Usage (from the repo root):  .venv/bin/python benchmarks/numbers_speed.py [TEXT ...] [--reps N]

Both pipelines are built in the same process with the same other components (the default
pipeline's, where they are registered). After a warm-up they are run in alternation,
``--reps`` times each over every text, timing this process's CPU time (other processes
on a shared machine disturb it far less than wall time); the best total of each is
compared. The target is a ratio <= 1.10.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from spacy.language import Language  # noqa: E402

from nlp.pipeline import builder  # noqa: E402
from nlp.pipeline import registry  # noqa: E402,F401  (registers every factory)
from nlp.pipeline.numbers.extract import find_numbers  # noqa: E402

NAME = "numeric_expressions"


#: components that consume our spans: without us they have nothing to do, so they are
#: left out of both pipelines (their cost is theirs, not ours)
CONSUMERS = {"indicators"}


def _other_components() -> list[str]:
    """The default pipeline's components other than ours and our consumers (those registered)."""
    names = list(getattr(builder, "DEFAULT_COMPONENTS", []) or [])
    return [c for c in names if c != NAME and c not in CONSUMERS and Language.has_factory(c)]


def _run(nlp, texts: list[str]) -> float:
    gc.collect()  # no collection of the other pipeline's garbage inside the timing
    t0 = time.process_time()
    for t in texts:
        nlp(t)
    return time.process_time() - t0


def _compare(a, b, texts: list[str], reps: int) -> tuple[list[float], list[float]]:
    """CPU times of ``a`` and ``b`` per repetition, run in alternating order after a warm-up."""
    _run(a, texts)
    _run(b, texts)
    times_a: list[float] = []
    times_b: list[float] = []
    for i in range(reps):
        if i % 2:
            times_b.append(_run(b, texts))
            times_a.append(_run(a, texts))
        else:
            times_a.append(_run(a, texts))
            times_b.append(_run(b, texts))
    return times_a, times_b


def main(argv: list[str] | None = None) -> int:
    """Print the time with and without the component and their ratio."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("texts", nargs="*", type=Path,
                    default=[ROOT / "seeds" / "shanghai_2024_government_work_report.txt"])
    ap.add_argument("--reps", type=int, default=15)
    args = ap.parse_args(argv)
    texts = [p.read_text(encoding="utf-8") for p in args.texts]
    others = _other_components()
    without = builder.build(components=others)
    with_ = builder.build(components=others + [NAME])
    times_without, times_with = _compare(without, with_, texts, args.reps)
    t_without, t_with = min(times_without), min(times_with)
    paired = statistics.median(w / wo for w, wo in zip(times_with, times_without))
    t_find = float("inf")
    for _ in range(args.reps):
        t0 = time.process_time()
        for t in texts:
            find_numbers(t)
        t_find = min(t_find, time.process_time() - t0)
    # the component's own cost, timed on the docs the other components produced
    component = with_.get_pipe(NAME)
    base_runs, comp_runs = [], []
    for _ in range(args.reps):
        gc.collect()
        t0 = time.process_time()
        docs = [without(t) for t in texts]
        t1 = time.process_time()
        for doc in docs:
            component(doc)
        t2 = time.process_time()
        base_runs.append(t1 - t0)
        comp_runs.append(t2 - t1)
    t_base, t_comp = min(base_runs), min(comp_runs)
    chars = sum(len(t) for t in texts)
    print(f"texts: {len(texts)} ({chars} chars), reps: {args.reps}, other components: {others or 'none'}")
    print(f"pipeline without {NAME}: {t_without * 1000:8.1f} ms (best CPU time)")
    print(f"pipeline with    {NAME}: {t_with * 1000:8.1f} ms (best CPU time)")
    print(f"find_numbers alone:          {t_find * 1000:8.1f} ms")
    print(f"median of paired ratios: {paired:.3f}")
    print(f"ratio with/without (best times): {t_with / t_without:.3f}")
    print(f"component alone on the other components' docs: {t_comp * 1000:.1f} ms "
          f"of {t_base * 1000:.1f} ms -> ratio {(t_base + t_comp) / t_base:.3f}  (target <= 1.10)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
