"""``analyze()``: read documents, run the pipeline once, derive every analysis from the same
Docs, collect tables and figures; ``AnalysisResult.save(folder)`` writes them all atomically.

Tables (see docs/results.md): documents, spans, terms, indicators, keywords, tfidf, topics,
topic_selection, topic_mix, trends, changes. Figures: a keyword bar chart and a word cloud per
document, topic-term bars, a section × topic heatmap and term-trend lines.
"""

from __future__ import annotations

import json
import os
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Sequence

from .figures import FigureSpec, draw, figure_files, file_key, keyword_specs, render, trend_specs, wordcloud_spec
from .io import Document, iter_paths, read
from .output import atomic_write_bytes, atomic_write_text, staged_directory

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = ["AnalysisResult", "Figures", "analyze", "documents_table", "spans_table"]

#: the order of the tables in the results folder and the report
TABLE_ORDER = ("documents", "spans", "terms", "indicators", "keywords", "tfidf", "topics", "topic_selection",
               "topic_mix", "trends", "changes")


class Figures(MutableMapping):
    """Named matplotlib figures of a run, each drawn from its :class:`~nlp.figures.FigureSpec`
    the first time it is asked for.

    :meth:`files` gives a figure's PNG and SVG bytes, rendered when first asked for. A figure that
    was drawn here (and perhaps changed) is saved as drawn; word clouds are saved as images.
    """

    def __init__(self) -> None:
        self._specs: dict[str, FigureSpec | None] = {}
        self._made: dict[str, Any] = {}
        self._files: dict[str, dict[str, bytes]] = {}

    def add(self, spec: FigureSpec, files: dict[str, bytes] | None = None) -> None:
        """Register a figure by its spec (and its files when they are already rendered)."""
        self._specs[spec.name] = spec
        self._made.pop(spec.name, None)
        self._files.pop(spec.name, None)
        if files:
            self._files[spec.name] = files

    def spec(self, name: str) -> FigureSpec | None:
        """The spec of a figure (None for a figure set directly)."""
        return self._specs[name]

    def files(self, name: str) -> dict[str, bytes]:
        """``{"png": bytes, "svg": bytes}`` of the figure."""
        spec = self._specs[name]
        if name in self._made and (spec is None or spec.plot != "wordcloud"):
            return figure_files(self._made[name])
        if name not in self._files:
            self._files[name] = render(spec)
        return self._files[name]

    def __getitem__(self, name: str) -> "Figure":
        if name not in self._made:
            self._made[name] = draw(self._specs[name])
        return self._made[name]

    def __setitem__(self, name: str, fig: "Figure") -> None:
        self._specs[name] = None
        self._made[name] = fig
        self._files.pop(name, None)

    def __delitem__(self, name: str) -> None:
        del self._specs[name]
        self._made.pop(name, None)
        self._files.pop(name, None)

    def __contains__(self, name: object) -> bool:  # without drawing the figure
        return name in self._specs

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._specs))

    def __len__(self) -> int:
        return len(self._specs)

    def __repr__(self) -> str:
        return f"Figures({list(self._specs)})"


