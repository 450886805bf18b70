"""The numeric-expression tagger: find_numbers rules, the Chinese numeral reader and the
``numeric_expressions`` spaCy component (spans, extensions, to_ents, merge, save/load)."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

import pytest

from nlp.pipeline.numbers import NumberMatch, find_numbers, parse_numeral
from nlp.pipeline.numbers.chinese import NumeralError
from nlp.pipeline.numbers.extract import NumberInputError


def one(text: str) -> NumberMatch:
    """The single expression found in ``text``."""
    found = find_numbers(text)
    assert len(found) == 1, found
    return found[0]


def texts(text: str) -> list[str]:
    return [m.text for m in find_numbers(text)]


def in_seed(seed_text: str, context: str, target: str) -> NumberMatch:
    """The expression ``target`` inside the first occurrence of ``context`` in the seed."""
    at = seed_text.index(context)
    start = at + context.index(target)
    found = [m for m in find_numbers(seed_text) if m.start == start]
    assert found, f"nothing found at {target!r} in {context!r}"
    assert found[0].text == target
    assert seed_text[found[0].start:found[0].end] == target
    return found[0]


# ------------------------------------------------------------------ named seed cases
def test_seed_gdp_and_its_growth(seed_text):
    gdp = in_seed(seed_text, "全市生产总值达到4.72万亿元，增长5%", "4.72万亿元")
    assert (gdp.label, gdp.value, gdp.unit, gdp.qualifier, gdp.change) == ("MONEY", 4.72e12, "元", "=", None)
    growth = in_seed(seed_text, "全市生产总值达到4.72万亿元，增长5%", "5%")
    assert (growth.label, growth.value, growth.unit, growth.change) == ("PERCENT", 5.0, "%", "up")


def test_seed_target_about_five_percent(seed_text):
    m = in_seed(seed_text, "全市生产总值增长5%左右", "5%左右")
    assert (m.label, m.value, m.qualifier, m.change) == ("PERCENT", 5.0, "~", "up")


def test_seed_unemployment_within(seed_text):
    m = in_seed(seed_text, "城镇调查失业率5%以内", "5%以内")
    assert (m.label, m.value, m.qualifier, m.change) == ("PERCENT", 5.0, "<=", None)


def test_seed_container_throughput(seed_text):
    m = in_seed(seed_text, "上海港集装箱吞吐量达到4915.8万标准箱", "4915.8万标准箱")
    assert (m.label, m.value, m.unit) == ("QUANTITY", 49158000.0, "标准箱")


def test_seed_air_quality_and_percentage_points(seed_text):
    rate = in_seed(seed_text, "环境空气质量优良率达到87.7%、提高0.6个百分点", "87.7%")
    assert (rate.label, rate.value, rate.change) == ("PERCENT", 87.7, None)
    pp = in_seed(seed_text, "环境空气质量优良率达到87.7%、提高0.6个百分点", "0.6个百分点")
    assert (pp.label, pp.value, pp.unit, pp.change) == ("PERCENT_POINT", 0.6, "个百分点", "up")


def test_seed_foreign_investment(seed_text):
    m = in_seed(seed_text, "实际使用外资240.9亿美元", "240.9亿美元")
    assert (m.label, m.value, m.unit) == ("MONEY", 24090000000.0, "美元")


def test_seed_two_adjacent_expressions(seed_text):
    a = in_seed(seed_text, "58个10亿元以上重大产业项目", "58个")
    b = in_seed(seed_text, "58个10亿元以上重大产业项目", "10亿元以上")
    assert (a.label, a.value, a.unit) == ("QUANTITY", 58.0, "个")
    assert (b.label, b.value, b.unit, b.qualifier) == ("MONEY", 1e9, "元", ">=")


def test_seed_dates_and_ordinals(seed_text):
    d = in_seed(seed_text, "2024年1月23日在上海市第十六届", "2024年1月23日")
    assert (d.label, d.value, d.date, d.unit) == ("DATE", None, "2024-01-23", "日")
    o = in_seed(seed_text, "2024年1月23日在上海市第十六届", "第十六届")
    assert (o.label, o.value, o.unit) == ("ORDINAL", 16.0, "届")
    y = in_seed(seed_text, "一、2023年工作回顾", "2023年")
    assert (y.label, y.value, y.date) == ("DATE", 2023.0, "2023")


def test_seed_distributive_qualifier(seed_text):
    # 分别突破20万亿元和11万亿元: both figures are lower bounds
    ctx = "全市存款、贷款余额分别突破20万亿元和11万亿元"
    assert in_seed(seed_text, ctx, "20万亿元").qualifier == ">="
    assert in_seed(seed_text, ctx, "11万亿元").qualifier == ">="


def test_seed_slogans_are_not_numbers(seed_text):
    found = {m.text for m in find_numbers(seed_text)}
    for slogan in ("五个中心", "十四五", "80条", "12345", "6.0版", "5G", "三大任务", "C919"):
        assert not any(slogan in f or f in slogan for f in found if len(f) > 1 and f.isdigit()), slogan
    starts = {m.start for m in find_numbers(seed_text)}
    for ctx, target in (("“五个中心”能级", "五个"), ("总体方案“80条”出台", "80条"), ("“12345”市民", "12345"),
                        ("优化营商环境6.0版", "6.0"), ("5G基站超过", "5")):
        at = seed_text.index(ctx) + ctx.index(target)
        assert at not in starts, ctx


def test_seed_every_offset_is_exact(seed_text):
    for m in find_numbers(seed_text):
        assert seed_text[m.start:m.end] == m.text


# ------------------------------------------------------------------ numerals
@pytest.mark.parametrize(
    "numeral, value",
    [
        ("六千九百零三万", 69030000), ("16.4亿", 1640000000), ("4.72万亿", 4720000000000),
        ("3千万", 30000000), ("1.3万亿", 1300000000000), ("二〇二四", 2024), ("十六", 16),
        ("一万三", 13000), ("两千四百五", 2450), ("五亿零六", 500000006), ("四万万", 400000000),
        ("十多万", 100000), ("6600多万", 66000000), ("十五点七", Decimal("15.7")),
        ("12,345.6", Decimal("12345.6")), ("负三十二", -32), ("百", 100),
    ],
)
def test_parse_numeral(numeral, value):
    assert parse_numeral(numeral) == Decimal(value)


def test_decimal_arithmetic_is_exact():
    m = one("投资16.4亿元")
    assert m.value == 1640000000.0
    assert one("0.1亿元").value == 10000000.0


def test_parse_numeral_rejects_non_numerals():
    with pytest.raises(NumeralError):
        parse_numeral("万一五个x")
    with pytest.raises(ValueError):
        parse_numeral("")


# ------------------------------------------------------------------ forms and readings
@pytest.mark.parametrize(
    "text, expected",
    [
        ("援助六千九百零三万美元", ("六千九百零三万美元", "MONEY", 69030000.0, "美元")),
        ("比重达到百分之五", ("百分之五", "PERCENT", 5.0, "%")),
        ("第十六届", ("第十六届", "ORDINAL", 16.0, "届")),
        ("提高两个百分点", ("两个百分点", "PERCENT_POINT", 2.0, "个百分点")),
        ("规模1.3万亿", ("1.3万亿", "QUANTITY", 1.3e12, None)),
        ("达到3千万元", ("3千万元", "MONEY", 3e7, "元")),
        ("４．７２万亿元", ("４．７２万亿元", "MONEY", 4.72e12, "元")),
        ("增长５％", ("５％", "PERCENT", 5.0, "%")),
        ("12,345.6元", ("12,345.6元", "MONEY", 12345.6, "元")),
        ("建设筹措8.1万套(间)保障性租赁住房", ("8.1万套(间)", "QUANTITY", 81000.0, "套(间)")),
        ("不少于25万套（间）", ("25万套（间）", "QUANTITY", 250000.0, "套(间)")),
        ("新增光伏装机94.6万千瓦", ("94.6万千瓦", "QUANTITY", 946000.0, "千瓦")),
        ("成立75周年", ("75周年", "QUANTITY", 75.0, "周年")),
        ("连续14年排名", ("14年", "QUANTITY", 14.0, "年")),
        ("五年来", ("五年", "QUANTITY", 5.0, "年")),
        ("6600多万纳税人", ("6600多万", "QUANTITY", 66000000.0, None)),
        ("每千人5.5批次", ("5.5批次", "QUANTITY", 5.5, "批次")),
        ("打造万亿元级市场", ("万亿元", "MONEY", 1e12, "元")),
        ("浓度为22微克/立方米", ("22微克/立方米", "QUANTITY", 22.0, "微克/立方米")),
    ],
)
def test_forms(text, expected):
    m = one(text)
    assert (m.text, m.label, m.value, m.unit) == expected
    assert text[m.start:m.end] == m.text


@pytest.mark.parametrize(
    "text, span, low, high, label",
    [
        ("补助3万至5万元", "3万至5万元", 30000.0, 50000.0, "MONEY"),
        ("补助3至5万元", "3至5万元", 30000.0, 50000.0, "MONEY"),
        ("占比3%—5%", "3%—5%", 3.0, 5.0, "PERCENT"),
        ("占比20%~30%", "20%~30%", 20.0, 30.0, "PERCENT"),
        ("服务3—5年", "3—5年", 3.0, 5.0, "QUANTITY"),
        ("2021-2025年规划", "2021-2025年", 2021.0, 2025.0, "DATE"),
    ],
)
def test_ranges(text, span, low, high, label):
    m = one(text)
    assert (m.text, m.value, m.value_high, m.label) == (span, low, high, label)


@pytest.mark.parametrize(
    "text, span, qualifier",
    [
        ("约4.287亿美元", "4.287亿美元", "~"), ("近700万元", "700万元", "~"),
        ("增长4.4%左右", "4.4%左右", "~"), ("10亿元以上", "10亿元以上", ">="),
        ("超过2.4万家", "2.4万家", ">="), ("突破1万亿元", "1万亿元", ">="),
        ("不到3%", "3%", "<="), ("100多万元", "100多万元", ">="), ("2000余元", "2000余元", ">="),
        ("逾百", None, None), ("65岁及以上老人", "65岁及以上", ">="), ("不足5%", "5%", "<="),
        ("高达30%", "30%", "="),
    ],
)
def test_qualifiers(text, span, qualifier):
    found = find_numbers(text)
    if span is None:
        assert found == []
        return
    assert len(found) == 1
    assert (found[0].text, found[0].qualifier) == (span, qualifier)


@pytest.mark.parametrize(
    "text, change",
    [
        ("增长5%", "up"), ("提高到50.2件", "up"), ("上涨0.3%", "up"), ("下降3.1%", "down"),
        ("降至2%", "down"), ("涨幅3%左右", "up"), ("新增公园162座", None), ("增加值增长", None),
        ("增加值5000亿元", None), ("平均为4.5%", None), ("负增长2%", "down"), ("延长30年", "up"),
        ("降本幅度达到10%以上", "down"), ("同比增长了约8%", "up"),
    ],
)
def test_change(text, change):
    found = find_numbers(text)
    if text == "增加值增长":
        assert found == []
        return
    assert len(found) == 1
    assert found[0].change == change


def test_change_is_shared_by_coordinated_figures():
    found = find_numbers("出口分别增长43.9%、50.5%和0.9%。")
    assert [m.change for m in found] == ["up", "up", "up"]
    found = find_numbers("外贸进出口总额达到4.2万亿元、增长0.7%")
    assert [(m.text, m.change) for m in found] == [("4.2万亿元", None), ("0.7%", "up")]


def test_verb_before_the_number_stays_outside():
    assert texts("全市生产总值达到4.72万亿元") == ["4.72万亿元"]
    assert texts("高新技术企业超过2.4万家") == ["2.4万家"]


@pytest.mark.parametrize(
    "text, date, value",
    [
        ("2024年3月5日", "2024-03-05", None), ("2023年", "2023", 2023.0), ("11月", "--11", None),
        ("9月26日", "--09-26", None), ("一季度", "--Q1", None), ("2024年一季度", "2024-Q1", None),
        ("二〇一八年七月四日", "2018-07-04", None), ("２０２４年", "2024", 2024.0),
    ],
)
def test_dates(text, date, value):
    m = one(text)
    assert (m.label, m.date, m.value, m.text) == ("DATE", date, value, text)


@pytest.mark.parametrize(
    "text, span, value, unit",
    [("第二次会议", "第二次", 2.0, "次"), ("排名全国第一", "第一", 1.0, None), ("第三支柱", "第三", 3.0, None),
     ("第２５０", "第２５０", 250.0, None)],
)
def test_ordinals(text, span, value, unit):
    m = one(text)
    assert (m.label, m.text, m.value, m.unit) == ("ORDINAL", span, value, unit)


@pytest.mark.parametrize(
    "text",
    [
        "建设“五个中心”", "推进五个新城建设", "实施“十四五”规划", "出台“80条”", "拨打12345热线",
        "优化营商环境6.0版", "建设5G基站", "PM2.5浓度", "C919客机", "过去一年", "一年来", "新的一年",
        "三大任务", "长江十年禁渔", "三年行动计划", "世界500强", "占1/3以上", "比例为4.2∶41.1∶54.7",
        "一是加强", "（一）深化改革", "百年一遇", "陆家嘴", "千方百计", "两个确立", "“金融16条”",
        "“双15%”", "13号线", "科创50ETF", "30年期国债", "15分钟社区生活圈", "二十届三中全会",
        "十二届市委三次、四次全会", "五篇大文章", "第三方机构",
    ],
)
def test_not_numbers(text):
    assert find_numbers(text) == [], text


def test_full_width_offsets_index_the_original():
    text = "收入４．７２万亿元，增长５％。"
    found = find_numbers(text)
    assert [text[m.start:m.end] for m in found] == ["４．７２万亿元", "５％"]
    assert [m.value for m in found] == [4.72e12, 5.0]


def test_negative_values():
    m = one("居民消费价格为-0.3%")
    assert (m.text, m.value) == ("-0.3%", -0.3)
    assert one("区间3%-5%").value == 3.0  # a range, not a minus sign


def test_bad_input_is_a_value_error():
    with pytest.raises(NumberInputError, match="expects a str"):
        find_numbers(None)  # type: ignore[arg-type]
    assert issubclass(NumberInputError, ValueError)
    assert find_numbers("") == []


def test_match_is_frozen_and_serializable():
    m = one("增长5%")
    with pytest.raises(Exception):
        m.value = 6.0  # type: ignore[misc]
    assert json.loads(json.dumps(m.as_dict()))["value"] == 5.0


def test_deterministic(seed_text):
    assert find_numbers(seed_text) == find_numbers(seed_text)


# ------------------------------------------------------------------ the spaCy component
@pytest.fixture(scope="module")
def nlp_numbers():
    from nlp.pipeline.builder import build

    return build(components=["numeric_expressions"])


def test_component_spans_are_exact_and_carry_readings(nlp_numbers):
    doc = nlp_numbers("全市生产总值达到4.72万亿元，增长5%。环境空气质量优良率提高0.6个百分点。")
    spans = list(doc.spans["numbers"])
    assert [(s.text, s.label_) for s in spans] == [
        ("4.72万亿元", "MONEY"), ("5%", "PERCENT"), ("0.6个百分点", "PERCENT_POINT")]
    assert [s._.value for s in spans] == [4.72e12, 5.0, 0.6]
    assert [s._.change for s in spans] == [None, "up", "up"]
    assert spans[2]._.unit == "个百分点" and spans[0]._.qualifier == "="


def test_component_splits_tokens_that_straddle_a_boundary(nlp_numbers):
    text = "浦东、虹桥两个分论坛，实施好十方面34项民生实事"
    doc = nlp_numbers(text)
    assert doc.text == text
    assert [s.text for s in doc.spans["numbers"]] == ["两个", "十方面", "34项"]


def test_component_on_seed_matches_find_numbers(nlp_numbers, seed_text):
    doc = nlp_numbers(seed_text)
    expected = [(m.start, m.end, m.label, m.value) for m in find_numbers(seed_text)]
    got = [(s.start_char, s.end_char, s.label_, s._.value) for s in doc.spans["numbers"]]
    assert got == expected
    assert doc.text == seed_text


def test_to_ents_keeps_existing_entities():
    from spacy.tokens import Span

    from nlp.pipeline.builder import build

    nlp = build()
    nlp.add_pipe("numeric_expressions", config={"to_ents": True})
    doc = nlp.make_doc("全市生产总值达到4.72万亿元，增长5%")
    gdp = doc.char_span(0, 6, label="INDICATOR", alignment_mode="expand")
    clash = doc.char_span(doc.text.index("5%"), len(doc.text), label="OTHER", alignment_mode="expand")
    doc.ents = [gdp, clash]
    doc = nlp.get_pipe("numeric_expressions")(doc)
    ents = [(e.text, e.label_) for e in doc.ents]
    assert ("全市生产总值", "INDICATOR") in ents
    assert ("4.72万亿元", "MONEY") in ents
    assert ("5%", "OTHER") in ents and ("5%", "PERCENT") not in ents
    assert [s.text for s in doc.spans["numbers"]] == ["4.72万亿元", "5%"]
    money = [e for e in doc.ents if e.label_ == "MONEY"][0]
    assert isinstance(money, Span) and money._.value == 4.72e12


def test_merge_makes_one_token_and_keeps_span_groups():
    from nlp.pipeline.builder import build

    nlp = build()
    nlp.add_pipe("numeric_expressions", config={"merge": True})
    text = "环境空气质量优良率提高0.6个百分点，完成投资4850.2亿元"
    doc = nlp.make_doc(text)
    doc.spans["other"] = [doc.char_span(0, 9, label="TERM", alignment_mode="expand")]
    doc = nlp.get_pipe("numeric_expressions")(doc)
    assert "0.6个百分点" in [t.text for t in doc]
    assert "4850.2亿元" in [t.text for t in doc]
    assert [(s.text, s._.value) for s in doc.spans["numbers"]] == [("0.6个百分点", 0.6), ("4850.2亿元", 485020000000.0)]
    assert [s.text for s in doc.spans["other"]] == [text[doc.spans["other"][0].start_char:doc.spans["other"][0].end_char]]
    assert doc.spans["other"][0].start_char == 0
    assert doc.text == text


def test_custom_spans_key():
    from nlp.pipeline.builder import build

    nlp = build()
    nlp.add_pipe("numeric_expressions", config={"spans_key": "figures"})
    doc = nlp("增长5%")
    assert [s.text for s in doc.spans["figures"]] == ["5%"] and "numbers" not in doc.spans


def test_saved_pipeline_loads_in_a_fresh_process(tmp_path, nlp_numbers):
    text = "全市生产总值达到4.72万亿元，增长5%，提高0.6个百分点，第十六届"
    nlp_numbers.to_disk(tmp_path / "pipe")
    doc = nlp_numbers(text)
    expected = [[s.start_char, s.end_char, s.label_, s._.value, s._.unit, s._.change]
                for s in doc.spans["numbers"]]
    assert len(expected) == 4
    code = (
        "import json, sys, spacy\n"
        f"nlp = spacy.load({str(tmp_path / 'pipe')!r})\n"
        f"doc = nlp({text!r})\n"
        "print(json.dumps([[s.start_char, s.end_char, s.label_, s._.value, s._.unit, s._.change]"
        " for s in doc.spans['numbers']]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == expected


@pytest.mark.parametrize("rebuild", [False, True])
def test_split_keeps_other_span_groups_exact(nlp_numbers, monkeypatch, rebuild):
    """Tokens split for a number boundary move later spans of other groups with them,
    whether the tokens are retokenized or the doc is rebuilt (many splits)."""
    from nlp.pipeline import align

    monkeypatch.setattr(align, "REBUILD_MIN_CUTS", 1 if rebuild else 10**9)
    text = "浦东、虹桥两个分论坛，实施好十方面34项民生实事，第一个百年奋斗目标，湛江港30万吨级航道"
    doc = nlp_numbers.make_doc(text)
    spans = [doc[i:i + 1] for i in range(0, len(doc), 2)] + [doc[0:len(doc)]]
    before = [(s.start_char, s.end_char, s.text) for s in spans]
    doc.spans["other"] = spans
    doc.spans["other"].attrs["source"] = "test"
    doc.ents = [doc.char_span(0, 2, label="PLACE", alignment_mode="expand")]
    for i, token in enumerate(doc):
        token.is_sent_start = token.i == 0 or doc[i - 1].text == "，"
    sents = [(s.start_char, s.end_char) for s in doc.sents]
    doc.user_data["marker"] = 1
    doc = nlp_numbers.get_pipe("numeric_expressions")(doc)
    after = [(s.start_char, s.end_char, s.text) for s in doc.spans["other"]]
    assert after == before
    assert doc.spans["other"].attrs["source"] == "test"
    assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == [(0, 2, "PLACE")]
    assert [(s.start_char, s.end_char) for s in doc.sents] == sents
    assert doc.user_data["marker"] == 1 and doc.text == text
    assert [s.text for s in doc.spans["numbers"]] == ["两个", "十方面", "34项", "第一个", "30万吨"]
    assert len(doc) > len(nlp_numbers.make_doc(text))  # tokens were split


def test_split_keeps_term_spans_on_a_real_report():
    from pathlib import Path

    from nlp.pipeline.builder import build

    text = (Path(__file__).resolve().parent.parent / "seeds" / "guangdong_2022.txt").read_text(encoding="utf-8")
    nlp = build(components=["policy_sentencizer", "report_structure", "policy_terms"])
    doc = nlp(text)
    before = {k: [(s.start_char, s.end_char, s.label_) for s in g] for k, g in doc.spans.items()}
    sents = [(s.start_char, s.end_char) for s in doc.sents]
    ents = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    user_data = dict(doc.user_data)
    n_tokens = len(doc)
    doc = build(components=["numeric_expressions"]).get_pipe("numeric_expressions")(doc)
    assert len(doc) > n_tokens + 3  # many tokens split
    assert doc.text == text
    assert [(s.start_char, s.end_char) for s in doc.sents] == sents
    assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == ents
    assert all(doc.user_data[k] == v for k, v in user_data.items())
    assert {k: [(s.start_char, s.end_char, s.label_) for s in g] for k, g in doc.spans.items() if k != "numbers"} == before
    assert [(s.start_char, s.end_char) for s in doc.spans["numbers"]] == [(m.start, m.end) for m in find_numbers(text)]


@pytest.mark.parametrize(
    "text, span, value, unit",
    [
        ("增加到1亿3千多万。", "1亿3千多万", 130000000.0, None),
        ("减轻负担3万多亿元。", "3万多亿元", 3e12, "元"),
        ("日均新设企业由5千多户增加到1万6千多户", "5千多户", 5000.0, "户"),
    ],
)
def test_mixed_magnitudes_with_approximations(text, span, value, unit):
    m = find_numbers(text)[0]
    assert (m.text, m.value, m.unit, m.qualifier) == (span, value, unit, ">=")


def test_programme_goals_are_not_durations():
    assert find_numbers("聚焦建军一百年奋斗目标") == []
    assert texts("经过五年持续奋斗") == ["五年"]


def test_component_on_empty_and_numberless_docs(nlp_numbers):
    assert list(nlp_numbers("").spans["numbers"]) == []
    doc = nlp_numbers("坚持稳中求进工作总基调。")
    assert list(doc.spans["numbers"]) == []


def test_component_with_a_whitespace_tokenizer():
    """Works on any tokenizer's Doc (here spaCy's own, with trailing spaces)."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("numeric_expressions")
    text = "GDP reached 4.72万亿元 , up 5% ; CPI rose 0.3%"
    doc = nlp(text)
    got = [(s.start_char, s.end_char, s.text, s._.value) for s in doc.spans["numbers"]]
    assert got == [(m.start, m.end, m.text, m.value) for m in find_numbers(text)]
    assert [g[2] for g in got] == ["4.72万亿元", "5%", "0.3%"]


def test_quarters():
    assert [(m.text, m.date) for m in find_numbers("前三季度增长5%")][0] == ("三季度", "--Q1/--Q3")
    assert [(m.text, m.date) for m in find_numbers("今年3季度")] == [("3季度", "--Q3")]
    assert [(m.text, m.label, m.date) for m in find_numbers("第一季度")] == [("第一季度", "DATE", "--Q1")]
