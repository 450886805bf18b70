"""The private jieba tokenizer: offsets, user words, no global state, save/load."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import jieba
import spacy

from nlp.pipeline.builder import build
from nlp.pipeline.tokenizer import JiebaTokenizer, private_cache_dir


def test_doc_text_is_the_original(seed_doc, seed_text):
    assert seed_doc.text == seed_text
    assert "".join(t.text_with_ws for t in seed_doc) == seed_text


def test_user_words_stay_whole_and_global_jieba_is_untouched():
    nlp = build(user_words=["浦东引领区", ("一网统管", 50000)])
    words = [t.text for t in nlp("加快建设浦东引领区，深化一网统管建设")]
    assert "浦东引领区" in words and "一网统管" in words
    # jieba's module-level dictionary never learns our words
    assert "浦东引领区" not in jieba.dt.FREQ
    assert nlp.tokenizer.segmenter is not jieba.dt


def test_words_jieba_cannot_keep_are_skipped():
    tok = JiebaTokenizer(spacy.blank("zh").vocab)
    assert tok.add_words(["“80条”", "a b", "五个新城"]) == 1
    assert list(tok.user_words) == ["五个新城"]


def test_bytes_round_trip_gives_identical_tokens(seed_text):
    nlp = build(user_words=["五个中心", "一网通办", "新质生产力"])
    nlp2 = build()
    nlp2.tokenizer.from_bytes(nlp.tokenizer.to_bytes())
    assert nlp2.tokenizer.user_words == nlp.tokenizer.user_words
    assert [t.text for t in nlp2(seed_text)] == [t.text for t in nlp(seed_text)]


def test_disk_round_trip_in_a_fresh_process(tmp_path, seed_path):
    nlp = build(user_words=["五个中心", "一网通办", "新质生产力"], components=["policy_sentencizer", "report_structure"])
    nlp.to_disk(tmp_path / "pipe")
    here = [t.text for t in nlp(seed_path.read_text(encoding="utf-8"))]
    code = (
        "import json, sys, spacy\n"
        f"nlp = spacy.load({str(tmp_path / 'pipe')!r})\n"
        f"doc = nlp(open({str(seed_path)!r}, encoding='utf-8').read())\n"
        "print(json.dumps({'tokens': [t.text for t in doc], 'pipes': nlp.pipe_names, 'sections': len(doc._.sections)}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    there = json.loads(out.stdout.strip().splitlines()[-1])
    assert there["tokens"] == here
    assert there["pipes"] == ["policy_sentencizer", "report_structure"]
    assert there["sections"] >= 20


def test_cache_dir_is_private(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICY_NLP_CACHE", str(tmp_path / "cache"))
    path = private_cache_dir()
    assert path.parent == tmp_path / "cache"
    assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0


def test_cache_dir_writable_by_others_is_not_used(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    (shared / "jieba").mkdir(parents=True)
    os.chmod(shared / "jieba", 0o777)
    monkeypatch.setenv("POLICY_NLP_CACHE", str(shared))
    path = private_cache_dir()
    assert path != shared / "jieba"
    assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0


def _fresh_segmenter(cache_root, monkeypatch):
    monkeypatch.setenv("POLICY_NLP_CACHE", str(cache_root))
    return JiebaTokenizer(spacy.blank("zh").vocab).segmenter


def test_dictionary_cache_is_written_then_read_back_identically(tmp_path, monkeypatch, seed_text):
    built = _fresh_segmenter(tmp_path, monkeypatch)  # no cache yet: jieba builds and writes it
    cache = tmp_path / "jieba" / "jieba.cache"
    assert cache.is_file() and stat.S_IMODE((tmp_path / "jieba").stat().st_mode) & 0o077 == 0
    loaded = _fresh_segmenter(tmp_path, monkeypatch)  # read back by our loader
    assert loaded.initialized and loaded.FREQ == built.FREQ and loaded.total == built.total
    assert loaded.lcut(seed_text[:3000]) == jieba.Tokenizer().lcut(seed_text[:3000])


def test_broken_dictionary_cache_is_rebuilt(tmp_path, monkeypatch):
    (tmp_path / "jieba").mkdir(mode=0o700)
    (tmp_path / "jieba" / "jieba.cache").write_bytes(b"\x00not marshal data")
    seg = _fresh_segmenter(tmp_path, monkeypatch)
    assert seg.initialized and len(seg.FREQ) > 300_000
    assert seg.lcut("推进浦东综合改革试点") == jieba.Tokenizer().lcut("推进浦东综合改革试点")


def test_suggested_frequencies_are_cached_and_reproduce_the_same_words(tmp_path, monkeypatch, seed_text):
    monkeypatch.setenv("POLICY_NLP_CACHE", str(tmp_path))
    words = ["浦东引领区", "一网统管", "五个新城", "新质生产力", "浦东引领"]
    first = JiebaTokenizer(spacy.blank("zh").vocab, user_words=words)
    cached = sorted((tmp_path / "jieba").glob("freqs-*.json"))
    assert len(cached) == 1 and json.loads(cached[0].read_text()) == [first.user_words[w][0] for w in words]
    second = JiebaTokenizer(spacy.blank("zh").vocab, user_words=words)  # read from the cache
    assert second._segmenter is None  # nothing had to be asked of jieba
    assert second.user_words == first.user_words
    assert [t.text for t in second(seed_text[:4000])] == [t.text for t in first(seed_text[:4000])]
    cached[0].write_text("[1, 2]", encoding="utf-8")  # a stale or broken entry is computed again
    third = JiebaTokenizer(spacy.blank("zh").vocab, user_words=words)
    assert third.user_words == first.user_words
    assert json.loads(cached[0].read_text()) == [first.user_words[w][0] for w in words]
