"""Lexicon files: JSONL and CSV reading, validation errors, generic words, segmenter words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.pipeline.terms.lexicon import (
    DEFAULT_GENERIC_WORDS,
    LexiconError,
    load_generic_words,
    load_lexicon,
    parse_entries,
    segmenter_words,
    strip_quotes,
)

DATA = Path(__file__).resolve().parent / "data"
MINI = DATA / "mini_lexicon.jsonl"


def test_mini_lexicon_loads_with_aliases_and_labels():
    entries = load_lexicon(MINI)
    by_id = {e.id: e for e in entries}
    assert by_id["PT0001"].canonical == "五个中心"
    assert by_id["PT0001"].aliases == ("“五个中心”",)
    assert by_id["PT0001"].label == "STRATEGY"
    assert by_id["PT0001"].scope == "local:上海"
    assert by_id["PT0008"].forms() == ["进博会", "中国国际进口博览会"]
    assert len(entries) == len(set(by_id))


def test_csv_lexicon(tmp_path):
    path = tmp_path / "terms.csv"
    path.write_text(
        "id,canonical,aliases,label,note\n"
        "U1,一网通办,“一网通办”|一网办,PROGRAM,政务服务\n"
        "U2,进博会,,platform,\n",
        encoding="utf-8",
    )
    entries = load_lexicon(path)
    assert [e.canonical for e in entries] == ["一网通办", "进博会"]
    assert entries[0].aliases == ("“一网通办”", "一网办")
    assert entries[1].label == "PLATFORM"  # case-insensitive label


@pytest.mark.parametrize(
    "line, message",
    [
        ('{"id": "X1", "canonical": "五个中心", "label": "SLOGAN"}', "label 'SLOGAN'"),
        ('{"id": "X1", "canonical": ""}', "canonical"),
        ('{"id": "X1", "canonical": "五个中心", "aliases": "x", ', "invalid JSON"),
        ('["五个中心"]', "expected an object"),
        ('{"id": "X1", "canonical": "五个中心", "aliases": [1, 2]}', "aliases"),
    ],
)
def test_bad_lexicon_lines_raise_naming_file_and_line(tmp_path, line, message):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "OK", "canonical": "进博会", "label": "PLATFORM"}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(LexiconError) as err:
        load_lexicon(path)
    assert str(path) in str(err.value) and "line 2" in str(err.value)
    assert message in str(err.value)
    assert isinstance(err.value, ValueError)


def test_missing_file_and_bad_csv_header(tmp_path):
    with pytest.raises(LexiconError, match="not found"):
        load_lexicon(tmp_path / "nope.jsonl")
    bad = tmp_path / "bad.csv"
    bad.write_text("name,label\n五个中心,STRATEGY\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="canonical"):
        load_lexicon(bad)


def test_entry_without_id_gets_a_stable_one():
    (entry,) = parse_entries([{"canonical": "大零号湾", "label": "PLATFORM"}])
    assert entry.id == "user:大零号湾"
    assert json.loads(json.dumps(entry.to_dict()))["canonical"] == "大零号湾"


def test_generic_words_file_is_optional_and_adds_words(tmp_path):
    assert load_generic_words(tmp_path / "absent.txt") == set(DEFAULT_GENERIC_WORDS)
    path = tmp_path / "generic.txt"
    path.write_text("# generic heads\n布局  # trailing comment\n\n格局\n", encoding="utf-8")
    words = load_generic_words(path)
    assert {"布局", "格局", "发展", "建设"} <= words
    assert not any(w.startswith("#") for w in words)


def test_segmenter_words_are_canonicals_and_aliases_without_quotes():
    words = segmenter_words(load_lexicon(MINI))
    assert "五个中心" in words and "中国国际进口博览会" in words and "两旧一村改造" in words
    assert not any("“" in w or "”" in w for w in words)
    assert len(words) == len(set(words))
    assert strip_quotes("“一网通办”") == "一网通办"
