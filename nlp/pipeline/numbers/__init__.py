"""Numeric expressions: find, read and tag amounts, percentages, quantities, dates and ordinals."""

from .chinese import NumeralError, numeral_value, parse_numeral
from .extract import NumberMatch, find_numbers

__all__ = ["NumberMatch", "find_numbers", "parse_numeral", "numeral_value", "NumeralError"]
