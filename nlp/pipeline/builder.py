"""Build the policy-nlp spaCy pipeline: ``spacy.blank("zh")`` with our own components."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable

import spacy
from spacy.language import Language

from . import tokenizer as _tokenizer  # noqa: F401  (registers the tokenizer)

__all__ = ["build", "TOKENIZER_CONFIG"]

TOKENIZER_CONFIG = {"nlp": {"tokenizer": {"@tokenizers": "policy_nlp.jieba_tokenizer.v1"}}}


def build(*, user_words: Iterable = (), components: Iterable[str] | None = None) -> Language:
    """A blank Chinese pipeline with our jieba tokenizer and the given components."""
    nlp = spacy.blank("zh", config=TOKENIZER_CONFIG)
    nlp.tokenizer.add_words(user_words)
    for name in components or ():
        nlp.add_pipe(name)
    return nlp
