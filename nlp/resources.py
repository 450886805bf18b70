"""Where the shipped data lives: the repository's ``models/`` (lexicons, stop words, configs)."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["models_dir", "model_path"]


def models_dir() -> Path:
    """The ``models/`` folder: ``$POLICY_NLP_MODELS`` or the one beside the package."""
    env = os.environ.get("POLICY_NLP_MODELS")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "models"


def model_path(*parts: str) -> Path:
    """A path under ``models/``, e.g. ``model_path("lexicon", "policy_terms.jsonl")``."""
    return models_dir().joinpath(*parts)
