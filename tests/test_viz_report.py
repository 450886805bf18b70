"""Self-contained HTML report: embedded images, escaped text, tables, atomic deterministic writes."""
from __future__ import annotations

import base64
import re
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.figure import Figure

from nlp.viz.fonts import resolve_font
from nlp.viz.plots import keyword_bar_chart
from nlp.viz.report import ReportError, ReportSection, render_html, write_html_report
from nlp.viz.wordcloud import wordcloud_image

SEED = Path(__file__).resolve().parent.parent / "seeds" / "shanghai_2024_government_work_report.txt"
TERMS = ["高质量发展", "科技创新", "五个中心", "营商环境", "城市更新"]


class ExplodingFigure(Figure):
    """A figure whose rendering fails, to simulate a crash in the middle of building a report."""

    def savefig(self, *args, **kwargs):
        raise RuntimeError("boom while rendering")


@pytest.fixture(scope="module")
def seed_sections() -> list[ReportSection]:
    text = SEED.read_text(encoding="utf-8")
    table = pd.DataFrame({"term": TERMS, "count": [text.count(t) for t in TERMS],
                          "note": ["<b>不是标签</b>", "a & b", "", "“引号”", "x"]})
    assert table["count"].min() > 0
    font = resolve_font(bundled=True)
    chart = keyword_bar_chart(table.rename(columns={"term": "keyword", "count": "score"}), font=font)
    cloud = wordcloud_image(dict(zip(table["term"], table["count"])), terms=set(TERMS), width=300, height=180, font=font)
    first_paragraph = next(line for line in text.splitlines() if len(line) > 40)
    return [
        ReportSection("关键词 <概览>", text=first_paragraph + "\n\n第二段 & 结尾", figures=[chart, ("词云", cloud)],
                      tables=[("术语频次", table)]),
        ReportSection("说明", text="无图无表。"),
    ]


def test_report_is_self_contained_with_images_and_tables(tmp_path, seed_sections):
    out = write_html_report(tmp_path / "report.html", title="上海 2024 <政府工作报告>", sections=seed_sections)
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html
    assert "<title>上海 2024 &lt;政府工作报告&gt;</title>" in html
    assert "<h2>关键词 &lt;概览&gt;</h2>" in html
    images = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', html)
    assert len(images) == 2
    assert all(base64.b64decode(b)[:8] == b"\x89PNG\r\n\x1a\n" for b in images)
    assert "图 2：词云" in html and "<caption>术语频次</caption>" in html
    assert "<td>高质量发展</td>" in html and "&lt;b&gt;不是标签&lt;/b&gt;" in html and "<b>不是标签" not in html
    assert "第二段 &amp; 结尾" in html
    assert not re.search(r'(src|href)="(?!data:|#)', html)  # nothing loaded from outside
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_report_bytes_are_deterministic(tmp_path, seed_sections):
    a = write_html_report(tmp_path / "a.html", title="报告", sections=seed_sections).read_bytes()
    b = write_html_report(tmp_path / "b.html", title="报告", sections=seed_sections).read_bytes()
    assert a == b
    assert render_html("报告", seed_sections).encode("utf-8") == a


def test_failed_render_leaves_old_report_intact(tmp_path, seed_sections):
    target = tmp_path / "report.html"
    target.write_text("old report", encoding="utf-8")
    broken = [*seed_sections, ReportSection("坏图", figures=[ExplodingFigure()])]
    with pytest.raises(RuntimeError, match="boom"):
        write_html_report(target, title="报告", sections=broken)
    assert target.read_text(encoding="utf-8") == "old report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_failed_write_leaves_old_report_and_no_temp(tmp_path, seed_sections, monkeypatch):
    target = tmp_path / "report.html"
    target.write_text("old report", encoding="utf-8")

    def fail_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr("nlp.viz.report.os.replace", fail_replace)
    with pytest.raises(OSError, match="disk full"):
        write_html_report(target, title="报告", sections=seed_sections)
    assert target.read_text(encoding="utf-8") == "old report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]


def test_bad_directory_and_bad_content_raise_clear_errors(tmp_path):
    with pytest.raises(ReportError, match="does not exist"):
        write_html_report(tmp_path / "nowhere" / "r.html", title="报告", sections=[])
    with pytest.raises(ReportError, match="DataFrame"):
        render_html("报告", [ReportSection("表", tables=[("坏表", [1, 2])])])
    with pytest.raises(ReportError, match="ReportSection"):
        render_html("报告", ["不是章节"])


def test_table_cells_are_escaped_missing_values_blank_and_long_tables_cut():
    """Cells: text escaped, missing values (None, NaN, pd.NA) blank, floats to 6 significant
    digits; a table longer than max_table_rows shows its first rows and says how many there are."""
    table = pd.DataFrame({"词 <w>": ["a&b", None, "五个中心"], "score": [0.1234567, float("nan"), 12.5],
                          "year": pd.array([2024, None, 2023], dtype="Int64")})
    page = render_html("报告", [ReportSection("表", tables=[("分数", table)])], max_table_rows=2)
    rows = re.findall(r"<tr>(.*?)</tr>", page)
    assert rows[0] == "<th>词 &lt;w&gt;</th><th>score</th><th>year</th>"
    assert rows[1] == "<td>a&amp;b</td><td>0.123457</td><td>2024</td>"
    assert rows[2] == "<td></td><td></td><td></td>"
    assert len(rows) == 3 and "五个中心" not in page
    assert "<caption>分数 (first 2 of 3 rows)</caption>" in page
