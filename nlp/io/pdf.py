"""PDF files with a text layer (pypdf); scanned PDFs without text are an error."""

from __future__ import annotations

import io
import logging
from pathlib import Path

from .errors import InputError

__all__ = ["read_pdf"]


def read_pdf(data: bytes, path: Path) -> tuple[str, None]:
    """Return ``(text, None)``: the pages' text joined by line breaks."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise InputError(path, "is an encrypted PDF")
        pages = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError) as err:
        raise InputError(path, f"is not a readable PDF ({err.__class__.__name__})") from None
    return "\n".join(p.strip("\n") for p in pages), None
