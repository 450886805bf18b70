"""The numeric tagger against the hand-annotated gold file of the seed report.

Exact-span F1 (span + label) must be >= 0.97 and, on matched spans, value and value_high
must agree (relative tolerance 1e-9) for >= 98% of them.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from nlp.pipeline.numbers import find_numbers

GOLD = Path(__file__).resolve().parent / "data" / "seed_numbers_gold.jsonl"


def _close(a, b) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


@pytest.fixture(scope="module")
def gold() -> list[dict]:
    if not GOLD.exists():
        pytest.fail(f"{GOLD}: the gold file is missing")
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) > 100
    return rows


@pytest.fixture(scope="module")
def scores(gold, seed_text):
    pred = {(m.start, m.end, m.label): m for m in find_numbers(seed_text)}
    ref = {(g["start"], g["end"], g["label"]): g for g in gold}
    matched = set(pred) & set(ref)
    precision = len(matched) / len(pred)
    recall = len(matched) / len(ref)
    f1 = 2 * precision * recall / (precision + recall) if matched else 0.0
    values_ok = sum(
        _close(pred[k].value, ref[k]["value"]) and _close(pred[k].value_high, ref[k]["value_high"]) for k in matched
    )
    return {"f1": f1, "value_acc": values_ok / len(matched), "pred": pred, "ref": ref, "matched": matched}


def test_gold_spans_index_the_seed(gold, seed_text):
    for g in gold:
        assert seed_text[g["start"]:g["end"]] == g["text"]


def test_exact_span_f1(scores):
    assert scores["f1"] >= 0.97, sorted(set(scores["ref"]) ^ set(scores["pred"]))


def test_value_accuracy_on_matched_spans(scores):
    assert scores["value_acc"] >= 0.98


def test_attributes_on_matched_spans(scores):
    """unit, qualifier, change and date agree on nearly every matched span."""
    fields = ("unit", "qualifier", "change", "date")
    agree = sum(
        all(getattr(scores["pred"][k], f) == scores["ref"][k][f] for f in fields) for k in scores["matched"]
    )
    assert agree / len(scores["matched"]) >= 0.95
