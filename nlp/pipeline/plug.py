"""Plug a trained term tagger into a policy-nlp pipeline (``nlp.load(model=...)``).

The tagger's components are sourced into the pipeline before ``policy_terms``; their
predictions land in ``doc.spans["policy_terms_model"]``, which ``policy_terms`` merges with
lexicon and rule spans (``span._.source == "model"``) by its ``priority`` setting.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

import spacy
from spacy.language import Language

__all__ = ["TermModelError", "add_term_model", "load_term_model"]

_MODEL_COMPONENTS = ("policy_terms_ner", "policy_terms_spancat", "policy_terms_recognizer")


class TermModelError(ValueError):
    """The folder is not a trained term tagger, or it does not fit the pipeline."""


def load_term_model(path: str | os.PathLike) -> Language:
    """Load a trained tagger folder with ``spacy.load``; raise TermModelError if it is not one."""
    path = Path(path)
    if not (path / "config.cfg").is_file():
        raise TermModelError(f"{path}: not a trained term tagger (no config.cfg)")
    model = spacy.load(path)
    if not any(name in model.pipe_names for name in _MODEL_COMPONENTS):
        raise TermModelError(f"{path}: no term tagger component ({' or '.join(_MODEL_COMPONENTS)}) in {model.pipe_names}")
    return model


def add_term_model(
    nlp: Language,
    path: str | os.PathLike,
    *,
    before: str = "policy_terms",
    priority: Sequence[str] | None = None,
) -> list[str]:
    """Source the tagger's components into ``nlp`` before ``before`` (or at the end).

    The tagger's tokenizer words that ``nlp``'s tokenizer lacks are added to it, so the
    tagger sees the tokens it was trained on. ``priority`` (e.g. ``["model", "lexicon",
    "rule"]``) sets the ``policy_terms`` overlap priority. Returns the added names.
    """
    model = load_term_model(path)
    clash = [name for name in model.pipe_names if name in nlp.pipe_names]
    if clash:
        raise TermModelError(f"{path}: the pipeline already has component(s) {clash}")
    words = getattr(model.tokenizer, "user_words", None)
    if words and hasattr(nlp.tokenizer, "add_words"):
        have = nlp.tokenizer.user_words
        nlp.tokenizer.add_words([(w, f, t) for w, (f, t) in words.items() if w not in have])
    for name in model.pipe_names:
        where = {"before": before} if before in nlp.pipe_names else {}
        nlp.add_pipe(name, source=model, **where)
    if priority is not None:
        if "policy_terms" not in nlp.pipe_names:
            raise TermModelError("priority needs the policy_terms component in the pipeline")
        nlp.get_pipe("policy_terms").priority = list(priority)
    return list(model.pipe_names)
