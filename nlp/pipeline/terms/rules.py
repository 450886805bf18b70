"""Rules that find policy terms the lexicon does not hold.

Each rule is a small function ``rule(view) -> list[Candidate]`` over the normalized view of
a text (same length as the text, so offsets are the original's). :data:`RULES` maps the
rule names (the component's ``rules`` config) to the functions, in their default order.
"""

from __future__ import annotations

import re
from typing import Callable

from ...resources import data_path
from .lexicon import DEFAULT_GENERIC_WORDS, strip_quotes
from .matcher import Candidate, trie_pattern

__all__ = [
    "RULES",
    "RULE_NAMES",
    "guess_label",
    "quoted",
    "numbered_slogan",
    "numeral_compound",
    "measure_package",
    "formula",
    "name_head",
]

def word_list(name: str) -> list[str]:
    """The words of ``nlp/data/rules/<name>`` (one a line, ``#`` comments), in file order."""
    lines = data_path("rules", name).read_text(encoding="utf-8").splitlines()
    return [w.strip() for w in lines if w.strip() and not w.lstrip().startswith("#")]


def table(name: str) -> list[tuple[str, str]]:
    """The ``KEY<TAB>VALUE`` rows of ``nlp/data/rules/<name>`` (``#`` comments; VALUE may be empty)."""
    rows = []
    for line in word_list(name):
        key, _, value = line.partition("\t")
        rows.append((key.strip(), value.strip()))
    return rows


_HAN = "\u3400-\u4dbf\u4e00-\u9fff"
_NUM = "一二两三四五六七八九十"
_HAN_RE = re.compile(f"[{_HAN}]")
_ALNUM_PLUS = re.compile(r"[0-9A-Za-z+]")
_SHORT_NUMBER = re.compile(r"[0-9.%]{1,2}")
_COUNT_START = re.compile(r"\d+[条项个家宗批所座]")
_COUNT_GE = re.compile(rf"[{_NUM}\d]个")
_ONLY_COUNT = re.compile(rf"[\d{_NUM}]+[年项个大批]?")

# Quotations that are figures of speech, not names.
_METAPHORS = frozenset(word_list("metaphors.txt"))
# Chars that end a clause: a quotation holding them is a sentence, not a name.
_CLAUSE = re.compile(r"[，。；！？!?;：:,]")

_LABEL_ENDINGS = [(label, tuple(ends.split())) for label, ends in table("label_endings.tsv")]


def _guarded(regex: re.Pattern, view: str, ok_before: Callable[[str], bool]):
    """``regex.finditer(view)`` with a look-behind test done in Python (much faster than in
    the regex): a match whose preceding character fails ``ok_before`` is retried one later."""
    pos, search = 0, regex.search
    while True:
        m = search(view, pos)
        if m is None:
            return
        if m.start() > 0 and not ok_before(view[m.start() - 1]):
            pos = m.start() + 1
            continue
        yield m
        pos = max(m.end(), m.start() + 1)


def guess_label(term: str) -> str:
    """A label for a rule-found term from its last characters (default PROGRAM)."""
    core = strip_quotes(term)
    # numbered slogans about centres/goals are strategies: 五个中心, 两个一百年
    if len(core) > 2 and core[0] in _NUM and core[1] == "个" and core.endswith(("中心", "目标")):
        return "STRATEGY"
    for label, ends in _LABEL_ENDINGS:
        if core.endswith(ends):
            return label
    return "PROGRAM"


def _cand(start: int, end: int, view: str, rule: str, *, extends: str = "", label: str | None = None) -> Candidate:
    text = view[start:end]
    canonical = strip_quotes(text)
    return Candidate(start, end, label or guess_label(canonical), "rule", canonical, None, rule, extends)


# -- quoted expressions ---------------------------------------------------------------
_QUOTED = re.compile(r"“([^“”\n]{1,24})”")
# A name head right after the closing quote that belongs to the name: “丝路电商”合作先行区.
_QUOTE_SUFFIX = re.compile(
    rf"[{_HAN}]{{0,4}}?(?:示范区|先行区|先导区|试验区|实验区|合作区|引领区|新片区)|(?:改造|行动|工程|计划)(?![{_HAN}]*?(?:建设|改革))"
)


