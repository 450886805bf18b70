"""The private cache folder (jieba's prefix dictionary, parsed IDF tables, word frequencies,
font character maps): only this user can write it, so what is read back can be trusted."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

__all__ = ["private_cache_dir"]


def private_cache_dir() -> Path:
    """A cache directory only this user can write (created 0700 if missing).

    ``$POLICY_NLP_CACHE`` or ``$XDG_CACHE_HOME/policy-nlp`` or ``~/.cache/policy-nlp``;
    if that is not ours or is writable by others, a fresh private temp directory.
    """
    base = os.environ.get("POLICY_NLP_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"),
        "policy-nlp",
    )
    path = Path(base) / "jieba"
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = path.stat()
        safe = st.st_uid == os.getuid() and not (st.st_mode & (stat.S_IWGRP | stat.S_IWOTH))
    except OSError:
        safe = False
    if safe:
        return path
    return Path(tempfile.mkdtemp(prefix="policy-nlp-jieba-"))  # mkdtemp is 0700
