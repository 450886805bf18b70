"""policy-nlp: Chinese text mining for policy documents.

>>> import nlp
>>> pipeline = nlp.load()
>>> doc = next(nlp.process(pipeline, [nlp.read("seeds/shanghai_2024_government_work_report.txt")]))

The names below are imported on first use, so ``import nlp`` is instant.
"""

from __future__ import annotations

from .lazy import lazy_exports

__version__ = "0.1.0"

_PUBLIC = {
    "AnalysisResult": ".run",
    "analyze": ".run",
    "load": ".api",
    "process": ".api",
    "read": ".api",
    "read_many": ".api",
    "Document": ".io",
    "InputError": ".io",
    "indicators_table": ".pipeline.indicators",
}

__all__ = [
    "AnalysisResult", "Document", "InputError", "analyze", "indicators_table", "load", "process", "read", "read_many", "__version__",
]


__getattr__, __dir__ = lazy_exports(__name__, _PUBLIC)