_PROGRAM_END = re.compile(r"(?:工程|计划|行动)”?$")


def _quotable(inner: str) -> bool:
    """Whether a quotation's content looks like a name rather than a phrase or sentence."""
    core = inner.strip()
    if not core or _CLAUSE.search(core):
        return False
    if core in DEFAULT_GENERIC_WORDS or core in _METAPHORS:
        return False
    n_han = len(_HAN_RE.findall(core))
    if "、" in core and max(len(item) for item in core.split("、")) > 5:
        return False  # a list of short slogans is a name; a list of clauses is a sentence
    if n_han > 16:
        return False
    if n_han == 1 and not _ALNUM_PLUS.search(core):
        return False
    if _SHORT_NUMBER.fullmatch(core):
        return False
    return True


def quoted(view: str) -> list[Candidate]:
    """Quoted expressions that look like names: “一网通办”, “两旧一村”改造, “丝路电商”合作先行区."""
    out = []
    for m in _QUOTED.finditer(view):
        inner = m.group(1)
        if not _quotable(inner):
            continue
        start, end = m.start(), m.end()
        sm = _QUOTE_SUFFIX.match(view, end, end + 8)
        if sm and sm.end() > end:
            end = sm.end()
        # a programme named in quotes takes its topic before it: 岭南文化“双创”工程, 贸易高质量发展“十大工程”
        if _PROGRAM_END.search(view, start, end):
            p = _prefix_start(view, start, 30)
            if 2 <= start - p <= 8 and view[p:start] not in DEFAULT_GENERIC_WORDS:
                start = p
        # the quotation is the name as a whole: it wins over a term inside it
        out.append(_cand(start, end, view, "quoted", extends="all"))
    return out


# -- numbered slogans -----------------------------------------------------------------
_SLOGAN = re.compile(rf"([二两三四五六七八九十])([个大项张条])([{_HAN}]{{1,6}})")
_NOT_BEFORE_SLOGAN = frozenset(_NUM + "百千万第零〇届0123456789")  # 十九大, 第十四个
# Words that end the slogan's noun (verbs, generic heads, function words).
_NOUN_STOPS = re.compile(
    r"建设|发展|工作|取得|开局|召开|胜利|顺利|全面落实|落实|实施|推进|加快|深入|成果|精神|以来|标准化|培训|"
    r"规模|要求|部署|生产|治理|纪念|两种|全面|[一二两三四五六七八九十]|任务书|稳步|稳|迭代|升级|运行|提质|提升|持续|有效|基本|初步|取|为|是|在|中|和|及|与|等|的|了|上|下|将|把|被|对|向|以|从|要"
)
# Nouns after the measure word that make a count, not a name.
_COUNT_NOUNS = frozenset(word_list("count_nouns.txt"))
_COUNT_PREFIXES = tuple(sorted(w for w in _COUNT_NOUNS if len(w) > 1))
_COUNT_FIRST = frozenset("洲国批步人倍年月天次家件类种点份位名")
_ONE_CHAR_NOUNS = frozenset("网城区圈链港岛带园线库图单窗卡码")


def numbered_slogan(view: str) -> list[Candidate]:
    """A Chinese numeral + 个/大/项/张/条 + a noun: 五个新城, 三大平台, 两张网, 十大行动."""
    out = []
    for m in _guarded(_SLOGAN, view, lambda ch: ch not in _NOT_BEFORE_SLOGAN):
        tail = m.group(3)
        stop = _NOUN_STOPS.search(tail, 1)
        noun = tail[: stop.start()] if stop else tail
        if not noun or noun.startswith(_COUNT_PREFIXES) or noun in _COUNT_NOUNS or noun in DEFAULT_GENERIC_WORDS - {"中心", "平台", "任务", "行动", "工程"}:
            continue
        if len(noun) > 5:
            noun = noun[:5]
        if noun[0] in _COUNT_FIRST or (len(noun) == 1 and noun not in _ONE_CHAR_NOUNS):
            continue
        start = m.start()
        end = m.start(3) + len(noun)
        if start > 0 and view[start - 1] == "“" and view[end : end + 1] == "”":
            start, end = start - 1, end + 1
        out.append(_cand(start, end, view, "numbered_slogan"))
    return out


