"""One self-contained HTML report (figures embedded as base64 PNG, tables as HTML).

A figure may be a matplotlib Figure, a PIL image or PNG bytes already rendered; matplotlib
and PIL are only imported to render the first two.
"""
from __future__ import annotations

import base64
import html
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence, Union

import pandas as pd

from nlp.lazy import loaded_instance
from nlp.viz.errors import VizInputError

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from PIL import Image

FigureLike = Union["Figure", "Image.Image", bytes, "tuple[str, Figure | Image.Image | bytes]"]
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class ReportError(VizInputError):
    """The report cannot be built or written (bad section content or output path)."""


@dataclass
class ReportSection:
    """One report section: a heading, paragraphs of text, figures and captioned tables."""

    heading: str
    text: str = ""
    figures: list[FigureLike] = field(default_factory=list)
    tables: list[tuple[str, pd.DataFrame]] = field(default_factory=list)


_CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",
"WenQuanYi Micro Hei",sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.6}
h1{border-bottom:2px solid #c0392b;padding-bottom:.3em}
h2{margin-top:2em;border-bottom:1px solid #ddd;padding-bottom:.2em}
nav ol{columns:2}
figure{margin:1.2em 0;text-align:center}
figure img{max-width:100%;height:auto;border:1px solid #eee}
figcaption{color:#555;font-size:.9em}
table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:.9em}
th,td{border:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}
th{background:#f4f4f4}
caption{caption-side:top;text-align:left;font-weight:bold;padding:.3em 0}
""".strip()


def _png_base64(item: Any, dpi: int) -> str:
    """PNG bytes of a Figure, a PIL image or PNG bytes, base64-encoded (deterministic: no metadata)."""
    if isinstance(item, (bytes, bytearray)):
        if not bytes(item[:8]) == _PNG_SIGNATURE:
            raise ReportError("report figure bytes must be a PNG image")
        return base64.b64encode(bytes(item)).decode("ascii")
    if loaded_instance(item, "matplotlib.figure", "Figure"):
        from nlp.viz.plots import figure_bytes

        return base64.b64encode(figure_bytes(item, "png", dpi=dpi)).decode("ascii")
    if loaded_instance(item, "PIL.Image", "Image"):
        buffer = io.BytesIO()
        item.save(buffer, format="PNG", optimize=False)
        return base64.b64encode(buffer.getvalue()).decode("ascii")
    raise ReportError(f"report figure must be a matplotlib Figure, a PIL image or PNG bytes, got {type(item).__name__}")


def _caption(item: Any) -> str:
    """A Figure's suptitle or first axes title, else empty."""
    if loaded_instance(item, "matplotlib.figure", "Figure"):
        if item._suptitle is not None and item._suptitle.get_text():  # noqa: SLF001
            return item._suptitle.get_text()  # noqa: SLF001
        for ax in item.axes:
            if ax.get_title():
                return ax.get_title()
    return ""


def _paragraphs(text: str) -> str:
    """Escaped paragraphs (blank-line separated; single newlines become <br>)."""
    blocks = [b.strip() for b in text.replace("\r\n", "\n").split("\n\n") if b.strip()]
    return "\n".join("<p>" + html.escape(b).replace("\n", "<br>\n") + "</p>" for b in blocks)


def _cell(value: Any) -> str:
    """One table cell's text: empty for a missing value, floats to 6 significant digits."""
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


def _table(caption: str, df: pd.DataFrame, max_rows: int) -> str:
    """A DataFrame as an escaped HTML table with a caption (first max_rows rows).

    Written here rather than by ``DataFrame.to_html``, which formats every cell through its
    display machinery: a tenth of a second for the tables of one report."""
    if not isinstance(df, pd.DataFrame):
        raise ReportError(f"report table {caption!r} must be a pandas DataFrame, got {type(df).__name__}")
    shown = df.head(max_rows)
    note = f" (first {max_rows} of {len(df)} rows)" if len(df) > max_rows else ""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in shown.columns)
    rows = ["<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in row) + "</tr>"
            for row in shown.itertuples(index=False, name=None)]
    return "\n".join([f'<table class="data"><caption>{html.escape(str(caption))}{html.escape(note)}</caption>',
                      f"<thead><tr>{head}</tr></thead>", "<tbody>", *rows, "</tbody>", "</table>"])


def render_html(title: str, sections: Sequence[ReportSection], *, dpi: int = 110, max_table_rows: int = 200) -> str:
    """The complete report as one HTML string (same inputs give the same string)."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(title)}</title>",
        f"<style>\n{_CSS}\n</style>",
        "</head>",
        "<body>",
        f"<h1>{html.escape(title)}</h1>",
    ]
    if len(sections) > 1:
        items = "".join(f'<li><a href="#s{i}">{html.escape(s.heading)}</a></li>' for i, s in enumerate(sections, 1))
        parts.append(f"<nav><ol>{items}</ol></nav>")
    figure_no = 0
    for i, section in enumerate(sections, 1):
        if not isinstance(section, ReportSection):
            raise ReportError(f"report section {i} must be a ReportSection, got {type(section).__name__}")
        parts.append(f'<section id="s{i}">')
        parts.append(f"<h2>{html.escape(section.heading)}</h2>")
        if section.text:
            parts.append(_paragraphs(section.text))
        for item in section.figures:
            caption, fig = item if isinstance(item, tuple) else (_caption(item), item)
            figure_no += 1
            label = f"图 {figure_no}" + (f"：{caption}" if caption else "")
            parts.append(
                f'<figure><img alt="{html.escape(label)}" src="data:image/png;base64,{_png_base64(fig, dpi)}">'
                f"<figcaption>{html.escape(label)}</figcaption></figure>"
            )
        for caption, df in section.tables:
            parts.append(_table(caption, df, max_table_rows))
        parts.append("</section>")
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def write_html_report(
    path: str | os.PathLike[str],
    *,
    title: str,
    sections: Sequence[ReportSection],
    dpi: int = 110,
    max_table_rows: int = 200,
) -> Path:
    """Render and write the report atomically (temp file in the same directory, then os.replace)."""
    target = Path(path)
    if not target.parent.is_dir():
        raise ReportError(f"{target}: directory {target.parent} does not exist")
    document = render_html(title, sections, dpi=dpi, max_table_rows=max_table_rows)  # fails before any write
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(document)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()
    return target
