"""Each rule on its own: toy sentences for the edge cases, and the seed for the real thing."""

from __future__ import annotations

import pytest

from nlp.pipeline.normalize import normalize_view
from nlp.pipeline.terms import rules as R


def texts(rule, text):
    view = normalize_view(text)
    return [text[c.start : c.end] for c in rule(view)]


@pytest.fixture(scope="module")
def seed_view(seed_text):
    return normalize_view(seed_text)


def found_in_seed(rule, seed_text, seed_view):
    return {seed_text[c.start : c.end] for c in rule(seed_view)}


# -- quoted --------------------------------------------------------------------------
def test_quoted_keeps_names_and_drops_phrases():
    text = "推进“一网通办”，按下“加速键”，发扬“功成不必在我、功成必定有我”的精神，推动“发展”，从“1”到“2”。"
    assert texts(R.quoted, text) == ["“一网通办”"]


def test_quoted_takes_a_name_head_after_the_quote():
    text = "高水平建设“丝路电商”合作先行区，大力推进“两旧一村”改造，“无废城市”建设加快推进。"
    assert texts(R.quoted, text) == ["“丝路电商”合作先行区", "“两旧一村”改造", "“无废城市”"]
    (c, *_) = R.quoted(normalize_view(text))
    assert c.canonical == "丝路电商合作先行区" and c.extends and c.label == "PLATFORM"


def test_quoted_on_seed(seed_text, seed_view):
    got = found_in_seed(R.quoted, seed_text, seed_view)
    assert {"“五个中心”", "“一网通办”", "“两张网”", "“上海2035”", "“(2+2)+(3+6)+(4+5)”", "“80条”"} <= got
    assert "“加速键”" not in got and "“施工图”" not in got


# -- numbered slogans ----------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("加快建设五个新城，", ["五个新城"]),
        ("打造三大平台、两张网建设", ["三大平台", "两张网"]),
        ("实施十大行动", ["十大行动"]),
        ("培育三大先导产业规模", ["三大先导产业"]),
        ("三大攻坚战取得决定性成就", ["三大攻坚战"]),
        ("贯彻党的二十大和十九大精神", []),  # party congresses are not slogans
        ("第十四个五年规划", []),
        ("从三个方面入手，做好两个重点", []),  # counts, not names
        ("一个中国原则", []),
    ],
)
def test_numbered_slogan(text, expected):
    assert texts(R.numbered_slogan, text) == expected


def test_numbered_slogan_on_seed(seed_text, seed_view):
    got = found_in_seed(R.numbered_slogan, seed_text, seed_view)
    assert {"五个新城", "“三大任务”", "“三大平台”", "“两张网”", "十大行动", "“五个中心”"} <= got


# -- numeral compounds ---------------------------------------------------------------
def test_numeral_compound():
    text = "共建“一带一路”，推进一江一河一带，三去一降一补，长三角一体化，十九届二中全会，四个五年"
    assert texts(R.numeral_compound, text) == ["“一带一路”", "一江一河一带", "三去一降一补"]


def test_numeral_compound_on_seed(seed_text, seed_view):
    got = found_in_seed(R.numeral_compound, seed_text, seed_view)
    assert {"“两旧一村”", "“一江一河”", "“一节六季”", "“五好两宜”", "“三共三固”"} <= got


# -- measure packages ----------------------------------------------------------------
def test_measure_package():
    text = "出台实施促消费“15条”、投资促进“24条”，全面对接国际高标准经贸规则总体方案“80条”出台，优化营商环境6.0版。"
    got = texts(R.measure_package, text)
    assert got == ["促消费“15条”", "投资促进“24条”", "“80条”", "优化营商环境6.0版"]
    c = R.measure_package(normalize_view(text))[0]
    assert c.canonical == "促消费15条" and c.label == "POLICY"


def test_measure_package_on_seed(seed_text, seed_view):
    got = found_in_seed(R.measure_package, seed_text, seed_view)
    assert {"促消费“15条”", "“80条”", "优化营商环境6.0版"} <= got
    assert len([g for g in got if g.endswith("条”")]) >= 6


# -- formulas ------------------------------------------------------------------------
def test_formula():
    text = "建设“(2+2)+(3+6)+(4+5)”产业体系，落实“1+1+9”部署，增长2+2个百分点"
    assert texts(R.formula, text) == ["“(2+2)+(3+6)+(4+5)”", "“1+1+9”"]


def test_formula_full_width_on_view():
    text = "建设“（２＋２）＋（３＋６）”体系"
    assert texts(R.formula, text) == ["“（２＋２）＋（３＋６）”"]


# -- name heads ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, expected",
    [
        ("推进长三角生态绿色一体化发展示范区建设", ["长三角生态绿色一体化发展示范区"]),
        ("深入实施上海文艺再攀高峰工程", ["上海文艺再攀高峰工程"]),
        ("开展健康中国行动，", ["健康中国行动"]),
        ("落实到实际行动中，统一行动", []),
        ("推进水利等重大工程，", []),
        ("建设上海示范区线东延伸", []),
    ],
)
def test_name_head(text, expected):
    assert texts(R.name_head, text) == expected


def test_name_head_on_seed(seed_text, seed_view):
    got = found_in_seed(R.name_head, seed_text, seed_view)
    assert {"长三角生态绿色一体化发展示范区", "上海文艺再攀高峰工程", "城市更新行动"} <= got


# -- labels and the registry ---------------------------------------------------------
def test_guess_label():
    assert R.guess_label("“80条”") == "POLICY"
    assert R.guess_label("五五购物节") == "PLATFORM"
    assert R.guess_label("五个中心") == "STRATEGY"
    assert R.guess_label("一网通办") == "PROGRAM"


def test_rule_registry_names():
    assert list(R.RULES) == list(R.RULE_NAMES)
    assert {"quoted", "numbered_slogan", "measure_package", "formula", "name_head"} <= set(R.RULES)
