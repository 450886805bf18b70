"""Report structure: the title line, numbered headings and the sections they open.

Headings are recognized by their numbering (第一章/第一部分, 一、, （一）/(一), 1./1、, （1）).
Levels follow the conventional order of these styles, counting only the styles that occur
in the document, so a report whose top parts are ``一、`` has those at level 1.
``doc._.sections`` lists :class:`Section` objects; ``span._.section_path`` gives the titles
of the sections around a span; ``doc._.meta`` holds the header metadata.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .records import set_record_list_extension
from .text import doc_text

from ..io.metadata import header_metadata

__all__ = ["Section", "find_sections", "ReportStructure", "section_path_at"]

_CN = "零〇一二三四五六七八九十百"
_D = "0-9０-９"
# Heading styles in conventional order, outermost first. Full-width forms are written
# into the patterns, so the original text is matched directly (offsets stay exact).
_STYLES = [
    ("chapter", rf"第[{_CN}{_D}]+[章部篇编]分?"),
    ("cn_comma", rf"[{_CN}]+、"),
    ("cn_paren", rf"[（(][{_CN}]+[）)]"),
    ("num_dot", rf"[{_D}]{{1,2}}(?:[.．](?![{_D}])|、)"),
    ("num_paren", rf"[（(][{_D}]{{1,2}}[）)]"),
]
_HEADING = re.compile(
    r"^[ \t\u3000]*(?:" + "|".join(f"(?P<{name}>{pattern})" for name, pattern in _STYLES) + r")[^\n]*",
    re.M,
)
_TITLE_END = re.compile(r"[。；;！!？?]")
_MAX_TITLE = 60


@dataclass(frozen=True)
class Section:
    """A numbered part of a report: ``text[start_char:end_char]`` includes its heading."""

    level: int
    title: str
    start_char: int
    end_char: int
    style: str

    def to_dict(self) -> dict:
        """The section as a plain dict."""
        return asdict(self)


def find_sections(text: str) -> list[Section]:
    """All sections of ``text`` in document order, with levels and character ranges."""
    found: list[tuple[str, int, str]] = []  # (style, start, title)
    for m in _HEADING.finditer(text):
        style = m.lastgroup
        start = m.start(style)
        body = text[start : m.end()].rstrip()
        end = _TITLE_END.search(body)
        title = (body[: end.start()] if end else body).strip()
        if len(title) <= _MAX_TITLE:
            found.append((style, start, title))
    order = [name for name, _ in _STYLES]
    present = sorted({s for s, _, _ in found}, key=order.index)
    level_of = {s: i + 1 for i, s in enumerate(present)}
    sections = []
    for k, (style, start, title) in enumerate(found):
        level = level_of[style]
        end = len(text)
        for style2, start2, _ in found[k + 1 :]:
            if level_of[style2] <= level:
                end = start2
                break
        sections.append(Section(level, title, start, end, style))
    return sections


def section_path_at(sections: list[Section], char: int) -> list[str]:
    """Titles of the sections that contain character ``char``, outermost first."""
    return [s.title for s in sections if s.start_char <= char < s.end_char]


def _span_section_path(span: Span) -> list[str]:
    return section_path_at(span.doc._.sections or [], span.start_char)


def _token_section_path(token: Token) -> list[str]:
    return section_path_at(token.doc._.sections or [], token.idx)


set_record_list_extension("sections", Section)

for _obj, _name, _kw in [
    (Doc, "meta", {"default": None}),
    (Span, "section_path", {"getter": _span_section_path}),
    (Token, "section_path", {"getter": _token_section_path}),
]:
    if not _obj.has_extension(_name):
        _obj.set_extension(_name, **_kw)


class ReportStructure:
    """Sets ``doc._.sections`` and ``doc._.meta`` (title, year, date, region, issuer)."""

    def __init__(self, name: str = "report_structure") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc._.sections = find_sections(doc_text(doc))
        meta = header_metadata(doc_text(doc)).to_dict()
        given = doc._.meta or {}
        meta.update({k: v for k, v in given.items() if v is not None})
        doc._.meta = meta
        return doc


@Language.factory("report_structure")
def make_report_structure(nlp: Language, name: str) -> ReportStructure:
    """Factory for :class:`ReportStructure`."""
    return ReportStructure(name)
