"""Hand-annotated policy-term mentions of the reports in seeds/: check, show and build.

The annotators' working files are ``raw/<doc>.tsv``: one mention a line, ``LINE<TAB>SURFACE<TAB>LABEL``
(an optional fourth column is a note), LINE being the 1-based line of ``seeds/<doc>.txt``;
the mentions of one line are listed in the order they appear, and each is searched from the
end of the one before, so repeats and nested-looking surfaces land where they are meant.
Lines starting with ``#`` are comments. ``build`` turns them into ``<doc>.jsonl``: one
spaCy-style record per non-empty line of the report (``text``, ``spans`` with ``start``,
``end``, ``label``, and ``meta`` with ``doc``, ``line`` and ``offset``, the line's start in
the file), which ``policy-nlp train/evaluate`` read as they are.

Usage (from the repo root):
    python tests/data/terms_gold/gold.py check DOC        anchor every mention, report problems
    python tests/data/terms_gold/gold.py show DOC [A B]   lines A..B with mentions as 【surface|LABEL】
    python tests/data/terms_gold/gold.py unmarked DOC SURFACE   lines where SURFACE occurs unmarked
    python tests/data/terms_gold/gold.py consistency [DOC...]   surfaces marked in one place, not in another
    python tests/data/terms_gold/gold.py crosscheck DOC   for a reviewer: what other reports mark differently
    python tests/data/terms_gold/gold.py build [DOC...]   write the JSONL files (all docs by default)
"""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
SEEDS = ROOT / "seeds"
LABELS = {"STRATEGY", "PROGRAM", "POLICY", "PLATFORM"}


def report_lines(doc: str) -> list[str]:
    """The lines of ``seeds/<doc>.txt`` with their newline, so offsets add up to the file's."""
    return (SEEDS / f"{doc}.txt").read_text(encoding="utf-8").splitlines(keepends=True)


def read_raw(doc: str) -> tuple[list[tuple[int, int, int, str, str]], list[str]]:
    """Anchor ``raw/<doc>.tsv``: ``(line, start, end, surface, label)`` in line offsets, and problems."""
    lines = report_lines(doc)
    mentions, problems = [], []
    cursor: dict[int, int] = {}
    path = Path(os.environ.get("TERMS_GOLD_RAW") or HERE / "raw" / f"{doc}.tsv")  # another working file
    for n, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not row.strip() or row.startswith("#"):
            continue
        cols = row.split("\t")
        if len(cols) < 3:
            problems.append(f"{path.name}:{n}: need LINE<TAB>SURFACE<TAB>LABEL, got {row!r}")
            continue
        try:
            line_no = int(cols[0])
        except ValueError:
            problems.append(f"{path.name}:{n}: LINE must be a number, got {cols[0]!r}")
            continue
        surface, label = cols[1], cols[2].strip()
        if label not in LABELS:
            problems.append(f"{path.name}:{n}: unknown label {label!r}")
            continue
        if not 1 <= line_no <= len(lines):
            problems.append(f"{path.name}:{n}: line {line_no} is outside the report")
            continue
        text = lines[line_no - 1]
        at = text.find(surface, cursor.get(line_no, 0))
        if not surface or at < 0:
            where = "after the previous mention of this line" if cursor.get(line_no) else ""
            problems.append(f"{path.name}:{n}: {surface!r} not found in line {line_no} {where}".rstrip())
            continue
        cursor[line_no] = at + len(surface)
        mentions.append((line_no, at, at + len(surface), surface, label))
    return mentions, problems


def records(doc: str) -> list[dict]:
    """One spaCy-style record per non-empty line, spans in that line's offsets."""
    mentions, problems = read_raw(doc)
    if problems:
        raise SystemExit("\n".join(problems))
    by_line: dict[int, list] = {}
    for m in mentions:
        by_line.setdefault(m[0], []).append(m)
    out, offset = [], 0
    for n, line in enumerate(report_lines(doc), 1):
        text = line.rstrip("\r\n")
        if text.strip():
            spans = [{"start": s, "end": e, "label": lab} for _, s, e, _, lab in by_line.get(n, [])]
            out.append({"text": text, "spans": spans, "meta": {"doc": doc, "line": n, "offset": offset}})
        offset += len(line)
    return out


def show(doc: str, first: int = 1, last: int | None = None) -> None:
    mentions, problems = read_raw(doc)
    for p in problems:
        print("PROBLEM", p)
    by_line: dict[int, list] = {}
    for m in mentions:
        by_line.setdefault(m[0], []).append(m)
    lines = report_lines(doc)
    for n in range(first, min(last or len(lines), len(lines)) + 1):
        text = lines[n - 1].rstrip("\n")
        for _, s, e, surf, lab in sorted(by_line.get(n, []), key=lambda m: -m[1]):
            text = text[:s] + f"【{surf}|{lab}】" + text[e:]
        print(f"{n}: {text}")


def check(doc: str) -> int:
    mentions, problems = read_raw(doc)
    spans = sorted((m[0], m[1], m[2]) for m in mentions)
    for a, b in zip(spans, spans[1:]):
        if a[0] == b[0] and b[1] < a[2]:
            problems.append(f"overlapping mentions in line {a[0]} at {a[1]}-{a[2]} and {b[1]}-{b[2]}")
    for p in problems:
        print(p)
    labels: dict[str, int] = {}
    for m in mentions:
        labels[m[4]] = labels.get(m[4], 0) + 1
    print(f"{doc}: {len(mentions)} mentions, {len({m[3] for m in mentions})} distinct surfaces, {labels}; "
          f"{len(problems)} problems")
    return 1 if problems else 0


