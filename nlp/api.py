"""The small public API: load a pipeline, read documents, run the pipeline over them."""

from __future__ import annotations

from .io import read, read_many
from .pipeline.builder import load_pipeline as load
from .pipeline.process import process

__all__ = ["load", "read", "read_many", "process"]