# -- numeral compounds: 一江一河, 两旧一村, 三去一降一补, 五位一体 ---------------------------------
_NOT_X = "个届百千万亿年月日次件轮批项名〇零第之种些" + _NUM
_NOT_BEFORE_COMPOUND = frozenset(_NUM + "长第0123456789")  # 长三角一体化, 第十二届
_COMPOUND = re.compile(
    rf"[{_NUM}][^\W\d{_NOT_X}A-Za-z_][{_NUM}][^\W\d{_NOT_X}A-Za-z_](?:[{_NUM}][^\W\d{_NOT_X}A-Za-z_])?"
)


def numeral_compound(view: str) -> list[Candidate]:
    """Numeral-patterned slogans: 一带一路, 两旧一村, 一江一河一带, 三去一降一补."""
    out = []
    for m in _guarded(_COMPOUND, view, lambda ch: ch not in _NOT_BEFORE_COMPOUND):
        start, end = m.start(), m.end()
        if start > 0 and view[start - 1] == "“" and view[end : end + 1] == "”":
            start, end = start - 1, end + 1
        out.append(_cand(start, end, view, "numeral_compound"))
    return out


# -- numbered measure packages: “28条”, 促消费“15条”, 优化营商环境6.0版 -------------------------
_PACKAGE = re.compile(rf"“(?:\d+|[{_NUM}百]+)条”")
_VERSION = re.compile(r"\d+(?:\.\d+)?版")
# Verbs and function words after which a package's topic prefix starts.
_STOP_WORDS = word_list("modifier_stop_words.txt")
# Verbs and function words after which a name's modifier starts; the literal words as one
# character trie (fast), the context-dependent ones after it.
_LEFT_STOPS = re.compile(
    "(?:"
    + trie_pattern(_STOP_WORDS)
    + r"|全面(?!合作|振兴|发展|小康)|建设(?!三年|五年|行动|示范|“)|下(?!游|沉)|[办抓建用管做打守护营]好"
    + r"|\d+[条项个大批家]|上(?!海)|(?<!中)和(?!美|平|谐|睦)|(?<!中|平|同|均|相|对|高|初|优)等)"
)


_RUN_BACK = re.compile(f"[{_HAN}0-9A-Za-z]+$")


def _prefix_start(view: str, end: int, max_len: int) -> int:
    """Where a name's modifier starts: after the last verb/function word before ``end``."""
    lo = max(0, end - max_len)
    m = _RUN_BACK.search(view, lo, end)
    if m is None:
        return end
    start = m.start()
    cut = 0
    for stop in _LEFT_STOPS.finditer(view, start, end):
        cut = stop.end()
    return max(start, cut)


def measure_package(view: str) -> list[Candidate]:
    """Numbered measure packages: “28条”, 促消费“15条”, 投资促进“24条”, 优化营商环境6.0版."""
    out = []
    for m in _PACKAGE.finditer(view):
        start, extends = m.start(), ""
        # a short topic right before the quote is part of the name; a long run is a sentence
        p = _prefix_start(view, start, 30)
        if 2 <= start - p <= 7 and view[p:start] not in DEFAULT_GENERIC_WORDS:
            start, extends = p, "all"
        out.append(_cand(start, m.end(), view, "measure_package", extends=extends, label="POLICY"))
    for m in _guarded(_VERSION, view, _HAN_RE.match):
        p = _prefix_start(view, m.start(), 10)
        if m.start() - p >= 2 and view[p : m.start()] not in DEFAULT_GENERIC_WORDS:
            out.append(_cand(p, m.end(), view, "measure_package", extends="all", label="POLICY"))
    return out


