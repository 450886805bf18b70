"""Indicators: figures linked to their measure, year and kind, on the real seed."""

from __future__ import annotations

import pandas as pd
import pytest

import nlp
from nlp.pipeline.indicators import indicators_table, measure_before


@pytest.fixture(scope="module")
def table(seed_path):
    pipeline = nlp.load()
    assert "indicators" in pipeline.pipe_names
    doc = next(nlp.process(pipeline, [nlp.read(seed_path)]))
    return indicators_table([doc])


def row(table: pd.DataFrame, indicator: str, text: str, kind: str | None = None) -> pd.Series:
    hits = table[(table.indicator == indicator) & (table.text == text)]
    if kind:
        hits = hits[hits.kind == kind]
    assert len(hits) >= 1, f"no indicator {indicator} = {text} ({kind})"
    return hits.iloc[0]


def test_gdp_actual_and_growth(table):
    gdp = row(table, "全市生产总值", "4.72万亿元", "actual")
    assert gdp.year == 2023 and gdp.value == pytest.approx(4.72e12) and gdp.unit == "元"
    growth = row(table, "全市生产总值", "5%", "actual")
    assert growth.year == 2023 and growth.change == "up" and growth.value == 5.0


def test_2024_targets(table):
    target = row(table, "全市生产总值", "5%左右", "target")
    assert target.year == 2024 and target.qualifier == "~"
    unemployment = row(table, "城镇调查失业率", "5%以内", "target")
    assert unemployment.year == 2024 and unemployment.qualifier == "<="


def test_named_actuals(table):
    port = row(table, "上海港集装箱吞吐量", "4915.8万标准箱", "actual")
    assert port.value == pytest.approx(49158000.0) and port.unit == "标准箱"
    air = row(table, "环境空气质量优良率", "87.7%", "actual")
    points = row(table, "环境空气质量优良率", "0.6个百分点", "actual")
    assert air.label == "PERCENT" and points.label == "PERCENT_POINT" and points.change == "up"
    fdi = row(table, "实际使用外资", "240.9亿美元", "actual")
    assert fdi.label == "MONEY" and fdi.unit == "美元" and fdi.value == pytest.approx(24090000000.0)


def test_table_shape_and_kinds(table, seed_text):
    assert list(table.columns[:3]) == ["document", "indicator", "text"]
    assert set(table.kind) == {"actual", "target"}
    assert (table.document == "shanghai_2024_government_work_report").all()
    # figures in the review are actual, figures in the 2024 tasks are targets
    review_end = seed_text.index("二、2024年主要任务")
    assert (table[table.start < review_end].kind == "actual").all()
    assert (table[table.start > review_end].kind == "target").mean() > 0.9
    for r in table.itertuples():
        assert seed_text[r.start : r.end] == r.text
    # nearly every figure is linked to a measure
    assert table.indicator.notna().mean() > 0.9


@pytest.mark.parametrize(
    "prefix, measure",
    [("全市生产总值达到", "全市生产总值"), ("城镇调查失业率平均为", "城镇调查失业率"), ("增长", None), ("一是居民消费价格上涨", "居民消费价格"), ("、", None)],
)
def test_measure_before(prefix, measure):
    assert measure_before(prefix) == measure


def test_national_report_targets(seed_path):
    pipeline = nlp.load()
    doc = next(nlp.process(pipeline, [nlp.read(seed_path.parent / "national_2024.txt")]))
    table = indicators_table([doc])
    gdp = row(table, "国内生产总值", "5%左右", "target")
    assert gdp.year == 2024 and gdp.qualifier == "~"
    assert row(table, "国内生产总值", "5.2%", "actual").year == 2023
