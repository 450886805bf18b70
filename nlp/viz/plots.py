"""Matplotlib figures from plain DataFrames (no pyplot, no global rcParams changes)."""
from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from nlp.viz.fonts import CJKFont, check_glyphs, font_properties, resolve_font

TERM_COLOR = "#c0392b"  # policy terms
WORD_COLOR = "#3b6ea5"  # other words
PALETTE = ("#3b6ea5", "#c0392b", "#2a9d8f", "#e9a23b", "#7b5ea7", "#5d6d7e", "#d35400", "#1abc9c",
           "#8e44ad", "#2c3e50", "#b7950b", "#16a085")
_SAVE_RC = {"svg.hashsalt": "policy-nlp", "svg.fonttype": "path"}
_METADATA = {"png": {"Software": None}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}


class VizInputError(ValueError):
    """A DataFrame handed to a plot function lacks columns or holds unusable values."""


def _require(df: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    """Raise VizInputError naming the missing columns."""
    if not isinstance(df, pd.DataFrame):
        raise VizInputError(f"{what}: expected a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise VizInputError(f"{what}: missing column(s) {missing}; has {list(df.columns)}")
    if df.empty:
        raise VizInputError(f"{what}: DataFrame is empty, nothing to plot")


def _numeric(df: pd.DataFrame, column: str, what: str) -> pd.Series:
    """Column as floats, or VizInputError naming the column."""
    values = pd.to_numeric(df[column], errors="coerce")
    if values.isna().any():
        bad = df.loc[values.isna(), column].head(3).tolist()
        raise VizInputError(f"{what}: column {column!r} has non-numeric or missing values, e.g. {bad}")
    return values.astype(float)


def _setup(font: CJKFont | None) -> tuple[CJKFont, FontProperties]:
    """The font to use and its FontProperties."""
    font = font or resolve_font()
    return font, font_properties(font)


def _short(label: object, limit: int = 24) -> str:
    """Label as text, cut to limit characters with an ellipsis."""
    try:
        blank = label is None or bool(pd.isna(label))
    except (TypeError, ValueError):  # list-like labels
        blank = False
    text = "" if blank else str(label)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _finish(fig: Figure, font: CJKFont) -> Figure:
    """Draw data labels literally ('$' is not mathtext) and warn about text the font cannot draw."""
    texts = []
    for text in fig.findobj(matplotlib.text.Text):
        text.set_parse_math(False)
        if text.get_text():
            texts.append(text.get_text())
    check_glyphs(texts, font, stacklevel=4)  # point at the caller of the plot function
    return fig


def keyword_bar_chart(
    df: pd.DataFrame, *, top: int = 20, title: str | None = None, font: CJKFont | None = None
) -> Figure:
    """Horizontal bars of the top keywords by score (columns: keyword, score [, is_term]); terms highlighted."""
    _require(df, ["keyword", "score"], "keyword_bar_chart")
    data = df.assign(score=_numeric(df, "score", "keyword_bar_chart"), keyword=df["keyword"].astype(str))
    data = data.sort_values(["score", "keyword"], ascending=[False, True], kind="mergesort").head(top)
    is_term = [not pd.isna(v) and bool(v) for v in data["is_term"]] if "is_term" in data else [False] * len(data)
    font, fp = _setup(font)
    fig = Figure(figsize=(7.5, max(2.5, 0.32 * len(data) + 1.2)), layout="constrained")
    ax = fig.add_subplot()
    y = np.arange(len(data))[::-1]
    colors = [TERM_COLOR if t else WORD_COLOR for t in is_term]
    ax.barh(y, data["score"].to_numpy(), color=colors)
    ax.set_yticks(y, labels=[_short(k) for k in data["keyword"]], fontproperties=fp)
    ax.set_xlabel("得分 score", fontproperties=fp)
    ax.set_title(title or f"关键词 Top {len(data)}", fontproperties=fp)
    if any(is_term):
        from matplotlib.patches import Patch

        ax.legend(handles=[Patch(color=TERM_COLOR, label="政策术语"), Patch(color=WORD_COLOR, label="其他词")],
                  prop=fp, loc="lower right")
    ax.spines[["top", "right"]].set_visible(False)
    return _finish(fig, font)


def topic_term_bars(
    topics_df: pd.DataFrame, *, top: int = 10, ncols: int = 3, font: CJKFont | None = None
) -> Figure:
    """One small bar chart per topic of its top terms (columns: topic, label, rank, term, weight)."""
    _require(topics_df, ["topic", "rank", "term", "weight"], "topic_term_bars")
    data = topics_df.assign(weight=_numeric(topics_df, "weight", "topic_term_bars"),
                            rank=_numeric(topics_df, "rank", "topic_term_bars"))
    topics = sorted(data["topic"].unique(), key=lambda t: (str(type(t)), t))
    font, fp = _setup(font)
    ncols = max(1, min(ncols, len(topics)))
    nrows = math.ceil(len(topics) / ncols)
    fig = Figure(figsize=(4.2 * ncols, (0.3 * top + 1.0) * nrows + 0.4), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False)
    for i, topic in enumerate(topics):
        ax = axes[i // ncols][i % ncols]
        part = data[data["topic"] == topic].sort_values(["rank", "term"], kind="mergesort").head(top)
        y = np.arange(len(part))[::-1]
        ax.barh(y, part["weight"].to_numpy(), color=PALETTE[i % len(PALETTE)])
        ax.set_yticks(y, labels=[_short(t, 16) for t in part["term"]], fontproperties=fp)
        label = _short(part["label"].iloc[0], 20) if "label" in part else ""
        ax.set_title(f"主题 {topic}" + (f"：{label}" if label else ""), fontproperties=fp, fontsize=10)
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(axis="x", labelsize=8)
    for j in range(len(topics), nrows * ncols):
        axes[j // ncols][j % ncols].set_visible(False)
    fig.suptitle("主题词", fontproperties=fp)
    return _finish(fig, font)


def _ordered_unique(values: Iterable[object]) -> list[object]:
    """Unique values in order of first appearance."""
    return list(dict.fromkeys(values))


def section_topic_heatmap(
    mix_df: pd.DataFrame,
    *,
    topic_labels: Mapping[object, str] | None = None,
    title: str | None = None,
    font: CJKFont | None = None,
) -> Figure:
    """Heatmap of topic weight per section (columns: document, section, topic, weight); rows keep input order."""
    _require(mix_df, ["section", "topic", "weight"], "section_topic_heatmap")
    data = mix_df.assign(weight=_numeric(mix_df, "weight", "section_topic_heatmap"))
    if "document" not in data:
        data = data.assign(document="")
    data = data.assign(document=data["document"].astype(str), section=data["section"].astype(str))
    rows = _ordered_unique(zip(data["document"], data["section"]))
    topics = sorted(data["topic"].unique(), key=lambda t: (str(type(t)), t))
    table = data.groupby(["document", "section", "topic"], sort=False)["weight"].mean()
    matrix = np.zeros((len(rows), len(topics)))
    for r, (doc, sec) in enumerate(rows):
        for c, topic in enumerate(topics):
            matrix[r, c] = table.get((doc, sec, topic), 0.0)
    several = len({d for d, _ in rows}) > 1
    row_labels = [_short(f"{d} · {s}" if several else s, 30) for d, s in rows]
    col_labels = [_short((topic_labels or {}).get(t, f"主题 {t}"), 10) for t in topics]
    font, fp = _setup(font)
    fig = Figure(figsize=(max(5.0, 0.7 * len(topics) + 3.5), max(3.0, 0.3 * len(rows) + 1.6)), layout="constrained")
    ax = fig.add_subplot()
    image = ax.imshow(matrix, aspect="auto", cmap="YlOrRd", vmin=0.0, interpolation="nearest")
    ax.set_yticks(np.arange(len(rows)), labels=row_labels, fontproperties=fp, fontsize=8)
    ax.set_xticks(np.arange(len(topics)), labels=col_labels, fontproperties=fp, fontsize=8,
                  rotation=45 if topic_labels else 0, ha="right" if topic_labels else "center")
    bar = fig.colorbar(image, ax=ax, shrink=0.8)
    bar.set_label("主题权重", fontproperties=fp)
    ax.set_title(title or "章节 × 主题", fontproperties=fp)
    return _finish(fig, font)


def term_trend_lines(
    trends_df: pd.DataFrame,
    *,
    terms: Sequence[str] | None = None,
    top: int = 8,
    title: str | None = None,
    font: CJKFont | None = None,
) -> Figure:
    """Lines of per-10k-character frequency over years or documents (columns: term, year|document, per_10k)."""
    x_col = "year" if "year" in trends_df.columns else "document"
    _require(trends_df, ["term", x_col, "per_10k"], "term_trend_lines")
    data = trends_df.assign(per_10k=_numeric(trends_df, "per_10k", "term_trend_lines"),
                            term=trends_df["term"].astype(str))
    if terms is None:
        totals = data.groupby("term")["per_10k"].sum().reset_index()
        totals = totals.sort_values(["per_10k", "term"], ascending=[False, True], kind="mergesort")
        chosen = totals["term"].head(top).tolist()
    else:
        chosen = [str(t) for t in terms]
        unknown = [t for t in chosen if t not in set(data["term"])]
        if unknown:
            raise VizInputError(f"term_trend_lines: term(s) {unknown} not in the DataFrame")
    if x_col == "year":
        xs = sorted(_numeric(data, "year", "term_trend_lines").astype(int).unique())
        data = data.assign(year=data["year"].astype(int))
    else:
        data = data.assign(document=data["document"].astype(str))
        xs = _ordered_unique(data["document"])
    positions = {x: i for i, x in enumerate(xs)}
    font, fp = _setup(font)
    fig = Figure(figsize=(max(6.0, 0.8 * len(xs) + 3.0), 4.5), layout="constrained")
    ax = fig.add_subplot()
    markers = "osD^vP*Xh<>"
    for i, term in enumerate(chosen):
        part = data[data["term"] == term].groupby(x_col, sort=False)["per_10k"].sum()
        pts = sorted((positions[x], v) for x, v in part.items())
        ax.plot([p for p, _ in pts], [v for _, v in pts], marker=markers[i % len(markers)],
                color=PALETTE[i % len(PALETTE)], label=term, linewidth=1.6)
    ax.set_xticks(np.arange(len(xs)), labels=[_short(x, 14) for x in xs], fontproperties=fp,
                  rotation=0 if x_col == "year" else 30, ha="center" if x_col == "year" else "right")
    ax.set_ylabel("每万字出现次数", fontproperties=fp)
    ax.set_xlabel("年份" if x_col == "year" else "文档", fontproperties=fp)
    ax.set_title(title or "术语趋势", fontproperties=fp)
    ax.set_ylim(bottom=0)
    ax.grid(axis="y", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(prop=fp, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return _finish(fig, font)


def indicator_chart(
    ind_df: pd.DataFrame, *, top: int = 15, title: str | None = None, font: CJKFont | None = None
) -> Figure:
    """Bars of numeric indicators (columns: indicator, value [, unit]); each bar labelled with value and unit."""
    _require(ind_df, ["indicator", "value"], "indicator_chart")
    data = ind_df.assign(value=_numeric(ind_df, "value", "indicator_chart")).head(top)
    units = data["unit"].fillna("").astype(str).tolist() if "unit" in data else [""] * len(data)
    font, fp = _setup(font)
    fig = Figure(figsize=(7.5, max(2.5, 0.35 * len(data) + 1.2)), layout="constrained")
    ax = fig.add_subplot()
    y = np.arange(len(data))[::-1]
    values = data["value"].to_numpy()
    ax.barh(y, values, color=WORD_COLOR)
    ax.set_yticks(y, labels=[_short(k, 20) for k in data["indicator"]], fontproperties=fp)
    for yy, v, u in zip(y, values, units):
        ax.annotate(f"{v:g}{u}", (v, yy), xytext=(3, 0), textcoords="offset points", va="center",
                    fontproperties=fp, fontsize=8)
    ax.set_title(title or "主要指标", fontproperties=fp)
    ax.spines[["top", "right"]].set_visible(False)
    return _finish(fig, font)


def _atomic_savefig(fig: Figure, target: Path, fmt: str, dpi: int) -> None:
    """Save one format to a temp file in the target directory, then os.replace it into place."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with matplotlib.rc_context(_SAVE_RC):
            fig.savefig(tmp, format=fmt, dpi=dpi, metadata=_METADATA.get(fmt))
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


def save_figure(
    fig: Figure, path_without_suffix: str | os.PathLike[str], *, formats: Sequence[str] = ("png", "svg"),
    dpi: int = 150,
) -> list[Path]:
    """Write fig as PNG (dpi 150) and SVG next to each other, atomically and deterministically."""
    base = Path(path_without_suffix)
    if not base.parent.is_dir():
        raise VizInputError(f"{base.parent}: output directory does not exist")
    written = []
    for fmt in formats:
        target = base.with_name(f"{base.name}.{fmt}")
        _atomic_savefig(fig, target, fmt, dpi)
        written.append(target)
    return written


def save_figures(
    figures: Mapping[str, Figure], out_dir: str | os.PathLike[str], **kwargs: object
) -> list[Path]:
    """save_figure for each named figure into out_dir (created if needed); returns every written path."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for name, fig in figures.items():
        paths += save_figure(fig, out / name, **kwargs)  # type: ignore[arg-type]
    return paths
