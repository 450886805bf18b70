"""Pre-annotated files for annotation tools: doccano JSONL and Label Studio JSON.

The pipeline's suggestions (lexicon + rules + numbers) are written so that an annotator
corrects them instead of starting from nothing. Numbers that overlap a term are left out.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

from spacy.language import Language

from ..output import atomic_write_text
from .formats import label_studio_config, write_doccano_jsonl, write_label_studio
from .silver import SilverStats, annotate_documents

__all__ = ["export_doccano", "export_label_studio", "export_preannotated", "EXPORT_FORMATS"]

EXPORT_FORMATS = ("doccano", "label-studio")


def export_preannotated(
    paths: str | os.PathLike | Sequence,
    out_path: str | os.PathLike,
    *,
    format: str = "doccano",
    nlp: Language | None = None,
    include_numbers: bool = True,
    labels: Sequence[str] | None = None,
    config_path: str | os.PathLike | None = None,
) -> SilverStats:
    """Annotate documents (one task per paragraph) and write them in ``format``.

    For Label Studio the suggestions are predictions, and ``config_path`` (if given)
    receives a matching labeling config (XML).
    """
    if format not in EXPORT_FORMATS:
        raise ValueError(f"export format must be one of {EXPORT_FORMATS}, got {format!r}")
    records = annotate_documents(paths, nlp=nlp, include_numbers=include_numbers, labels=labels)
    if format == "doccano":
        write_doccano_jsonl(records, out_path)
    else:
        write_label_studio(records, out_path, as_predictions=True)
    counts: dict[str, int] = {}
    for r in records:
        for _, _, lab in r.spans:
            counts[lab] = counts.get(lab, 0) + 1
    if config_path is not None:
        atomic_write_text(config_path, label_studio_config(counts or ["TERM"]))
    return SilverStats(Path(out_path), len({r.meta["doc"] for r in records}), len(records),
                       sum(counts.values()), dict(sorted(counts.items())))


def export_doccano(paths: str | os.PathLike | Sequence, out_path: str | os.PathLike, **kwargs) -> SilverStats:
    """:func:`export_preannotated` to doccano JSONL."""
    return export_preannotated(paths, out_path, format="doccano", **kwargs)


def export_label_studio(paths: str | os.PathLike | Sequence, out_path: str | os.PathLike, **kwargs) -> SilverStats:
    """:func:`export_preannotated` to a Label Studio JSON import file."""
    return export_preannotated(paths, out_path, format="label-studio", **kwargs)
