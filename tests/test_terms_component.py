"""The ``policy_terms`` component on the seed: spans, canonicals, rules, merging, saving."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Span

from nlp.pipeline.builder import build, load_pipeline as load
from nlp.pipeline.terms.component import PolicyTermTagger
from nlp.pipeline.terms.model_spans import MODEL_SPANS_KEY
from nlp.pipeline.terms.lexicon import DEFAULT_GENERIC_WORDS, LexiconError
from nlp.pipeline.terms.matcher import Candidate, LexiconMatcher, resolve_overlaps
from nlp.pipeline.terms.lexicon import load_lexicon

DATA = Path(__file__).resolve().parent / "data"
MINI = DATA / "mini_lexicon.jsonl"


def make(shipped: bool = False, **config):
    """A pipeline with only our tokenizer and policy_terms (no shipped lexicon unless asked)."""
    nlp = build()
    nlp.add_pipe("policy_terms", config=config).initialize(shipped=shipped)
    return nlp


@pytest.fixture(scope="module")
def mini_nlp():
    nlp = make()
    nlp.get_pipe("policy_terms").add_lexicon(MINI)
    return nlp


@pytest.fixture(scope="module")
def seed_doc(mini_nlp, seed_text):
    return mini_nlp(seed_text)


def spans_of(doc, key="policy_terms"):
    return list(doc.spans[key])


def test_builder_adds_the_registered_component():
    nlp = build(components=["policy_terms"])
    assert nlp.pipe_names == ["policy_terms"]
    assert isinstance(nlp.get_pipe("policy_terms"), PolicyTermTagger)


def test_every_quoted_lexicon_term_has_its_canonical(seed_doc, seed_text):
    spans = spans_of(seed_doc)
    for sp in spans:
        assert seed_text[sp.start_char : sp.end_char] == sp.text  # offsets index the original
        assert sp._.canonical and "“" not in sp._.canonical and "”" not in sp._.canonical
        assert sp._.source in {"lexicon", "rule"}
    quoted = [sp for sp in spans if sp.text.startswith("“") and sp.text.endswith("”")]
    assert len(quoted) >= 80
    by_text = {sp.text: sp for sp in spans}
    assert by_text["“一网通办”"]._.canonical == "一网通办"
    assert by_text["“一网通办”"]._.term_id == "PT0002"
    assert by_text["“两旧一村”改造"]._.canonical == "两旧一村改造"


def test_five_centres_five_times(seed_doc, seed_text):
    hits = [sp for sp in spans_of(seed_doc) if sp._.canonical == "五个中心"]
    assert len(hits) == seed_text.count("五个中心") == 5
    assert all(sp.label_ == "STRATEGY" and sp._.source == "lexicon" and sp._.term_id == "PT0001" for sp in hits)
    # “五个中心”建设: the generic head is not part of the term
    assert all(sp.text == "“五个中心”" for sp in hits)


def test_counts_of_named_terms(seed_doc, seed_text):
    counts = Counter(sp._.canonical for sp in spans_of(seed_doc))
    for term in ["一网通办", "两张网", "虹桥国际开放枢纽", "临港新片区", "新质生产力"]:
        assert counts[term] >= 1
    assert counts["临港新片区"] == seed_text.count("临港新片区")
    assert counts["一带一路"] == seed_text.count("一带一路")


def test_no_generic_word_is_tagged(seed_doc):
    for sp in spans_of(seed_doc):
        assert sp._.canonical not in DEFAULT_GENERIC_WORDS
        assert sp.text.strip("“”") not in DEFAULT_GENERIC_WORDS


def test_spans_do_not_overlap(seed_doc):
    spans = sorted(spans_of(seed_doc), key=lambda s: s.start_char)
    for a, b in zip(spans, spans[1:]):
        assert a.end_char <= b.start_char


def test_rules_alone_find_quoted_and_numbered_slogans(seed_text):
    doc = make()(seed_text)
    texts = {sp.text for sp in spans_of(doc)}
    assert all(sp._.source == "rule" and sp._.term_id is None for sp in spans_of(doc))
    assert {"“五个中心”", "“一网通办”", "“两张网”", "“三大任务”", "五个新城", "“28条”"} <= {
        t.replace("助力中小微企业", "") for t in texts
    }
    assert any(t.endswith("十大行动") for t in texts)
    assert "“(2+2)+(3+6)+(4+5)”" in texts
    assert "促消费“15条”" in texts


def test_rules_can_be_switched_off(seed_text):
    doc = make(rules=["formula"])(seed_text)
    assert [sp.text for sp in spans_of(doc)] == ["“(2+2)+(3+6)+(4+5)”"]
    assert spans_of(make(rules=[])(seed_text)) == []
    with pytest.raises(ValueError, match="unknown rule"):
        make(rules=["no_such_rule"])


def test_matching_ignores_jieba_tokens():
    # jieba splits the quoted term into pieces; matching on characters keeps it whole
    nlp = make(rules=[])
    nlp.get_pipe("policy_terms").add_lexicon([{"id": "T1", "canonical": "易的PASS", "label": "PLATFORM"}])
    doc = nlp("推出“易的PASS”服务。")
    (sp,) = spans_of(doc)
    assert sp.text == "“易的PASS”" and sp._.canonical == "易的PASS"


def test_full_width_text_matches_on_the_view():
    nlp = make(rules=[])
    nlp.get_pipe("policy_terms").add_lexicon([{"id": "T2", "canonical": "上海2035", "label": "POLICY"}])
    doc = nlp("落实“上海２０３５”总规。")
    (sp,) = spans_of(doc)
    assert sp.text == "“上海２０３５”" and sp._.canonical == "上海2035"


def test_merge_option_makes_each_term_one_token(seed_text):
    nlp = make(merge=True)
    nlp.get_pipe("policy_terms").add_lexicon(MINI)
    text = seed_text[:6000]
    doc = nlp(text)
    spans = spans_of(doc)
    assert spans and all(len(sp) == 1 for sp in spans)
    assert doc.text == text
    assert any(t.text == "“五个中心”" for t in doc)


def test_a_user_lexicon_feeds_the_segmenter(tmp_path):
    path = tmp_path / "mine.jsonl"
    path.write_text('{"id": "T3", "canonical": "浦东引领区", "label": "PLATFORM"}\n', encoding="utf-8")
    nlp = load(lexicon=path, components=["policy_terms"])
    assert "浦东引领区" in nlp.tokenizer.user_words
    assert [t.text for t in nlp("推进浦东引领区建设")][1] == "浦东引领区"


def test_later_lexicon_overrides_same_form():
    nlp = make(rules=[])
    pipe = nlp.get_pipe("policy_terms")
    pipe.add_lexicon(MINI)
    pipe.add_lexicon([{"id": "MY1", "canonical": "进博会", "label": "PLATFORM", "note": "mine"}])
    (sp,) = spans_of(nlp("办好进博会。"))
    assert sp._.term_id == "MY1"


def test_user_entry_replaces_same_canonical_and_conflicting_form_is_an_error(tmp_path):
    nlp = make(rules=[])
    pipe = nlp.get_pipe("policy_terms")
    pipe.add_lexicon(MINI)
    n = len(pipe.entries)
    pipe.add_lexicon([{"id": "U0001", "canonical": "进博会", "aliases": ["进口博览会"], "label": "PLATFORM"}])
    assert len(pipe.entries) == n
    # the replaced entry's alias 中国国际进口博览会 is gone; only the new entry matches
    assert [(sp.text, sp._.term_id) for sp in spans_of(nlp("办好进口博览会，中国国际进口博览会"))] == [
        ("进口博览会", "U0001"), ("进口博览会", "U0001")
    ]
    mine = tmp_path / "mine.jsonl"
    mine.write_text(
        '{"id": "U1", "canonical": "新片区", "label": "PLATFORM"}\n'
        '{"id": "U2", "canonical": "网办", "aliases": ["“一网通办”"], "label": "PROGRAM"}\n',
        encoding="utf-8",
    )
    with pytest.raises(LexiconError, match=r"mine.jsonl: line 2: form '“一网通办”' already belongs to '一网通办'"):
        pipe.add_lexicon(mine)
    quoted = tmp_path / "quoted.jsonl"
    quoted.write_text('{"id": "U3", "canonical": "“五五购物节”", "label": "PROGRAM"}\n', encoding="utf-8")
    with pytest.raises(LexiconError, match="quoted.jsonl: line 1: 'canonical' must not hold quotation marks"):
        pipe.add_lexicon(quoted)


def test_bad_user_lexicon_is_a_clear_error(tmp_path):
    bad = tmp_path / "mine.jsonl"
    bad.write_text('{"canonical": "x", "label": "NOPE"}\n', encoding="utf-8")
    with pytest.raises(LexiconError, match="mine.jsonl: line 1"):
        make().get_pipe("policy_terms").add_lexicon(bad)


# -- overlaps and model spans ----------------------------------------------------------
def test_resolve_overlaps_priority_and_length():
    lex = Candidate(0, 4, "STRATEGY", "lexicon", "五个中心", "PT1")
    rule = Candidate(0, 6, "PROGRAM", "rule", "五个中心建设")
    model = Candidate(2, 8, "PROGRAM", "model", "中心建设")
    other = Candidate(10, 12, "PROGRAM", "model", "x")
    assert resolve_overlaps([model, rule, lex, other]) == [lex, other]
    assert resolve_overlaps([model, rule, lex, other], priority=("model", "rule", "lexicon")) == [model, other]
    assert resolve_overlaps([model, rule, lex], priority=("rule", "lexicon", "model")) == [rule]
    # plain tuples work too, and unknown sources rank last
    kept = resolve_overlaps([(0, 2, "A", "other"), (1, 3, "B", "rule")])
    assert [(c.start, c.label) for c in kept] == [(1, "B")]


def test_resolve_overlaps_longest_wins_within_a_source_and_extends():
    a = Candidate(0, 3, "P", "lexicon", "abc")
    b = Candidate(0, 5, "P", "lexicon", "abcde")
    assert resolve_overlaps([a, b]) == [b]
    ext = Candidate(0, 9, "PLATFORM", "rule", "丝路电商合作先行区", extends="all")
    inner = Candidate(0, 6, "PROGRAM", "lexicon", "丝路电商")
    assert resolve_overlaps([inner, ext]) == [ext]
    # a head extension wins over a term it extends, not over a term that owns its head
    head = Candidate(0, 8, "PLATFORM", "rule", "乡村振兴示范区", extends="head")
    lex1 = Candidate(0, 4, "STRATEGY", "lexicon", "乡村振兴")
    assert resolve_overlaps([lex1, head]) == [head]
    lex2 = Candidate(2, 8, "PLATFORM", "lexicon", "振兴示范区")
    assert resolve_overlaps([lex1, lex2, head]) == [lex2]


def test_model_spans_are_merged_with_priority(mini_nlp):
    text = "加快建设“五个中心”，推进数字孪生城市建设。"
    doc = mini_nlp.make_doc(text)
    s = text.index("数字孪生城市")
    doc.spans[MODEL_SPANS_KEY] = [
        doc.char_span(s, s + 6, label="PROGRAM", alignment_mode="expand"),
        doc.char_span(text.index("五个"), text.index("五个") + 2, label="PROGRAM", alignment_mode="expand"),
    ]
    doc = mini_nlp.get_pipe("policy_terms")(doc)
    got = {(sp.text, sp._.source) for sp in spans_of(doc)}
    assert ("“五个中心”", "lexicon") in got  # lexicon beats the overlapping model span
    assert any(src == "model" and "数字孪生城市" in t for t, src in got)


def test_lexicon_matcher_leftmost_longest():
    m = LexiconMatcher(load_lexicon(MINI))
    view = "长三角一体化发展和自贸试验区"
    found = [(view[c.start : c.end], c.term_id) for c in m.find(view)]
    assert found == [("长三角一体化发展", "PT0007"), ("自贸试验区", "PT0017")]


# -- saving and loading ----------------------------------------------------------------
def span_tuples(doc):
    return [
        (sp.start_char, sp.end_char, sp.label_, sp._.canonical, sp._.source, sp._.term_id)
        for sp in doc.spans["policy_terms"]
    ]


def test_to_bytes_from_bytes_round_trip(mini_nlp, seed_text):
    text = seed_text[:8000]
    data = mini_nlp.to_bytes()
    nlp2 = make()
    nlp2.from_bytes(data)
    assert len(nlp2.get_pipe("policy_terms").entries) == len(load_lexicon(MINI))
    assert span_tuples(nlp2(text)) == span_tuples(mini_nlp(text))


def test_to_disk_then_spacy_load_in_fresh_process(tmp_path, seed_text):
    nlp = make(rules=["quoted", "numbered_slogan"], priority=["rule", "lexicon", "model"])
    nlp.get_pipe("policy_terms").add_lexicon(MINI)
    text = seed_text[:12000]
    expected = [list(t) for t in span_tuples(nlp(text))]
    assert expected
    path = tmp_path / "pipe"
    nlp.to_disk(path)
    (tmp_path / "in.txt").write_text(text, encoding="utf-8")
    code = (
        "import json, sys, spacy\n"
        "nlp = spacy.load(sys.argv[1])\n"
        "doc = nlp(open(sys.argv[2], encoding='utf-8').read())\n"
        "pipe = nlp.get_pipe('policy_terms')\n"
        "print(json.dumps({'rules': pipe.rules, 'priority': pipe.priority, 'spans': [[s.start_char, s.end_char,"
        " s.label_, s._.canonical, s._.source, s._.term_id] for s in doc.spans['policy_terms']]}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path), str(tmp_path / "in.txt")],
        capture_output=True, text=True, check=True, cwd=tmp_path,
    )
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["rules"] == ["quoted", "numbered_slogan"]
    assert got["priority"] == ["rule", "lexicon", "model"]
    assert got["spans"] == expected


def test_from_disk_missing_state_is_an_error(tmp_path):
    with pytest.raises(LexiconError, match="policy_terms file missing"):
        make().get_pipe("policy_terms").from_disk(tmp_path)


def test_span_extensions_registered_once():
    for name in ("canonical", "source", "term_id"):
        assert Span.has_extension(name)
    assert Span.get_extension("canonical")[0] is None  # default value


def test_matcher_backends_agree_on_the_seed(seed_text):
    pytest.importorskip("ahocorasick")
    from nlp.pipeline.normalize import normalize_view
    from nlp.pipeline.terms.lexicon import shipped_lexicon_path

    entries = load_lexicon(shipped_lexicon_path() if shipped_lexicon_path().exists() else MINI)
    matcher = LexiconMatcher(entries)
    view = normalize_view(seed_text)
    assert matcher.find(view, "ahocorasick") == matcher.find(view, "regex")
    assert len(matcher.find(view, "regex")) > 10
