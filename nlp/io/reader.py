"""``read(path)``: one entry point for every input format, with clear errors."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ..output import MARKER
from .docx import read_docx
from .document import Document
from .errors import InputError
from .html import read_html
from .metadata import header_metadata
from .pdf import read_pdf
from .text import read_text

__all__ = ["read", "read_many", "iter_paths", "SUPPORTED_SUFFIXES", "MAX_BYTES"]

MAX_BYTES = 50 * 1024 * 1024
_READERS: dict[str, tuple[str, Callable[[bytes, Path], tuple[str, str | None]]]] = {
    ".txt": ("text", read_text),
    ".md": ("text", read_text),
    ".text": ("text", read_text),
    ".docx": ("docx", read_docx),
    ".pdf": ("pdf", read_pdf),
    ".html": ("html", read_html),
    ".htm": ("html", read_html),
}
SUPPORTED_SUFFIXES = tuple(_READERS)
# Folders are searched for documents only: notes such as README.md or SOURCES.md are skipped.
_FOLDER_SUFFIXES = {".txt", ".text", ".docx", ".pdf", ".html", ".htm"}


def read(path: str | os.PathLike, *, max_bytes: int = MAX_BYTES) -> Document:
    """Read a .txt/.docx/.pdf/.html file into a :class:`Document` with metadata.

    Raises :class:`InputError` (a ``ValueError``) with a one-line message naming the file
    for a missing, unreadable, empty, binary, undecodable, oversized or unsupported file.
    """
    path = Path(path)
    try:
        if path.is_dir():
            raise InputError(path, "is a directory, not a file")
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError(path, "does not exist") from None
    except OSError as err:
        raise InputError(path, f"cannot be read ({err.strerror or err})") from None
    suffix = path.suffix.lower()
    if suffix not in _READERS:
        raise InputError(path, f"unsupported file type {suffix or '(none)'}; use one of {', '.join(SUPPORTED_SUFFIXES)}")
    if size > max_bytes:
        raise InputError(path, f"is too large ({size:,} bytes; the limit is {max_bytes:,})")
    try:
        data = path.read_bytes()
    except PermissionError:
        raise InputError(path, "cannot be read (permission denied)") from None
    except OSError as err:
        raise InputError(path, f"cannot be read ({err.strerror or err})") from None
    if not data.strip():
        raise InputError(path, "is empty")
    fmt, reader = _READERS[suffix]
    text, encoding = reader(data, path)
    if not text.strip():
        raise InputError(path, "has no text")
    if "\x00" in text:
        raise InputError(path, "is a binary file, not text")
    return Document(path=str(path), text=text, format=fmt, encoding=encoding, meta=header_metadata(text, path))


def _folder_documents(folder: Path) -> Iterator[Path]:
    """The documents below ``folder``, skipping hidden files and policy-nlp's own results folders."""
    for root, dirs, files in os.walk(folder):
        if MARKER in files and Path(root) != folder:
            dirs[:] = []
            continue
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if not name.startswith(".") and Path(name).suffix.lower() in _FOLDER_SUFFIXES:
                yield Path(root) / name


def iter_paths(paths: Iterable[str | os.PathLike]) -> Iterator[Path]:
    """Files named, and the documents (.txt .docx .pdf .html) inside named folders (sorted, recursive)."""
    for p in paths:
        p = Path(p)
        if p.is_dir():
            yield from sorted(_folder_documents(p))
        else:
            yield p


def read_many(paths: Iterable[str | os.PathLike], **kwargs) -> list[Document]:
    """Read every file (folders expanded); the first bad file raises before anything is used."""
    return [read(p, **kwargs) for p in iter_paths(paths)]
