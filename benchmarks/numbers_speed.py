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


def _other_components() -> list[str]:
    """The default pipeline's components other than ours (those registered)."""
    names = list(getattr(builder, "DEFAULT_COMPONENTS", []) or [])
    return [c for c in names if c != NAME and Language.has_factory(c)]


def _run(nlp, texts: list[str]) -> float:
    t0 = time.process_time()
    for t in texts:
        nlp(t)
    return time.process_time() - t0


def _compare(a, b, texts: list[str], reps: int) -> tuple[float, float]:
    """Best CPU time of ``a`` and of ``b``, run in alternation after a warm-up."""
    _run(a, texts)
    _run(b, texts)
    best_a = best_b = float("inf")
    for _ in range(reps):
        best_a = min(best_a, _run(a, texts))
        best_b = min(best_b, _run(b, texts))
    return best_a, best_b


def main(argv: list[str] | None = None) -> int:
    """Print the time with and without the component and their ratio."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("texts", nargs="*", type=Path,
                    default=[ROOT / "seeds" / "shanghai_2024_government_work_report.txt"])
    ap.add_argument("--reps", type=int, default=10)
    args = ap.parse_args(argv)
    texts = [p.read_text(encoding="utf-8") for p in args.texts]
    others = _other_components()
    without = builder.build(components=others)
    with_ = builder.build(components=others + [NAME])
    t_without, t_with = _compare(without, with_, texts, args.reps)
    t_find = float("inf")
    for _ in range(args.reps):
        t0 = time.process_time()
        for t in texts:
            find_numbers(t)
        t_find = min(t_find, time.process_time() - t0)
    chars = sum(len(t) for t in texts)
    print(f"texts: {len(texts)} ({chars} chars), reps: {args.reps}, other components: {others or 'none'}")
    print(f"pipeline without {NAME}: {t_without * 1000:8.1f} ms")
    print(f"pipeline with    {NAME}: {t_with * 1000:8.1f} ms")
    print(f"find_numbers alone:          {t_find * 1000:8.1f} ms")
    print(f"ratio with/without: {t_with / t_without:.3f}  (target <= 1.10)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