def unmarked(doc: str, surface: str) -> None:
    mentions, _ = read_raw(doc)
    covered = {(m[0], i) for m in mentions for i in range(m[1], m[2])}
    for n, line in enumerate(report_lines(doc), 1):
        at = line.find(surface)
        while at >= 0:
            if (n, at) not in covered:
                print(f"{n}:{at}: …{line[max(0, at - 15):at]}【{surface}】{line[at + len(surface):at + len(surface) + 15]}…")
            at = line.find(surface, at + 1)


def consistency(docs: list[str]) -> None:
    """Every surface marked anywhere: in which reports it is marked, where it also occurs
    unmarked (outside any mention), and with which labels; only the inconsistent ones."""
    marked: dict[str, dict[str, int]] = {}
    labels: dict[str, set[str]] = {}
    covered: dict[str, set[tuple[int, int]]] = {}
    for doc in docs:
        mentions, _ = read_raw(doc)
        covered[doc] = {(m[0], i) for m in mentions for i in range(m[1], m[2])}
        for m in mentions:
            marked.setdefault(m[3], {}).setdefault(doc, 0)
            marked[m[3]][doc] += 1
            labels.setdefault(m[3], set()).add(m[4])
    texts = {doc: report_lines(doc) for doc in docs}
    for surface in sorted(marked, key=lambda s: (-sum(marked[s].values()), s)):
        unmarked: dict[str, int] = {}
        for doc in docs:
            for n, line in enumerate(texts[doc], 1):
                at = line.find(surface)
                while at >= 0:
                    if not any((n, i) in covered[doc] for i in range(at, at + len(surface))):
                        unmarked[doc] = unmarked.get(doc, 0) + 1
                    at = line.find(surface, at + 1)
        if unmarked or len(labels[surface]) > 1:
            where = " ".join(f"{d}:{c}" for d, c in sorted(marked[surface].items()))
            miss = " ".join(f"{d}:{c}" for d, c in sorted(unmarked.items()))
            print(f"{surface}\t{'/'.join(sorted(labels[surface]))}\tmarked {where}\tunmarked {miss}")


def crosscheck(doc: str) -> None:
    """For a reviewer of ``doc``: occurrences in it of surfaces that other reports mark but it
    leaves unmarked, and the surfaces it marks that other reports leave unmarked."""
    others = [p.stem for p in sorted((HERE / "raw").glob("*.tsv")) if p.stem != doc]
    here, _ = read_raw(doc)
    covered = {(m[0], i) for m in here for i in range(m[1], m[2])}
    elsewhere: dict[str, set[str]] = {}
    left_out: dict[str, int] = {}
    for other in others:
        mentions, _ = read_raw(other)
        cov = {(m[0], i) for m in mentions for i in range(m[1], m[2])}
        for m in mentions:
            elsewhere.setdefault(m[3], set()).add(f"{other}:{m[4]}")
        for surface in {m[3] for m in here}:
            for n, line in enumerate(report_lines(other), 1):
                at = line.find(surface)
                while at >= 0:
                    if not any((n, i) in cov for i in range(at, at + len(surface))):
                        left_out[surface] = left_out.get(surface, 0) + 1
                    at = line.find(surface, at + 1)
    print(f"# 1. Marked in other reports, unmarked here ({doc}): decide each by reading")
    for n, line in enumerate(report_lines(doc), 1):
        for surface in sorted(elsewhere, key=len, reverse=True):
            at = line.find(surface)
            while at >= 0:
                if not any((n, i) in covered for i in range(at, at + len(surface))):
                    ctx = line[max(0, at - 12):at] + "【" + surface + "】" + line[at + len(surface):at + len(surface) + 12]
                    print(f"{n}\t{surface}\t{sorted(elsewhere[surface])[:3]}\t…{ctx.strip()}…")
                at = line.find(surface, at + 1)
    print(f"\n# 2. Marked here, left unmarked where they occur in other reports: check they are terms")
    for surface, count in sorted(left_out.items()):
        print(f"{surface}\tunmarked {count}x elsewhere")


def build(docs: list[str]) -> None:
    for doc in docs:
        body = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records(doc))
        (HERE / f"{doc}.jsonl").write_text(body, encoding="utf-8")
        print(f"wrote {doc}.jsonl")


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__)
        return 2
    cmd, args = argv[0], argv[1:]
    if cmd == "check":
        return max(check(d) for d in args)
    if cmd == "show":
        show(args[0], int(args[1]) if len(args) > 1 else 1, int(args[2]) if len(args) > 2 else None)
        return 0
    if cmd == "unmarked":
        unmarked(args[0], args[1])
        return 0
    if cmd == "consistency":
        consistency(args or sorted(p.stem for p in (HERE / "raw").glob("*.tsv")))
        return 0
    if cmd == "crosscheck":
        crosscheck(args[0])
        return 0
    if cmd == "build":
        build(args or sorted(p.stem for p in (HERE / "raw").glob("*.tsv")))
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
