"""Find numeric expressions in a text: ``find_numbers(text) -> list[NumberMatch]``.

Works on characters: compiled regexes run over the length-preserving normalized view
(:func:`nlp.pipeline.normalize.normalize_view`), so full-width digits read like ASCII ones
and every offset indexes the original text. The rules follow
``specs/numeric-expressions.md``: the span holds the number, its magnitude, its unit and a
qualifier glued after it; words before it (约, 超过, 增长 …) are read into ``qualifier``
and ``change`` but stay outside.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from decimal import Decimal
from typing import Optional

from ..normalize import normalize_view
from .chinese import CN_DIGITS, NumeralError, parse_numeral
from .units import (
    CHANGE_DOWN,
    CHANGE_UP,
    CURRENCIES,
    CURRENCY_LOOKAHEAD,
    DURATION_NAME_FOLLOWERS,
    LATIN_UNITS,
    MEASURE_WORDS,
    METRIC_UNITS,
    ORDINAL_UNITS,
    PER_UNITS,
    QUALIFIER_AFTER,
    QUALIFIER_BEFORE,
    TIME_UNITS,
)

__all__ = ["NumberMatch", "NumberInputError", "find_numbers", "LABELS"]

LABELS = ("MONEY", "PERCENT", "PERCENT_POINT", "QUANTITY", "DATE", "ORDINAL")


class NumberInputError(ValueError):
    """Raised when ``find_numbers`` is given something that is not a text."""


@dataclass(frozen=True)
class NumberMatch:
    """One numeric expression: character offsets into the original text and its reading."""

    start: int
    end: int
    label: str
    text: str
    value: Optional[float]
    value_high: Optional[float]
    unit: Optional[str]
    qualifier: str = "="
    change: Optional[str] = None
    date: Optional[str] = None

    def as_dict(self) -> dict:
        """The match as a plain dict (the fields of the gold files)."""
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def _new_match(start, end, label, text, value, value_high, unit, qualifier, change, date) -> NumberMatch:
    """A NumberMatch built without the frozen dataclass's per-field ``object.__setattr__``
    (several times faster; the instance is the same and stays immutable)."""
    m = object.__new__(NumberMatch)
    m.__dict__.update({"start": start, "end": end, "label": label, "text": text, "value": value,
                       "value_high": value_high, "unit": unit, "qualifier": qualifier, "change": change,
                       "date": date})
    return m


# --------------------------------------------------------------------------- regexes
def _alt(words) -> str:
    """An alternation of words, longest first (words may carry their own lookaheads)."""
    return "|".join(sorted(words, key=lambda w: -len(re.sub(r"\(\?!.*?\)|\\", "", w))))


_CN_DIG = "".join(CN_DIGITS)
_FORMAL = set("壹贰貳叁參肆伍陆陸柒捌玖拾佰仟俩倆幺萬億兩")
_MAG = r"(?:十|拾|百(?!分)|佰|千(?![瓦米克卡伏分])|仟|万|萬|亿|億)"
_CN_CHAR = rf"(?:[{_CN_DIG}十拾佰仟万萬亿億]|百(?!分)|千(?![瓦米克卡伏分]))"
_ARABIC = r"(?:\d{1,3}(?:[,，]\d{3})+(?!\d)|\d+)(?:\.\d+)?"
_MAG_SEQ = rf"(?:{_MAG}|[多余几](?={_MAG}))+"
_ARABIC_NUM = rf"{_ARABIC}(?:{_MAG_SEQ}(?:\d+(?:\.\d+)?{_MAG_SEQ})*)?[多余]?"
_CN_NUM = rf"{_CN_CHAR}(?:{_CN_CHAR}|[多余几](?={_MAG}))*(?:[点點][{_CN_DIG}]+|(?<=[十拾百佰千仟万萬亿億])[多余](?![{_CN_DIG}]))?"
NUM_RE = re.compile(rf"(?P<ar>{_ARABIC_NUM})|(?P<cn>{_CN_NUM})")
#: runs of characters a numeral can start with (a cheap first pass over the text)
_RUN_RE = re.compile(rf"[0-9{_CN_DIG}十拾百佰千仟万萬亿億]+")

_PERCENT = r"(?P<pct>%|‰)|(?P<pp>[个個]百分[点點]|百分[点點])"
_CURRENCY = _alt(w + CURRENCY_LOOKAHEAD.get(w, "") for w in CURRENCIES)
_METRIC = _alt(METRIC_UNITS)
_LATIN = "|".join(LATIN_UNITS)
_TIME = _alt(TIME_UNITS)
_MEASURE = _alt(MEASURE_WORDS)
UNIT_RE = re.compile(
    rf"{_PERCENT}|(?P<money>{_CURRENCY})|(?P<metric>{_METRIC}|(?i:{_LATIN})(?![A-Za-z]))"
    rf"|(?P<time>{_TIME})|(?P<measure>{_MEASURE})"
)
_RANGE_CONN = r"(?:\(含\))?(?:至|到|——|—|–|--|-|~|〜)"
#: the common case in one match: a unit not followed by a range or a compound unit
FAST_UNIT_RE = re.compile(
    rf"(?:{_PERCENT}|(?P<money>{_CURRENCY})|(?P<metric>{_METRIC}|(?i:{_LATIN})(?![A-Za-z]))"
    rf"|(?P<time>{_TIME})|(?P<measure>{_MEASURE}))(?![(至到—–\-~〜/])"
)
RANGE_RE = re.compile(rf"{_RANGE_CONN}(?=\d|{_CN_CHAR})")
PER_RE = re.compile(rf"/(?:{_alt(PER_UNITS)})")
AFTER_RE = re.compile("|".join(sorted(QUALIFIER_AFTER, key=len, reverse=True)))
ORD_UNIT_RE = re.compile(_alt(ORDINAL_UNITS))
QUARTER_RE = re.compile(r"(?:第)?([一二三四1-4])季度")
_MD_NUM = rf"(?:\d{{1,2}}|[{_CN_DIG}十]{{1,3}})"
MONTH_RE = re.compile(rf"(?P<m>{_MD_NUM})月(?:(?P<d>{_MD_NUM})[日号])?")
DAY_RE = re.compile(rf"(?P<d>{_MD_NUM})[日号]")
URL_RE = re.compile(r"(?:https?://|www\.)[!-~]+")
JIAO_RE = re.compile(rf"(?:(?P<j>[{_CN_DIG}0-9])角)?(?:零?(?P<f>[{_CN_DIG}0-9])分)?")
QUOTE_RE = re.compile(r"“[^“”\n]{1,16}”|‘[^‘’\n]{1,16}’|「[^「」\n]{1,16}」|『[^『』\n]{1,16}』")
_COORD = {"和", "、", "与", "及", "或"}
_BEFORE_FORBIDDEN = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.+/:∶#@_")
_AFTER_FORBIDDEN_RE = re.compile(r"[A-Za-z]|[+/:∶]\d|\.\d|[+]|号|版")
_YEAR_FOLLOW_BAD = re.compile(r"代|级|期|度?[A-Za-z]")


def _first_chars(words) -> set[str]:
    return {re.sub(r"\\", "", w)[0] for w in words}


#: characters that can follow a one-character Chinese numeral in an expression
_SINGLE_NEXT = (
    _first_chars(CURRENCIES) | _first_chars(METRIC_UNITS) | _first_chars(TIME_UNITS)
    | _first_chars(MEASURE_WORDS) | set("%‰个百季月日号年十百千万亿萬億") | set("-—–~〜至到")
    | _first_chars(CN_DIGITS) | set("点點多余几幾")
)


def _single_may_start(view: str, s: int, e: int) -> bool:
    """Cheap test: can a one-character Chinese numeral at ``s`` start an expression?"""
    if e < len(view) and view[e] in _SINGLE_NEXT:
        return True
    if s and view[s - 1] == "第":
        return True
    if view[max(0, s - 3):s] in ("百分之", "千分之"):
        return True
    return False


def _name_follows(view: str, pos: int) -> bool:
    """True if a programme/product word follows (三年行动, 30年期, 15分钟生活圈)."""
    tail = view[pos:pos + 6]
    return tail.startswith(DURATION_NAME_FOLLOWERS) or "圈" in tail


def _quote_mask(view: str) -> list[tuple[int, int]]:
    """Spans of short quotations (slogans, programme names) and of web addresses."""
    spans = [(m.start(), m.end()) for m in QUOTE_RE.finditer(view)]
    if "://" in view or "www." in view:
        spans = sorted(spans + [(m.start() - 1, m.end() + 1) for m in URL_RE.finditer(view)])
    return spans


def _in_ranges(pos: int, ranges: list[tuple[int, int]]) -> bool:
    """True if ``pos`` is strictly inside one of the sorted, disjoint ``ranges``."""
    i = bisect_right(ranges, (pos, len_max)) - 1
    return i >= 0 and ranges[i][0] < pos < ranges[i][1]


len_max = 1 << 62


# --------------------------------------------------------------------------- reading
class _Num:
    """A numeral found in the view: its span, value and shape."""

    __slots__ = ("start", "end", "value", "arabic", "text", "has_big", "leading_mag", "small", "lone_formal")

    def __init__(self, m: re.Match) -> None:
        self.start, self.end = m.span()
        self.text = t = m.group()
        self.arabic = arabic = m.group("ar") is not None
        self.value, self.has_big, self.leading_mag, self.small, self.lone_formal = _shape(t, arabic)


@lru_cache(maxsize=8192)
def _shape(t: str, arabic: bool) -> tuple:
    """(value, has a 万/亿 magnitude, starts with a magnitude, one Chinese digit,
    a lone financial numeral such as 陆 in 陆家嘴) of a numeral."""
    value = parse_numeral(t)
    has_big = any(c in "万萬亿億兆" for c in t)
    leading_mag = t[0] in "百佰千仟万萬亿億"
    single = (not arabic) and len(t) == 1
    return value, has_big, leading_mag, single and t in CN_DIGITS, single and t in _FORMAL


def _parse(t: str) -> Decimal:
    return _shape(t, False)[0]


def _plain_int(n: _Num) -> Optional[int]:
    """The integer an Arabic numeral without magnitude or decimals denotes, else None."""
    t = n.text
    if n.arabic and t.isdigit():
        return int(t)
    if not n.arabic and all(c in CN_DIGITS for c in t):
        return int(n.value)
    if not n.arabic:
        v = n.value
        return int(v) if v == int(v) and "点" not in t and "點" not in t else None
    return None


def _is_year(n: _Num) -> bool:
    """A calendar year: 4 Arabic digits in 1000–2999, or four Chinese digits (二〇二四)."""
    t = n.text
    if n.arabic:
        return t.isdigit() and len(t) == 4 and 1000 <= int(t) <= 2999
    return len(t) == 4 and all(c in CN_DIGITS for c in t)


def _unit_text(s: str) -> str:
    return s.lower() if s.isascii() else s


def _f(v: Optional[Decimal]) -> Optional[float]:
    return None if v is None else float(v)


def find_numbers(text: str) -> list[NumberMatch]:
    """All numeric expressions in ``text``, in order, non-overlapping."""
    if not isinstance(text, str):
        raise NumberInputError(f"find_numbers expects a str, got {type(text).__name__}")
    view = normalize_view(text)
    quotes = _quote_mask(view)
    out: list[NumberMatch] = []
    pre_quals: list[Optional[str]] = []
    pos = 0
    n = len(view)
    single_next = _SINGLE_NEXT
    for run in _RUN_RE.finditer(view):
        run_start, run_end = run.span()
        if run_end - run_start == 1:  # a lone 一/两/三: only where an expression can follow
            c = view[run_start]
            if not ("0" <= c <= "9") and (run_end >= n or view[run_end] not in single_next) and (
                    not run_start or view[run_start - 1] not in "第之"):
                continue
        p = run_start if run_start > pos else pos
        while p < run_end:
            m = NUM_RE.match(view, p)
            if m is None:
                p += 1
                continue
            p = m.end()
            if m.group("cn") is not None and p - m.start() == 1 and not _single_may_start(view, m.start(), p):
                continue
            res = _fast(view, text, m, quotes) if m.lastgroup == "ar" else _SLOW
            if res is _SLOW:
                try:
                    num = _Num(m)
                except NumeralError:
                    continue
                res = _read(view, text, num, quotes)
            if res is None:
                continue
            match, pre_q = _with_sign(view, text, res[0]), res[1]
            if out and match.start < out[-1].end:  # never overlap (defensive)
                continue
            # coordinated figures share the word before the first (分别增长X、Y和Z)
            if out and view[out[-1].end:match.start] in _COORD:
                prev = out[-1]
                kw = {}
                if match.change is None and prev.change is not None:
                    kw["change"] = prev.change
                if match.qualifier == "=" and pre_q is None and pre_quals[-1] is not None:
                    kw["qualifier"] = pre_q = pre_quals[-1]
                if kw and match.label not in ("DATE", "ORDINAL"):
                    match = _replace(match, **kw)
            out.append(match)
            pre_quals.append(pre_q)
            p = pos = match.end
    return out


def _with_sign(view: str, text: str, m: NumberMatch) -> NumberMatch:
    """Take a minus sign (-0.3%, 负3%) into a value that is not a date or rank."""
    s = m.start
    if m.label in ("DATE", "ORDINAL") or s == 0 or m.value is None:
        return m
    c = view[s - 1]
    if c in ("负", "負") or (c in ("-", "−") and (s < 2 or not (view[s - 2].isascii() and view[s - 2].isalnum())
                                      and view[s - 2] not in "%‰")):
        hi = -m.value_high if m.value_high is not None else None
        return _replace(m, start=s - 1, text=text[s - 1:m.end], value=-m.value, value_high=hi)
    return m


def _replace(m: NumberMatch, **kw) -> NumberMatch:
    d = m.as_dict()
    d.update(kw)
    return NumberMatch(**d)


_BREAK_CHARS = frozenset("，。；;:!?！？、\n,（(")
_FILLERS = ("分别", "达到", "了", "达", "为", "到", "至")
_CHANGES = {**{w: "up" for w in CHANGE_UP}, **{w: "down" for w in CHANGE_DOWN}}
_MAX_CHANGE = max(map(len, _CHANGES))
_MAX_QUAL = max(map(len, QUALIFIER_BEFORE))
_NOT_CHANGE = ("新增", "新增加", "增加值", "新建")
_RATE_CHANGE_RE = re.compile(r"(?:(?P<up>[增涨升提])|(?P<down>[降减跌]))[\u4e00-\u9fff]{0,2}幅度?$")


def _strip_fillers(w: str) -> str:
    """Drop 了/达到/为/到/至/分别 at the end of ``w`` (提高到 → 提高)."""
    changed = True
    while changed and w:
        changed = False
        for f in _FILLERS:
            if w.endswith(f):
                w = w[: -len(f)]
                changed = True
                break
    return w


def _longest_suffix(w: str, table: dict, longest: int) -> Optional[str]:
    """The longest suffix of ``w`` that is a key of ``table``, else None."""
    for k in range(min(longest, len(w)), 0, -1):
        if w[-k:] in table:
            return w[-k:]
    return None


#: the last character of every word _context can find (a cheap first test)
_CONTEXT_LAST = frozenset(
    [w[-1] for w in list(_CHANGES) + list(QUALIFIER_BEFORE) + list(_FILLERS)] + ["-", "−", "负", "幅", "度"]
)


def _context(view: str, start: int) -> tuple[Optional[str], Optional[str]]:
    """(qualifier, change) read from the words right before ``start``."""
    if not start or view[start - 1] not in _CONTEXT_LAST:
        return None, None
    lo = max(0, start - 12)
    window = view[lo:start]
    for i in range(len(window) - 1, -1, -1):
        if window[i] in _BREAK_CHARS:
            window = window[i + 1:]
            break
    qual = None
    window = window.rstrip("-−负")
    word = _longest_suffix(window, QUALIFIER_BEFORE, _MAX_QUAL)  # 不到 before 到 is stripped
    if word is None:
        window = _strip_fillers(window)
        word = _longest_suffix(window, QUALIFIER_BEFORE, _MAX_QUAL)
    if word is not None:
        qual = QUALIFIER_BEFORE[word]
        window = _strip_fillers(window[: -len(word)])
    change = None
    if window and not window.endswith(_NOT_CHANGE):
        word = _longest_suffix(window, _CHANGES, _MAX_CHANGE)
        if word is not None:
            change = _CHANGES[word]
        elif "幅" in window:
            mc = _RATE_CHANGE_RE.search(window)
            if mc:
                change = "up" if mc.group("up") else "down"
    return qual, change


_SLOW = object()
_KIND_LABEL = {"pct": "PERCENT", "pp": "PERCENT_POINT", "money": "MONEY", "metric": "QUANTITY", "measure": "QUANTITY"}
_CN_OR_DIGIT = frozenset(_CN_DIG + "0123456789")


_AFTER_FIRST = frozenset(w[0] for w in QUALIFIER_AFTER)


@lru_cache(maxsize=8192)
def _arabic_value(t: str) -> Optional[tuple[float, bool]]:
    """(float value, has 多/余/几) of an Arabic numeral, or None if it is not finite."""
    try:
        v = float(parse_numeral(t))
    except NumeralError:
        return None
    if not math.isfinite(v):
        return None
    return v, ("多" in t or "余" in t or "几" in t)


def _fast(view: str, text: str, m: re.Match, quotes):
    """An Arabic numeral followed by a plain unit (the common case), or ``_SLOW``."""
    s, e = m.span()
    if s:
        before = view[s - 1]
        if before in _BEFORE_FORBIDDEN or before == "第" or before == "每" or before == "之":
            return _SLOW
    fm = FAST_UNIT_RE.match(view, e)
    if fm is None:
        return _SLOW
    kind = fm.lastgroup
    end = fm.end()
    n = len(view)
    if kind == "time" or (kind == "money" and end < n and view[end] in _CN_OR_DIGIT):
        return _SLOW
    read = _arabic_value(m.group())
    if read is None:
        return _SLOW
    if quotes and _in_ranges(s, quotes):
        return None
    unit = fm.group()
    if kind == "pp":
        unit = "个百分点"
    elif kind == "money":
        unit = CURRENCIES[unit]
    elif unit.isascii():
        unit = unit.lower()
    qual_after = None
    if end < n and view[end] in _AFTER_FIRST:
        ma = AFTER_RE.match(view, end)
        if ma:
            word = ma.group()
            ok = word != "以来"
            if word == "多" or word == "余":
                nxt = view[ma.end():ma.end() + 1]
                ok = not nxt or not ("\u4e00" <= nxt <= "\u9fff") or nxt in "的来时"
            if ok:
                qual_after, end = QUALIFIER_AFTER[word], ma.end()
    value, approx = read
    if qual_after is None and approx:
        qual_after = ">="
    qual_before, change = _context(view, s)
    match = _new_match(s, end, _KIND_LABEL[kind], text[s:end], value, value, unit,
                       qual_after or qual_before or "=", change, None)
    return match, qual_before



def _range_high(view: str, pos: int):
    """After a range word at ``pos`` (至, -, ~, 到): the high number and its unit, or None."""
    r = RANGE_RE.match(view, pos)
    if not r:
        return None
    m2 = NUM_RE.match(view, r.end())
    if m2 is None:
        return None
    try:
        n2 = _Num(m2)
    except NumeralError:
        return None
    u2 = UNIT_RE.match(view, m2.end())
    return (n2, u2) if u2 else None

def _read(view: str, text: str, num: _Num, quotes) -> Optional[tuple[NumberMatch, Optional[str]]]:
    """Decide whether the numeral starts a numeric expression and read it."""
    s, e = num.start, num.end
    before = view[s - 1] if s else ""
    # ---- prefixes that decide the label: 第N (ordinal), 百分之N (percent)
    if before == "第" and not (s >= 2 and view[s - 2] in "次府等"):
        return _ordinal(view, text, num)
    pct_prefix = view[max(0, s - 3):s] in ("百分之", "千分之") and not (
        s >= 4 and (view[s - 4].isdigit() or view[s - 4] in CN_DIGITS or view[s - 4] in "十百千万亿"))
    if num.lone_formal:
        return None
    if num.arabic and before in _BEFORE_FORBIDDEN:
        return None
    if before == "每" and not pct_prefix:
        return None
    if _in_ranges(s, quotes):
        return None
    if pct_prefix:
        start = s - 3
        unit = "%" if view[start] == "百" else "‰"
        end = e
        high = num.value
        ma = AFTER_RE.match(view, end)
        qual_after = QUALIFIER_AFTER[ma.group()] if ma and ma.group() not in ("以来",) else None
        if qual_after:
            end = ma.end()
        return _finish(view, text, start, end, "PERCENT", num.value, high, unit, qual_after, None)
    unit_m = UNIT_RE.match(view, e)
    if num.arabic and unit_m is None and _AFTER_FORBIDDEN_RE.match(view, e):
        return None
    # ---- a quarter: 一季度
    if (num.small or num.arabic) and view.startswith("季度", e) and 1 <= num.value <= 4 and num.value == int(num.value):
        q = int(num.value)
        date = f"--Q1/--Q{q}" if before == "前" and q > 1 else f"--Q{q}"  # 前三季度: the first three
        return _finish(view, text, s, e + 2, "DATE", None, None, "季度", None, date)
    # ---- month dates: 3月, 3月5日, 1-11月
    if not num.has_big and view.startswith("月", e):
        return _month(view, text, num, e + 1, None)
    r = RANGE_RE.match(view, e)
    if r and not num.has_big:
        m2 = NUM_RE.match(view, r.end())
        if m2 and view.startswith("月", m2.end()) and not view.startswith("个", e):
            try:
                n2 = _Num(m2)
            except NumeralError:
                n2 = None
            if n2 is not None:
                return _month(view, text, num, m2.end() + 1, n2)
    # ---- the unit (or a range then the unit)
    hi_num: Optional[_Num] = None
    end = e
    if unit_m is not None:
        end = unit_m.end()
        high = _range_high(view, end)
        if high and high[1].group() == unit_m.group() and high[0].value >= num.value:
            hi_num, unit_m = high
            end = unit_m.end()
    else:
        high = _range_high(view, e)
        if high:
            hi_num, unit_m = high
            end = unit_m.end()
    if hi_num is None and unit_m is None:
        return _bare(view, text, num)
    return _with_unit(view, text, num, hi_num, unit_m, end)


def _bare(view: str, text: str, num: _Num):
    """A numeral with no unit: only magnitudes (6600多万, 千亿级) are expressions."""
    s, e = num.start, num.end
    if view.startswith("级", e) and num.has_big:
        return _finish(view, text, s, e, "QUANTITY", num.value, num.value, None, None, None)
    if num.leading_mag or not num.has_big:
        return None
    if num.arabic and _AFTER_FORBIDDEN_RE.match(view, e):
        return None
    if not num.arabic and num.value < 10000:
        return None
    end = e
    ma = AFTER_RE.match(view, e)
    qual_after = None
    if ma and ma.group() in ("以上", "以下", "以内", "左右", "上下", "及以上", "及以下"):
        qual_after, end = QUALIFIER_AFTER[ma.group()], ma.end()
    if "多" in num.text or "余" in num.text or "几" in num.text:
        qual_after = qual_after or ">="
    return _finish(view, text, s, end, "QUANTITY", num.value, num.value, None, qual_after, None)


def _with_unit(view: str, text: str, num: _Num, hi: Optional[_Num], unit_m: re.Match, end: int):
    """A numeral (or range) followed by a unit: label, value and acceptance rules."""
    s, e = num.start, num.end
    kind = unit_m.lastgroup
    unit = unit_m.group()
    low = num.value
    high = hi.value if hi is not None else num.value
    if hi is not None and not num.has_big and not num.leading_mag and low < high:
        # 3至5万元, 两到三千: the magnitude of the high end applies to the low end
        mag = _magnitude(hi.text, low, high)
        if mag:
            low = low * mag
    if num.leading_mag and kind != "money":
        return None
    # Chinese numerals: small counts with measure words are slogans (五个中心, 两个确立)
    if not num.arabic:
        one = num.small and num.value == 1
        if kind == "measure" or (kind == "time" and unit != "年" and unit != "周年"):
            if num.small and hi is None and (not _enumerated(view, s) or view.startswith(("大", "“"), end)):
                return None
        if kind in ("time",) and one:
            return None
        if one and hi is None and kind not in ("money", "metric", "pct", "pp"):
            return None
    label = {"pct": "PERCENT", "pp": "PERCENT_POINT", "money": "MONEY", "metric": "QUANTITY",
             "time": "QUANTITY", "measure": "QUANTITY"}[kind]
    date = None
    qual_after = None
    if kind == "pp":
        unit = "个百分点"
    elif kind == "money":
        unit = CURRENCIES[unit]
    else:
        unit = _unit_text(unit)
    if unit == "年":
        if _YEAR_FOLLOW_BAD.match(view, end):
            return None
        if _is_year(num) and (hi is None or _is_year(hi)):
            return _date_from_year(view, text, num, hi, end)
        if _name_follows(view, end):
            return None
    elif kind == "time" and _name_follows(view, end):
        return None
    if kind == "money" and unit == "元" and hi is None and view[end - 1] in "元圆":
        mj = JIAO_RE.match(view, end)
        if mj and mj.end() > end:  # 六十四万零一百四十三元一角七分
            for g, w in (("j", Decimal("0.1")), ("f", Decimal("0.01"))):
                if mj.group(g):
                    low += _parse(mj.group(g)) * w
            high, end = low, mj.end()
    if kind in ("metric", "money", "measure"):
        mp = PER_RE.match(view, end)
        if mp:
            unit, end = unit + mp.group(), mp.end()
    ma = AFTER_RE.match(view, end)
    if ma:
        word = ma.group()
        ok = True
        if word in ("多", "余"):
            nxt = view[ma.end():ma.end() + 1]
            ok = not nxt or not ("\u4e00" <= nxt <= "\u9fff") or nxt in "的来时"
        if word == "以来" and unit not in ("年", "周年", "个月", "天"):
            ok = False
        if ok:
            qual_after, end = QUALIFIER_AFTER[word], ma.end()
    if qual_after is None and any(c in num.text for c in "多余几"):
        qual_after = ">="
    return _finish(view, text, s, end, label, low, high, unit, qual_after, date)


_MAG_VALUES = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8, "千": 1000, "仟": 1000, "百": 100, "佰": 100}


def _magnitude(t: str, low: Decimal, high: Decimal) -> Optional[Decimal]:
    """The largest trailing magnitude of ``t`` (5百万 → 1e4 or 1e6) that keeps low*mag <= high."""
    mag = Decimal(1)
    best = None
    for c in reversed(t):
        if c not in _MAG_VALUES:
            break
        mag *= _MAG_VALUES[c]
        if low * mag <= high:
            best = mag
    return best


def _enumerated(view: str, s: int) -> bool:
    """True if the clause before ``s`` lists things with 、 (浦东、虹桥两个分论坛)."""
    lo = max(0, s - 16)
    window = view[lo:s]
    cut = None
    for cut in re.finditer(r"[，。；;:!?\n]", window):
        pass
    if cut is not None:
        window = window[cut.end():]
    if "、" not in window:
        return False
    last = window.rsplit("、", 1)[1]
    return bool(last) and not any(c in CN_DIGITS or c.isdigit() for c in last)


def _date_from_year(view: str, text: str, num: _Num, hi: Optional[_Num], end: int):
    """2024年, 2024年1月23日, 2024年一季度, 2021-2025年."""
    s = num.start
    year = int(num.value)
    if hi is not None:
        y2 = int(hi.value)
        return _finish(view, text, s, end, "DATE", Decimal(year), Decimal(y2), "年", None, f"{year:04d}/{y2:04d}")
    mq = QUARTER_RE.match(view, end)
    if mq:
        q = mq.group(1)
        qn = int(q) if q.isdigit() else CN_DIGITS[q]
        return _finish(view, text, s, mq.end(), "DATE", None, None, "季度", None, f"{year:04d}-Q{qn}")
    mm = MONTH_RE.match(view, end)
    if mm:
        month = _small_int(mm.group("m"))
        day = _small_int(mm.group("d")) if mm.group("d") else None
        if month and 1 <= month <= 12 and (day is None or 1 <= day <= 31):
            if day is None:
                return _finish(view, text, s, mm.end(), "DATE", None, None, "月", None, f"{year:04d}-{month:02d}")
            return _finish(view, text, s, mm.end(), "DATE", None, None, "日", None,
                           f"{year:04d}-{month:02d}-{day:02d}")
    qual = None
    ma = AFTER_RE.match(view, end)
    if ma and ma.group() == "以来":
        qual, end = ">=", ma.end()
    return _finish(view, text, s, end, "DATE", Decimal(year), Decimal(year), "年", qual, f"{year:04d}")


def _month(view: str, text: str, num: _Num, end: int, hi: Optional[_Num]):
    """--MM, --MM-DD or a month range --MM/--MM (the 月 ends at ``end``)."""
    m1 = _plain_int(num)
    if m1 is None or not 1 <= m1 <= 12:
        return None
    if hi is not None:
        m2 = _plain_int(hi)
        if m2 is None or not m1 < m2 <= 12:
            return None
        return _finish(view, text, num.start, end, "DATE", None, None, "月", None, f"--{m1:02d}/--{m2:02d}")
    md = DAY_RE.match(view, end)
    if md:
        day = _small_int(md.group("d"))
        if day and 1 <= day <= 31:
            return _finish(view, text, num.start, md.end(), "DATE", None, None, "日", None, f"--{m1:02d}-{day:02d}")
    return _finish(view, text, num.start, end, "DATE", None, None, "月", None, f"--{m1:02d}")


def _small_int(t: Optional[str]) -> Optional[int]:
    if not t:
        return None
    try:
        v = parse_numeral(t)
    except NumeralError:
        return None
    return int(v) if v == int(v) else None


def _ordinal(view: str, text: str, num: _Num):
    """第N (+ measure word): ORDINAL; 第一季度 is a DATE."""
    s, e = num.start - 1, num.end
    v = _plain_int(num)
    if v is None:
        return None
    if view.startswith("季度", e) and 1 <= v <= 4:
        return _finish(view, text, s, e + 2, "DATE", None, None, "季度", None, f"--Q{v}")
    if view.startswith("方", e) and v == 3:  # 第三方: a third party, not a rank
        return None
    unit = None
    end = e
    mu = ORD_UNIT_RE.match(view, e)
    if mu:
        unit, end = mu.group(), mu.end()
    return _finish(view, text, s, end, "ORDINAL", Decimal(v), Decimal(v), unit, None, None)


def _finish(view, text, start, end, label, value, high, unit, qual_after, date):
    """Build the NumberMatch, reading qualifier and change from the words before."""
    if label == "DATE" or label == "ORDINAL":
        qual_before = change = None
    else:
        qual_before, change = _context(view, start)
    qualifier = qual_after or qual_before or "="
    fv, fh = _f(value), _f(high)
    if fv is not None and not math.isfinite(fv):
        return None
    if fh is not None and not math.isfinite(fh):
        return None
    if label != "DATE" and fv is not None and fh is None:
        fh = fv
    return _new_match(start, end, label, text[start:end], fv, fh, unit, qualifier, change, date), qual_before
