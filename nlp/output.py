"""Atomic writes: a file or a whole results folder appears complete or not at all."""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

__all__ = ["MARKER", "OutputError", "atomic_write_bytes", "atomic_write_text", "check_output_folder",
           "staged_directory"]

#: the file every results folder we create holds; only such a folder (or an empty one) is replaced
MARKER = ".policy-nlp-results"


class OutputError(ValueError):
    """An output folder that must not be written: its message is one line naming it."""


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; results are ordinary files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    """UTF-8 text version of :func:`atomic_write_bytes`."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def check_output_folder(target: str | os.PathLike, inputs: Iterable[str | os.PathLike] = ()) -> Path:
    """Refuse, before any work, a results folder that would delete or mix with what is not ours.

    ``target`` may not be the current folder, be or contain or lie inside an input path, be a
    file, or be a non-empty folder without :data:`MARKER`; the place it goes must be writable.
    Returns the resolved folder."""
    folder = Path(target).resolve()
    if folder == Path.cwd().resolve():
        raise OutputError(f"{target}: refusing to write results into the current folder; name a folder for them")
    for item in inputs:
        path = Path(item).resolve()
        if folder == path or folder in path.parents:
            raise OutputError(f"{target}: the results folder would hold the input {item}; choose another folder")
        if path in folder.parents:
            raise OutputError(f"{target}: the results folder lies inside the input {item}; choose a folder outside it")
    if folder.exists() or folder.is_symlink():
        if not folder.is_dir():
            raise OutputError(f"{target}: exists and is not a folder")
        if not (folder / MARKER).is_file() and any(folder.iterdir()):
            raise OutputError(f"{target}: holds files policy-nlp did not write (no {MARKER}); "
                              "choose a new or empty folder")
    parent = folder.parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(f"{target}: cannot write in {parent}")
    return folder


@contextmanager
def staged_directory(target: str | os.PathLike) -> Iterator[Path]:
    """Yield an empty folder beside ``target``; on success it replaces ``target`` whole.

    If the block raises, ``target`` is left exactly as it was and the staging folder is
    removed. An existing ``target`` is moved aside and deleted only after the new one is
    in place.
    """
    target = check_output_folder(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        (stage / MARKER).write_text("written by policy-nlp analyze; this folder is replaced whole by the next run\n",
                                    encoding="utf-8")
        yield stage
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
        os.replace(target, old / target.name)
    os.replace(stage, target)
    os.chmod(target, 0o777 & ~_umask())
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
