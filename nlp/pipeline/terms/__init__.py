"""Policy-term tagging: lexicon, character matcher, rules and the ``policy_terms`` component."""

from .lexicon import LexiconEntry, LexiconError, load_generic_words, load_lexicon, segmenter_words
from .matcher import Candidate, LexiconMatcher, resolve_overlaps
from .rules import RULE_NAMES, RULES

__all__ = [
    "Candidate",
    "LexiconEntry",
    "LexiconError",
    "LexiconMatcher",
    "RULES",
    "RULE_NAMES",
    "load_generic_words",
    "load_lexicon",
    "resolve_overlaps",
    "segmenter_words",
]
