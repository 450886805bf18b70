"""Annotation formats: each sample reads the same; each broken file fails with FILE:LINE."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from nlp.pipeline.sentences import sentence_starts
from nlp.training.docs import split_by_document, split_units
from nlp.training.formats import (
    AnnotatedText,
    AnnotationError,
    detect_format,
    read_annotations,
    read_docbin,
    read_doccano_jsonl,
    read_label_studio,
    read_many_annotations,
    read_spacy_jsonl,
    write_doccano_jsonl,
    write_label_studio,
    write_spacy_jsonl,
)
from nlp.training.validate import validate

SAMPLES = Path(__file__).resolve().parent / "data" / "annotations"
sys.path.insert(0, str(SAMPLES))
from make_samples import records as expected_records  # noqa: E402


@pytest.fixture(scope="module")
def tokenizer():
    from nlp.pipeline.builder import build

    return build()


@pytest.fixture(scope="module")
def expected():
    return [(text, sorted(spans)) for text, spans in expected_records()]


def _pairs(records):
    return [(r.text, sorted(r.spans)) for r in records]


@pytest.mark.parametrize(
    "name, fmt",
    [("sample_spacy.jsonl", "spacy"), ("sample_doccano.jsonl", "doccano"),
     ("sample_label_studio.json", "label-studio"), ("sample.spacy", "docbin")],
)
def test_each_format_reads_its_sample(name, fmt, expected):
    path = SAMPLES / name
    assert detect_format(path) == fmt
    records = read_annotations(path)
    annotated = [r for r in records if not r.meta.get("unannotated")]
    assert _pairs(annotated) == expected
    for rec in annotated:
        assert rec.source == str(path) and rec.line >= 1
        for start, end, _ in rec.spans:
            assert rec.text[start:end].strip() == rec.text[start:end]


def test_label_studio_lines_cancelled_and_unannotated_tasks():
    records = read_label_studio(SAMPLES / "sample_label_studio.json")
    lines = (SAMPLES / "sample_label_studio.json").read_text(encoding="utf-8").splitlines()
    for rec in records:  # the line is where the task's object starts
        assert lines[rec.line - 1].strip() == "{"
    assert [r.meta.get("unannotated", False) for r in records] == [False] * 4 + [True]
    assert records[1].spans  # the cancelled (empty) annotation before it is ignored
    report = validate(records)
    assert len(report.records) == 4
    skipped = [i for i in report.issues if i.kind == "skipped"]
    assert len(skipped) == 1 and skipped[0].line == records[4].line


def test_spacy_jsonl_keeps_meta_and_doc_id():
    records = read_spacy_jsonl(SAMPLES / "sample_spacy.jsonl")
    assert {r.doc_id for r in records} == {"shanghai_2024"}
    doccano = read_doccano_jsonl(SAMPLES / "sample_doccano.jsonl")
    assert doccano[0].doc_id == f"{SAMPLES / 'sample_doccano.jsonl'}:1"


def test_read_folder_reads_every_sample(expected):
    records = read_many_annotations(SAMPLES)
    assert len([r for r in records if not r.meta.get("unannotated")]) == 4 * len(expected)


def test_writers_round_trip(tmp_path, expected):
    records = read_spacy_jsonl(SAMPLES / "sample_spacy.jsonl")
    write_doccano_jsonl(records, tmp_path / "d.jsonl")
    write_label_studio(records, tmp_path / "ls.json")
    write_spacy_jsonl(records, tmp_path / "s.jsonl")
    assert _pairs(read_doccano_jsonl(tmp_path / "d.jsonl")) == expected
    assert _pairs(read_label_studio(tmp_path / "ls.json", use_predictions=True)) == expected
    assert all(r.meta.get("unannotated") for r in read_label_studio(tmp_path / "ls.json"))
    assert _pairs(read_spacy_jsonl(tmp_path / "s.jsonl")) == expected
    assert detect_format(tmp_path / "d.jsonl") == "doccano"


# -- broken files: FILE:LINE: problem --------------------------------------------------------
TEXT = "全面开展“上海2035”城市总体规划实施评估。五个新城建设稳步推进"


def _jsonl(path: Path, objs) -> Path:
    path.write_text("".join((o if isinstance(o, str) else json.dumps(o, ensure_ascii=False)) + "\n" for o in objs),
                    encoding="utf-8")
    return path


GOOD = {"text": TEXT, "spans": [{"start": 23, "end": 27, "label": "STRATEGY"}]}


@pytest.mark.parametrize(
    "bad, line, problem",
    [
        ('{"text": "x", "spans": [', 2, "invalid JSON"),
        ({"spans": []}, 2, "missing or non-string 'text'"),
        ({"text": TEXT, "spans": [{"start": 23, "label": "X"}]}, 2, "span 1 has no 'end'"),
        ({"text": TEXT, "spans": [{"start": "23", "end": 27, "label": "X"}]}, 2, "span 1 start must be an integer"),
        ({"text": TEXT, "spans": "23-27"}, 2, "'spans' must be a list"),
        ('[1, 2]', 2, "expected a JSON object"),
    ],
)
def test_unreadable_jsonl_names_file_and_line(tmp_path, bad, line, problem):
    path = _jsonl(tmp_path / "bad.jsonl", [GOOD, bad, GOOD])
    with pytest.raises(AnnotationError, match=problem) as exc:
        read_spacy_jsonl(path)
    assert isinstance(exc.value, ValueError)
    assert str(exc.value).startswith(f"{path}:{line}: ")


@pytest.mark.parametrize(
    "spans, problem",
    [
        ([{"start": 23, "end": 999, "label": "STRATEGY"}], "span 1 23:999 is out of range for a text of 33 characters"),
        ([{"start": -1, "end": 3, "label": "STRATEGY"}], "out of range"),
        ([{"start": 27, "end": 23, "label": "STRATEGY"}], "span 1 27:23 is empty"),
        ([{"start": 23, "end": 27, "label": " "}], "span 1 23:27 '五个新城' has an empty label"),
        ([{"start": 4, "end": 18, "label": "POLICY"}, {"start": 12, "end": 20, "label": "POLICY"}],
         "spans 4:18 '“上海2035”城市总体规划' POLICY and 12:20 '城市总体规划实施' POLICY overlap"),
        ([{"start": 23, "end": 27, "label": "STRATEGY"}, {"start": 23, "end": 27, "label": "PLATFORM"}], "overlap"),
    ],
)
def test_broken_spans_name_file_and_line(tmp_path, tokenizer, spans, problem):
    path = _jsonl(tmp_path / "bad.jsonl", [GOOD, GOOD, {"text": TEXT, "spans": spans}])
    records = read_spacy_jsonl(path)
    with pytest.raises(AnnotationError) as exc:
        validate(records, tokenizer=tokenizer)
    assert str(exc.value).startswith(f"{path}:3: ")
    assert problem in str(exc.value)


def test_all_problems_are_listed(tmp_path, tokenizer):
    bad = {"text": TEXT, "spans": [{"start": 0, "end": 99, "label": "X"}]}
    path = _jsonl(tmp_path / "bad.jsonl", [bad, GOOD, bad])
    with pytest.raises(AnnotationError, match=r"\(\+1 more problems\)") as exc:
        validate(read_spacy_jsonl(path), tokenizer=tokenizer)
    assert [p.split(": ")[0] for p in exc.value.problems] == [f"{path}:1", f"{path}:3"]


def test_overlaps_allowed_for_spancat_or_resolved_longest(tmp_path, tokenizer):
    spans = [{"start": 4, "end": 18, "label": "POLICY"}, {"start": 12, "end": 18, "label": "POLICY"}]
    records = read_spacy_jsonl(_jsonl(tmp_path / "o.jsonl", [{"text": TEXT, "spans": spans}]))
    assert len(validate(records, tokenizer=tokenizer, component="spancat").records[0].spans) == 2
    report = validate(records, tokenizer=tokenizer, overlaps="longest")
    assert report.records[0].spans == [(4, 18, "POLICY")]
    assert [i.kind for i in report.issues] == ["overlap-dropped"] and report.issues[0].line == 1


def test_broken_doccano_and_label_studio(tmp_path):
    path = _jsonl(tmp_path / "d.jsonl", [{"text": TEXT, "label": [[23, 27, "STRATEGY"]]}, {"text": TEXT, "label": [[23, 27]]}])
    with pytest.raises(AnnotationError, match=rf"^{path}:2: label 1 must be \[start, end, label\]"):
        read_doccano_jsonl(path)
    task = {"data": {"text": TEXT}, "annotations": [{"result": [
        {"type": "labels", "value": {"start": 23, "end": 27, "labels": ["A", "B"]}}]}]}
    ls = tmp_path / "ls.json"
    ls.write_text(json.dumps([{"data": {"text": TEXT}, "annotations": []}, task], indent=2), encoding="utf-8")
    start_line = ls.read_text(encoding="utf-8").splitlines().index("  {", 3) + 1
    with pytest.raises(AnnotationError, match=rf"^{ls}:{start_line}: result 1 must have exactly one label"):
        read_label_studio(ls)
    ls.write_text('[\n{"data": {"text": "a"}},\n{"data": {"text": "b"}\n]\n', encoding="utf-8")
    with pytest.raises(AnnotationError, match=rf"^{ls}:4: invalid JSON"):
        read_label_studio(ls)
    ls.write_text('{"data": {}}', encoding="utf-8")
    with pytest.raises(AnnotationError, match=rf"^{ls}:1: a Label Studio JSON export must be a JSON array"):
        read_label_studio(ls)


def test_broken_docbin_and_unknown_format(tmp_path):
    bad = tmp_path / "bad.spacy"
    bad.write_bytes(b"not a docbin at all")
    with pytest.raises(AnnotationError, match=rf"^{bad}:1: not a spaCy DocBin file"):
        read_docbin(bad)
    with pytest.raises(AnnotationError, match=r"unknown annotation format"):
        read_annotations(tmp_path / "x.csv")


# -- alignment and fixes, reported by file and line --------------------------------------------
def test_misaligned_span_is_split_or_expanded_and_reported(tmp_path, tokenizer):
    text = "累计建成国家级标杆性智能工厂3家"
    doc = tokenizer.make_doc(text)
    # a span that starts inside a jieba token: 标杆性 / 智能 ... -> annotate '杆性智能工厂'
    start = text.index("杆性")
    assert doc.char_span(start, start + 6) is None
    path = _jsonl(tmp_path / "m.jsonl", [GOOD, {"text": text, "spans": [{"start": start, "end": start + 6, "label": "PLATFORM"}]}])
    records = read_spacy_jsonl(path)
    report = validate(records, tokenizer=tokenizer)
    assert report.records[1].spans == [(start, start + 6, "PLATFORM")]  # offsets kept exactly
    [issue] = report.issues
    assert (issue.source, issue.line, issue.kind) == (str(path), 2, "split-tokens")
    assert str(issue).startswith(f"{path}:2: split-tokens: span {start}:{start + 6} '杆性智能工厂'")
    expanded = validate(records, tokenizer=tokenizer, alignment="expand")
    (s, e, _), = expanded.records[1].spans
    assert s < start and e >= start + 6 and doc.char_span(s, e) is not None
    assert expanded.issues[0].kind == "expanded" and expanded.issues[0].line == 2
    with pytest.raises(AnnotationError, match=rf"^{path}:2: span {start}:{start + 6} '杆性智能工厂' PLATFORM cuts through"):
        validate(records, tokenizer=tokenizer, alignment="error")


def test_whitespace_duplicates_and_label_filter(tmp_path, tokenizer):
    text = "五个新城 建设稳步推进"
    spans = [{"start": 0, "end": 5, "label": "STRATEGY"}, {"start": 0, "end": 4, "label": "STRATEGY"},
             {"start": 5, "end": 7, "label": "OTHER"}]
    records = read_spacy_jsonl(_jsonl(tmp_path / "w.jsonl", [{"text": text, "spans": spans}]))
    report = validate(records, tokenizer=tokenizer, labels=["STRATEGY"])
    assert report.records[0].spans == [(0, 4, "STRATEGY")]
    assert [i.kind for i in report.issues] == ["trimmed", "duplicate"]
    assert report.filtered == {"OTHER": 1}
    assert "STRATEGY 1" in report.summary()


# -- training units ----------------------------------------------------------------------------
def test_split_units_on_the_seed_keeps_every_span(seed_text):
    start = seed_text.index("“五个中心”")
    spans = [(start, start + 6, "STRATEGY")]
    rec = AnnotatedText(seed_text, spans, "seed", 1, {})
    units = split_units(rec, max_chars=200)
    assert len(units) > 100 and not any("\n" in u.text for u in units)
    assert all(len(u.text) <= 200 or not sentence_starts(u.text) for u in units)
    assert sum(len(u.spans) for u in units) == 1
    for u in units:
        assert seed_text[u.meta["offset"] : u.meta["offset"] + len(u.text)] == u.text
        assert u.meta["doc"] == "seed:1"
        for s, e, _ in u.spans:
            assert u.text[s:e] == "“五个中心”"


def test_split_by_document_never_splits_a_document():
    recs = [AnnotatedText(f"t{i}", [], "f", i, {"doc": f"d{i % 5}"}) for i in range(50)]
    train, dev = split_by_document(recs, 0.2, seed=0)
    assert {r.doc_id for r in train}.isdisjoint({r.doc_id for r in dev})
    assert len({r.doc_id for r in dev}) == 1 and len(train) + len(dev) == 50
    assert split_by_document(recs, 0.2, seed=0) == (train, dev)
    with pytest.raises(ValueError, match="give a dev file"):
        split_by_document([AnnotatedText("x", [], "f", 1, {"doc": "a"})])


def test_check_files_reads_and_validates_a_folder():
    from nlp.training.validate import check_files

    report = check_files(SAMPLES)
    assert len(report.records) == 16 and report.n_spans == 40
    assert [i.kind for i in report.issues] == ["skipped"]
    assert report.text().splitlines()[-1].startswith(f"{SAMPLES / 'sample_label_studio.json'}:")
