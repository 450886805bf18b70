"""The error plot and report functions raise for unusable input (kept apart so that raising
or catching it does not load matplotlib)."""

from __future__ import annotations


class VizInputError(ValueError):
    """A DataFrame handed to a plot function lacks columns or holds unusable values."""