# -- formula-like names: “(2+2)+(3+6)+(4+5)”, “1+1+9” -----------------------------------
_OPERAND = r"(?:\(\d+(?:\+\d+)+\)|\d+|[A-Za-z])"
_FORMULA = re.compile(rf"{_OPERAND}(?:\+{_OPERAND})+")


def _formula_matches(view: str):
    """``_FORMULA`` matches, searched only in windows around the '+' signs."""
    windows: list[list[int]] = []
    for plus in (m.start() for m in re.finditer(r"\+", view)):
        lo, hi = max(0, plus - 40), min(len(view), plus + 40)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = hi
        else:
            windows.append([lo, hi])
    for lo, hi in windows:
        # widen to the digits/brackets around so that a window never cuts a formula
        while lo > 0 and view[lo - 1] in "0123456789()+":
            lo -= 1
        while hi < len(view) and view[hi] in "0123456789()+":
            hi += 1
        yield from _FORMULA.finditer(view, lo, hi)


def formula(view: str) -> list[Candidate]:
    """Formula-like names built from numbers and '+': “(2+2)+(3+6)+(4+5)”, “1+1+9”."""
    out: list[Candidate] = []
    if "+" not in view:
        return out
    for m in _formula_matches(view):
        start, end = m.start(), m.end()
        quoted_ = start > 0 and view[start - 1] == "“" and view[end : end + 1] == "”"
        if quoted_:
            start, end = start - 1, end + 1
        elif "(" not in m.group() and m.group().count("+") < 2:
            continue  # a bare "2+2" may be arithmetic
        if start > 0 and view[start - 1] in "0123456789.+":
            continue
        out.append(_cand(start, end, view, "formula", label="PROGRAM"))
    return out


# -- names made by their head: …示范区, …先行区, …行动, …工程, …计划 ---------------------------
_ZONE_NOT = ("线", "站", "路")
_HEAD_WORDS: dict[str, tuple[str, ...]] = {head: tuple(rest.split()) for head, rest in table("head_words.tsv")}
_HEADS = re.compile(trie_pattern(_HEAD_WORDS))


def _heads(view: str):
    """Head words in ``view``, longest at each position, skipping the excluded continuations."""
    pos = 0
    search = _HEADS.search
    while True:
        m = search(view, pos)
        if m is None:
            return
        if view.startswith(_HEAD_WORDS[m.group()], m.end()):
            pos = m.start() + 1
            continue
        yield m
        pos = m.end()


# Heads that name only together with a quotation before them (“十四五”规划).
_QUOTE_ONLY_HEADS = re.compile(r"(?:规划|改造)$")
# Compound heads that are specific already: a short modifier (国际经济中心) or none (公园城市).
_COMPOUND_HEAD = re.compile(r"(?:中心|城市)$")
_SELF_STANDING = frozenset("公园城市 海绵城市 韧性城市 智慧城市 无废城市".split())
_QUOTE_HEADS = re.compile(r"(?:行动|工程|计划|改造|负责制|责任制|规划|热线|示范区|先行区|合作区)$")
# Verbs that open a clause; stripped from the start of a modifier (优化营商环境 keeps its own).
_LEAD_VERBS = re.compile(
    r"^(?:举办|举行|召开|增加|新增|出席|贯彻|推进|发挥|优化|提升|提高|增强|扩大|加大|完善|健全|强化|巩固|拓展|丰富|推广|鼓励|引导|培育|建立|构建|形成|探索|实行|推行|"
    r"改造|改建|新建|扩建|启用|升级|做强|做优|做大|壮大|发挥|放大|用好|办好|抓好|搞好|打好|继续|加速|加紧|全力|着力|大力)+"
)
_BAD_MODIFIERS = frozenset(word_list("bad_modifiers.txt"))
_LEADING = re.compile(rf"^(?:第[{_NUM}\d]+[轮批届次期]|首届|新一轮|新一代|新一批)")
_QUOTE_BEFORE = re.compile(r"“[^“”\n]{1,16}”$")