@dataclass
class AnalysisResult:
    """Everything one analysis run produced: tables (DataFrames) and figures (matplotlib,
    drawn on first access, with their files: see :class:`Figures`)."""

    documents: list[Document]
    docs: list["Doc"]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    figures: Figures = field(default_factory=Figures)
    tokens: list = field(default_factory=list, repr=False)

    def save(self, folder: str | os.PathLike) -> Path:
        """Write every table as CSV and JSON, every figure as PNG and SVG, and
        ``report.html``; the folder is replaced whole or not at all."""
        folder = Path(folder)
        with staged_directory(folder) as stage:
            for name, table in self.tables.items():
                atomic_write_text(stage / f"{name}.csv", table.to_csv(index=False, lineterminator="\n"))
                records = "[]" if table.empty else table.to_json(orient="records", force_ascii=False, indent=1)
                atomic_write_text(stage / f"{name}.json", records + "\n")
            if self.figures:
                (stage / "figures").mkdir()
                pngs = {}
                for name in self.figures:
                    files = self.figures.files(name)
                    _write_files(stage / "figures", name, files)
                    pngs[name] = files["png"]
                self._write_report(stage / "report.html", pngs)
        return folder.resolve()

    def _write_report(self, path: Path, pngs: dict[str, bytes]) -> None:
        from .viz.report import ReportSection, write_html_report

        def pic(name: str):
            spec = self.figures.spec(name)
            return (spec.caption if spec is not None and spec.caption else name, pngs[name])

        t = self.tables
        sections = [ReportSection(heading="文档 Documents", tables=[("documents", t["documents"])])]
        names = list(t["documents"]["document"])
        for name in names:
            key = file_key(name, names)
            figs = [pic(f) for f in (f"keywords_{key}", f"wordcloud_{key}") if f in self.figures]
            kw = t.get("keywords")
            tables = []
            if kw is not None and not kw.empty:
                part = kw[(kw["document"] == name) & (kw["section"] == "")]
                wide = part.pivot(index="rank", columns="method", values="keyword").reset_index()
                tables.append((f"{name}：各方法前 {len(wide)} 个关键词", wide))
            sections.append(ReportSection(heading=f"关键词 Keywords · {name}", figures=figs, tables=tables))
        if "topics" in self.figures or "topic_mix" in self.figures:
            figs = [pic(f) for f in ("topics", "topic_mix") if f in self.figures]
            summary = t["topics"][t["topics"]["rank"] == 1][["method", "topic", "label", "coherence"]] if "topics" in t else None
            tables = [("主题 (NPMI 一致性)", summary)] if summary is not None else []
            if "topic_selection" in t:
                tables.append(("主题数选择", t["topic_selection"]))
            sections.append(ReportSection(heading="主题 Topics", figures=figs, tables=tables))
        if "trends" in self.figures or ("changes" in t and not t["changes"].empty):
            figs = [pic("trends")] if "trends" in self.figures else []
            tables = [("新出现与不再出现的术语", t["changes"][t["changes"]["kind"] == "term"])] if "changes" in t else []
            sections.append(ReportSection(heading="比较 Comparison", figures=figs, tables=tables))
        if "terms" in t and not t["terms"].empty:
            top = (t["terms"].groupby(["document", "canonical", "label"], sort=False).size().reset_index(name="count")
                   .sort_values(["document", "count", "canonical"], ascending=[True, False, True], kind="mergesort"))
            sections.append(ReportSection(heading="政策术语 Policy terms", tables=[("术语出现次数", top)]))
        if "indicators" in t and not t["indicators"].empty:
            sections.append(ReportSection(heading="指标 Indicators", tables=[("指标", t["indicators"])]))
        sections.append(ReportSection(heading="结果文件 Result files",
                                      text="\n".join(f"{n}.csv / {n}.json: {len(df)} rows" for n, df in t.items())))
        write_html_report(path, title="policy-nlp analysis", sections=sections)


def _write_files(folder: Path, name: str, files: dict[str, bytes]) -> None:
    """Write a figure's files (``name.png``, ``name.svg``) atomically."""
    for fmt, data in files.items():
        atomic_write_bytes(folder / f"{name}.{fmt}", data)


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
    import pandas as pd

    table = pd.DataFrame(rows)
    table["year"] = table["year"].astype("Int64")
    return table


def spans_table(documents: list[Document], docs: list[Doc]) -> pd.DataFrame:
    """Every span of every document (the ``tag`` command's records) with its document."""
    from .pipeline.spans import span_records

    rows = []
    for document, doc in zip(documents, docs):
        for record in span_records(doc):
            attrs = {k: v for k, v in record.items() if k not in ("group", "label", "start", "end", "text")}
            rows.append({"document": document.name, **{k: record[k] for k in ("group", "label", "start", "end", "text")}, "attributes": json.dumps(attrs, ensure_ascii=False, sort_keys=True)})
    import pandas as pd

    return pd.DataFrame(rows, columns=["document", "group", "label", "start", "end", "text", "attributes"])


