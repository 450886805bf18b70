"""The tokenizer a term tagger is trained and run with: our jieba segmenter + lexicon words."""

from __future__ import annotations

import os
from typing import Iterable

from spacy.language import Language

__all__ = ["lexicon_entries", "tokenizer_nlp"]


def lexicon_entries(lexicon: str | os.PathLike | Iterable | None = None, *, use_shipped: bool = True) -> list:
    """Lexicon entries: the shipped lexicon (if ``use_shipped``) plus ``lexicon`` (a file or entries)."""
    from ..pipeline.terms.lexicon import load_lexicon, parse_entries, shipped_lexicon_path

    entries = []
    if use_shipped and shipped_lexicon_path().exists():
        entries.extend(load_lexicon(shipped_lexicon_path()))
    if isinstance(lexicon, (str, os.PathLike)):
        entries.extend(load_lexicon(lexicon))
    elif lexicon is not None:
        entries.extend(parse_entries(lexicon))
    return entries


def tokenizer_nlp(entries: Iterable | None = None) -> Language:
    """A blank pipeline with our tokenizer whose dictionary has the entries' forms.

    ``None`` means the shipped lexicon: the same segmentation as ``nlp.load()``.
    """
    from ..pipeline.builder import build
    from ..pipeline.terms.lexicon import segmenter_words

    if entries is None:
        entries = lexicon_entries()
    return build(user_words=segmenter_words(list(entries)))
