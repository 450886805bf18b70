"""A length-preserving normalized view of a text, for matching.

Every character maps to exactly one character, so an offset in the view is the same
offset in the original text: spans found on the view index the original exactly.
Full-width digits, letters and punctuation become half-width (NFKC, one character at a
time); the full-width comma stays, because in Chinese it separates clauses, not thousands.
Traditional characters become simplified ones where the mapping is one character to one
(zhconv's MediaWiki table: 國→国, 萬→万, 億→亿), so simplified lexicons and numerals match
traditional text.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

__all__ = ["normalize_view", "normalize_char"]

_KEEP = {"，", "、", "。"}


class _NFKCTable(dict):
    """A str.translate table filled lazily: NFKC of one character, kept if it stays one."""

    def __missing__(self, code: int) -> int:
        char = chr(code)
        mapped = code
        if char not in _KEEP and code > 0x7F:
            norm = unicodedata.normalize("NFKC", char)
            if len(norm) == 1:
                mapped = ord(norm)
        self[code] = mapped
        return mapped


def _traditional_to_simplified() -> dict[int, int]:
    """One-character traditional → simplified mappings (multi-character rules are skipped)."""
    from zhconv import zhconv as _zhconv

    _zhconv.loaddict()
    table = _zhconv.zhcdicts["zh2Hans"]
    return {ord(k): ord(v) for k, v in table.items() if len(k) == 1 and len(v) == 1 and k != v}


_TABLE = _NFKCTable()
_TABLE.update(_traditional_to_simplified())
# Tildes and the full-width hyphen used in ranges read as their ASCII forms.
_TABLE.update({ord("－"): ord("-"), ord("～"): ord("~"), ord("〜"): ord("~")})


def normalize_char(char: str) -> str:
    """The normalized form of one character (always one character)."""
    return chr(_TABLE[ord(char)])


@lru_cache(maxsize=2)
def normalize_view(text: str) -> str:
    """Return the normalized view of ``text``; ``len(view) == len(text)`` always.

    The last two views are kept: the term and number taggers both read the same text.
    """
    view = text.translate(_TABLE)
    assert len(view) == len(text)
    return view