def _unique_names(documents: Sequence[Document]) -> list[str]:
    """Document names, numbered where two documents share one."""
    names = [d.name for d in documents]
    out = []
    for i, name in enumerate(names):
        out.append(name if names.count(name) == 1 else f"{name} ({names[:i + 1].count(name)})")
    return out


def analyze(
    inputs: Iterable[str | os.PathLike | Document],
    *,
    nlp: "Language | None" = None,
    progress: bool = False,
    top: int = 20,
    section_top: int = 10,
    max_level: int = 2,
    keyword_methods: Sequence[str] | None = None,
    topic_method: str = "nmf",
    n_topics: int | None = None,
    k_range: tuple[int, int] = (4, 12),
    stopwords: Iterable[str] | None = None,
    figures: bool = True,
    random_state: int = 0,
) -> AnalysisResult:
    """Analyse documents (paths, folders or :class:`Document` objects).

    Every input is read first, so a bad file stops the run before any work is done. The
    pipeline runs once over all documents; keywords (``top`` per document, ``section_top`` per
    section down to heading level ``max_level``), TF-IDF, topics (``topic_method`` nmf or lda,
    ``n_topics`` or chosen by coherence within ``k_range``), the comparison and the term table
    all come from the same Docs. ``progress`` shows tqdm bars; ``figures=False`` skips figures
    and the report. Everything runs in this process.
    """
    from tqdm.auto import tqdm

    from .analysis.compare import changes_table, trends_table
    from .analysis.keywords import keywords_table
    from .analysis.tfidf import tfidf_words_table
    from .analysis.tokens import default_stopwords, doc_tokens, load_stopwords, section_words, words

    items = list(inputs)
    paths = [p for p in items if not isinstance(p, Document)]
    documents = [d for d in items if isinstance(d, Document)] + [read(p) for p in iter_paths(paths)]
    if not documents:
        raise ValueError("no documents to analyse")
    from .api import load, process

    nlp = nlp or load()
    docs = list(tqdm(process(nlp, documents), total=len(documents), desc="tagging", disable=not progress,
                     unit="doc"))
    names = _unique_names(documents)
    stops = default_stopwords() if stopwords is None else load_stopwords(stopwords)
    tokens = [doc_tokens(d, stopwords=stops) for d in docs]
    result = AnalysisResult(documents, docs, tokens=tokens)
    tables = result.tables
    doc_words = [words(t) for t in tokens]
    sections = [section_words(d, t, max_level) for d, t in zip(docs, tokens)]
    labels = [label for name, secs in zip(names, sections) for label in [(name, "")] + [(name, s) for s, _ in secs]]
    texts = [text for words_, secs in zip(doc_words, sections) for text in [words_] + [w for _, w in secs]]
    specs: list[FigureSpec] = []
    steps = ["tables", "keywords", "topics", "comparison", "tfidf"]
    bar = tqdm(total=len(steps), desc="analyses", disable=not progress, unit="step")
    tables.update(_document_tables(documents, docs, names, max_level))
    wordclouds = _wordcloud_specs(docs, tokens, names) if figures else []
    bar.update()
    kw = tables["keywords"] = keywords_table(docs, names, top=top, section_top=section_top,
                                             methods=keyword_methods, max_level=max_level, stopwords=stops,
                                             tokens=tokens)
    for name in names if figures else []:
        specs.extend(keyword_specs(kw, tables["terms"], name, names))
        specs.extend(s for s in wordclouds if s.name == f"wordcloud_{file_key(name, names)}")
    bar.update()
    topic_tables, topic_figures = _topics(_paragraphs(docs, tokens, max_level), labels, texts, topic_method, n_topics,
                                          k_range, random_state)
    tables.update(topic_tables)
    bar.update()
    doc_kw = kw[(kw["section"] == "") & (kw["method"] == "tfidf") & (kw["rank"] <= 10)]["keyword"]
    tables["trends"] = trends_table(docs, names, keywords=doc_kw, tokens=tokens)
    tables["changes"] = changes_table(tables["trends"])
    bar.update()
    tables["tfidf"] = tfidf_words_table(names, doc_words, sections, top=top, section_top=section_top)
    bar.update()
    bar.close()
    if figures:
        specs.extend(topic_figures)
        specs.extend(trend_specs(tables["trends"]))
    for spec in specs:
        result.figures.add(spec)
    result.tables = {k: tables[k] for k in TABLE_ORDER if k in tables}
    return result


