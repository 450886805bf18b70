"""Recall of the clear policy terms in the seed (gold by the lexicon curator) and no generic words."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from nlp.pipeline.terms.component import PolicyTermTagger
from nlp.pipeline.terms.lexicon import load_generic_words, load_lexicon, shipped_generic_words_path, shipped_lexicon_path

ROOT = Path(__file__).resolve().parent.parent
GOLD = Path(__file__).resolve().parent / "data" / "seed_terms_gold.jsonl"

needs_gold = pytest.mark.skipif(
    not GOLD.exists() or not shipped_lexicon_path().exists(), reason="gold or shipped lexicon not there yet"
)


def recall(tagger: PolicyTermTagger, text: str) -> tuple[float, list]:
    """Share of gold mentions found with exactly the gold surface (counted per mention)."""
    found = Counter(text[c.start : c.end] for c in tagger.find(text))
    gold = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    total = sum(g["count"] for g in gold)
    hit = sum(min(found[g["text"]], g["count"]) for g in gold)
    missed = [g["text"] for g in gold if found[g["text"]] < g["count"]]
    return hit / total, missed


@needs_gold
def test_recall_with_the_shipped_lexicon(seed_text):
    value, missed = recall(PolicyTermTagger(), seed_text)
    assert value >= 0.90, missed


@needs_gold
def test_recall_without_the_local_entries_generalizes(seed_text):
    """As on an unseen local report: national/other entries only, the rules do the rest."""
    tagger = PolicyTermTagger(use_shipped_lexicon=False)
    tagger.add_lexicon([e for e in load_lexicon(shipped_lexicon_path()) if e.scope != "local:上海"])
    value, missed = recall(tagger, seed_text)
    assert value >= 0.90, missed


@needs_gold
def test_rules_alone_recover_a_good_share(seed_text):
    value, _ = recall(PolicyTermTagger(use_shipped_lexicon=False), seed_text)
    assert value >= 0.55


def test_no_generic_word_tagged_on_any_report():
    generic = load_generic_words(shipped_generic_words_path())
    tagger = PolicyTermTagger()
    reports = sorted((ROOT / "seeds").glob("*.txt"))
    assert len(reports) >= 8
    for path in reports:
        text = path.read_text(encoding="utf-8")
        bad = [text[c.start : c.end] for c in tagger.find(text) if text[c.start : c.end].strip("“”") in generic]
        assert bad == [], path.name


@needs_gold
def test_local_terms_of_an_unseen_province_are_mostly_found_by_rules():
    """Guangdong: what the full lexicon tags with its local entries, found without them."""
    entries = load_lexicon(shipped_lexicon_path())
    local_ids = {e.id for e in entries if e.scope == "local:广东"}
    if not local_ids:
        pytest.skip("no local:广东 entries")
    text = (ROOT / "seeds" / "guangdong_2022.txt").read_text(encoding="utf-8")
    gold = Counter(text[c.start : c.end] for c in PolicyTermTagger().find(text) if c.term_id in local_ids)
    tagger = PolicyTermTagger(use_shipped_lexicon=False)
    tagger.add_lexicon([e for e in entries if e.scope != "local:广东"])
    found = Counter(text[c.start : c.end] for c in tagger.find(text))
    hit = sum(min(found[k], v) for k, v in gold.items())
    assert hit / sum(gold.values()) >= 0.6
