"""Report structure: the title line, numbered headings and the sections they open.

Headings are recognized by their numbering (第一章/第一部分, 一、, （一）/(一), 1./1、, （1）).
Levels follow the conventional order of these styles, counting only the styles that occur
in the document, so a report whose top parts are ``一、`` has those at level 1.
``doc._.sections`` lists :class:`Section` objects; ``span._.section_path`` gives the titles
of the sections around a span; ``doc._.meta`` holds the header metadata.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import asdict, dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from ..io.metadata import header_metadata
from .normalize import normalize_view

__all__ = ["Section", "find_sections", "ReportStructure", "section_path_at"]

_CN = "零〇一二三四五六七八九十百"
# (style, pattern) in conventional order, outermost first; matched on the normalized view.
_STYLES = [
    ("chapter", re.compile(rf"第[{_CN}\d]+[章部篇编](?:分)?")),
    ("cn_comma", re.compile(rf"[{_CN}]+、")),
    ("cn_paren", re.compile(rf"\([{_CN}]+\)")),
    ("num_dot", re.compile(r"\d{1,2}(?:\.(?!\d)|、)")),
    ("num_paren", re.compile(r"\(\d{1,2}\)")),
]
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
        return asdict(self)


def _heading(line: str) -> str | None:
    for style, pattern in _STYLES:
        if pattern.match(line):
            return style
    return None


def find_sections(text: str) -> list[Section]:
    """All sections of ``text`` in document order, with levels and character ranges."""
    view = normalize_view(text)
    found: list[tuple[str, int, str]] = []  # (style, start, title)
    pos = 0
    for line in view.splitlines(keepends=True):
        stripped = line.lstrip()
        style = _heading(stripped) if stripped else None
        if style:
            start = pos + (len(line) - len(stripped))
            body = text[start : pos + len(line.rstrip())]
            end = _TITLE_END.search(body)
            title = body[: end.start()] if end else body
            if len(title) <= _MAX_TITLE:
                found.append((style, start, title.strip()))
        pos += len(line)
    order = [s for s, _ in _STYLES]
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


for _obj, _name, _kw in [
    (Doc, "sections", {"default": None}),
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
        doc._.sections = find_sections(doc.text)
        meta = header_metadata(doc.text).to_dict()
        given = doc._.meta or {}
        meta.update({k: v for k, v in given.items() if v is not None})
        doc._.meta = meta
        return doc


@Language.factory("report_structure")
def make_report_structure(nlp: Language, name: str) -> ReportStructure:
    """Factory for :class:`ReportStructure`."""
    return ReportStructure(name)
