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

    again = analyze([str(p) for p in INPUTS], nlp=pipeline, figures=False, parallel=False).save(tmp_path / "again")
    for name in COLUMNS:
        assert (again / f"{name}.csv").read_bytes() == (saved / f"{name}.csv").read_bytes(), name
    assert not (again / "report.html").exists()


def test_failed_save_leaves_old_folder_intact(result, tmp_path, monkeypatch):
    import nlp.run  # noqa: F401
    import sys

    module = sys.modules["nlp.run"]
    target = tmp_path / "results"
    target.mkdir()
    (target / "old.csv").write_text("old\n", encoding="utf-8")

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(module, "_write_files", broken)
    with pytest.raises(OSError, match="disk full"):
        result.save(target)
    assert [p.name for p in target.iterdir()] == ["old.csv"]
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


def test_analyze_and_save_leave_the_collector_as_they_found_it(pipeline, tmp_path, monkeypatch):
    """analyze() and save() run the garbage collector less often while they work (helpers forked
    meanwhile keep that), and give the caller back its own thresholds, also after an error."""
    import gc

    import nlp.run as run_module
    from nlp.io import InputError
    from nlp.run import analyze

    seen, real = [], run_module.documents_table

    def spy(*args):
        seen.append(gc.get_threshold())
        return real(*args)

    monkeypatch.setattr(run_module, "documents_table", spy)
    before = gc.get_threshold()
    gc.set_threshold(900, 11, 12)
    try:
        result = analyze([SEEDS / "national_2020.txt"], nlp=pipeline, figures=False, parallel=False)
        assert gc.get_threshold() == (900, 11, 12)
        assert seen == [(50_000, 20, 20)]
        with pytest.raises(InputError):
            analyze([tmp_path / "missing.txt"], nlp=pipeline)
        assert gc.get_threshold() == (900, 11, 12)
        result.save(tmp_path / "out")
        assert gc.get_threshold() == (900, 11, 12)
    finally:
        gc.set_threshold(*before)


def test_figures_are_drawn_on_first_access(result):
    from matplotlib.figure import Figure

    names = list(result.figures)
    assert names[:4] == ["keywords_national_2018", "wordcloud_national_2018", "keywords_national_2024",
                         "wordcloud_national_2024"]
    assert {"topics", "topic_mix", "trends"} <= set(names)
    fig = result.figures["topics"]
    assert isinstance(fig, Figure) and result.figures["topics"] is fig
    assert fig.axes and "主题" in fig.get_suptitle()


def test_helpers_and_this_process_make_identical_files(result, pipeline):
    """The figure files made by the helper processes are byte for byte the ones this process
    renders from the same specs, and the tables are equal."""
    from nlp.run import analyze

    here = analyze(INPUTS, nlp=pipeline, parallel=False)
    assert list(here.figures) == list(result.figures)
    for name in result.figures:
        assert here.figures.files(name) == result.figures.files(name), name
    for name, table in result.tables.items():
        pd.testing.assert_frame_equal(here.tables[name], table, check_dtype=False, obj=name)


def test_helpers_report_their_warnings_here(pipeline, tmp_path):
    """A warning given in a helper (a glyph the font lacks) reaches the caller."""
    from nlp.helpers import Helpers
    from nlp.figures import wordcloud_spec
    from nlp.viz.fonts import MissingGlyphWarning

    spec = wordcloud_spec("doc", ["doc"], {"𠀀字": 3.0, "高质量发展": 2.0}, ["高质量发展"])
    with Helpers(parallel=True) as helpers:
        job = helpers.submit("render", spec)
        with pytest.warns(MissingGlyphWarning, match="𠀀字"):
            files = job.get()
    assert files["png"][:8] == b"\x89PNG\r\n\x1a\n" and b"<svg" in files["svg"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="helpers are forked on Linux")
def test_a_helper_that_dies_fails_its_job_instead_of_hanging(monkeypatch):
    import os
    from concurrent.futures.process import BrokenProcessPool

    import nlp.helpers as helpers_module
    import nlp.jobs

    monkeypatch.setattr(helpers_module, "_server_started", False)  # forked from here: they see the patch below
    monkeypatch.setitem(nlp.jobs.JOBS, "render", lambda spec: os._exit(3))
    with helpers_module.Helpers(parallel=True) as helpers:
        if not helpers.parallel:
            pytest.skip("no second CPU for helpers")
        job = helpers.submit("render", None)
        with pytest.raises(BrokenProcessPool):
            job.get()


def test_without_helper_processes_the_jobs_run_here(monkeypatch):
    """When no worker can be started, every job (also one submitted before that was known)
    runs in this process and gives the same value."""
    import concurrent.futures

    import nlp.helpers as helpers_module
    from nlp.figures import wordcloud_spec

    def refuse(*args, **kwargs):
        raise OSError("no processes here")

    monkeypatch.setattr(helpers_module, "_server_started", False)
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refuse)
    spec = wordcloud_spec("doc", ["doc"], {"高质量发展": 3.0, "乡村振兴": 2.0}, ["高质量发展"])
    with helpers_module.Helpers(parallel=True) as helpers:
        files = helpers.submit("render", spec).get()
        assert not helpers.parallel
    with helpers_module.Helpers(parallel=False) as serial:
        assert serial.submit("render", spec).get() == files


def test_the_fork_servers_preload_freezes_its_imports_and_exits_at_once(tmp_path):
    """In the fork server's process, the preload module leaves every job's import loaded and
    frozen out of the garbage collector (with the collector still on for the helpers), and
    exiting skips the rest of the interpreter's teardown: an exit handler registered before
    it never runs, and nothing is left half-written on stdout."""
    import subprocess

    marker = tmp_path / "teardown-ran"
    code = (
        "import atexit, gc, sys\n"
        f"atexit.register(lambda: open({str(marker)!r}, 'w').close())\n"
        "import nlp.helper_server\n"
        "assert gc.isenabled(), 'collector left off'\n"
        "assert gc.get_freeze_count() > 50000, gc.get_freeze_count()\n"
        "loaded = [m for m in ('sklearn.feature_extraction.text', 'matplotlib.backends.backend_svg', 'wordcloud',"
        " 'pandas', 'nlp.jobs', 'nlp.analysis.topics', 'nlp.viz.plots') if m not in sys.modules]\n"
        "assert not loaded, loaded\n"
        "sys.stdout.write('preloaded')\n"
        "raise SystemExit(0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "preloaded"
    assert not marker.exists()
