"""Document metadata read from a report's header: title, year, date, region, issuer."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

__all__ = ["DocumentMeta", "header_metadata"]

_HEAD_CHARS = 600
_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_TITLE_REGION = re.compile(r"\d{4}年(.{2,10}?(?:省|市|自治区|特别行政区))(?:人民)?政府工作报告")
_ISSUER = re.compile(r"我代表(国务院|[^，。,\s]{2,12}?人民政府)")
_OFFICIAL = re.compile(r"([^\s，。]{2,8}?(?:省|市|自治区))(?:代)?(?:省长|市长|主席)")
_REVIEW = re.compile(r"^[一二三四五六七八九十]+、\s*(\d{4})年.{0,6}工作回顾", re.M)


@dataclass
class DocumentMeta:
    """What a report says about itself (any field may be unknown)."""

    title: str | None = None
    year: int | None = None
    date: str | None = None
    region: str | None = None
    issuer: str | None = None
    extra: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """The fields as a plain dict."""
        return asdict(self)


def _title(head: str) -> str | None:
    for line in head.splitlines():
        line = line.strip()
        if not line:
            continue
        title = line.split("——")[0].strip()
        if title and len(title) <= 40 and not title.endswith(("：", ":")) and "。" not in title:
            return title
        return None
    return None


def header_metadata(text: str, path: str | Path | None = None) -> DocumentMeta:
    """Read title, year, date, region and issuer from the first lines of ``text``.

    The year is the date's, else the title's, else the file name's, else the year after
    the one the report reviews (``一、2023年工作回顾`` → 2024).
    """
    head = text[:_HEAD_CHARS]
    meta = DocumentMeta(title=_title(head))
    m = _DATE.search(head)
    if m:
        meta.date = f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}"
        meta.year = int(m[1])
    if meta.year is None and meta.title:
        y = _YEAR.search(meta.title)
        meta.year = int(y[1]) if y else None
    if meta.year is None and path is not None:
        y = _YEAR.search(Path(path).stem)
        meta.year = int(y[1]) if y else None
    if meta.year is None:
        r = _REVIEW.search(text[:5000])
        meta.year = int(r[1]) + 1 if r else None
    issuer = _ISSUER.search(head)
    if issuer:
        meta.issuer = issuer[1]
    region = _TITLE_REGION.search(meta.title or "")
    if region:
        meta.region = region[1]
    elif meta.issuer == "国务院":
        meta.region = "全国"
    elif meta.issuer:
        meta.region = meta.issuer.removesuffix("人民政府")
    else:
        official = _OFFICIAL.search(head)
        meta.region = official[1] if official else None
    if meta.issuer is None and meta.region and meta.region != "全国":
        meta.issuer = f"{meta.region}人民政府"
    return meta
