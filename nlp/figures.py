"""The figures of an analysis run as specs: which plot draws each one, from which rows.

A :class:`FigureSpec` is plain data: a figure is drawn (a notebook asking for
``result.figures[name]``) or rendered to PNG and SVG bytes only when it is needed. Nothing here
imports matplotlib until a figure is drawn.
"""

from __future__ import annotations

import base64
import io
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = ["FIGURE_DPI", "FigureSpec", "draw", "render", "figure_files", "wordcloud_files", "image_figure", "file_key",
           "keyword_specs", "wordcloud_spec", "topic_specs", "trend_specs"]

#: resolution of the saved PNG figures
FIGURE_DPI = 100
WORDCLOUD_SIZE = (800, 450)
_MAX_HEATMAP_ROWS = 60


@dataclass(frozen=True)
class FigureSpec:
    """A figure to draw: ``plot`` is a function of :mod:`nlp.viz.plots` (or ``"wordcloud"``),
    called with ``args`` and ``kwargs``; ``caption`` is its caption in the report."""

    name: str
    plot: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    caption: str = ""


def draw(spec: FigureSpec) -> "Figure":
    """The spec as a matplotlib Figure (a word cloud as a Figure showing its image)."""
    if spec.plot == "wordcloud":
        return image_figure(render(spec)["png"])
    from .viz import plots

    return getattr(plots, spec.plot)(*spec.args, **spec.kwargs)


def render(spec: FigureSpec, dpi: int = FIGURE_DPI) -> dict[str, bytes]:
    """The spec's files: ``{"png": bytes, "svg": bytes}``, deterministic."""
    if spec.plot == "wordcloud":
        return wordcloud_files(*spec.args, **spec.kwargs)
    return figure_files(draw(spec), dpi)


def figure_files(fig: "Figure", dpi: int = FIGURE_DPI) -> dict[str, bytes]:
    """PNG and SVG bytes of a matplotlib Figure."""
    from .viz.plots import figure_bytes

    return {"png": figure_bytes(fig, "png", dpi=dpi), "svg": figure_bytes(fig, "svg", dpi=dpi)}


def wordcloud_files(frequencies: dict, terms: Sequence[str]) -> dict[str, bytes]:
    """A word cloud (policy terms emphasised) as PNG bytes and an SVG that embeds the PNG."""
    from .viz.wordcloud import wordcloud_image

    width, height = WORDCLOUD_SIZE
    image = wordcloud_image(frequencies, terms=terms, width=width, height=height, random_state=0, max_words=100)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    png = buffer.getvalue()
    svg = (f'<?xml version="1.0" encoding="utf-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
           f'xmlns:xlink="http://www.w3.org/1999/xlink" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}">\n'
           f'<image width="{width}" height="{height}" xlink:href="data:image/png;base64,'
           f'{base64.b64encode(png).decode("ascii")}"/>\n</svg>\n')
    return {"png": png, "svg": svg.encode("utf-8")}


def image_figure(png: bytes) -> "Figure":
    """A matplotlib Figure showing a PNG image at its own size."""
    from PIL import Image

    from .viz.wordcloud import image_figure as show

    with Image.open(io.BytesIO(png)) as image:
        return show(image)


def file_key(name: str, names: Sequence[str]) -> str:
    """A file-name-safe key for a document name (its position added when two names collide)."""
    key = re.sub(r"[^\w\-]+", "_", name).strip("_") or "doc"
    keys = [re.sub(r"[^\w\-]+", "_", n).strip("_") or "doc" for n in names]
    if keys.count(key) > 1:
        key = f"{key}_{list(names).index(name) + 1}"
    return key


def keyword_specs(keywords: pd.DataFrame, terms: pd.DataFrame, name: str, names: Sequence[str]) -> list[FigureSpec]:
    """The keyword bar chart of one document (its top TF-IDF keywords, policy terms in red)."""
    part = keywords[(keywords["document"] == name) & (keywords["section"] == "") & (keywords["method"] == "tfidf")]
    if part.empty:
        return []
    chart = part.assign(is_term=part["keyword"].isin(set(terms.loc[terms["document"] == name, "canonical"])))
    return [FigureSpec(f"keywords_{file_key(name, names)}", "keyword_bar_chart", (chart.reset_index(drop=True),),
                       {"top": 20, "title": f"{name}：关键词 (TF-IDF)"}, f"{name}：关键词")]


def wordcloud_spec(name: str, names: Sequence[str], frequencies: dict, terms: Sequence[str]) -> FigureSpec:
    """The word cloud of one document from its keyword scores."""
    return FigureSpec(f"wordcloud_{file_key(name, names)}", "wordcloud", (frequencies, sorted(terms)), {},
                      f"{name}：词云")


def topic_specs(topics: pd.DataFrame, mix: pd.DataFrame) -> list[FigureSpec]:
    """Topic-term bars and the section × topic heatmap (documents × topics when there are too
    many sections to read)."""
    if topics.empty:
        return []
    specs = [FigureSpec("topics", "topic_term_bars", (topics,), {"top": 8}, "主题词")]
    sections = mix[mix["section"] != ""]
    if sections[["document", "section"]].drop_duplicates().shape[0] > _MAX_HEATMAP_ROWS:
        sections = mix[mix["section"] == ""].assign(section=lambda d: d["document"], document="")
    if not sections.empty:
        labels = dict(zip(topics["topic"], topics["label"]))
        specs.append(FigureSpec("topic_mix", "section_topic_heatmap", (sections.reset_index(drop=True),),
                                {"topic_labels": labels}, "章节 × 主题"))
    return specs


def trend_specs(trends: pd.DataFrame) -> list[FigureSpec]:
    """Term-trend lines over the largest series of two or more documents (by year when the
    years are distinct)."""
    if trends.empty:
        return []
    sizes = trends.groupby("series", sort=True)["document"].nunique()
    sizes = sizes[sizes >= 2]
    if sizes.empty:
        return []
    series = sizes.sort_values(ascending=False, kind="mergesort").index[0]
    data = trends[(trends["series"] == series) & (trends["kind"] == "term")]
    years = data.drop_duplicates("document")["year"]
    if years.isna().any() or years.duplicated().any():
        data = data[["term", "document", "per_10k"]]
    else:
        data = data[["term", "year", "per_10k"]].assign(year=data["year"].astype(int))
    return [FigureSpec("trends", "term_trend_lines", (data.reset_index(drop=True),),
                       {"top": 8, "title": "政策术语趋势（每万字）"}, "术语趋势")]

