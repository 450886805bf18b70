"""The command line: output that indexes the input, and clean failures."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from nlp.cli import main


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "nlp.cli", *args], capture_output=True, text=True)


def test_tag_jsonl_offsets_index_the_file(seed_path, seed_text, capsys):
    assert main(["tag", str(seed_path)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert records, "tag printed nothing"
    groups = {r["group"] for r in records}
    assert "sections" in groups
    for r in records:
        if r["group"] != "sections":
            assert seed_text[r["start"] : r["end"]] == r["text"], r
    starts = [r["start"] for r in records]
    assert starts == sorted(starts)


def test_tag_table_format(seed_path, capsys):
    assert main(["tag", str(seed_path), "--format", "table"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"# {seed_path}:")
    assert any("一、2023年工作回顾" in line for line in out)


@pytest.mark.parametrize(
    "content, fragment",
    [(b"", "is empty"), (bytes(range(256)) * 4, "binary"), (b"abc\x80\xffdef", "cannot be decoded")],
)
def test_bad_input_exits_2_with_one_line_and_no_traceback(tmp_path, content, fragment):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    result = run_cli("tag", str(bad))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(bad) in lines[0] and fragment in lines[0]
    assert "Traceback" not in result.stderr


def test_one_bad_file_stops_before_any_output(tmp_path, seed_path):
    bad = tmp_path / "missing.txt"
    result = run_cli("tag", str(seed_path), str(bad))
    assert result.returncode == 2 and result.stdout == ""
    assert "does not exist" in result.stderr


def test_every_command_has_help():
    result = run_cli("--help")
    assert result.returncode == 0
    commands = [c for c in ["tag", "analyze", "indicators", "discover", "annotate", "train", "evaluate"] if f" {c} " in result.stdout or f"{{{c}" in result.stdout or f",{c}" in result.stdout]
    assert "tag" in commands
    for command in commands:
        sub = run_cli(command, "--help")
        assert sub.returncode == 0 and "usage: policy-nlp " + command in sub.stdout


def test_discover_then_accept_into_a_user_lexicon(tmp_path, seed_path, capsys):
    candidates = tmp_path / "candidates.csv"
    assert main(["discover", str(seed_path.parent), "--top", "20", "-o", str(candidates)]) == 0
    import pandas as pd

    table = pd.read_csv(candidates)
    assert len(table) == 20 and {"term", "score", "examples"} <= set(table.columns)
    chosen = list(table["term"][:2])
    lexicon = tmp_path / "mine.jsonl"
    assert main(["accept", str(candidates), "--to", str(lexicon), "--terms", *chosen, "--label", "PROGRAM"]) == 0
    entries = [json.loads(line) for line in lexicon.read_text(encoding="utf-8").splitlines()]
    assert [e["canonical"] for e in entries] == chosen and {e["label"] for e in entries} == {"PROGRAM"}
    # accepting again adds nothing; the accepted terms are then tagged from the user lexicon
    assert main(["accept", str(candidates), "--to", str(lexicon), "--terms", *chosen]) == 0
    assert len(lexicon.read_text(encoding="utf-8").splitlines()) == 2
    capsys.readouterr()
    assert main(["tag", str(seed_path), "--lexicon", str(lexicon)]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    found = {r.get("canonical") for r in records if r["group"] == "policy_terms" and r.get("term_id", "").startswith("U")}
    assert found and found <= set(chosen)


def test_indicators_command_writes_csv(tmp_path, seed_path):
    out = tmp_path / "ind.csv"
    assert main(["indicators", str(seed_path), "-o", str(out)]) == 0
    import pandas as pd

    table = pd.read_csv(out)
    gdp = table[(table.indicator == "全市生产总值") & (table.text == "4.72万亿元")]
    assert len(gdp) == 1 and gdp.iloc[0].kind == "actual" and gdp.iloc[0].year == 2023
    assert main(["indicators", str(seed_path), "-o", str(tmp_path / "ind.xlsx")]) == 2
    assert not (tmp_path / "ind.xlsx").exists()


def test_results_are_ordinary_readable_files(tmp_path):
    import os
    import stat

    from nlp.output import atomic_write_text, staged_directory

    mask = os.umask(0o022)
    try:
        with staged_directory(tmp_path / "results") as stage:
            atomic_write_text(stage / "t.csv", "a,b\n")
        folder = tmp_path / "results"
        assert stat.S_IMODE(os.stat(folder / "t.csv").st_mode) == 0o644
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o755
    finally:
        os.umask(mask)


def test_annotate_train_evaluate_round(tmp_path, seed_path):
    silver = tmp_path / "silver.jsonl"
    docs = [str(seed_path.parent / n) for n in ("national_2019.txt", "national_2020.txt", "national_2022.txt")]
    assert main(["annotate", *docs, "-o", str(silver)]) == 0
    records = [json.loads(line) for line in silver.read_text(encoding="utf-8").splitlines()]
    assert {r["meta"]["doc"] for r in records} == {"national_2019", "national_2020", "national_2022"}
    assert sum(len(r["spans"]) for r in records) > 300
    for r in records:
        for s in r["spans"]:
            assert 0 <= s["start"] < s["end"] <= len(r["text"]) and s["label"] in {"STRATEGY", "PROGRAM", "POLICY", "PLATFORM"}
    model = tmp_path / "model"
    assert main(["train", "--train", str(silver), "-o", str(model), "--max-steps", "20", "-q"]) == 0
    assert (model / "config.cfg").exists()
    scores = tmp_path / "scores.csv"
    assert main(["evaluate", str(model), str(silver), "-o", str(scores)]) == 0
    import pandas as pd

    table = pd.read_csv(scores)
    assert {"PROGRAM", "STRATEGY", "ALL", "OUT_OF_LEXICON"} <= set(table["label"])


def test_broken_annotations_exit_2_with_file_and_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "推进一网通办", "spans": [{"start": 2, "end": 6, "label": "PROGRAM"}]}\n{"text": "缺', encoding="utf-8")
    result = run_cli("train", "--train", str(bad), "-o", str(tmp_path / "m"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{bad}:2" in result.stderr
    assert not (tmp_path / "m").exists()
