"""Property-based tests of the numeric tagger: random and adversarial strings never
raise, every span lies inside the text and indexes it exactly, every value is finite."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlp.pipeline.numbers import find_numbers, parse_numeral
from nlp.pipeline.numbers.chinese import NumeralError

# characters the tagger reacts to, plus noise
ALPHABET = (
    "0123456789０１２３４５６７８９.,，．%％‰-—~～至到"
    "零〇一二三四五六七八九十百千万亿两壹贰叁肆伍陆柒捌玖拾佰仟萬億兆"
    "第元美亿个项家年月日号季度百分点之以上下内左右多余约近超过突破不到增长下降"
    "“”()（）/∶:+ABCGkm \n。、的和是"
)
adversarial = st.text(alphabet=ALPHABET, max_size=80)
anything = st.text(max_size=60)


def _check(text: str) -> None:
    found = find_numbers(text)
    last_end = -1
    for m in found:
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.text
        assert m.start >= last_end  # ordered, non-overlapping
        last_end = m.end
        for v in (m.value, m.value_high):
            assert v is None or (isinstance(v, float) and math.isfinite(v))
        assert m.qualifier in ("=", "~", ">=", "<=")
        assert m.change in (None, "up", "down")
        assert m.label in ("MONEY", "PERCENT", "PERCENT_POINT", "QUANTITY", "DATE", "ORDINAL")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(adversarial)
def test_adversarial_strings(text):
    _check(text)


@settings(max_examples=200, deadline=None)
@given(anything)
def test_random_strings(text):
    _check(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789.,零一二三四五六七八九十百千万亿两点多余几负-", max_size=30))
def test_parse_numeral_raises_only_its_error(s):
    try:
        v = parse_numeral(s)
    except NumeralError:
        return
    assert v.is_finite()


@settings(max_examples=100, deadline=None)
@given(st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False), st.sampled_from(["万", "亿", "万亿", ""]))
def test_arabic_with_magnitude_reads_exactly(d, mag):
    text = f"投资{d}{mag}元"
    found = find_numbers(text)
    assert len(found) == 1
    scale = {"万": 10**4, "亿": 10**8, "万亿": 10**12, "": 1}[mag]
    assert found[0].value == float(d * scale)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.sampled_from(["增长5%", "，", "4.72万亿元", "“80条”", "第十六届", "2024年3月5日", "一是", "C919"]),
                max_size=12))
def test_concatenations_are_stable(parts):
    text = "".join(parts)
    _check(text)


_NLP = None


def _pipeline():
    global _NLP
    if _NLP is None:
        from nlp.pipeline.builder import build

        _NLP = build(components=["numeric_expressions"])
    return _NLP


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(adversarial)
def test_component_spans_are_exact(text):
    doc = _pipeline()(text)
    assert doc.text == text
    spans = list(doc.spans["numbers"])
    assert [(s.start_char, s.end_char, s.label_) for s in spans] == [
        (m.start, m.end, m.label) for m in find_numbers(text)]
    for s in spans:
        assert text[s.start_char:s.end_char] == s.text
        assert s._.value is None or math.isfinite(s._.value)
