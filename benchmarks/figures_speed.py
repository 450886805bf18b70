"""CPU time to render each figure of the seed's analysis to PNG and SVG bytes (what the helper
processes of ``policy-nlp analyze`` spend most of their time on).

    .venv/bin/python benchmarks/figures_speed.py [--repeat N] [--baseline REV]

The figure specs come from one analysis of the seed report; every figure is rendered once to warm
up, then timed ``--repeat`` times (best CPU time). With ``--baseline REV`` the same specs are
rendered by the package as it was at git revision REV (a temporary worktree), in alternating fresh
processes, and the ratio now / then is printed per figure and in total.
"""

from __future__ import annotations

import argparse
import json
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "shanghai_2024_government_work_report.txt"

_CHILD = """
import json, pickle, sys, time
sys.path.insert(0, {code!r})
from nlp.figures import render
specs = pickle.load(open({specs!r}, "rb"))
out = {{}}
for name, spec in specs.items():
    render(spec)  # warm: fonts, caches
    times = []
    for _ in range({repeat}):
        start = time.process_time()
        render(spec)
        times.append(time.process_time() - start)
    out[name] = min(times)
print(json.dumps(out))
"""


def figure_specs(path: Path) -> None:
    """Pickle the figure specs of the seed's analysis to ``path``."""
    from nlp.run import analyze

    result = analyze([SEED])
    with open(path, "wb") as f:
        pickle.dump({name: result.figures.spec(name) for name in result.figures}, f)


def render_times(code: Path, specs: Path, repeat: int) -> dict[str, float]:
    """Best CPU seconds per figure, rendered by the package in ``code`` in a fresh process."""
    child = _CHILD.format(code=str(code), specs=str(specs), repeat=repeat)
    done = subprocess.run([sys.executable, "-c", child], cwd=code, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"rendering with {code} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed renders per figure and process (best is kept)")
    parser.add_argument("--rounds", type=int, default=2, help="fresh processes per revision, alternating")
    parser.add_argument("--baseline", metavar="REV", help="also time the package at this git revision")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        specs = Path(tmp) / "specs.pkl"
        figure_specs(specs)
        old = None
        if args.baseline:
            old = Path(tmp) / "baseline"
            subprocess.run(["git", "worktree", "add", "--detach", str(old), args.baseline], cwd=ROOT, check=True,
                           capture_output=True)
        try:
            now: dict[str, float] = {}
            then: dict[str, float] = {}
            for _ in range(args.rounds):
                for code, best in ((ROOT, now), (old, then)):
                    if code is None:
                        continue
                    for name, seconds in render_times(code, specs, args.repeat).items():
                        best[name] = min(seconds, best.get(name, seconds))
        finally:
            if old is not None:
                subprocess.run(["git", "worktree", "remove", "--force", str(old)], cwd=ROOT, capture_output=True)
    width = max(map(len, now)) + 2
    print(f"{'figure':<{width}} {'now s':>7}" + (f" {'then s':>7} {'ratio':>6}" if then else ""))
    for name in now:
        line = f"{name:<{width}} {now[name]:7.3f}"
        if then:
            line += f" {then[name]:7.3f} {now[name] / then[name]:6.2f}"
        print(line)
    total = sum(now.values())
    line = f"{'total':<{width}} {total:7.3f}"
    if then:
        line += f" {sum(then.values()):7.3f} {total / sum(then.values()):6.2f}"
    print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
