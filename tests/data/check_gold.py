"""Validate the hand-annotated gold file of numeric expressions for the seed document.

Usage (from the repo root):  .venv/bin/python tests/data/check_gold.py [GOLD.jsonl] [SEED.txt]
Exits 0 and prints a per-label summary when the file is valid; otherwise prints one line per
problem and exits 1.
"""
from __future__ import annotations

import json
import math
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_GOLD = ROOT / "tests" / "data" / "seed_numbers_gold.jsonl"
DEFAULT_SEED = ROOT / "seeds" / "shanghai_2024_government_work_report.txt"

KEYS = {"start", "end", "text", "label", "value", "value_high", "unit", "qualifier", "change", "date"}
LABELS = {"MONEY", "PERCENT", "PERCENT_POINT", "QUANTITY", "DATE", "ORDINAL"}
QUALIFIERS = {"=", "~", ">=", "<="}
CHANGES = {"up", "down", None}
DATE_RE = re.compile(r"^(\d{4}(-\d{2}(-\d{2})?)?|--\d{2}(-\d{2})?|--Q[1-4]|\d{4}-Q[1-4])$")


def _is_num(x: object) -> bool:
    """True for a finite int/float (bool excluded)."""
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def check(gold_path: Path = DEFAULT_GOLD, seed_path: Path = DEFAULT_SEED) -> list[str]:
    """Return a list of problems found in the gold file (empty when valid)."""
    text = seed_path.read_text(encoding="utf-8")
    problems: list[str] = []
    prev_end = -1
    prev_start = -1
    for n, line in enumerate(gold_path.read_text(encoding="utf-8").splitlines(), 1):
        where = f"{gold_path.name}:{n}"
        if not line.strip():
            problems.append(f"{where}: empty line")
            continue
        try:
            r = json.loads(line)
        except json.JSONDecodeError as e:
            problems.append(f"{where}: invalid JSON ({e})")
            continue
        if set(r) != KEYS:
            problems.append(f"{where}: keys {sorted(r)} != {sorted(KEYS)}")
            continue
        s, e = r["start"], r["end"]
        if not (isinstance(s, int) and isinstance(e, int) and 0 <= s < e <= len(text)):
            problems.append(f"{where}: bad offsets {s},{e}")
            continue
        if text[s:e] != r["text"]:
            problems.append(f"{where}: text {r['text']!r} != seed[{s}:{e}] {text[s:e]!r}")
        if r["text"] != r["text"].strip():
            problems.append(f"{where}: span has surrounding whitespace")
        if s < prev_start:
            problems.append(f"{where}: not sorted by start")
        if s < prev_end:
            problems.append(f"{where}: overlaps the previous span")
        prev_start, prev_end = s, max(prev_end, e)
        lab = r["label"]
        if lab not in LABELS:
            problems.append(f"{where}: bad label {lab!r}")
        if r["qualifier"] not in QUALIFIERS:
            problems.append(f"{where}: bad qualifier {r['qualifier']!r}")
        if r["change"] not in CHANGES:
            problems.append(f"{where}: bad change {r['change']!r}")
        if r["unit"] is not None and (not isinstance(r["unit"], str) or not r["unit"]):
            problems.append(f"{where}: unit must be a non-empty string or null")
        v, vh = r["value"], r["value_high"]
        for name, x in (("value", v), ("value_high", vh)):
            if x is not None and not _is_num(x):
                problems.append(f"{where}: {name} {x!r} is not a finite number")
        if (v is None) != (vh is None):
            problems.append(f"{where}: value and value_high must both be set or both null")
        elif _is_num(v) and _is_num(vh) and vh < v:
            problems.append(f"{where}: value_high {vh} < value {v}")
        if lab == "DATE":
            if not isinstance(r["date"], str) or not DATE_RE.match(r["date"]):
                problems.append(f"{where}: DATE needs an ISO-like date, got {r['date']!r}")
            if r["unit"] not in ("年", "月", "日", "季度"):
                problems.append(f"{where}: DATE unit {r['unit']!r} not 年/月/日/季度")
        else:
            if r["date"] is not None:
                problems.append(f"{where}: date set on a non-DATE span")
            if v is None:
                problems.append(f"{where}: {lab} span without a value")
        if lab == "PERCENT" and r["unit"] != "%":
            problems.append(f"{where}: PERCENT unit must be '%'")
        if lab == "PERCENT_POINT" and r["unit"] != "个百分点":
            problems.append(f"{where}: PERCENT_POINT unit must be '个百分点'")
        if lab == "ORDINAL" and not r["text"].startswith("第"):
            problems.append(f"{where}: ORDINAL span should start with 第")
    return problems


def main(argv: list[str]) -> int:
    """Command-line entry point; returns the exit status."""
    gold = Path(argv[1]) if len(argv) > 1 else DEFAULT_GOLD
    seed = Path(argv[2]) if len(argv) > 2 else DEFAULT_SEED
    problems = check(gold, seed)
    for p in problems:
        print(p)
    if problems:
        print(f"FAILED: {len(problems)} problem(s)")
        return 1
    rows = [json.loads(x) for x in gold.read_text(encoding="utf-8").splitlines()]
    counts = Counter(r["label"] for r in rows)
    print(f"OK: {len(rows)} spans; " + ", ".join(f"{k}={counts[k]}" for k in sorted(counts)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
