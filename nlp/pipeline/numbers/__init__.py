"""Numeric expressions: find, read and tag amounts, percentages, quantities, dates and ordinals.

``find_numbers(text)`` is the pure function; the ``numeric_expressions`` spaCy component
(:mod:`.component`, registered through ``nlp.pipeline.registry``) stores its results as spans.
"""

from .chinese import NumeralError, numeral_value, parse_numeral
from .extract import LABELS, NumberInputError, NumberMatch, find_numbers

__all__ = [
    "LABELS",
    "NumberMatch",
    "NumberInputError",
    "NumeralError",
    "find_numbers",
    "parse_numeral",
    "numeral_value",
]
