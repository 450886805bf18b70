"""The result of reading a file: its text, where it came from, and its metadata."""

from __future__ import annotations

from dataclasses import dataclass, field

from .metadata import DocumentMeta

__all__ = ["Document"]


@dataclass
class Document:
    """A read document. ``text`` is what every span's offsets index."""

    path: str
    text: str
    format: str
    encoding: str | None = None
    meta: DocumentMeta = field(default_factory=DocumentMeta)

    @property
    def name(self) -> str:
        """A short name for tables: the file name without its suffix."""
        from pathlib import Path

        return Path(self.path).stem
