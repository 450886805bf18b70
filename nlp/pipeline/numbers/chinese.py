"""Read numerals — Arabic, Chinese or mixed (4.72万亿, 六千九百零三万, 3千万) — as exact Decimals.

Everything is computed with :class:`decimal.Decimal` so that ``16.4亿`` is exactly
1640000000, never 1639999999.9999998. Input is expected in the normalized view
(ASCII digits); thousands separators and spaces are ignored.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

__all__ = [
    "CN_DIGITS",
    "CN_SMALL_UNITS",
    "CN_BIG_UNITS",
    "NumeralError",
    "parse_numeral",
    "numeral_value",
]

#: Chinese digit characters (daily and financial forms) and their values.
CN_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "○": 0,
    "一": 1, "壹": 1, "幺": 1,
    "二": 2, "贰": 2, "貳": 2, "两": 2, "兩": 2, "俩": 2, "倆": 2,
    "三": 3, "叁": 3, "參": 3,
    "四": 4, "肆": 4,
    "五": 5, "伍": 5,
    "六": 6, "陆": 6, "陸": 6,
    "七": 7, "柒": 7,
    "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}
#: 十/百/千 multiply the digit before them inside one 万-section.
CN_SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
#: 万/亿/兆 close a section.
CN_BIG_UNITS: dict[str, int] = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8, "兆": 10**12}

_DECIMAL_POINTS = {".", "点", "點"}
_APPROX = {"多", "余", "几", "幾", "来"}
_ARABIC = re.compile(r"\d+(?:\.\d+)?")
_IGNORED = re.compile(r"[\s,，]")


class NumeralError(ValueError):
    """Raised when a string is not a numeral this module can read."""


def _digits_only(s: str) -> Decimal | None:
    """Read a string of digit characters positionally (二〇二四 → 2024), else None."""
    if s and all(c in CN_DIGITS or c.isdigit() for c in s):
        return Decimal("".join(str(CN_DIGITS[c]) if c in CN_DIGITS else c for c in s))
    return None


def _fraction(s: str) -> Decimal:
    """Digits after a decimal point, read one by one (五五四四 → 0.5544)."""
    digits = "".join(str(CN_DIGITS[c]) if c in CN_DIGITS else c for c in s if c in CN_DIGITS or c.isdigit())
    if len(digits) != len([c for c in s if c not in _APPROX]):
        raise NumeralError(f"not a decimal fraction: {s!r}")
    return Decimal("0." + digits) if digits else Decimal(0)


def parse_numeral(text: str) -> Decimal:
    """The value of a numeral; ``多/余/几`` are read as their lower bound (十多万 → 100000).

    Raises :class:`NumeralError` (a ValueError) if ``text`` is not a numeral.
    """
    s = _IGNORED.sub("", text)
    if not s:
        raise NumeralError("empty numeral")
    negative = False
    if s[0] in "-−负負":
        negative, s = True, s[1:]
    if not s:
        raise NumeralError(f"no digits in {text!r}")
    if s.startswith("."):
        s = "0" + s  # .5
    # a decimal point written in Chinese: integer part + fraction read digit by digit
    frac = Decimal(0)
    for point in ("点", "點"):
        if point in s:
            s, tail = s.split(point, 1)
            frac = _fraction(tail)
            if not s:
                raise NumeralError(f"no integer part in {text!r}")
    value = _digits_only(s.replace(".", "")) if "." not in s else None
    if value is None:
        value = _parse_grouped(s, text)
    value += frac
    return -value if negative else value


def _parse_grouped(s: str, original: str) -> Decimal:
    """Read a numeral with 十/百/千 and 万/亿 units (Arabic parts allowed)."""
    total = Decimal(0)
    section = Decimal(0)
    number: Decimal | None = None
    level = 0  # the largest big unit applied to ``total`` so far
    last = ""  # kind of the previous token: "digit", "arabic", "small", "big", "zero", "approx"
    last_unit = 0  # value of the unit just before a trailing bare digit
    seen_digit = False
    i = 0
    n = len(s)
    while i < n:
        c = s[i]
        m = _ARABIC.match(s, i) if c.isdigit() else None
        if m:
            try:
                number = Decimal(m.group())
            except InvalidOperation as exc:  # pragma: no cover - regex guarantees digits
                raise NumeralError(original) from exc
            last = "arabic"
            seen_digit = True
            i = m.end()
            continue
        if c in CN_DIGITS:
            seen_digit = True
        if c in CN_DIGITS and CN_DIGITS[c] == 0:
            last = "zero"
        elif c in CN_DIGITS:
            d = Decimal(CN_DIGITS[c])
            if last == "digit" and number is not None:
                number = number * 10 + d  # a run of digits: 二〇 → 20
            else:
                last_unit = last_unit if last in ("small", "big") else 0
                number = d
            last = "digit"
        elif c in CN_SMALL_UNITS:
            u = CN_SMALL_UNITS[c]
            section += (number if number is not None else Decimal(1)) * u
            number = None
            last, last_unit = "small", u
        elif c in CN_BIG_UNITS:
            b = CN_BIG_UNITS[c]
            cur = section + (number if number is not None else 0)
            if cur == 0 and last == "big":
                total *= b
                level *= b
            elif cur == 0 and total == 0 and not seen_digit:
                total = Decimal(b)  # a bare magnitude: 万亿 → 1e12
                level = b
            elif b > level:
                total = (total + cur) * b
                level = b
            else:
                total += cur * b
            section = Decimal(0)
            number = None
            last, last_unit = "big", b
        elif c in _APPROX:
            last = "approx" if last != "big" else "big"
        else:
            raise NumeralError(f"not a numeral: {original!r}")
        i += 1
    if number is not None:
        # 一万三 = 13000, 两千四百五 = 2450: a lone digit right after a unit is one place lower
        if last == "digit" and last_unit >= 100 and number < 10:
            number *= Decimal(last_unit) / 10
        section += number
    return total + section


def numeral_value(text: str) -> float | None:
    """``float(parse_numeral(text))``, or None when ``text`` is not a numeral."""
    try:
        return float(parse_numeral(text))
    except NumeralError:
        return None
