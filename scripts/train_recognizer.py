"""Rebuild the shipped term models from the hand-annotated reports (tests/data/terms_gold/*.jsonl).

    python scripts/train_recognizer.py

Writes nlp/data/recognizer/terms.crfsuite (the character-CRF recognizer, segmented with the
default pipeline's tokenizer) and nlp/data/recognizer/labels.json (the label model for rule
finds and discovery). Deterministic: the same annotations give the same files.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.pipeline.builder import load_pipeline  # noqa: E402
from nlp.pipeline.terms.labels import TermLabeler  # noqa: E402
from nlp.training.formats import read_spacy_jsonl  # noqa: E402
from nlp.training.recognizer import train_recognizer  # noqa: E402

GOLD = ROOT / "tests" / "data" / "terms_gold"
OUT = ROOT / "nlp" / "data" / "recognizer"


def main() -> int:
    records = [r for p in sorted(GOLD.glob("*.jsonl")) for r in read_spacy_jsonl(p)]
    OUT.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    terms = [(r.text[s:e], label) for r in records for s, e, label in r.spans]
    TermLabeler.train([t for t, _ in terms], [lab for _, lab in terms]).to_disk(OUT / "labels.json")
    nlp = load_pipeline(components=["policy_terms"])  # its tokenizer: jieba + the lexicon's words
    (OUT / "terms.crfsuite").write_bytes(train_recognizer(records, nlp))
    sizes = ", ".join(f"{p.name} {p.stat().st_size / 1e6:.1f} MB" for p in sorted(OUT.iterdir()))
    print(f"trained on {len(records)} annotated lines, {len(terms)} mentions, in {time.perf_counter() - started:.0f} s: {sizes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
