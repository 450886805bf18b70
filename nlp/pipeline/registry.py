"""Imports every component module so that spaCy finds our factories.

This module is the ``spacy_factories`` entry point: a fresh process that has only done
``import spacy`` loads it when it builds a pipeline, so ``spacy.load(path)`` works for
any pipeline saved with our components.
"""

from . import tokenizer  # noqa: F401
from . import sentences as _sentences  # noqa: F401
from . import structure as _structure  # noqa: F401
from .terms import component as _terms  # noqa: F401
from .numbers import component as _numbers  # noqa: F401
from . import indicators as _indicators  # noqa: F401
from .terms import model_spans as _model_spans  # noqa: F401
from .terms import recognizer as _recognizer  # noqa: F401
