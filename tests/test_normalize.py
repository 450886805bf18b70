"""The normalized view: same length as the text, full-width and traditional forms folded."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import nlp
from nlp.pipeline.normalize import normalize_view

TRADITIONAL = "二零二三年，上海市國內生產總值達到四萬七千億元，增長百分之五。我們堅持穩中求進工作總基調，推動高質量發展。"


def test_full_width_and_traditional_forms_fold():
    assert normalize_view("４．７２万亿元，增长５％") == "4.72万亿元，增长5%"
    assert normalize_view("國內生產總值達到四萬七千億元") == "国内生产总值达到四万七千亿元"
    assert normalize_view("（一）") == "(一)"


@given(st.text(max_size=200))
def test_view_has_the_same_length(text):
    assert len(normalize_view(text)) == len(text)


def test_traditional_big5_report_is_tagged_with_original_offsets(tmp_path):
    path = tmp_path / "big5.txt"
    path.write_bytes(("推進“一網通辦”，建設“五個中心”。" + TRADITIONAL).encode("big5"))
    document = nlp.read(path)
    doc = next(nlp.process(nlp.load(), [document]))
    assert doc.text == document.text
    terms = {s._.canonical: s.text for s in doc.spans["policy_terms"]}
    assert terms["一网通办"] == "“一網通辦”" and terms["五个中心"] == "“五個中心”"
    numbers = {s.text: s._.value for s in doc.spans["numbers"]}
    assert numbers["四萬七千億元"] == 4.7e12 and numbers["百分之五"] == 5.0
    for span in [*doc.spans["policy_terms"], *doc.spans["numbers"]]:
        assert document.text[span.start_char : span.end_char] == span.text
