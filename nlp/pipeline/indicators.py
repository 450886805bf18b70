"""Indicators: link each figure to the measure it states, with its year and kind.

In ``全市生产总值达到4.72万亿元，增长5%`` both figures belong to ``全市生产总值``: the
measure is the noun phrase that opens the clause before the figure, with the verbs and
adverbs in front of the figure (达到, 增长, 平均为, 分别, …) taken off; a clause that has
none (``增长5%``) continues the previous figure's measure. ``year`` comes from the
sentence (``到2025年``) or the section headings (``一、2023年工作回顾``); ``kind`` is
``actual`` in a review of the past, ``target`` among the year's goals.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Iterable

from spacy.language import Language
from spacy.tokens import Doc

from .structure import section_path_at
from .records import set_record_list_extension
from .text import doc_text

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Indicator", "IndicatorLinker", "indicators_table", "measure_before"]

FIGURE_LABELS = ("MONEY", "PERCENT", "PERCENT_POINT", "QUANTITY")
_CLAUSE_BREAK = re.compile(r"[，,；;：:。！？!?\n（）()“”]")
# Words between a measure and its figure, taken off the end of the measure (longest first).
_TRAILING = sorted(
    """达到 达 为 是 增长 增加 增速 提高到 提高 提升至 提升 提速 上涨 上升至 上升 下降到 下降 降至 降低 降低到 减少 减少到 缩小至
    突破 超过 超 逾 约 近 接近 不到 不足 不少于 不低于 高达 预计 分别 累计 平均 年均 总计 合计 共 同比 比上年 比 较上年 占比
    连续 实现 完成 保持 控制在 控制 稳定在 在 新增 净增 扩大到 扩大 涨幅 降幅 幅度 将 要 已 已经 了 有 以上 左右 全年 力争
    """.split(),
    key=len,
    reverse=True,
)
_LEADING = re.compile(r"^(?:[一二三四五六七八九十]+是|其中|全年|今年|去年|同时|此外|另外|以及|并且|并|和|与|及|其|我们)+")
_TARGET_TITLE = re.compile(r"任务|目标|安排|要求|计划|工作重点|重点工作|政策取向")
_ACTUAL_TITLE = re.compile(r"回顾|成就|过去|以来")
_TARGET_SENTENCE = re.compile(r"预期目标|目标是|力争|确保|争取|计划|将|要|预计")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})年")
_MAX_MEASURE = 30
_NOUN_AFTER = re.compile(r"[\u4e00-\u9fff]{1,12}?(?=[，,；;：:。！？!?、\n（(]|$|[\u4e00-\u9fff]*\d)|[\u4e00-\u9fff]{1,12}")


@dataclass
class Indicator:
    """One figure and what it measures."""

    indicator: str | None
    text: str
    label: str
    value: float | None
    value_high: float | None
    unit: str | None
    qualifier: str | None
    change: str | None
    year: int | None
    kind: str | None
    start: int
    end: int
    sentence: str
    section: str | None

    def to_dict(self) -> dict:
        """The record as a plain dict (a table row)."""
        return asdict(self)


def measure_before(clause_prefix: str) -> str | None:
    """The measure named in the words before a figure, or None if there is none."""
    text = clause_prefix.strip()
    changed = True
    while changed and text:
        changed = False
        for word in _TRAILING:
            if text.endswith(word):
                text = text[: -len(word)].rstrip()
                changed = True
                break
    text = _LEADING.sub("", text).strip("、，, ")
    if len(text) > _MAX_MEASURE:
        cut = max(text.rfind("的", 0, len(text) - 2), text.rfind("、", 0, len(text) - 2))
        text = text[cut + 1 :] if cut >= 0 and len(text) - cut - 1 >= 2 else text[-_MAX_MEASURE:]
    if len(text) < 2 or not re.search(r"[\u4e00-\u9fff]", text):
        return None
    return text


def _year_and_kind(sentence: str, path: list[str], doc_year: int | None) -> tuple[int | None, str]:
    title_years = [int(y) for title in reversed(path) for y in _YEAR.findall(title)]
    sentence_years = [int(y) for y in _YEAR.findall(sentence)]
    title_text = " ".join(path)
    if _ACTUAL_TITLE.search(title_text):
        kind = "actual"
    elif _TARGET_TITLE.search(title_text) or _TARGET_SENTENCE.search(sentence):
        kind = "target"
    elif title_years and doc_year and title_years[0] < doc_year:
        kind = "actual"
    else:
        kind = "target" if _TARGET_SENTENCE.search(sentence) else "actual"
    if kind == "target" and sentence_years:
        year = max(sentence_years)
    elif title_years:
        year = title_years[0]
    elif sentence_years:
        year = sentence_years[0]
    else:
        year = (doc_year - 1 if kind == "actual" else doc_year) if doc_year else None
    return year, kind


def link_indicators(doc: Doc, spans_key: str = "numbers") -> list[Indicator]:
    """Indicator records for every figure in ``doc.spans[spans_key]``."""
    if spans_key not in doc.spans:
        return []
    text = doc_text(doc)
    sections = doc._.sections if doc.has_extension("sections") and doc._.sections else []
    meta = doc._.meta if doc.has_extension("meta") and doc._.meta else {}
    figures = sorted((s for s in doc.spans[spans_key] if s.label_ in FIGURE_LABELS), key=lambda s: s.start_char)
    records: list[Indicator] = []
    last: tuple[int, str | None, int] = (-1, None, -1)  # (sentence start, measure, figure end)
    for span in figures:
        sent = span.sent if doc.has_annotation("SENT_START") else doc[:]
        sentence = sent.text.strip()
        before = text[sent.start_char : span.start_char]
        clause_start = max((m.end() for m in _CLAUSE_BREAK.finditer(before)), default=0)
        if last[0] == sent.start_char:  # the previous figure also ends a clause (…4.2万亿元、增长0.7%)
            clause_start = max(clause_start, last[2] - sent.start_char)
        measure = measure_before(before[clause_start:].lstrip("、和及与"))
        if measure is None and last[0] == sent.start_char:
            measure = last[1]
        elif measure is None or len(measure) <= 2:
            # 新建25家… / 建成103个…: a bare verb; the measure is the noun after the figure
            after = _NOUN_AFTER.match(text, span.end_char)
            if after and len(after.group()) >= 2:
                measure = ((measure or "") + after.group()).strip("、")
        last = (sent.start_char, measure, span.end_char)
        path = section_path_at(sections, span.start_char)
        year, kind = _year_and_kind(sentence, path, meta.get("year"))
        if span._.qualifier == "~" and _TARGET_SENTENCE.search(sentence):
            kind = "target"
        records.append(
            Indicator(
                indicator=measure, text=span.text, label=span.label_, value=span._.value, value_high=span._.value_high,
                unit=span._.unit, qualifier=span._.qualifier, change=span._.change, year=year, kind=kind,
                start=span.start_char, end=span.end_char, sentence=sentence, section=path[-1] if path else None,
            )
        )
    return records


set_record_list_extension("indicators", Indicator)


class IndicatorLinker:
    """Sets ``doc._.indicators``: a list of :class:`Indicator` records."""

    def __init__(self, name: str = "indicators", *, spans_key: str = "numbers") -> None:
        self.name = name
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        doc._.indicators = link_indicators(doc, self.spans_key)
        return doc


@Language.factory("indicators", default_config={"spans_key": "numbers"}, requires=["doc.spans"])
def make_indicators(nlp: Language, name: str, spans_key: str) -> IndicatorLinker:
    """Factory for :class:`IndicatorLinker` (put it after ``numeric_expressions``)."""
    return IndicatorLinker(name, spans_key=spans_key)


def indicators_table(docs: Iterable[Doc], names: Iterable[str] | None = None) -> pd.DataFrame:
    """All indicator records of ``docs`` as one table, a ``document`` column first."""
    rows = []
    names = list(names) if names is not None else None
    for i, doc in enumerate(docs):
        meta = doc._.meta if doc.has_extension("meta") and doc._.meta else {}
        name = names[i] if names else meta.get("name") or meta.get("title") or f"doc{i}"
        records = doc._.indicators if doc._.indicators is not None else link_indicators(doc)
        rows.extend({"document": name, **r.to_dict()} for r in records)
    columns = ["document", *Indicator.__dataclass_fields__]
    import pandas as pd  # only for this table: the pipeline itself does not need pandas

    return pd.DataFrame(rows, columns=columns)