def _document_tables(documents: list[Document], docs: list["Doc"], names: list[str],
                     max_level: int) -> dict[str, pd.DataFrame]:
    """The tables read straight off the Docs: documents, spans, terms and (when the pipeline
    links them) indicators."""
    from .analysis.tables import indicators_table, terms_table

    out = {"documents": documents_table(documents, docs).assign(document=names)}
    spans = spans_table(documents, docs)
    out["spans"] = spans.assign(document=spans["document"].map(dict(zip([d.name for d in documents], names))))
    out["terms"] = terms_table(docs, names, max_level=max_level)
    indicators = indicators_table(docs, names)
    if indicators is not None:
        out["indicators"] = indicators
    return out


def _wordcloud_specs(docs: list["Doc"], tokens: list, names: list[str]) -> list[FigureSpec]:
    """A word cloud per document: its top 100 TF-IDF keywords, policy terms emphasised."""
    from .analysis.keywords import extract_keywords
    from .analysis.tokens import TERMS_KEY

    specs = []
    for doc, toks, name in zip(docs, tokens, names):
        cloud = extract_keywords(doc, method="tfidf", top=100, tokens=toks)
        if not cloud.empty:
            terms = {t.text for t in toks if t.kind == "term"} if TERMS_KEY in doc.spans else set()
            specs.append(wordcloud_spec(name, names, dict(zip(cloud["keyword"], cloud["score"])), terms))
    return specs


def _topics(paragraphs: list[list[str]], labels: Sequence[tuple[str, str]], texts: Sequence[list[str]], method: str,
            n_topics: int | None, k_range: tuple[int, int], random_state: int) -> tuple[dict, list[FigureSpec]]:
    """Fit a topic model on the paragraphs: its tables (with the topic mix of every (document,
    section) label's text) and the specs of the topic figures; empty tables when it cannot fit."""
    import warnings

    import pandas as pd

    from .analysis.topics import MIX_COLUMNS, SELECTION_COLUMNS, TOPIC_COLUMNS, TopicModel, TopicModelError
    from .figures import topic_specs

    model = TopicModel(method=method, n_topics=n_topics, k_range=k_range, random_state=random_state)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", category=Warning)  # sklearn ConvergenceWarning on tiny inputs
            model.fit(paragraphs)
    except TopicModelError:
        return {"topics": pd.DataFrame(columns=TOPIC_COLUMNS), "topic_selection": pd.DataFrame(columns=SELECTION_COLUMNS),
                "topic_mix": pd.DataFrame(columns=MIX_COLUMNS)}, []
    tables = {"topics": model.topics_table(), "topic_selection": model.selection_table(),
              "topic_mix": model.mix_table(model.transform(list(texts)), labels)}
    return tables, topic_specs(tables["topics"], tables["topic_mix"])


def _paragraphs(docs: Sequence["Doc"], tokens, max_level: int) -> list[list[str]]:
    """Content tokens of every paragraph of every document (the topic model's texts)."""
    from .analysis.tokens import paragraph_units, words

    return [words(t, u.start, u.end) for d, t in zip(docs, tokens) for u in paragraph_units(d, max_level)]
