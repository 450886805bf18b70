"""Bring the shipped lexicon in line with the hand-annotated reports (tests/data/terms_gold/).

    python scripts/build_lexicon.py [--write]

Every term marked in the annotated reports gets an entry (an existing one whose forms hold its
text, else a new one with the next free id), with the label the annotations give it most often,
its quoted and unquoted surface forms as aliases, and ``sources``: the reports it was marked in.
An existing entry whose forms occur in the annotated reports but are never marked there
contradicts the annotations and is retired (its id goes to ``retired.tsv`` and is never
reused). Entries the reports never mention (national vocabulary from general knowledge) are
kept with empty ``sources``. Notes of new entries come from ``nlp/data/lexicon/notes.tsv``
(``canonical<TAB>note``). Without ``--write`` it only prints what it would change.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nlp.pipeline.normalize import normalize_view  # noqa: E402
from nlp.pipeline.terms.lexicon import strip_quotes  # noqa: E402

LEXICON = ROOT / "nlp" / "data" / "lexicon" / "policy_terms.jsonl"
NOTES = ROOT / "nlp" / "data" / "lexicon" / "notes.tsv"
RETIRED = ROOT / "nlp" / "data" / "lexicon" / "retired.tsv"
GOLD = ROOT / "tests" / "data" / "terms_gold"
LOCAL = {"shanghai_2024_government_work_report": "local:上海", "guangdong_2022": "local:广东"}


def key(text: str) -> str:
    return strip_quotes(normalize_view(text)).strip()


def gold_mentions() -> list[tuple[str, str, str, str]]:
    """(document, surface as written, label, full line text) of every annotated mention."""
    out = []
    for path in sorted(GOLD.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            for span in record["spans"]:
                out.append((record["meta"]["doc"], record["text"][span["start"]:span["end"]], span["label"],
                            record["text"]))
    return out


def _find_all(text: str, word: str):
    at = text.find(word)
    while at >= 0:
        yield at
        at = text.find(word, at + 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="rewrite the lexicon (else a dry run)")
    args = parser.parse_args(argv)
    entries = [json.loads(line) for line in LEXICON.read_text(encoding="utf-8").splitlines() if line.strip()]
    notes = {}
    if NOTES.exists():
        for row in NOTES.read_text(encoding="utf-8").splitlines():
            if row.strip() and not row.startswith("#"):
                canonical, _, note = row.partition("\t")
                notes[canonical.strip()] = note.strip()
    owner = {}
    for e in entries:
        for form in [e["canonical"], *e.get("aliases", [])]:
            owner.setdefault(key(form), e["id"])
    mentions = gold_mentions()
    lines = []  # (document, normalized line, covered character offsets)
    for path in sorted(GOLD.glob("*.jsonl")):
        for row in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(row)
            covered = {i for sp in record["spans"] for i in range(sp["start"], sp["end"])}
            lines.append((path.stem, normalize_view(record["text"]), covered))
    by_id = {e["id"]: e for e in entries}
    labels: dict[str, Counter] = defaultdict(Counter)
    sources: dict[str, set] = defaultdict(set)
    surfaces: dict[str, set] = defaultdict(set)
    new: dict[str, dict] = {}
    next_id = max(int(e["id"][2:]) for e in entries if e["id"].startswith("PT")) + 1
    retired_ids = set()
    if RETIRED.exists():
        retired_ids = {row.split("\t")[0] for row in RETIRED.read_text(encoding="utf-8").splitlines()
                       if row.strip() and not row.startswith("#")}
        next_id = max([next_id] + [int(i[2:]) + 1 for i in retired_ids if i.startswith("PT")])
    for doc, surface, label, _ in mentions:
        k = key(surface)
        if k not in owner:
            term_id = f"PT{next_id:04d}"
            next_id += 1
            canonical = strip_quotes(surface)
            new[term_id] = {"id": term_id, "canonical": canonical, "aliases": [], "label": label,
                            "note": notes.get(canonical, ""), "scope": "national", "sources": []}
            owner[k] = term_id
            by_id[term_id] = new[term_id]
        term_id = owner[k]
        labels[term_id][label] += 1
        sources[term_id].add(doc)
        surfaces[term_id].add(surface)
    # entries whose forms occur in the annotated text but are never marked: contradicted
    retire = []
    for e in entries:
        if e["id"] in sources:
            continue
        forms = {key(f) for f in [e["canonical"], *e.get("aliases", [])]} - {""}
        seen = sorted({doc for doc, view, covered in lines for f in forms for at in _find_all(view, f)
                       if not covered.intersection(range(at, at + len(f)))})
        if seen:
            retire.append((e, seen))
    changed_labels = []
    for term_id, counts in labels.items():
        e = by_id[term_id]
        top = counts.most_common()
        best = top[0][0] if len(top) == 1 or top[0][1] > top[1][1] else (e["label"] if e["label"] in dict(top) else top[0][0])
        if best != e["label"]:
            changed_labels.append((e["canonical"], e["label"], best))
            e["label"] = best
        e["sources"] = sorted(sources[term_id])
        docs = set(e["sources"])
        if term_id in new and len(docs) == 1 and next(iter(docs)) in LOCAL:
            e["scope"] = LOCAL[next(iter(docs))]
        forms = {f for f in [e["canonical"], *e.get("aliases", [])]}
        for surface in sorted(surfaces[term_id]):
            if surface not in forms:  # the quoted form as written, another spelling
                e.setdefault("aliases", []).append(surface)
                forms.add(surface)
    for e in entries:
        e.setdefault("sources", [])
    retired_now = {e["id"] for e, _ in retire}
    kept = [e for e in entries if e["id"] not in retired_now] + list(new.values())
    kept.sort(key=lambda e: e["id"])
    missing_notes = [e["canonical"] for e in kept if not e.get("note")]
    print(f"{len(entries)} entries before; {len(new)} new, {len(retire)} retired, {len(changed_labels)} labels changed; "
          f"{len(kept)} after; {len(missing_notes)} without a note")
    for e, seen in retire:
        print(f"  retire {e['id']} {e['canonical']} ({e['label']}): occurs unmarked in {', '.join(seen)}")
    for canonical, old, best in changed_labels:
        print(f"  label {canonical}: {old} -> {best}")
    if args.write:
        order = ["id", "canonical", "aliases", "label", "note", "scope", "sources"]
        body = "".join(json.dumps({k: e.get(k) for k in order if k in e or k == "sources"}, ensure_ascii=False) + "\n"
                       for e in kept)
        LEXICON.write_text(body, encoding="utf-8")
        rows = [f"{e['id']}\t{e['canonical']}\toccurs unmarked in the annotated {', '.join(seen)}" for e, seen in retire]
        if rows:
            head = "" if RETIRED.exists() else "# Retired lexicon ids (never reused): ID<TAB>canonical<TAB>why\n"
            with RETIRED.open("a", encoding="utf-8") as f:
                f.write(head + "".join(r + "\n" for r in rows))
        if missing_notes:
            print("new entries need notes in nlp/data/lexicon/notes.tsv:", "、".join(missing_notes[:40]),
                  "…" if len(missing_notes) > 40 else "")
    return 0


if __name__ == "__main__":
    sys.exit(main())
