"""Silver data and pre-annotated exports on the seed report."""

from __future__ import annotations

import json

import pytest

from nlp.training.export import export_doccano, export_label_studio
from nlp.training.formats import read_doccano_jsonl, read_label_studio, read_spacy_jsonl
from nlp.training.silver import annotate_corpus, paragraph_ranges


@pytest.fixture(scope="module")
def excerpt(tmp_path_factory, seed_text):
    end = seed_text.index("\n", 4000)
    path = tmp_path_factory.mktemp("corpus") / "shanghai_excerpt.txt"
    path.write_text(seed_text[:end], encoding="utf-8")
    return path


def test_paragraph_ranges_skip_blank_lines():
    text = "一、回顾\n\n  \n过去一年。\n"
    assert [text[a:b] for a, b in paragraph_ranges(text)] == ["一、回顾", "过去一年。"]


def test_annotate_corpus_writes_silver_paragraphs(excerpt, pipeline, tmp_path):
    text = excerpt.read_text(encoding="utf-8")
    stats = annotate_corpus([excerpt.parent], tmp_path / "silver.jsonl", nlp=pipeline)
    records = read_spacy_jsonl(tmp_path / "silver.jsonl")
    assert stats.documents == 1 and stats.texts == len(records) == len(paragraph_ranges(text))
    assert stats.spans == sum(len(r.spans) for r in records) and stats.spans > 20
    assert set(stats.labels) <= {"STRATEGY", "PROGRAM", "POLICY", "PLATFORM"}
    assert set(stats.sources) <= {"lexicon", "rule"} and stats.sources["lexicon"] > 0
    doc = pipeline(text)
    expected = sorted((s.start_char, s.end_char, s.label_) for s in doc.spans["policy_terms"])
    got = []
    for r in records:
        off = r.meta["offset"]
        assert r.meta["doc"] == "shanghai_excerpt" and text[off : off + len(r.text)] == r.text
        got.extend((s + off, e + off, lab) for s, e, lab in r.spans)
    assert sorted(got) == expected
    assert any(text[s:e] == "“五个中心”" for s, e, _ in got)


@pytest.mark.parametrize("fmt", ["doccano", "label-studio"])
def test_export_preannotated_with_numbers(excerpt, pipeline, tmp_path, fmt):
    if fmt == "doccano":
        stats = export_doccano([excerpt], tmp_path / "out.jsonl", nlp=pipeline)
        records = read_doccano_jsonl(tmp_path / "out.jsonl")
    else:
        stats = export_label_studio([excerpt], tmp_path / "out.json", nlp=pipeline, config_path=tmp_path / "config.xml")
        records = read_label_studio(tmp_path / "out.json", use_predictions=True)
        assert '<Label value="PERCENT"/>' in (tmp_path / "config.xml").read_text(encoding="utf-8")
        assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))[0]["predictions"][0]["model_version"]
    labels = {lab for r in records for _, _, lab in r.spans}
    assert {"STRATEGY", "PERCENT"} <= labels and stats.spans == sum(len(r.spans) for r in records)
    for r in records:
        spans = sorted(r.spans)
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), "numbers overlapping a term are left out"
    text = excerpt.read_text(encoding="utf-8")
    doc = pipeline(text)
    numbers = {(s.start_char, s.end_char, s.label_) for s in doc.spans["numbers"]}
    got = {(s + r.meta["offset"], e + r.meta["offset"], lab) for r in records for s, e, lab in r.spans}
    assert got & numbers and {(s.start_char, s.end_char, s.label_) for s in doc.spans["policy_terms"]} <= got


def test_export_rejects_unknown_format(excerpt, tmp_path):
    from nlp.training.export import export_preannotated

    with pytest.raises(ValueError, match="export format must be one of"):
        export_preannotated([excerpt], tmp_path / "x", format="brat")
