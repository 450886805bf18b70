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


def test_name_head_compound_heads_and_quotes():
    text = "建设国际经济中心和公园城市，实施“党的诞生地”红色文化传承弘扬工程，编制“十四五”规划，加快建设G60科创走廊。"
    got = texts(R.name_head, text)
    assert got == ["国际经济中心", "公园城市", "“党的诞生地”红色文化传承弘扬工程", "“十四五”规划", "G60科创走廊"]
    # 规划 and 改造 name only with a quotation; a count is not a name
    assert texts(R.name_head, "编制国土空间规划，推进企业技术改造，浦东、虹桥两个分论坛") == []


def test_name_head_strips_leading_verbs_and_rounds():
    text = "启动第三轮清洁空气行动计划，举办首届上海国际碳博会，优化外资研发中心提升计划。"
    assert texts(R.name_head, text) == ["清洁空气行动计划", "上海国际碳博会", "外资研发中心提升计划"]


# -- place brands --------------------------------------------------------------------
def test_place_brand():
    text = "建设健康上海、美丽中国，加快建设科技强国、质量强省，着力加强国防，繁荣富强国家"
    assert texts(R.place_brand, text) == ["健康上海", "美丽中国", "科技强国", "质量强省"]


def test_place_brand_on_seed(seed_text, seed_view):
    assert {"健康上海", "美丽上海", "平安上海", "“书香上海”"} <= found_in_seed(R.place_brand, seed_text, seed_view)


# -- parallel slogans ----------------------------------------------------------------
def test_parallel_slogan():
    text = "一体推进不敢腐、不能腐、不想腐，坚持稳地价、稳房价、稳预期，做好科技金融、绿色金融、普惠金融、养老金融、数字金融五篇大文章。"
    assert texts(R.parallel_slogan, text) == [
        "不敢腐、不能腐、不想腐",
        "稳地价、稳房价、稳预期",
        "科技金融、绿色金融、普惠金融、养老金融、数字金融五篇大文章",
    ]
    # plain lists are not slogans
    assert texts(R.parallel_slogan, "新定位、新论断、新要求，红色旅游、工业旅游、乡村旅游，经济、政治、文化") == []


# -- acronyms ------------------------------------------------------------------------
def test_acronym():
    text = "深化合格境外有限合伙人(QFLP)试点，“经认证的经营者”企业(AEO)达到517家"
    assert texts(R.acronym, text) == ["合格境外有限合伙人", "QFLP", "AEO"]
    assert texts(R.acronym, "增长(GDP)") == ["GDP"]


def test_quoted_programme_takes_its_topic_and_short_lists():
    text = "实施贸易高质量发展“十大工程”，推进岭南文化“双创”工程，学习运用“千万工程”经验，开展“大学习、深调研、真落实”。"
    assert texts(R.quoted, text) == [
        "贸易高质量发展“十大工程”",
        "岭南文化“双创”工程",
        "“千万工程”",
        "“大学习、深调研、真落实”",
    ]
    # every quoted expression is a whole name that wins over a lexicon term inside it
    assert all(c.extends == "all" for c in R.quoted(normalize_view(text)))
