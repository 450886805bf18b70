"""policy-nlp: Chinese text mining for policy documents.

>>> import nlp
>>> pipeline = nlp.load()
>>> doc = next(nlp.process(pipeline, [nlp.read("seeds/shanghai_2024_government_work_report.txt")]))
"""

from .analyze import AnalysisResult, analyze
from .api import load, process, read, read_many
from .io import Document, InputError
from .pipeline.indicators import indicators_table

__version__ = "0.1.0"
__all__ = [
    "AnalysisResult", "Document", "InputError", "analyze", "indicators_table", "load", "process", "read", "read_many", "__version__",
]
