"""Build and load the policy-nlp spaCy pipeline: ``spacy.blank("zh")`` with our own
jieba tokenizer and registered components."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

import spacy
from spacy.language import Language

from . import registry as _registry  # noqa: F401  (registers the tokenizer and factories)
from .plug import add_term_model

__all__ = ["build", "load_pipeline", "TOKENIZER_CONFIG", "DEFAULT_COMPONENTS"]

TOKENIZER_CONFIG = {"nlp": {"tokenizer": {"@tokenizers": "policy_nlp.jieba_tokenizer.v1"}}}
DEFAULT_COMPONENTS = ("policy_sentencizer", "report_structure", "policy_terms", "numeric_expressions", "indicators")


def build(*, user_words: Iterable = (), components: Iterable[str] | None = None, config: dict | None = None) -> Language:
    """A blank Chinese pipeline with our jieba tokenizer and the given components.

    ``config`` maps a component name to its settings (``{"numeric_expressions": {"to_ents": True}}``).
    """
    nlp = spacy.blank("zh", config=TOKENIZER_CONFIG)
    nlp.tokenizer.add_words(user_words)
    for name in components or ():
        nlp.add_pipe(name, config=(config or {}).get(name, {}))
    return nlp


def load_pipeline(
    path: str | os.PathLike | None = None,
    *,
    lexicon: str | os.PathLike | None = None,
    model: str | os.PathLike | None = None,
    components: Iterable[str] | None = None,
    config: dict | None = None,
) -> Language:
    """A ready pipeline (``nlp.load``): a saved one from ``path``, else ``spacy.blank("zh")``
    with our tokenizer and all our components.

    ``lexicon`` adds a user lexicon file (JSONL or CSV) to the term tagger and to the
    segmenter's dictionary; ``model`` plugs in a trained term tagger (a saved pipeline folder);
    ``config`` sets components' options, e.g. ``{"numeric_expressions": {"to_ents": True}}``.
    """
    if path is not None:
        nlp = spacy.load(path)
        if lexicon is not None:
            nlp.get_pipe("policy_terms").add_lexicon(lexicon)
    else:
        names = [c for c in (components or DEFAULT_COMPONENTS) if components or Language.has_factory(c)]
        nlp = build(components=names, config=config)
        if "policy_terms" in nlp.pipe_names:
            nlp.get_pipe("policy_terms").initialize(nlp=nlp, lexicon=lexicon)
        if "policy_terms_recognizer" in nlp.pipe_names:
            nlp.get_pipe("policy_terms_recognizer").initialize(nlp=nlp)  # the shipped model
    if "policy_terms" in nlp.pipe_names:
        nlp.tokenizer.add_words(nlp.get_pipe("policy_terms").segmenter_words())  # words it has are kept as they are
    if model is not None:
        add_term_model(nlp, Path(model))
    return nlp
