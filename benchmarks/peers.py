"""Run our numeric tagger over other projects' Chinese test cases and print pass rates.

Usage (from the repo root):
    .venv/bin/python benchmarks/peers.py tests/data/peers [--verbose] [--suite NAME]

The last column is the pass rate over every case, excluded ones included (run the same
way), for reference. The folder holds verbatim copies of Microsoft Recognizers-Text's Chinese number specs and
jionlp's money cases (see SOURCES.md there). Values are compared, not spans: a peer that
keeps 约 inside the span or reads 个百分点 as a percentage agrees with us when the number
agrees. Cases outside formal written Chinese, or whose expected answer follows a convention
that our spec decides differently, are excluded *by category* before running, each with a
reason, so the pass rate is over the formal cases only:

  informal     colloquial money and measures (块/毛/角钱, 15k, 30w, 两个亿, 一打, 三双, 半百,
               七成/九折 discounts, 一吨半, 二两 as a weight), adjacent-digit guesses (三五百, 八九亿),
               vague 几十/数十
  spaced       numerals broken by spaces (一百 五 十 二, 1000  万, 新台币 177.1 亿元): layout
               noise, not found in the report corpus
  fraction     fractions and ratios (五分之一, 1/2): the spec does not tag them
  exponent     scientific notation and powers (2e5, 2^5)
  bare         a number without unit or magnitude inside running text (1, 234, 567; 二百五,
               一千到一千五百): the spec tags expressions with a unit, not bare numbers
  no-currency  a money parser case without any currency word (三百万): the spec makes it a
               QUANTITY, not MONEY
  compound     an amount in two currency units (两美元又三美分, 10日元5日本銭)
  other-type   the NumberModel expects no *number* where the text has a percentage or an
               amount of money (六个百分点, 一美元): we tag those as PERCENT_POINT / MONEY
  conversion   Recognizers converts units (六千字节 → 6 kB, 五十兆字节 → 50 MB; 兆 = mega)
  comparative  two-sided comparisons spread over a phrase (大于10小于20, 位于20和30之间):
               the spec reads the word before a figure as its qualifier, one figure per span
  date-text    a dated sentence where Recognizers reports the date's digits as bare numbers
  range-part   Recognizers reports only one end of a range the spec tags whole (5-20%)
  peer-error   the peer's expected value contradicts its own input (八到九百亿 → 8亿)

Bare numbers of the NumberModel suite that fill the whole input are compared with our
numeral reader (``parse_numeral``), which the tagger uses for every expression.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.pipeline.normalize import normalize_view  # noqa: E402
from nlp.pipeline.numbers import find_numbers, parse_numeral  # noqa: E402
from nlp.pipeline.numbers.chinese import NumeralError  # noqa: E402
from nlp.pipeline.numbers.units import LATIN_UNITS, METRIC_UNITS  # noqa: E402


@dataclass
class Case:
    """One peer case: the input, the expected values in order, how to compare."""

    suite: str
    text: str
    expected: list  # list of (low, high, qualifier-or-None) tuples, None ends open
    labels: tuple = ()  # our labels to compare; () = all
    mode: str = "tagger"  # "tagger" or "reader"
    expected_texts: list = field(default_factory=list)
    excluded: str | None = None
    decimals: int | None = None  # compare after rounding (jionlp rounds to cents)


# ----------------------------------------------------------------------------- categories
_INFORMAL = re.compile(
    r"块|毛|角钱|[0-9０-９][kKwWｋＫ]|[0-9０-９]\s*[MＭ]\b|个亿|[0-9０-９一二两兩三四五六七八九十壹貳贰]打|[双雙對对](?!方)|半百|百三|"
    r"[0-9０-９一二两兩三四五六七八九十半点點]\s*[成折]|对折|對折|吨半|米半|斤半|"
    r"[二两三十千百万1-9][两兩]$|两百两|[三四五六七八][四五六七八九][百千万亿]|几十|數十|数十|"
    r"[二三]三十|二三十|一以上|一位是"
)
_SPACED = re.compile(r"[0-9０-９零一二三四五六七八九十百千万亿兩两壹贰叁肆伍陆柒捌玖拾佰仟萬億點点个個分之]\s+[0-9０-９零一二三四五六七八九十百千万亿兩两壹贰叁肆伍陆柒捌玖拾佰仟萬億點点个個分之%％kK]")
_FRACTION = re.compile(
    r"又|[0-9０-９一二三四五六七八九十壹贰貳][百佰千仟万萬]分之|(?:^|[^百佰千仟\s])\s*分\s*之|[0-9０-９]\s*[/／]\s*[0-9０-９]"
)
_EXPONENT = re.compile(r"[0-9０-９.][eE][-+－0-9０-９]|\^")
_COMPARATIVE = re.compile(r"[大小]于.*[大小]于|之间|最多|最少|比.*[大小低]|或者|以上， |之下|< =|等于|或 等于|[大小]于\d+$")
_CONVERSION = re.compile(r"字节|比特|兆赫")
_URL = re.compile(r"https?://")


def _num(s: str) -> float:
    return float(str(s).replace(",", ""))


def _interval(value: str) -> tuple:
    """'(20,35]' → (20, 35); '[30,)' → (30, None); '(,100]' → (None, 100)."""
    lo, hi = value.strip("[]()").split(",")
    return (_num(lo) if lo else None, _num(hi) if hi else None)


def load_cases(folder: Path) -> list[Case]:
    """Read every suite in ``folder`` into cases with a category decision."""
    cases: list[Case] = []
    for path in sorted(folder.glob("recognizers_zh_*.json")):
        model = path.stem.replace("recognizers_zh_", "").removesuffix("Model")
        for raw in json.loads(path.read_text(encoding="utf-8")):
            cases.append(_recognizers_case(model, raw))
    parser = folder / "jionlp_money_parser_cases.json"
    if parser.exists():
        for raw in json.loads(parser.read_text(encoding="utf-8")):
            cases.append(_jionlp_parser_case(raw))
    extractor = folder / "jionlp_money_extractor_cases.json"
    if extractor.exists():
        for raw in json.loads(extractor.read_text(encoding="utf-8")):
            cases.append(_jionlp_extractor_case(raw))
    if not cases:
        raise FileNotFoundError(f"{folder}: no peer case files found")
    return cases


def _recognizers_case(model: str, raw: dict) -> Case:
    text = raw["Input"]
    results = raw.get("Results", [])
    texts = [r["Text"] for r in results]
    expected = []
    for r in results:
        v = str(r["Resolution"]["value"])
        if model == "NumberRange":
            lo, hi = _interval(v)
            qual = None if lo is not None and hi is not None else (">=" if hi is None else "<=")
            expected.append((lo, hi, qual))
        else:
            x = _num(v.rstrip("%"))
            expected.append((x, x, None))
    labels = {"Currency": ("MONEY",), "Percent": ("PERCENT", "PERCENT_POINT"), "Ordinal": ("ORDINAL",),
              "Dimension": ("QUANTITY",)}.get(model, ())
    case = Case(f"recognizers/{model}", text, expected, labels, expected_texts=texts)
    whole = len(texts) == 1 and texts[0].strip() == text.strip()
    if model == "Number" and whole:
        case.mode = "reader"
    case.excluded = _category(model, text, texts, whole)
    return case


def _category(model: str, text: str, texts: list[str], whole: bool) -> str | None:
    joined = " ".join(texts) if texts else text
    probe = joined if texts else text
    if _URL.search(text):
        return None  # must stay untagged: a formal check
    if re.search(r"美分|日本銭", probe):
        return "compound"
    if _EXPONENT.search(probe):
        return "exponent"
    if _FRACTION.search(probe):
        return "fraction"
    if _CONVERSION.search(probe):
        return "conversion"
    if model == "Number" and not texts and re.search(r"百分[点點]|百分之|美元|美刀", text):
        return "other-type"
    if _INFORMAL.search(text) and model in ("Dimension", "Currency"):
        return "informal"
    if _SPACED.search(probe.strip()):
        return "spaced"
    if _INFORMAL.search(probe):
        return "informal"
    if model == "NumberRange":
        if _COMPARATIVE.search(text):
            return "comparative"
        if not re.search(r"[个個岁]", " ".join(texts)) and not re.search(r"[个個岁]", text[text.find(texts[0]) + len(texts[0]):][:1] if texts else ""):
            return "bare"
    if model == "Number" and not whole and texts:
        if re.search(r"年.*月.*日", text):
            return "date-text"
        return "bare"
    if model == "Percent" and re.search(r"\d\s*[-~]\s*\d+\s*%", text) and len(texts) == 1 and "-" not in texts[0]:
        return "range-part"
    return None


def _jionlp_parser_case(raw: dict) -> Case:
    text = raw["input"]
    exp = raw["expected"]["num"]
    if isinstance(exp, list):
        expected = [(_num(exp[0]), _num(exp[1]), None)]
    else:
        expected = [(_num(exp), None, None)]
    case = Case("jionlp/money_parser", text, expected, ("MONEY",), decimals=2)
    if text.startswith("八到九百亿"):
        case.excluded = "peer-error"
    elif re.search(r"\d\s+[亿万]|\s亿", text) or "  " in text:
        case.excluded = "spaced"
    elif _INFORMAL.search(text) or re.search(r"[kKwW]", text):
        case.excluded = "informal"
    elif not re.search(r"元|圆|美元|日元|港|泰铢|卢布|欧元|台币|澳元|韩元|人民币", text):
        case.excluded = "no-currency"
    elif re.fullmatch(r"\d+多\w+", text) or re.search(r"十多|几|数十", text):
        # jionlp reads 3000多 as [3000, 4000]; the spec reads the low end with qualifier >=
        case.expected = [(expected[0][0], None, None)]
    return case


def _jionlp_extractor_case(raw: dict) -> Case:
    text = raw["input"]
    exp = raw["expected"]
    case = Case("jionlp/money_extractor", text, [], ("MONEY",), expected_texts=[e["text"] for e in exp])
    case.expected = [(e["offset"][0], e["offset"][1], None) for e in exp]
    case.mode = "offsets"
    if any(_INFORMAL.search(e["text"]) or re.search(r"[kK]", e["text"]) for e in exp):
        case.excluded = "informal"
    elif any(re.search(r"\d\s+[万亿]", e["text"]) for e in exp):
        case.excluded = "spaced"
    return case


# ----------------------------------------------------------------------------- running
_METRIC = set(METRIC_UNITS) | set(LATIN_UNITS)


def _close(a: float | None, b: float | None, decimals: int | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if decimals is not None:
        return round(a, decimals) == round(b, decimals)
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def run_case(case: Case) -> tuple[bool, str]:
    """(passed, what we produced)."""
    if case.mode == "reader":
        try:
            got = float(parse_numeral(normalize_view(case.text.strip())))
        except NumeralError as exc:
            return False, f"reader error: {exc}"
        return _close(got, case.expected[0][0], None), f"reader {got}"
    found = find_numbers(case.text)
    if case.labels:
        found = [m for m in found if m.label in case.labels]
    if case.suite.endswith("Dimension"):
        found = [m for m in found if (m.unit or "") in _METRIC]
    shown = [(m.text, m.label, m.value, m.value_high, m.qualifier) for m in found]
    if case.mode == "offsets":
        ok = len(found) == len(case.expected) and all(
            m.start == a and b - 1 <= m.end <= b for m, (a, b, _) in zip(found, case.expected)
        )
        return ok, str(shown)
    if len(found) != len(case.expected):
        return False, str(shown)
    for m, (lo, hi, qual) in zip(found, case.expected):
        if qual == ">=":
            ok = _close(m.value, lo, case.decimals) and m.qualifier == ">="
        elif qual == "<=":
            ok = _close(m.value_high, hi, case.decimals) and m.qualifier == "<="
        else:
            ok = _close(m.value, lo, case.decimals) and (hi is None or _close(m.value_high, hi, case.decimals))
        if not ok:
            return False, str(shown)
    return True, str(shown)


def main(argv: list[str] | None = None) -> int:
    """Print per-suite pass rates over the formal cases (and failures with --verbose)."""
    ap = argparse.ArgumentParser(description="Pass rates of our numeric tagger on peer test cases.")
    ap.add_argument("folder", type=Path, help="folder with the peer case files (tests/data/peers)")
    ap.add_argument("--verbose", "-v", action="store_true", help="list every failure and exclusion")
    ap.add_argument("--suite", help="only suites whose name contains this")
    args = ap.parse_args(argv)
    if not args.folder.is_dir():
        print(f"{args.folder}: not a folder", file=sys.stderr)
        return 2
    cases = [c for c in load_cases(args.folder) if not args.suite or args.suite in c.suite]
    suites: dict[str, list[Case]] = {}
    for c in cases:
        suites.setdefault(c.suite, []).append(c)
    total_formal = total_pass = 0
    print(f"{'suite':32} {'cases':>5} {'excluded':>8} {'formal':>6} {'passed':>6} {'rate':>6}  {'all cases':>9}")
    for name, group in suites.items():
        formal = [c for c in group if c.excluded is None]
        results = [(c, *run_case(c)) for c in formal]
        passed = sum(ok for _, ok, _ in results)
        raw = passed + sum(run_case(c)[0] for c in group if c.excluded is not None)
        total_formal += len(formal)
        total_pass += passed
        rate = f"{passed / len(formal):.1%}" if formal else "-"
        print(f"{name:32} {len(group):5} {len(group) - len(formal):8} {len(formal):6} {passed:6} {rate:>6}  "
              f"{raw / len(group):9.1%}")
        if args.verbose:
            for c, ok, got in results:
                if not ok:
                    print(f"    FAIL {c.text!r}: expected {c.expected_texts or ''} {c.expected} got {got}")
            reasons: dict[str, list[str]] = {}
            for c in group:
                if c.excluded:
                    reasons.setdefault(c.excluded, []).append(c.text.strip()[:24])
            for k, items in sorted(reasons.items()):
                print(f"    excluded {k} ({len(items)}): " + " | ".join(items))
    if total_formal:
        print(f"{'all formal cases':32} {'':5} {'':8} {total_formal:6} {total_pass:6} {total_pass / total_formal:6.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
