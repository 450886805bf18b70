"""Time ``policy-nlp analyze`` end to end, cold (a fresh process each run), on the seed report
and on every report in seeds/.

    .venv/bin/python benchmarks/analyze_speed.py [--repeat N] [--baseline REV]

Targets (issue 5): the seed alone in at most 5 s, all of seeds/ in at most 20 s (wall clock,
with all figures and report.html). Prints the seconds of each run and the best. With
``--baseline REV`` the same runs are made, interleaved, with the package as it was at git
revision REV (checked out in a temporary worktree), and the ratios of the best and of the median
times are printed. The verdict is on the median: this shared machine's speed drifts by 10-20%.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "shanghai_2024_government_work_report.txt"
SEEDS = ROOT / "seeds"
TARGETS = {"seed": 5.0, "seeds/": 20.0}


def _timed(args: list[str], code: Path = ROOT) -> float:
    """Seconds of one cold ``python -m nlp.cli ARGS`` run of the package in ``code``."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "nlp.cli", *args], cwd=code, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{args[0]} failed ({done.returncode}):\n{done.stderr}")
    return seconds


def run(inputs: list[Path], out: Path, code: Path = ROOT) -> float:
    """Seconds of one cold ``policy-nlp analyze -q`` run of the package in ``code``."""
    return _timed(["analyze", "-q", "-o", str(out), *map(str, inputs)], code)


def run_tag(inputs: list[Path]) -> float:
    """Seconds of one cold ``policy-nlp tag`` run (import, pipeline load, tagging: the floor)."""
    return _timed(["tag", *map(str, inputs)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs per case (the best is reported)")
    parser.add_argument("--baseline", metavar="REV", help="also time the package at this git revision")
    args = parser.parse_args()
    print(f"cpu count {os.cpu_count()}, load average {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        old = None
        if args.baseline:
            old = Path(tmp) / "baseline"
            subprocess.run(["git", "worktree", "add", "--detach", str(old), args.baseline], cwd=ROOT, check=True,
                           capture_output=True)
            for code in (ROOT, old):  # both byte-compiled, as `make setup` leaves them
                subprocess.run([sys.executable, "-m", "compileall", "-q", str(code / "nlp")], capture_output=True)
        try:
            for label, inputs in (("seed", [SEED]), ("seeds/", [SEEDS])):
                times, before = [], []
                for i in range(args.repeat):  # interleaved, so both see the same machine
                    times.append(run(inputs, Path(tmp) / f"results{i}"))
                    if old is not None:
                        before.append(run(inputs, Path(tmp) / f"before{i}", old))
                floor = min(run_tag(inputs) for _ in range(args.repeat))
                best, middle = min(times), statistics.median(times)
                verdict = "ok" if middle <= TARGETS[label] else "over target"
                print(f"{label:<7} runs {' '.join(f'{t:.2f}' for t in times)} s; best {best:.2f} s, median "
                      f"{middle:.2f} s (target {TARGETS[label]:.0f} s: {verdict}); `policy-nlp tag` alone {floor:.2f} s")
                if before:
                    print(f"{'':<7} at {args.baseline}: runs {' '.join(f'{t:.2f}' for t in before)} s; "
                          f"best {min(before):.2f} s, median {statistics.median(before):.2f} s; now / then = "
                          f"{best / min(before):.2f} (best), {middle / statistics.median(before):.2f} (median)")
        finally:
            if old is not None:
                subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=ROOT, capture_output=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
