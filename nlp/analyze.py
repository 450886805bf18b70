"""``analyze()``: read documents, run the pipeline, run the analyses, collect tables and
figures; ``AnalysisResult.save(folder)`` writes them all atomically."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import pandas as pd
from spacy.language import Language
from spacy.tokens import Doc

from .io import Document, iter_paths, read
from .output import atomic_write_text, staged_directory

__all__ = ["AnalysisResult", "analyze", "documents_table", "spans_table"]


@dataclass
class AnalysisResult:
    """Everything one analysis run produced: tables (DataFrames) and figures (matplotlib)."""

    documents: list[Document]
    docs: list[Doc]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    figures: dict = field(default_factory=dict)

    def save(self, folder: str | os.PathLike) -> Path:
        """Write every table as CSV and JSON, every figure as PNG and SVG, and
        ``report.html``; the folder is replaced whole or not at all."""
        folder = Path(folder)
        with staged_directory(folder) as stage:
            for name, table in self.tables.items():
                atomic_write_text(stage / f"{name}.csv", table.to_csv(index=False, lineterminator="\n"))
                records = json.loads(table.to_json(orient="records", force_ascii=False))
                atomic_write_text(stage / f"{name}.json", json.dumps(records, ensure_ascii=False, indent=1) + "\n")
            if self.figures:
                from .viz.plots import save_figure

                for name, fig in self.figures.items():
                    save_figure(fig, stage / "figures" / name)
                self._write_report(stage / "report.html")
        return folder.resolve()

    def _write_report(self, path: Path) -> None:
        from .viz.report import ReportSection, write_html_report

        sections = [ReportSection(heading=name, figures=[fig]) for name, fig in self.figures.items()]
        sections.append(ReportSection(heading="documents", tables=[("documents", self.tables["documents"])]))
        write_html_report(path, title="policy-nlp analysis", sections=sections)


def documents_table(documents: list[Document], docs: list[Doc]) -> pd.DataFrame:
    """One row per document: name, path, title, year, region, characters, sentences, sections."""
    rows = []
    for document, doc in zip(documents, docs):
        meta = doc._.meta or {}
        rows.append(
            {
                "document": document.name,
                "path": document.path,
                "title": meta.get("title"),
                "year": meta.get("year"),
                "region": meta.get("region"),
                "characters": len(document.text),
                "sentences": sum(1 for _ in doc.sents),
                "sections": len(doc._.sections or []),
            }
        )
    table = pd.DataFrame(rows)
    table["year"] = table["year"].astype("Int64")
    return table


def spans_table(documents: list[Document], docs: list[Doc]) -> pd.DataFrame:
    """Every span of every document (the ``tag`` command's records) with its document."""
    from .cli import span_records

    rows = []
    for document, doc in zip(documents, docs):
        for record in span_records(doc):
            attrs = {k: v for k, v in record.items() if k not in ("group", "label", "start", "end", "text")}
            rows.append({"document": document.name, **{k: record[k] for k in ("group", "label", "start", "end", "text")}, "attributes": json.dumps(attrs, ensure_ascii=False, sort_keys=True)})
    return pd.DataFrame(rows, columns=["document", "group", "label", "start", "end", "text", "attributes"])


def analyze(
    inputs: Iterable[str | os.PathLike | Document],
    *,
    nlp: Language | None = None,
    progress: bool = False,
) -> AnalysisResult:
    """Analyse documents (paths, folders or :class:`Document` objects).

    Every input is read first, so a bad file stops the run before any work is done.
    """
    from tqdm.auto import tqdm

    from .api import load, process

    items = list(inputs)
    paths = [p for p in items if not isinstance(p, Document)]
    documents = [d for d in items if isinstance(d, Document)] + [read(p) for p in iter_paths(paths)]
    if not documents:
        raise ValueError("no documents to analyse")
    nlp = nlp or load()
    docs = list(tqdm(process(nlp, documents), total=len(documents), desc="tagging", disable=not progress, unit="doc"))
    result = AnalysisResult(documents, docs)
    result.tables["documents"] = documents_table(documents, docs)
    result.tables["spans"] = spans_table(documents, docs)
    return result
