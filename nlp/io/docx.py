"""Word .docx files: paragraphs and table cells, one paragraph a line (python-docx)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from .errors import InputError

__all__ = ["read_docx"]


def read_docx(data: bytes, path: Path) -> tuple[str, None]:
    """Return ``(text, None)``: body paragraphs, then table rows (cells joined by tabs)."""
    import docx  # python-docx, imported only when needed

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as err:
        raise InputError(path, f"is not a valid .docx file ({err.__class__.__name__})") from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    return "\n".join(lines), None
