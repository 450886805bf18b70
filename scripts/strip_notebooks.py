#!/usr/bin/env python3
"""Strip outputs, execution counts and run metadata from notebooks, in place.

    python scripts/strip_notebooks.py                 # every notebooks/*.ipynb
    python scripts/strip_notebooks.py a.ipynb b.ipynb # just these
    python scripts/strip_notebooks.py --check         # list unstripped notebooks, exit 1 if any

Only the standard library is used, so it runs before the project is installed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: cell metadata written by Jupyter while running or viewing, not by the author
RUN_CELL_METADATA = ("execution", "collapsed", "scrolled", "ExecuteTime")


class NotebookError(ValueError):
    """A file is not a readable notebook."""


def load(path: Path) -> dict:
    """The notebook at ``path`` as JSON, or NotebookError naming the file."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise NotebookError(f"{path}: not a readable notebook ({err.__class__.__name__}: {err})") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise NotebookError(f"{path}: not a notebook (no 'cells' list)")
    return nb


def stripped(nb: dict) -> dict:
    """A copy of ``nb`` without outputs, execution counts or run metadata."""
    nb = json.loads(json.dumps(nb))
    for cell in nb["cells"]:
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        metadata = cell.get("metadata") or {}
        for key in RUN_CELL_METADATA:
            metadata.pop(key, None)
        cell["metadata"] = metadata
    meta = nb.get("metadata") or {}
    meta.pop("widgets", None)
    if isinstance(meta.get("language_info"), dict):  # the kernel fills in its version details
        meta["language_info"] = {"name": meta["language_info"].get("name", "python")}
    nb["metadata"] = meta
    return nb


def dumps(nb: dict) -> str:
    """The notebook as Jupyter writes it (one-space indent, keys sorted, final newline)."""
    return json.dumps(nb, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def is_stripped(nb: dict) -> bool:
    """True when ``nb`` has no outputs, execution counts or run metadata."""
    return json.dumps(nb, sort_keys=True) == json.dumps(stripped(nb), sort_keys=True)


def strip_file(path: Path) -> bool:
    """Strip ``path`` in place; True when the file changed."""
    text = path.read_text(encoding="utf-8")
    new = dumps(stripped(load(path)))
    if new == text:
        return False
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(new, encoding="utf-8")
    tmp.replace(path)
    return True


def main(argv: list[str] | None = None) -> int:
    """Command line: strip the given notebooks (default notebooks/*.ipynb), or --check them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks (default: notebooks/*.ipynb)")
    parser.add_argument("--check", action="store_true", help="only report unstripped notebooks; exit 1 if any")
    args = parser.parse_args(argv)
    paths = args.paths or sorted((ROOT / "notebooks").glob("*.ipynb"))
    bad = 0
    try:
        for path in paths:
            if args.check:
                if not is_stripped(load(path)):
                    print(f"{path}: has outputs or execution counts", file=sys.stderr)
                    bad += 1
            elif strip_file(path):
                print(f"stripped {path}")
    except NotebookError as err:
        print(err, file=sys.stderr)
        return 2
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
