"""analyze() on two real reports: every table with its documented columns, figures, report,
deterministic CSVs and an atomically replaced results folder."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pandas as pd
import pytest

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
INPUTS = [SEEDS / "national_2018.txt", SEEDS / "national_2024.txt"]

# the layout documented in docs/results.md
COLUMNS = {
    "documents": ["document", "path", "title", "year", "region", "characters", "sentences", "sections"],
    "spans": ["document", "group", "label", "start", "end", "text", "attributes"],
    "terms": ["document", "section", "term", "canonical", "label", "source", "start", "end", "count"],
    "keywords": ["document", "section", "method", "rank", "keyword", "score"],
    "tfidf": ["document", "section", "rank", "term", "tfidf"],
    "topics": ["method", "topic", "label", "coherence", "rank", "term", "weight"],
    "topic_selection": ["method", "n_topics", "coherence", "chosen"],
    "topic_mix": ["document", "section", "topic", "label", "weight"],
    "trends": ["series", "document", "year", "kind", "term", "count", "per_10k"],
    "changes": ["series", "document", "year", "previous_document", "previous_year", "kind", "term", "change",
                "count", "previous_count"],
}


@pytest.fixture(scope="module")
def result(pipeline):
    from nlp.run import analyze

    return analyze(INPUTS, nlp=pipeline)


@pytest.fixture(scope="module")
def saved(result, tmp_path_factory):
    return result.save(tmp_path_factory.mktemp("run") / "results")


def test_every_table_is_saved_with_its_columns(saved):
    for name, columns in COLUMNS.items():
        table = pd.read_csv(saved / f"{name}.csv", keep_default_na=False)
        assert list(table.columns) == columns, name
        assert len(table) > 0, name
        records = json.loads((saved / f"{name}.json").read_text(encoding="utf-8"))
        assert len(records) == len(table) and list(records[0]) == columns, name
    indicators = pd.read_csv(saved / "indicators.csv")
    assert list(indicators.columns)[:2] == ["document", "indicator"] and len(indicators) > 0


def test_keywords_csv_rows(saved):
    kw = pd.read_csv(saved / "keywords.csv", keep_default_na=False)
    whole = kw[(kw["document"] == "national_2024") & (kw["section"] == "") & (kw["method"] == "tfidf")]
    assert list(whole["rank"]) == list(range(1, 21))
    assert kw.iloc[0]["section"] == "" and kw.iloc[0]["rank"] == 1  # document rows first
    assert {"tfidf", "textrank", "tfidf_corpus"} == set(kw["method"])


def test_changes_find_new_term(saved):
    changes = pd.read_csv(saved / "changes.csv")
    new = changes[(changes["change"] == "new") & (changes["document"] == "national_2024")]
    assert "新质生产力" in set(new["term"])


def test_figures_and_report(saved):
    figures = {p.name for p in (saved / "figures").iterdir()}
    for stem in ["keywords_national_2018", "keywords_national_2024", "wordcloud_national_2018",
                 "wordcloud_national_2024", "topics", "topic_mix", "trends"]:
        assert {f"{stem}.png", f"{stem}.svg"} <= figures, stem
    for name in figures:
        assert (saved / "figures" / name).stat().st_size > 1000, name
    html = (saved / "report.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert html.count('src="data:image/png;base64,') == 7
    assert "新质生产力" in html and "national_2018" in html
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org", "")


def test_same_input_same_csv_bytes(result, saved, tmp_path, pipeline):
    from nlp.run import analyze

    again = analyze([str(p) for p in INPUTS], nlp=pipeline, figures=False).save(tmp_path / "again")
    for name in COLUMNS:
        assert (again / f"{name}.csv").read_bytes() == (saved / f"{name}.csv").read_bytes(), name
    assert not (again / "report.html").exists()


def test_failed_save_leaves_old_folder_intact(result, tmp_path, monkeypatch):
    import nlp.run  # noqa: F401
    from nlp.output import MARKER
    import sys

    module = sys.modules["nlp.run"]
    target = tmp_path / "results"
    target.mkdir()
    (target / MARKER).write_text("", encoding="utf-8")  # a results folder of an earlier run
    (target / "old.csv").write_text("old\n", encoding="utf-8")

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(module, "_write_files", broken)
    with pytest.raises(OSError, match="disk full"):
        result.save(target)
    assert sorted(p.name for p in target.iterdir()) == [MARKER, "old.csv"]
    assert [p.name for p in tmp_path.iterdir()] == ["results"]  # no staging folder left behind


def test_document_inputs_and_progress_flag(pipeline, capsys):
    import nlp
    from nlp.run import analyze

    document = nlp.read(SEEDS / "national_2020.txt")
    quiet = analyze([document], nlp=pipeline, figures=False, progress=False)
    assert capsys.readouterr().err == ""
    assert list(quiet.tables["documents"]["document"]) == ["national_2020"]
    assert quiet.tables["changes"].empty and list(quiet.tables["changes"].columns) == COLUMNS["changes"]
    analyze([document], nlp=pipeline, figures=False, progress=True)
    assert "tagging" in capsys.readouterr().err


def test_bad_input_stops_before_any_work(tmp_path, pipeline):
    from nlp.run import analyze
    from nlp.io import InputError

    with pytest.raises(InputError, match="missing.txt"):
        analyze([SEEDS / "national_2020.txt", tmp_path / "missing.txt"], nlp=pipeline)


def test_figures_are_drawn_on_first_access(result):
    from matplotlib.figure import Figure

    names = list(result.figures)
    assert names[:4] == ["keywords_national_2018", "wordcloud_national_2018", "keywords_national_2024",
                         "wordcloud_national_2024"]
    assert {"topics", "topic_mix", "trends"} <= set(names)
    fig = result.figures["topics"]
    assert isinstance(fig, Figure) and result.figures["topics"] is fig
    assert fig.axes and "主题" in fig.get_suptitle()
