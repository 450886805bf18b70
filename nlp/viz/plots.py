"""Matplotlib figures from plain DataFrames (no pyplot, no global rcParams changes)."""
from __future__ import annotations

import io
import math
import os
import unicodedata
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import matplotlib
import matplotlib.axes
import matplotlib.axis
import matplotlib.text
import numpy as np
import pandas as pd
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from nlp.viz.errors import VizInputError
from nlp.viz.fonts import CJKFont, check_glyphs, font_properties, resolve_font

TERM_COLOR = "#c0392b"  # policy terms
WORD_COLOR = "#3b6ea5"  # other words
PALETTE = ("#3b6ea5", "#c0392b", "#2a9d8f", "#e9a23b", "#7b5ea7", "#5d6d7e", "#d35400", "#1abc9c",
           "#8e44ad", "#2c3e50", "#b7950b", "#16a085")
_SAVE_RC = {"svg.hashsalt": "policy-nlp", "svg.fonttype": "path"}
_METADATA = {"png": {"Software": None}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}


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
    for text in _text_artists(fig):
        text.set_parse_math(False)
        if text.get_text():
            texts.append(text.get_text())
    check_glyphs(texts, font, stacklevel=4)  # point at the caller of the plot function
    return fig


def _text_artists(artist: matplotlib.artist.Artist) -> Iterable[matplotlib.text.Text]:
    """Every Text in the artist's tree, except under an axis that is turned off (it draws
    nothing, and listing its ticks would create them: 50 ms for a topic chart)."""
    if isinstance(artist, matplotlib.axis.Axis) and not (artist.axes.axison and artist.get_visible()):
        return
    if isinstance(artist, matplotlib.text.Text):
        yield artist
    for child in artist.get_children():
        yield from _text_artists(child)


# Layout is computed here, in inches, from estimated text widths. Matplotlib's constrained layout
# measures every label with a renderer on each draw, which made a 12-panel topic chart take
# seconds to save; a figure here is laid out once when it is made.
_SIZE = 10.0  # matplotlib's default text size, points
_TICK = 0.12  # tick length plus padding, inches
_LINE = 0.22  # one line of 10-point text with its padding, inches


def _text_inches(text: str, size: float = _SIZE) -> float:
    """Estimated width of text in inches: full-width (CJK) characters 1 em, others 0.62 em."""
    em = sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.62 for c in text)
    return em * size / 72


def _widest(texts: Iterable[str], size: float = _SIZE) -> float:
    """The widest of texts in inches (0 for none)."""
    return max((_text_inches(t, size) for t in texts), default=0.0)


def _title(ax: matplotlib.axes.Axes, title: str, fp: FontProperties) -> None:
    """The axes' title, at matplotlib's usual place above them. Given its place, matplotlib no
    longer measures every tick label on each save to look for ticks on top (there are none)."""
    ax.set_title(title, fontproperties=fp, y=1.0)


def _margins(fig: Figure, *, left: float, right: float, top: float, bottom: float) -> None:
    """Place the figure's subplots with margins given in inches."""
    width, height = fig.get_size_inches()
    fig.subplots_adjust(left=left / width, right=1 - right / width, top=1 - top / height, bottom=bottom / height)


def keyword_bar_chart(
    df: pd.DataFrame, *, top: int = 20, title: str | None = None, font: CJKFont | None = None
) -> Figure:
    """Horizontal bars of the top keywords by score (columns: keyword, score [, is_term]); terms highlighted."""
    _require(df, ["keyword", "score"], "keyword_bar_chart")
    data = df.assign(score=_numeric(df, "score", "keyword_bar_chart"), keyword=df["keyword"].astype(str))
    data = data.sort_values(["score", "keyword"], ascending=[False, True], kind="mergesort").head(top)
    is_term = [not pd.isna(v) and bool(v) for v in data["is_term"]] if "is_term" in data else [False] * len(data)
    font, fp = _setup(font)
    labels = [_short(k) for k in data["keyword"]]
    title = title or f"关键词 Top {len(data)}"
    left = _widest(labels) + _TICK + 0.1
    width = max(7.5, left + 4.5, _text_inches(title, 12) + 0.4)
    fig = Figure(figsize=(width, max(2.5, 0.32 * len(data) + 1.2)))
    _margins(fig, left=left, right=0.3, top=0.45, bottom=_TICK + 2 * _LINE + 0.1)
    ax = fig.add_subplot()
    y = np.arange(len(data))[::-1]
    colors = [TERM_COLOR if t else WORD_COLOR for t in is_term]
    ax.barh(y, data["score"].to_numpy(), color=colors)
    ax.set_yticks(y, labels=labels, fontproperties=fp)
    ax.set_xlabel("得分 score", fontproperties=fp)
    _title(ax, title, fp)
    if any(is_term):
        from matplotlib.patches import Patch

        ax.legend(handles=[Patch(color=TERM_COLOR, label="政策术语"), Patch(color=WORD_COLOR, label="其他词")],
                  prop=fp, loc="lower right")
    ax.spines[["top", "right"]].set_visible(False)
    return _finish(fig, font)


