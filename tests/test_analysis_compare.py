"""Comparison of the 2018 and 2024 national reports: frequencies and new/dropped terms."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp.analysis.compare import CHANGE_COLUMNS, TREND_COLUMNS, DocInfo, changes_table, series_of, trends_table

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(scope="module")
def national(pipeline):
    import nlp

    documents = [nlp.read(SEEDS / "national_2024.txt"), nlp.read(SEEDS / "national_2018.txt")]
    return list(nlp.process(pipeline, documents))


@pytest.fixture(scope="module")
def trends(national):
    return trends_table(national, ["national_2024", "national_2018"], keywords=["集成电路", "人工智能"])


def test_trends_layout_and_frequency(national, trends):
    assert list(trends.columns) == TREND_COLUMNS
    # ordered by year within the series, whatever the input order
    assert list(dict.fromkeys(trends["document"])) == ["national_2018", "national_2024"]
    row = trends[(trends["document"] == "national_2024") & (trends["term"] == "高质量发展")].iloc[0]
    count = sum(1 for s in national[0].spans["policy_terms"] if s._.canonical == "高质量发展")
    assert row["count"] == count > 0
    assert row["per_10k"] == pytest.approx(count * 10000 / len(national[0].text), abs=1e-4)
    kw = trends[trends["kind"] == "keyword"]
    assert set(kw["term"]) == {"集成电路", "人工智能"}
    assert (trends.groupby("document").size().nunique()) == 1  # every term listed for every document


def test_new_and_dropped_terms(trends):
    changes = changes_table(trends)
    assert list(changes.columns) == CHANGE_COLUMNS
    new = changes[changes["change"] == "new"]
    assert "新质生产力" in set(new[new["kind"] == "term"]["term"])
    row = new[new["term"] == "新质生产力"].iloc[0]
    assert (row["document"], row["previous_document"], row["year"], row["previous_year"]) == (
        "national_2024", "national_2018", 2024, 2018)
    dropped = changes[changes["change"] == "dropped"]
    assert "供给侧结构性改革" not in set(new["term"])
    assert len(dropped) > 0 and (dropped["count"] == 0).all() and (dropped["previous_count"] > 0).all()
    assert changes.equals(changes_table(trends))


def test_series_by_region_then_one_series():
    infos = [DocInfo("sh24", 2024, "上海市", 10), DocInfo("n24", 2024, "全国", 10), DocInfo("n18", 2018, "全国", 10)]
    assert series_of(infos) == {"上海市": [0], "全国": [2, 1]}
    assert series_of(infos[:2]) == {"all": [1, 0]}  # same year: by name


def test_stop_word_keywords_warn_instead_of_silently_counting_zero(seed_path):
    import warnings as _warnings

    import nlp as _nlp
    from nlp.analysis.compare import trends_table as _trends

    doc = _nlp.load()(seed_path.read_text(encoding="utf-8")[:4000])
    with pytest.warns(UserWarning, match="推进"):
        table = _trends([doc], ["seed"], keywords=["推进", "集成电路"])
    assert table[(table.kind == "keyword") & (table.term == "推进")]["count"].tolist() == [0]
    with _warnings.catch_warnings():
        _warnings.simplefilter("error")
        _trends([doc], ["seed"], keywords=["集成电路"])
