"""Figures and the HTML report for policy-nlp (matplotlib Figures built without pyplot).

Names are imported on first use: ``import nlp.viz`` does not load matplotlib.
"""
from __future__ import annotations

from ..lazy import lazy_exports

_LAZY = {
    **dict.fromkeys(["CJKFont", "FontError", "MissingGlyphWarning", "check_glyphs", "find_cjk_font", "font_properties",
                     "missing_glyphs", "resolve_font"], ".fonts"),
    **dict.fromkeys(["VizInputError", "figure_bytes", "indicator_chart", "keyword_bar_chart", "save_figure", "save_figures",
                     "section_topic_heatmap", "term_trend_lines", "topic_term_bars"], ".plots"),
    **dict.fromkeys(["ReportError", "ReportSection", "render_html", "write_html_report"], ".report"),
    **dict.fromkeys(["make_wordcloud", "wordcloud_image"], ".wordcloud"),
}

__all__ = [
    "CJKFont",
    "FontError",
    "MissingGlyphWarning",
    "ReportError",
    "ReportSection",
    "VizInputError",
    "check_glyphs",
    "figure_bytes",
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


__getattr__, __dir__ = lazy_exports(__name__, _LAZY)
