"""Plot functions: CJK labels fully covered by the chosen font, no global state, atomic saves."""
from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from nlp.viz import fonts
from nlp.viz.fonts import MissingGlyphWarning, font_codepoints, resolve_font
from nlp.viz.plots import (
    VizInputError,
    indicator_chart,
    keyword_bar_chart,
    save_figure,
    section_topic_heatmap,
    term_trend_lines,
    topic_term_bars,
)

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
TERMS = ["高质量发展", "科技创新", "五个中心", "营商环境", "城市更新", "乡村振兴", "新质生产力"]
HEADING = re.compile(r"^[一二三四五六七八九十]+、")


@pytest.fixture(scope="module")
def seed() -> str:
    return (SEEDS / "shanghai_2024_government_work_report.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def keywords(seed) -> pd.DataFrame:
    counts = {t: seed.count(t) for t in TERMS}
    assert all(counts.values()), counts  # the terms really occur in the seed
    bigrams = Counter(seed[i:i + 2] for i in range(len(seed) - 1) if all("\u4e00" <= c <= "\u9fff" for c in seed[i:i + 2]))
    rows = [{"keyword": t, "score": float(n), "is_term": True} for t, n in counts.items()]
    rows += [{"keyword": w, "score": float(n), "is_term": False} for w, n in bigrams.most_common(20)]
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def sections(seed) -> list[tuple[str, str]]:
    out, heading, body = [], None, []
    for line in seed.splitlines():
        if HEADING.match(line):
            if heading:
                out.append((heading, "\n".join(body)))
            heading, body = line.strip(), []
        elif heading:
            body.append(line)
    out.append((heading, "\n".join(body)))
    assert len(out) == 3
    return out


@pytest.fixture(scope="module")
def topics() -> pd.DataFrame:
    groups = {"科技": ["科技创新", "新质生产力", "人才", "研发"], "城市": ["城市更新", "五个中心", "营商环境", "开放"],
              "民生": ["就业", "养老", "教育", "医疗"]}
    return pd.DataFrame([{"topic": i, "label": label, "rank": r, "term": t, "weight": 1.0 / (r + 1)}
                         for i, (label, ts) in enumerate(groups.items()) for r, t in enumerate(ts)])


@pytest.fixture(scope="module")
def mix(sections, topics) -> pd.DataFrame:
    rows = []
    for heading, body in sections:
        for topic, part in topics.groupby("topic"):
            rows.append({"document": "上海2024", "section": heading, "topic": topic,
                         "weight": float(sum(body.count(t) for t in part["term"]))})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def trends() -> pd.DataFrame:
    rows = []
    for path in sorted(SEEDS.glob("national_20*.txt")):
        text = path.read_text(encoding="utf-8")
        year = int(path.stem.split("_")[1])
        for t in TERMS:
            rows.append({"term": t, "year": year, "per_10k": 1e4 * text.count(t) / len(text)})
    return pd.DataFrame(rows)


def _all_figures(keywords, topics, mix, trends, font):
    return {
        "keywords": keyword_bar_chart(keywords, top=15, font=font),
        "topics": topic_term_bars(topics, font=font),
        "heatmap": section_topic_heatmap(mix, font=font),
        "trends": term_trend_lines(trends, font=font),
        "indicators": indicator_chart(pd.DataFrame({"indicator": ["地区生产总值增长", "城镇调查失业率"],
                                                    "value": [5.0, 5.0], "unit": ["%左右", "%以内"]}), font=font),
    }


def _drawn_texts(fig: Figure) -> list[Text]:
    FigureCanvasAgg(fig).draw()  # materialise tick labels as they will be rendered
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


@pytest.mark.parametrize("force_bundled", [True, False], ids=["bundled", "auto"])
def test_every_label_character_is_in_the_font_actually_used(force_bundled, keywords, topics, mix, trends):
    font = resolve_font(bundled=force_bundled)
    cps = font_codepoints(font)
    figs = _all_figures(keywords, topics, mix, trends, font)
    for name, fig in figs.items():
        texts = _drawn_texts(fig)
        cjk = [t for t in texts if re.search(r"[\u4e00-\u9fff]", t.get_text())]
        assert cjk, name
        for t in texts:
            missing = {c for c in t.get_text() if not c.isspace() and ord(c) not in cps}
            assert not missing, (name, t.get_text(), missing)
        for t in cjk:  # Chinese text must be drawn with the CJK font itself, not a fallback
            used = font_manager.findfont(t.get_fontproperties())
            assert Path(used) == font.path, (name, t.get_text(), used)
    ax = figs["keywords"].axes[0]
    top = {round(t.get_position()[1]): t.get_text() for t in ax.get_yticklabels()}
    best = keywords.sort_values(["score", "keyword"], ascending=[False, True])["keyword"].tolist()
    assert [top[y] for y in sorted(top, reverse=True)] == best[:15]  # highest score drawn at the top
    assert "三、全面加强政府自身建设" in [t.get_text() for t in figs["heatmap"].axes[0].get_yticklabels()]


def test_rcparams_untouched_and_no_pyplot(keywords, topics, mix, trends, tmp_path):
    before = {k: v for k, v in matplotlib.rcParams.items()}
    figs = _all_figures(keywords, topics, mix, trends, None)
    save_figure(figs["keywords"], tmp_path / "kw")
    after = {k: v for k, v in matplotlib.rcParams.items()}
    assert before == after
    code = "import sys, nlp.viz; print('matplotlib.pyplot' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"


def test_save_figure_png_and_svg_deterministic_and_atomic(keywords, tmp_path):
    fig = keyword_bar_chart(keywords, font=resolve_font(bundled=True))
    paths = save_figure(fig, tmp_path / "keywords")
    assert [p.name for p in paths] == ["keywords.png", "keywords.svg"]
    first = [p.read_bytes() for p in paths]
    assert first[0][:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in first[1] and b"<dc:date>" not in first[1]
    save_figure(fig, tmp_path / "keywords")
    assert [p.read_bytes() for p in paths] == first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keywords.png", "keywords.svg"]
    with pytest.raises(VizInputError, match="does not exist"):
        save_figure(fig, tmp_path / "missing" / "keywords")


def test_missing_glyph_in_a_label_warns_with_the_word(keywords):
    bad = pd.concat([keywords, pd.DataFrame([{"keyword": "𠀀字", "score": 1e6, "is_term": False}])])
    with pytest.warns(MissingGlyphWarning, match="𠀀字"):
        keyword_bar_chart(bad, font=resolve_font(bundled=True))


def test_bad_input_raises_clear_errors(keywords, trends):
    with pytest.raises(VizInputError, match="score"):
        keyword_bar_chart(keywords.drop(columns=["score"]))
    with pytest.raises(VizInputError, match="non-numeric"):
        keyword_bar_chart(keywords.assign(score="high"))
    with pytest.raises(VizInputError, match="empty"):
        topic_term_bars(pd.DataFrame(columns=["topic", "label", "rank", "term", "weight"]))
    with pytest.raises(VizInputError, match="不存在"):
        term_trend_lines(trends, terms=["不存在"])


def test_trend_lines_select_top_terms_and_documents(trends):
    fig = term_trend_lines(trends, top=3, font=resolve_font(bundled=True))
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    totals = trends.groupby("term")["per_10k"].sum().sort_values(ascending=False)
    assert legend == list(totals.index[:3])
    by_doc = trends.assign(document=trends["year"].map(lambda y: f"国务院{y}")).drop(columns=["year"])
    fig = term_trend_lines(by_doc, terms=["高质量发展"], font=resolve_font(bundled=True))
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert ticks[0] == "国务院2018" and len(ticks) == by_doc["document"].nunique()


def test_env_forced_font_is_used_by_default(monkeypatch, keywords):
    monkeypatch.setenv(fonts.ENV_VAR, "bundled")
    fonts._resolve.cache_clear()
    try:
        fig = keyword_bar_chart(keywords)
        label = fig.axes[0].get_yticklabels()[0]
        assert Path(font_manager.findfont(label.get_fontproperties())) == fonts.BUNDLED_FONT
    finally:
        fonts._resolve.cache_clear()


def test_dollar_signs_in_labels_are_drawn_literally(keywords):
    odd = pd.concat([keywords, pd.DataFrame([{"keyword": "a$b_c$d", "score": 1e6, "is_term": pd.NA}])])
    fig = keyword_bar_chart(odd, top=3, font=resolve_font(bundled=True))
    texts = [t.get_text() for t in _drawn_texts(fig)]  # mathtext would fail or change the text
    assert "a$b_c$d" in texts


@pytest.mark.parametrize("force_bundled", [True, False], ids=["bundled", "auto"])
def test_every_label_fits_inside_the_figure(force_bundled, keywords, topics, mix, trends, seed):
    """The layout is computed without a renderer: no drawn text may spill over the figure edge,
    also with long labels (the seed's longest headings, long topic labels and terms)."""
    font = resolve_font(bundled=force_bundled)
    headings = sorted({line.strip() for line in seed.splitlines() if line.startswith(("（", "("))}, key=len)[-6:]
    long_mix = pd.DataFrame([{"document": "上海2024", "section": h, "topic": t, "weight": 1.0}
                             for h in headings for t in range(1, 9)])
    long_topics = topics.assign(label="科技创新 · 新质生产力 · 浦东引领区建设 · 长三角一体化",
                                term=topics["term"] + "与全过程人民民主")
    figs = _all_figures(keywords, topics, mix, trends, font)
    figs["long heatmap"] = section_topic_heatmap(long_mix, topic_labels={t: "高质量发展 · 改革开放 · 总书记" for t in range(1, 9)},
                                                 font=font)
    figs["long topics"] = topic_term_bars(long_topics, font=font)
    figs["documents"] = term_trend_lines(trends.assign(document=trends["year"].map(lambda y: f"国务院政府工作报告{y}"))
                                         .drop(columns=["year"]), font=font)
    for name, fig in figs.items():
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        drawn = fig.get_tightbbox(canvas.get_renderer())  # inches, everything drawn
        width, height = fig.get_size_inches()
        assert drawn.x0 >= -0.01 and drawn.y0 >= -0.01 and drawn.x1 <= width + 0.01 and drawn.y1 <= height + 0.01, \
            (name, drawn.bounds, (width, height))
