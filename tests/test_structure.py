"""Report structure and header metadata on the seed and the corpus reports."""

from __future__ import annotations

import pytest

from nlp.io.metadata import header_metadata
from nlp.pipeline.structure import find_sections


def test_seed_top_level_parts(seed_doc):
    top = [s for s in seed_doc._.sections if s.level == 1]
    assert [s.title for s in top] == ["一、2023年工作回顾", "二、2024年主要任务", "三、全面加强政府自身建设"]
    assert top[-1].end_char == len(seed_doc.text)


def test_seed_numbered_subsections(seed_doc):
    sections = seed_doc._.sections
    by_parent = {}
    for s in sections:
        if s.level == 2:
            parent = [p for p in sections if p.level == 1 and p.start_char <= s.start_char < p.end_char][0]
            by_parent.setdefault(parent.title, []).append(s.title)
    assert [len(v) for v in by_parent.values()] == [5, 9, 4]
    assert by_parent["二、2024年主要任务"][0] == "(一)进一步加快建设“五个中心”，提升城市能级和核心竞争力"


def test_span_section_path(seed_doc, seed_text):
    i = seed_text.index("4915.8万标准箱")
    span = seed_doc.char_span(i, i + 6, alignment_mode="expand")
    assert span._.section_path == ["一、2023年工作回顾", "(一)坚定不移深化改革开放，国家重大战略任务扎实推进"]
    j = seed_text.index("全市生产总值增长5%左右")
    path = seed_doc.char_span(j, j + 4, alignment_mode="expand")._.section_path
    assert path == ["二、2024年主要任务"]


def test_seed_metadata(seed_doc):
    meta = seed_doc._.meta
    assert meta["year"] == 2024 and meta["region"] == "上海市"
    assert meta["title"] == "2024年上海市政府工作报告" and meta["date"] == "2024-01-23"


@pytest.mark.parametrize(
    "name, year, region",
    [("national_2019.txt", 2019, "全国"), ("national_2024.txt", 2024, "全国"), ("guangdong_2022.txt", 2022, "广东省")],
)
def test_corpus_metadata(seed_path, name, year, region):
    path = seed_path.parent / name
    meta = header_metadata(path.read_text(encoding="utf-8"), path)
    assert (meta.year, meta.region) == (year, region)


def test_heading_styles_and_levels():
    text = "第一章 总则\n一、目标\n（一）任务甲\n1.细则\n（1）小项\n(二)任务乙。正文在这里。\n第二章 附则\n"
    sections = find_sections(text)
    assert [(s.level, s.title) for s in sections] == [
        (1, "第一章 总则"), (2, "一、目标"), (3, "（一）任务甲"), (4, "1.细则"), (5, "（1）小项"), (3, "(二)任务乙"), (1, "第二章 附则"),
    ]
    assert sections[0].end_char == text.index("第二章")
    assert sections[2].end_char == text.index("(二)")


def test_numbers_are_not_headings():
    # "1.6万亿元" starts with a digit and a dot but is a figure, not a heading
    assert find_sections("1.6万亿元的规模\n2024年目标\n") == []


def test_doc_with_sections_and_indicators_serializes(pipeline, seed_text):
    from spacy.tokens import Doc, DocBin

    doc = pipeline(seed_text[:3000])
    assert doc._.sections and doc._.indicators
    again = Doc(pipeline.vocab).from_bytes(doc.to_bytes())
    assert again._.sections == doc._.sections and again._.indicators == doc._.indicators
    bin_ = DocBin(store_user_data=True, docs=[doc])
    (back,) = DocBin().from_bytes(bin_.to_bytes()).get_docs(pipeline.vocab)
    assert [s.title for s in back._.sections] == [s.title for s in doc._.sections]
