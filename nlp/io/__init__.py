"""Reading documents: one module per format, encoding detection, metadata."""

from .document import Document
from .errors import InputError
from .metadata import DocumentMeta, header_metadata
from .reader import iter_paths, read, read_many

__all__ = ["Document", "DocumentMeta", "InputError", "header_metadata", "iter_paths", "read", "read_many"]
