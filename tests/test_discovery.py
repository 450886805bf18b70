"""Term discovery on the reports in seeds/, and accepting candidates into a user lexicon."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from nlp.analysis.discovery import COLUMNS, accept_candidates, discover_terms
from nlp.pipeline.terms.component import PolicyTermTagger
from nlp.pipeline.terms.lexicon import LexiconError, load_generic_words, load_lexicon, shipped_generic_words_path

ROOT = Path(__file__).resolve().parent.parent
MINI = Path(__file__).resolve().parent / "data" / "mini_lexicon.jsonl"
REMOVED = ("放管服", "营商环境", "揭榜挂帅")
SHIPPED = ROOT / "nlp" / "data" / "lexicon" / "policy_terms.jsonl"


@pytest.fixture(scope="module")
def reports() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    assert len(texts) >= 8
    return texts


@pytest.fixture(scope="module")
def lexicon_without_removed():
    source = SHIPPED if SHIPPED.exists() else MINI
    return [e for e in load_lexicon(source) if e.canonical not in REMOVED]


@pytest.fixture(scope="module")
def ranked(reports, lexicon_without_removed) -> pd.DataFrame:
    return discover_terms(reports, lexicon=lexicon_without_removed, top=50)


def test_columns_and_order(ranked):
    assert list(ranked.columns) == COLUMNS
    assert len(ranked) == 50
    assert ranked["score"].is_monotonic_decreasing
    assert (ranked["freq"] >= 3).all() or (ranked["quoted"] >= 2).all()
    assert ranked["doc_freq"].between(1, 8).all()


@pytest.mark.parametrize("term", REMOVED)
def test_a_term_removed_from_the_lexicon_comes_back_near_the_top(ranked, term):
    top30 = list(ranked["term"][:30])
    assert term in top30, top30


def test_known_and_generic_words_are_not_candidates(ranked, lexicon_without_removed):
    known = {f.strip("“”") for e in lexicon_without_removed for f in e.forms()}
    generic = load_generic_words(shipped_generic_words_path())
    assert not set(ranked["term"]) & known
    assert not set(ranked["term"]) & generic


def test_examples_show_the_term_in_context(ranked, reports):
    row = ranked[ranked["term"] == "放管服"].iloc[0]
    assert row["quoted"] >= 10 and row["doc_freq"] >= 5
    assert 1 <= len(row["examples"]) <= 3
    assert all("【放管服】" in ex for ex in row["examples"])
    assert any(ex.replace("…", "").split("【")[0][-1:] == "“" for ex in row["examples"])


def test_discovery_is_deterministic_and_takes_docs(reports):
    from nlp.pipeline.builder import build

    nlp_docs = [build().make_doc(t) for t in reports[:2]]
    a = discover_terms(nlp_docs, lexicon=MINI, top=20)
    b = discover_terms(reports[:2], lexicon=MINI, top=20)
    pd.testing.assert_frame_equal(a, b)
    assert discover_terms([], top=5).empty
    with pytest.raises(ValueError, match="expected str"):
        discover_terms([123])


def test_accept_candidates_appends_without_duplicates(tmp_path, ranked):
    path = tmp_path / "mine.jsonl"
    added = accept_candidates(ranked.head(3), path, label="PROGRAM")
    assert [e["id"] for e in added] == ["U0001", "U0002", "U0003"]
    assert accept_candidates(list(ranked["term"][:3]) + ["“新词甲”"], path) == [
        {"id": "U0004", "canonical": "新词甲", "aliases": [], "label": "PROGRAM",
         "note": "accepted from discover_terms", "scope": "national"}
    ]
    entries = load_lexicon(path)  # a valid lexicon file the tagger can load
    assert [e.id for e in entries] == ["U0001", "U0002", "U0003", "U0004"]
    assert len({e.canonical for e in entries}) == 4
    assert not list(tmp_path.glob(".mine.jsonl.*"))  # the temporary file was renamed away
    tagger = PolicyTermTagger(rules=[])
    tagger.initialize(shipped=False, lexicon=path)
    assert [c.canonical for c in tagger.find("推进新词甲。")] == ["新词甲"]


def test_accept_candidates_rejects_a_bad_label(tmp_path):
    with pytest.raises(LexiconError, match="label"):
        accept_candidates(["新词乙"], tmp_path / "x.jsonl", label="SLOGAN")
    assert not (tmp_path / "x.jsonl").exists()


def test_accepted_file_keeps_existing_lines(tmp_path):
    path = tmp_path / "mine.jsonl"
    path.write_text(json.dumps({"id": "U0007", "canonical": "旧词", "label": "POLICY"}, ensure_ascii=False), encoding="utf-8")
    added = accept_candidates(["旧词", "新词丙"], path)
    assert [e["id"] for e in added] == ["U0008"]
    assert [e.canonical for e in load_lexicon(path)] == ["旧词", "新词丙"]
