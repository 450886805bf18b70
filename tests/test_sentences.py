"""Sentence boundaries for Chinese without a parser."""

from __future__ import annotations

from nlp.pipeline.builder import build


def test_closing_quotes_stay_with_their_sentence():
    nlp = build(components=["policy_sentencizer"])
    doc = nlp("他说：“要干就干好。”我们照办！还有吗？有……下一句；分号也断\n标题\n正文")
    assert [s.text for s in doc.sents] == ["他说：“要干就干好。”", "我们照办！", "还有吗？", "有……", "下一句；", "分号也断\n", "标题\n", "正文"]


def test_seed_sentences(seed_doc, seed_text):
    sents = list(seed_doc.sents)
    # 18.5k characters of report prose: several hundred sentences, none absurdly long
    assert 300 <= len(sents) <= 700
    assert max(len(s.text) for s in sents) < 400
    assert "".join(s.text for s in sents) == seed_text
    for s in sents[:-1]:
        assert s.text.rstrip()[-1] in "。！？；…”）：" or s.text.endswith("\n") or s.text.rstrip()[-1] not in "，、", s.text
    first = [s.text.strip() for s in sents[:3]]
    assert first[0] == "2024年上海市政府工作报告"
