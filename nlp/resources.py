"""The data shipped inside the package (``nlp/data/``: lexicon, word lists, configs, font),
found with :mod:`importlib.resources` so a wheel install has it as well as a checkout."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = ["MissingResourceError", "data_path"]


class MissingResourceError(FileNotFoundError):
    """A file that ships with the package is missing: the installation is broken."""


def data_path(*parts: str) -> Path:
    """The shipped file ``nlp/data/<parts>``, e.g. ``data_path("lexicon", "policy_terms.jsonl")``.

    A missing file is an error, never a silent fallback."""
    path = Path(str(files("nlp").joinpath("data", *parts)))
    if not path.exists():
        raise MissingResourceError(f"{path}: shipped with policy-nlp but missing; reinstall the package")
    return path
