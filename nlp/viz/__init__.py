"""Figures and the HTML report for policy-nlp (matplotlib Figures built without pyplot)."""
from __future__ import annotations

from nlp.viz.fonts import (
    CJKFont,
    FontError,
    MissingGlyphWarning,
    check_glyphs,
    find_cjk_font,
    font_properties,
    missing_glyphs,
    resolve_font,
)
from nlp.viz.plots import (
    VizInputError,
    indicator_chart,
    keyword_bar_chart,
    save_figure,
    save_figures,
    section_topic_heatmap,
    term_trend_lines,
    topic_term_bars,
)
from nlp.viz.report import ReportError, ReportSection, render_html, write_html_report
from nlp.viz.wordcloud import make_wordcloud, wordcloud_image

__all__ = [
    "CJKFont",
    "FontError",
    "MissingGlyphWarning",
    "ReportError",
    "ReportSection",
    "VizInputError",
    "check_glyphs",
    "find_cjk_font",
    "font_properties",
    "indicator_chart",
    "keyword_bar_chart",
    "make_wordcloud",
    "missing_glyphs",
    "render_html",
    "resolve_font",
    "save_figure",
    "save_figures",
    "section_topic_heatmap",
    "term_trend_lines",
    "topic_term_bars",
    "wordcloud_image",
    "write_html_report",
]