def topic_term_bars(
    topics_df: pd.DataFrame, *, top: int = 10, ncols: int = 3, font: CJKFont | None = None
) -> Figure:
    """One panel per topic with bars for its top terms (columns: topic, label, rank, term, weight).

    Bar lengths are relative to the topic's heaviest term. The panels are drawn on one set of
    axes (no tick machinery) and all bars as one collection, so a chart of a dozen topics draws
    and saves in a fraction of a second.
    """
    _require(topics_df, ["topic", "rank", "term", "weight"], "topic_term_bars")
    data = topics_df.assign(weight=_numeric(topics_df, "weight", "topic_term_bars"),
                            rank=_numeric(topics_df, "rank", "topic_term_bars"))
    topics = sorted(data["topic"].unique(), key=lambda t: (str(type(t)), t))
    font, fp = _setup(font)
    parts = [data[data["topic"] == t].sort_values(["rank", "term"], kind="mergesort").head(top) for t in topics]
    terms = [[_short(t, 16) for t in part["term"]] for part in parts]
    titles = [f"主题 {t}" + (f"：{_short(p['label'].iloc[0], 20)}" if "label" in p and _short(p["label"].iloc[0]) else "")
              for t, p in zip(topics, parts)]
    ncols = max(1, min(ncols, len(topics)))
    nrows = math.ceil(len(topics) / ncols)
    row_h, label_w, bar_w = 0.3, _widest((t for ts in terms for t in ts), 9) + 0.15, 2.4
    panel_w = max(label_w + bar_w + 0.35, _widest(titles) + 0.3)
    panel_h = row_h * max(len(ts) for ts in terms) + 0.75
    width, height = panel_w * ncols + 0.1, panel_h * nrows + 0.5
    fig = Figure(figsize=(width, height))
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_axis_off()
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)  # inches from the top left
    fig.suptitle("主题词", fontproperties=fp, fontsize=12, y=1 - 0.12 / height, va="top")
    bars: list[list[tuple[float, float]]] = []  # every bar of every panel, drawn as one collection
    colors: list[str] = []
    for i, (part, labels, title) in enumerate(zip(parts, terms, titles)):
        row, col = divmod(i, ncols)
        x0 = 0.1 + col * panel_w + label_w
        y0 = 0.5 + row * panel_h + 0.35
        weights = part["weight"].to_numpy()
        peak = weights.max() if len(weights) and weights.max() > 0 else 1.0
        ys = y0 + row_h * np.arange(len(part)) + row_h / 2
        half = 0.36 * row_h
        for yy, length in zip(ys, np.clip(weights, 0, None) / peak * bar_w):
            bars.append([(x0, yy - half), (x0 + length, yy - half), (x0 + length, yy + half), (x0, yy + half)])
            colors.append(PALETTE[i % len(PALETTE)])
        for yy, label in zip(ys, labels):
            ax.text(x0 - 0.06, yy, label, fontproperties=fp, fontsize=9, ha="right", va="center")
        ax.plot([x0, x0], [y0, y0 + row_h * max(len(part), 1)], color="#333333", linewidth=0.8)
        ax.text(x0 - label_w, y0 - 0.1, title, fontproperties=fp, fontsize=10, va="bottom")
    ax.add_collection(PolyCollection(bars, facecolors=colors, edgecolors="none"), autolim=False)
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
    rotate = bool(topic_labels)
    font, fp = _setup(font)
    title = title or "章节 × 主题"
    left = _widest(row_labels, 8) + _TICK + 0.1
    bottom = _TICK + 0.15 + (_widest(col_labels, 8) * 0.71 if rotate else 0.15)
    right = 1.2  # colour bar, its ticks and its label
    plot_w, plot_h = max(2.5, 0.6 * len(topics)), max(1.2, 0.22 * len(rows))
    width = max(5.0, left + plot_w + right, _text_inches(title, 12) + 0.4)
    fig = Figure(figsize=(width, bottom + plot_h + 0.45))
    _margins(fig, left=left, right=right, top=0.45, bottom=bottom)
    ax = fig.add_subplot()
    image = ax.imshow(matrix, aspect="auto", cmap="YlOrRd", vmin=0.0, interpolation="nearest")
    ax.set_yticks(np.arange(len(rows)), labels=row_labels, fontproperties=fp, fontsize=8)
    ax.set_xticks(np.arange(len(topics)), labels=col_labels, fontproperties=fp, fontsize=8,
                  rotation=45 if rotate else 0, ha="right" if rotate else "center",
                  rotation_mode="anchor" if rotate else "default")
    fig_w, fig_h = fig.get_size_inches()
    cax = fig.add_axes((1 - (right - 0.25) / fig_w, bottom / fig_h, 0.15 / fig_w, plot_h / fig_h))
    bar = fig.colorbar(image, cax=cax)
    bar.set_label("主题权重", fontproperties=fp)
    _title(ax, title, fp)
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
    x_labels = [_short(x, 14) for x in xs]
    title = title or "术语趋势"
    bottom = _TICK + 0.15 + _LINE + (0.15 if x_col == "year" else _widest(x_labels) * 0.5)
    right = _widest(chosen) + 0.75  # the legend outside the axes
    width = max(6.0 + right, 0.8 * len(xs) + 2.0 + right, _text_inches(title, 12) + 0.4)
    left = 0.75 if x_col == "year" else max(0.75, _text_inches(x_labels[0]) * 0.87 + 0.15)  # slanted first label
    width += left - 0.75
    fig = Figure(figsize=(width, bottom + 3.6))
    _margins(fig, left=left, right=right, top=0.45, bottom=bottom)
    ax = fig.add_subplot()
    markers = "osD^vP*Xh<>"
    for i, term in enumerate(chosen):
        part = data[data["term"] == term].groupby(x_col, sort=False)["per_10k"].sum()
        pts = sorted((positions[x], v) for x, v in part.items())
        ax.plot([p for p, _ in pts], [v for _, v in pts], marker=markers[i % len(markers)],
                color=PALETTE[i % len(PALETTE)], label=term, linewidth=1.6)
    ax.set_xticks(np.arange(len(xs)), labels=x_labels, fontproperties=fp,
                  rotation=0 if x_col == "year" else 30, ha="center" if x_col == "year" else "right",
                  rotation_mode="default" if x_col == "year" else "anchor")
    ax.set_ylabel("每万字出现次数", fontproperties=fp)
    ax.set_xlabel("年份" if x_col == "year" else "文档", fontproperties=fp)
    _title(ax, title, fp)
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
    labels = [_short(k, 20) for k in data["indicator"]]
    values = data["value"].to_numpy()
    notes = [f"{v:g}{u}" for v, u in zip(values, units)]
    title = title or "主要指标"
    left = _widest(labels) + _TICK + 0.1
    right = _widest(notes, 8) + 0.2  # value labels past the longest bar
    width = max(7.5, left + 4.0 + right, _text_inches(title, 12) + 0.4)
    fig = Figure(figsize=(width, max(2.5, 0.35 * len(data) + 1.2)))
    _margins(fig, left=left, right=right, top=0.45, bottom=_TICK + _LINE + 0.1)
    ax = fig.add_subplot()
    y = np.arange(len(data))[::-1]
    ax.barh(y, values, color=WORD_COLOR)
    ax.set_yticks(y, labels=labels, fontproperties=fp)
    for yy, v, note in zip(y, values, notes):
        ax.annotate(note, (v, yy), xytext=(3, 0), textcoords="offset points", va="center",
                    fontproperties=fp, fontsize=8)
    _title(ax, title, fp)
    ax.spines[["top", "right"]].set_visible(False)
    return _finish(fig, font)


def figure_bytes(fig: Figure, fmt: str = "png", *, dpi: int = 150) -> bytes:
    """The figure saved in one format as bytes, deterministically (no dates, no software tag)."""
    buffer = io.BytesIO()
    extra = {"pil_kwargs": {"compress_level": 1}} if fmt == "png" else {}  # fast zlib; files about 5% larger
    with matplotlib.rc_context(_SAVE_RC):
        fig.savefig(buffer, format=fmt, dpi=dpi, metadata=_METADATA.get(fmt), **extra)
    return buffer.getvalue()


def save_figure(
    fig: Figure, path_without_suffix: str | os.PathLike[str], *, formats: Sequence[str] = ("png", "svg"),
    dpi: int = 150,
) -> list[Path]:
    """Write fig as PNG (dpi 150) and SVG next to each other, atomically and deterministically."""
    from nlp.output import atomic_write_bytes

    base = Path(path_without_suffix)
    if not base.parent.is_dir():
        raise VizInputError(f"{base.parent}: output directory does not exist")
    written = []
    for fmt in formats:
        target = base.with_name(f"{base.name}.{fmt}")
        atomic_write_bytes(target, figure_bytes(fig, fmt, dpi=dpi))
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
