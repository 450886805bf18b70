"""Content tokens, stop words and analysis units on the seed report."""

from __future__ import annotations

import pytest

from nlp.analysis.tokens import (
    PREAMBLE,
    StopwordsError,
    content_tokens,
    default_stopwords,
    doc_tokens,
    load_stopwords,
    paragraph_units,
    section_units,
)


def test_terms_and_numbers_are_single_tokens(seed_doc):
    toks = doc_tokens(seed_doc)
    terms = [t for t in toks if t.kind == "term"]
    assert "五个中心" in {t.text for t in terms}  # canonical form, without quotation marks
    assert len(terms) == len(seed_doc.spans["policy_terms"])
    for t in terms:
        span = seed_doc.char_span(t.start, t.end)
        assert span is not None and t.end - t.start >= 2
    numbers = [t for t in toks if t.kind == "number"]
    assert any(seed_doc.text[t.start : t.end] == "4.72万亿元" for t in numbers)
    # offsets index the original text and tokens do not overlap
    for a, b in zip(toks, toks[1:]):
        assert a.end <= b.start


def test_content_tokens_hold_no_noise(seed_doc):
    stops = default_stopwords()
    words = content_tokens(seed_doc)
    assert "五个中心" in words and "集成电路" in words
    for w in words:
        assert len(w) >= 2, w
        assert not w.isdigit()
        assert w.strip() == w and w not in "，。；：、（）“”"
    plain = [t.text for t in doc_tokens(seed_doc) if t.kind == "word"]
    assert not set(plain) & stops
    assert "推进" not in words and "加快" not in words  # boilerplate


def test_stopwords_are_configurable(seed_doc, tmp_path):
    custom = tmp_path / "stop.txt"
    custom.write_text("# mine\n集成电路\n", encoding="utf-8")
    stops = load_stopwords(custom)
    assert "集成电路" in stops and "推进" in stops
    assert "集成电路" not in content_tokens(seed_doc, stopwords=stops)
    only_spacy = load_stopwords(boilerplate=False)
    assert "推进" not in only_spacy and "的" in only_spacy
    assert "推进" in content_tokens(seed_doc, stopwords=only_spacy)


def test_missing_stopword_file_is_a_clear_error(tmp_path):
    with pytest.raises(StopwordsError, match="nope.txt"):
        load_stopwords(tmp_path / "nope.txt")


def test_section_units_partition_the_document(seed_doc):
    units = section_units(seed_doc, max_level=2)
    text = seed_doc.text
    assert units[0].title == PREAMBLE
    assert any(u.title.startswith("一、2023年工作回顾") for u in units)
    assert any(u.level == 2 for u in units)
    for a, b in zip(units, units[1:]):
        assert a.end <= b.start and not text[a.end : b.start].strip()
    assert not text[: units[0].start].strip() and not text[units[-1].end :].strip()  # nothing left out
    top = section_units(seed_doc, max_level=1)
    assert len(top) < len(units) and all(u.level <= 1 for u in top)


def test_paragraph_units_carry_their_section(seed_doc):
    paras = paragraph_units(seed_doc)
    assert len(paras) > 50
    assert all(len(seed_doc.text[p.start : p.end].strip()) >= 20 for p in paras)
    titles = {p.title for p in paras}
    assert any(t.startswith("（一）") or t.startswith("(一)") for t in titles)


def test_same_tokens_whether_or_not_the_pipeline_merged_spans(seed_doc, seed_text):
    import nlp

    merging = nlp.load(config={"policy_terms": {"merge": True}, "numeric_expressions": {"merge": True}})
    merged = merging(seed_text)
    assert len(merged) < len(seed_doc)  # the pipeline did merge
    assert [(t.text, t.kind, t.start) for t in doc_tokens(merged)] == [(t.text, t.kind, t.start) for t in doc_tokens(seed_doc)]