def _with_quote(view: str, start: int) -> int:
    """Move ``start`` left over a quotation (and a leading 新时代) that ends right before it."""
    m = _QUOTE_BEFORE.search(view, max(0, start - 18), start)
    if m is None:
        return start
    start = m.start()
    if view[max(0, start - 3) : start] == "新时代":
        start -= 3
    return start


def name_head(view: str) -> list[Candidate]:
    """Names formed by a head: 长三角生态绿色一体化发展示范区, 上海文艺再攀高峰工程, G60科创走廊."""
    out = []
    for m in _heads(view):
        start = _prefix_start(view, m.start(), 24)
        modifier = view[start : m.start()]
        if len(modifier) > 16 or _COUNT_START.match(modifier):
            continue
        for strip in (_LEADING, _LEAD_VERBS, _LEADING):
            lead = strip.match(modifier)
            if lead and (lead.end() < len(modifier) or strip is _LEAD_VERBS):
                start += lead.end()
                modifier = modifier[lead.end() :]
        if _COUNT_GE.search(modifier):
            continue  # 两个分论坛: a count, not a name
        # a quotation right before the modifier belongs to the name: “党的诞生地”红色文化传承弘扬工程
        quote_start = _with_quote(view, start) if start > 0 and view[start - 1] == "”" else start
        has_quote = quote_start < start and bool(_QUOTE_HEADS.search(m.group()))
        if has_quote and not _quotable(view[quote_start : start].strip("“”").replace("新时代“", "")):
            has_quote = False
        if has_quote:
            start = quote_start
        elif _QUOTE_ONLY_HEADS.search(m.group()):
            continue
        elif m.group() in _SELF_STANDING and not modifier:
            pass
        elif _COMPOUND_HEAD.search(m.group()) and len(m.group()) >= 4:
            if not modifier or modifier in DEFAULT_GENERIC_WORDS:
                continue
        else:
            # a modifier that is only a generic word or a count describes, it does not name
            if len(modifier) < 2 or modifier in _BAD_MODIFIERS or modifier in DEFAULT_GENERIC_WORDS:
                continue
            if modifier.endswith(("重点", "重大", "实际", "等", "新型", "各类")):
                continue
            if _ONLY_COUNT.fullmatch(modifier):
                continue
        if strip_quotes(view[start : m.end()]) in DEFAULT_GENERIC_WORDS:
            continue
        out.append(_cand(start, m.end(), view, "name_head", extends="head"))
    return out


# -- place brands and “X强国”: 健康上海, 美丽中国, 平安广东, 质量强国, 科技强省 -----------------------
_PLACES = "|".join(word_list("places.txt"))
_BRAND = re.compile(
    rf"(?:健康|美丽|平安|法治|数字|书香|智慧|文明|幸福|人文|韧性|宜居|诚信|活力|清廉|魅力|美好|绿美|质量|创新)(?:{_PLACES})(?![{_HAN}]{{0,1}}(?:市|省|区|人|籍))"
)
_STRONG = re.compile(r"强(?:国|省|市)(?!家|企|际)")
_NOT_STRONG = frozenset("加增更做最很较变图富坚自要")  # 加强国防, 富强国家: not a 'strong X' goal


def place_brand(view: str) -> list[Candidate]:
    """Place brands and 'strong-nation' goals: 健康上海, 美丽中国, 质量强国, 科技强省."""
    spans = [m.span() for m in _BRAND.finditer(view)]
    # 科技强国 only where the two characters stand alone (建设科技强国), not 推进强国 or 现代化强国
    spans += [
        (m.start() - 2, m.end())
        for m in _STRONG.finditer(view)
        if m.start() >= 2
        and _HAN_RE.match(view, m.start() - 2)
        and _HAN_RE.match(view, m.start() - 1)
        and view[m.start() - 1] not in _NOT_STRONG
        and _prefix_start(view, m.start(), 6) == m.start() - 2
    ]
    out = []
    for start, end in sorted(spans):
        if start > 0 and view[start - 1] == "“" and view[end : end + 1] == "”":
            start, end = start - 1, end + 1
        out.append(_cand(start, end, view, "place_brand", label="STRATEGY"))
    return out


