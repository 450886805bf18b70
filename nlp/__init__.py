"""policy-nlp: Chinese text mining for policy documents.

>>> import nlp
>>> pipeline = nlp.load()
>>> doc = next(nlp.process(pipeline, [nlp.read("seeds/shanghai_2024_government_work_report.txt")]))
"""

from .api import load, process, read, read_many
from .io import Document, InputError

__version__ = "0.1.0"
__all__ = ["Document", "InputError", "load", "process", "read", "read_many", "__version__"]
