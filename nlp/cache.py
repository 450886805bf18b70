"""The private cache folder (jieba's prefix dictionary, parsed IDF tables, word frequencies,
font character maps): only this user can write it, so what is read back can be trusted."""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from pathlib import Path
from contextlib import contextmanager
from typing import Callable, Iterator, TypeVar

__all__ = ["cache_file", "file_stamp", "load_cached", "output_lock", "private_cache_dir", "store_cached"]

T = TypeVar("T")


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


def file_stamp(path: str | os.PathLike) -> str:
    """A file's resolved path, size and modification time: the part of a cache key that
    changes when the file does."""
    path = Path(path)
    st = path.stat()
    return f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}"


def cache_file(kind: str, key: str, suffix: str) -> Path:
    """The file in the private cache folder that holds ``kind`` data for ``key`` (hashed)."""
    return private_cache_dir() / f"{kind}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:20]}{suffix}"


def load_cached(path: Path, loads: Callable[[bytes], T]) -> T | None:
    """``loads(bytes)`` of a cache file, or None when it is missing or unreadable."""
    try:
        return loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None


def store_cached(path: Path, data: bytes) -> None:
    """Write a cache file atomically; a cache that cannot be written is simply not kept."""
    from .output import atomic_write_bytes

    try:
        atomic_write_bytes(path, data)
    except OSError:
        pass


@contextmanager
def output_lock(target: str | os.PathLike) -> Iterator[None]:
    """Hold an exclusive lock on a results folder while a run writes it; a second run fails at once.

    The lock file lives in the private cache folder (keyed by the folder's path), so nothing is
    left beside the user's files."""
    from filelock import FileLock, Timeout

    from .output import OutputError

    folder = Path(target).resolve()
    lock = FileLock(str(cache_file("lock", str(folder), ".lock")))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise OutputError(f"{target}: another policy-nlp run is writing this folder") from None
    try:
        yield
    finally:
        lock.release()