# -- parallel slogans: 不敢腐、不能腐、不想腐 · 稳地价、稳房价、稳预期 ------------------------------
_CLAUSE_RUN = re.compile(f"[{_HAN}、]+")
_SERIES_TAIL = re.compile(rf"[{_NUM}][个大项张条篇][{_HAN}]{{1,4}}?(?:文章|行动|工程|任务|目标|平台|攻坚战)")


_SERIES_BAD_FIRST = frozenset("新更重创大小高多全统一各有")


class _Series:
    """A run of Han items joined by 、 (what ``[Han]+(?:、[Han]+){2,6}`` would match)."""

    def __init__(self, view: str, start: int, end: int) -> None:
        self._view, self._start, self._end = view, start, end

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def group(self) -> str:
        return self._view[self._start : self._end]


def _series(view: str):
    """Chains of 3–7 Han items separated by single 、 (from the clauses holding a 、)."""
    for clause in _CLAUSE_RUN.finditer(view):
        if "、" not in clause.group():
            continue
        pos = clause.start()
        chain: list[tuple[int, int]] = []
        for item in clause.group().split("、"):
            if item:
                chain.append((pos, pos + len(item)))
            elif chain:
                if 3 <= len(chain) <= 7:
                    yield _Series(view, chain[0][0], chain[-1][1])
                chain = []
            pos += len(item) + 1
        if 3 <= len(chain) <= 7:
            yield _Series(view, chain[0][0], chain[-1][1])


def parallel_slogan(view: str) -> list[Candidate]:
    """Series of same-shaped items sharing a character: 不敢腐、不能腐、不想腐; …五篇大文章."""
    out = []
    for m in _series(view):
        items = m.group().split("、")
        size = len(items[1])
        if not 2 <= size <= 4 or any(len(it) != size for it in items[1:-1]):
            continue
        first = items[0][-size:]
        last = items[-1][:size]
        parts = [first, *items[1:-1], last]
        if len(items[0]) < size or len(items[-1]) < size:
            continue
        same_first = len({p[0] for p in parts}) == 1
        same_last = len({p[-size // 2 :] for p in parts}) == 1 if size >= 2 else False
        if not (same_first or same_last) or len(set(parts)) < len(parts):
            continue
        start = m.start() + len(items[0]) - size
        end = m.end() - (len(items[-1]) - size)
        tail = _SERIES_TAIL.match(view, end)
        label = None
        if tail:
            end = tail.end()
        elif not (same_first and size == 3 and parts[0][0] not in _SERIES_BAD_FIRST):
            continue  # 新定位、新论断、新要求 / 红色旅游、工业旅游: a list, not a slogan
        out.append(_cand(start, end, view, "parallel_slogan", label=label or "STRATEGY"))
    return out


# -- acronyms: 合格境外有限合伙人(QFLP), “经认证的经营者”企业(AEO) -------------------------------
_ACRONYM = re.compile(r"\(([A-Z][A-Z0-9]{1,7})\)")


def acronym(view: str) -> list[Candidate]:
    """An upper-case acronym in brackets after a name, and the name itself: 合格境外有限合伙人(QFLP)."""
    out = []
    for m in _ACRONYM.finditer(view):
        a, b = m.start(1), m.end(1)
        start = _prefix_start(view, m.start(), 16)
        name = view[start : m.start()]
        if 4 <= len(name) <= 14 and name not in DEFAULT_GENERIC_WORDS and not name.endswith(("企业", "公司", "机构")):
            out.append(_cand(start, m.start(), view, "acronym", label="PROGRAM"))
        out.append(_cand(a, b, view, "acronym", label="PROGRAM"))
    return out


RULES: dict[str, Callable[[str], list[Candidate]]] = {
    "quoted": quoted,
    "numbered_slogan": numbered_slogan,
    "numeral_compound": numeral_compound,
    "measure_package": measure_package,
    "formula": formula,
    "name_head": name_head,
    "place_brand": place_brand,
    "parallel_slogan": parallel_slogan,
    "acronym": acronym,
}
RULE_NAMES = tuple(RULES)
