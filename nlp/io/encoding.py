"""Decode the bytes of a Chinese text file: UTF-8 (with or without BOM), UTF-16 with BOM,
GB18030/GBK and Big5, detected with charset-normalizer among those candidates."""

from __future__ import annotations

import codecs
from pathlib import Path

from charset_normalizer import from_bytes

from .errors import InputError

__all__ = ["decode", "looks_binary"]

_CANDIDATES = ["gb18030", "big5"]
_BOMS = [(codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")]


def looks_binary(data: bytes) -> bool:
    """True for data with NUL bytes or many control characters (not text in any of our encodings)."""
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > max(8, len(sample) // 50)


def _strict(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def decode(data: bytes, path: str | Path = "<bytes>") -> tuple[str, str]:
    """Return ``(text, encoding)``; raise :class:`InputError` naming ``path`` if undecodable.

    The BOM is dropped from the text, so offsets index the text a reader sees.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text = _strict(data, encoding)
            if text is None:
                raise InputError(path, f"has a {encoding} byte-order mark but is not valid {encoding}")
            return text.lstrip("\ufeff"), encoding
    if looks_binary(data):
        raise InputError(path, "is a binary file, not text")
    text = _strict(data, "utf-8")
    if text is not None:
        return text, "utf-8"
    decodable = {enc: t for enc in _CANDIDATES if (t := _strict(data, enc)) is not None}
    if not decodable:
        raise InputError(path, "cannot be decoded as UTF-8, GB18030/GBK or Big5")
    if len(decodable) == 1:
        return next(iter(decodable.items()))[::-1]
    best = from_bytes(data, cp_isolation=list(decodable)).best()
    encoding = "gb18030"
    if best is not None and best.encoding.replace("_", "") in ("big5", "big5hkscs", "cp950"):
        encoding = "big5"
    return decodable[encoding], encoding
