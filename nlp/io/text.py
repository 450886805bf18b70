"""Plain text files (.txt, .md): decoded by :mod:`nlp.io.encoding`."""

from __future__ import annotations

from pathlib import Path

from .encoding import decode

__all__ = ["read_text"]


def read_text(data: bytes, path: Path) -> tuple[str, str]:
    """Return ``(text, encoding)``; line endings become ``\\n``."""
    text, encoding = decode(data, path)
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding
