"""HTML pages: the visible text of the body, block elements on their own lines."""

from __future__ import annotations

import re
from pathlib import Path

from .encoding import decode

__all__ = ["read_html"]

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)


def read_html(data: bytes, path: Path) -> tuple[str, str]:
    """Return ``(text, encoding)``; the declared charset wins, else detection."""
    from bs4 import BeautifulSoup

    declared = _META_CHARSET.search(data[:4096])
    text = None
    encoding = None
    if declared:
        try:
            encoding = declared.group(1).decode("ascii").lower()
            text = data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            text = None
    if text is None:
        text, encoding = decode(data, path)
    soup = BeautifulSoup(text, "html.parser")
    for tag in soup(["script", "style", "noscript", "template"]):
        tag.decompose()
    body = soup.body or soup
    lines = [line.strip() for line in body.get_text("\n").splitlines()]
    return "\n".join(line for line in lines if line), encoding
