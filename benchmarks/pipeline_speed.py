"""Characters per second of ``nlp.pipe`` over the seeds against raw ``jieba.lcut``.

Both run in the same process, after a warm-up, best CPU time of N interleaved repetitions; the ratio is
pipeline speed / jieba speed (1.0 = as fast as segmentation alone).

    python benchmarks/pipeline_speed.py [--repeat 5] [FOLDER]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import jieba

import nlp
from nlp.pipeline.builder import DEFAULT_COMPONENTS, build
from timing import best_time  # benchmarks/timing.py (the script folder is on sys.path)

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(ROOT / "seeds"))
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    texts = [p.read_text(encoding="utf-8") for p in sorted(Path(args.folder).glob("*.txt")) if p.name != "SOURCES.md"]
    chars = sum(map(len, texts))

    def raw_jieba() -> None:
        for text in texts:
            jieba.lcut(text)

    pipelines = {
        "tokenizer only": build(),
        "tokenizer + sentences + structure": build(components=["policy_sentencizer", "report_structure"]),
        "full default pipeline": nlp.load(),
    }
    raw_jieba()
    for p in pipelines.values():
        list(p.pipe(texts))
    # Interleave the runs so that load from other processes hits all of them alike.
    runs = {"raw jieba.lcut": raw_jieba, **{name: (lambda p=p: list(p.pipe(texts))) for name, p in pipelines.items()}}
    best = {name: float("inf") for name in runs}
    for _ in range(args.repeat):
        for name, fn in runs.items():
            best[name] = min(best[name], best_time(fn, 1))
    base = best["raw jieba.lcut"]
    print(f"{len(texts)} documents, {chars:,} characters; best of {args.repeat} interleaved runs")
    for name, t in best.items():
        pipes = ", ".join(pipelines[name].pipe_names) if name in pipelines else "jieba's global tokenizer"
        print(f"{name:<36} {chars / t:>12,.0f} chars/s   ratio {base / t:.2f}   ({pipes or 'tokenizer'})")
    print(f"default components: {', '.join(c for c in DEFAULT_COMPONENTS)}")


if __name__ == "__main__":
    main()
