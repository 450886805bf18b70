"""`-o` never deletes or mixes with what the run did not write (issue: nothing lost).

Every refusal comes before any work, as one line on stderr with exit status 2, and leaves
every file where it was."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nlp.cli import main
from nlp.cache import output_lock
from nlp.output import MARKER, OutputError, check_output_folder

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture()
def reports(tmp_path):
    """A folder with two real reports and a note, as a user's project would have."""
    folder = tmp_path / "reports"
    folder.mkdir()
    for name in ("national_2020.txt", "national_2021.txt", "SOURCES.md"):
        shutil.copy(SEEDS / name, folder / name)
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def refused(capsys, argv) -> str:
    assert main(argv) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("policy-nlp: error:"), err
    return err[0]


def test_output_equal_to_the_input_folder_is_refused_and_nothing_deleted(reports, capsys):
    before = snapshot(reports)
    message = refused(capsys, ["analyze", str(reports), "-o", str(reports), "-q"])
    assert "input" in message
    assert snapshot(reports) == before


def test_current_folder_is_refused(reports, tmp_path, capsys, monkeypatch):
    project = tmp_path / "proj"
    project.mkdir()
    (project / "notes.txt").write_text("mine", encoding="utf-8")
    monkeypatch.chdir(project)
    message = refused(capsys, ["analyze", str(reports), "-o", ".", "-q"])
    assert "current folder" in message
    assert (project / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_output_inside_an_input_or_holding_one_is_refused(reports, tmp_path, capsys):
    refused(capsys, ["analyze", str(reports), "-o", str(reports / "results"), "-q"])
    assert not (reports / "results").exists()
    refused(capsys, ["analyze", str(reports / "national_2020.txt"), "-o", str(reports), "-q"])
    assert len(snapshot(reports)) == 3


def test_a_folder_without_our_marker_is_refused(reports, tmp_path, capsys):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.docx").write_bytes(b"not ours")
    message = refused(capsys, ["analyze", str(reports), "-o", str(mine), "-q"])
    assert MARKER in message
    assert (mine / "thesis.docx").read_bytes() == b"not ours"


def test_an_existing_file_or_an_unwritable_place_is_refused_before_any_work(reports, tmp_path, capsys):
    target = tmp_path / "results.csv"
    target.write_text("keep", encoding="utf-8")
    assert "not a folder" in refused(capsys, ["analyze", str(reports), "-o", str(target), "-q"])
    assert target.read_text(encoding="utf-8") == "keep"
    assert "cannot write" in refused(capsys, ["analyze", str(reports), "-o", str(target / "sub"), "-q"])


def test_check_output_folder_accepts_new_empty_and_marked_folders(tmp_path):
    assert check_output_folder(tmp_path / "new") == (tmp_path / "new").resolve()
    (tmp_path / "empty").mkdir()
    check_output_folder(tmp_path / "empty")
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / MARKER).write_text("", encoding="utf-8")
    (tmp_path / "old" / "terms.csv").write_text("", encoding="utf-8")
    check_output_folder(tmp_path / "old")
    with pytest.raises(OutputError):
        check_output_folder(tmp_path / "old", inputs=[tmp_path / "old" / "terms.csv"])


def test_a_second_run_into_a_locked_folder_fails_at_once(reports, tmp_path, capsys):
    target = tmp_path / "results"
    with output_lock(target):
        start = time.monotonic()
        message = refused(capsys, ["analyze", str(reports), "-o", str(target), "-q"])
        assert time.monotonic() - start < 10
    assert "another policy-nlp run" in message
    assert not target.exists()
    with output_lock(target):  # released after the refusal, and after the block
        pass


def test_results_folders_inside_an_input_folder_are_never_read(reports, tmp_path):
    from nlp.io import iter_paths

    old = reports / "old_results"
    old.mkdir()
    (old / MARKER).write_text("", encoding="utf-8")
    (old / "report.html").write_text("<html>旧结果</html>", encoding="utf-8")
    (reports / ".hidden").mkdir()
    (reports / ".hidden" / "draft.txt").write_text("草稿", encoding="utf-8")
    assert [p.name for p in iter_paths([reports])] == ["national_2020.txt", "national_2021.txt"]


@pytest.mark.slow
def test_a_run_writes_its_marker_and_replaces_only_its_own_folder(reports, tmp_path):
    target = tmp_path / "results"
    cmd = [sys.executable, "-m", "nlp.cli", "analyze", str(reports / "national_2020.txt"), "-o", str(target), "-q"]
    for _ in range(2):  # the second run replaces the first one's folder
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        assert (target / MARKER).is_file() and (target / "terms.csv").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports", "results"]


@pytest.mark.slow
def test_sigterm_leaves_no_staging_folder_and_exits_143(reports, tmp_path):
    target = tmp_path / "out" / "results"
    cmd = [sys.executable, "-m", "nlp.cli", "analyze", str(reports), "-o", str(target), "-q"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(2.5)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    if proc.returncode == 0:
        pytest.skip("the run finished before the signal")
    assert proc.returncode == 143, err
    assert "Traceback" not in err
    leftovers = [p.name for p in (tmp_path / "out").iterdir()] if (tmp_path / "out").exists() else []
    assert leftovers == []
