"""``analyze()``: read documents, run the pipeline once, derive every analysis from the same
Docs, collect tables and figures; ``AnalysisResult.save(folder)`` writes them all atomically.

Tables (see docs/results.md): documents, spans, terms, indicators, keywords, tfidf, topics,
topic_selection, topic_mix, trends, changes. Figures: a keyword bar chart and a word cloud per
document, topic-term bars, a section × topic heatmap and term-trend lines.
"""

from __future__ import annotations

import json
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import MutableMapping
from typing import Any, Callable, Iterable, Iterator, Sequence

import pandas as pd
from spacy.language import Language
from spacy.tokens import Doc

from .io import Document, iter_paths, read
from .output import atomic_write_text, staged_directory

__all__ = ["AnalysisResult", "Figures", "analyze", "documents_table", "spans_table"]

#: the order of the tables in the results folder and the report
TABLE_ORDER = ("documents", "spans", "terms", "indicators", "keywords", "tfidf", "topics", "topic_selection",
               "topic_mix", "trends", "changes")
_MAX_HEATMAP_ROWS = 60
#: resolution of the saved PNG figures
FIGURE_DPI = 100


class Figures(MutableMapping):
    """Named matplotlib figures, each drawn from its recipe the first time it is asked for.

    ``analyze()`` registers recipes; ``AnalysisResult.save`` draws and writes them in worker
    processes, so a figure is only drawn in this process when code here asks for it.
    """

    def __init__(self) -> None:
        self._recipes: dict[str, Callable[[], Any]] = {}
        self._made: dict[str, Any] = {}

    def add(self, name: str, recipe: Callable[[], Any]) -> None:
        """Register a figure to be drawn by ``recipe()`` when first needed."""
        self._recipes[name] = recipe
        self._made.pop(name, None)

    def __getitem__(self, name: str) -> Any:
        if name not in self._made:
            if name not in self._recipes:
                raise KeyError(name)
            self._made[name] = self._recipes[name]()
        return self._made[name]

    def __setitem__(self, name: str, fig: Any) -> None:
        self._recipes[name] = lambda: fig
        self._made[name] = fig

    def __delitem__(self, name: str) -> None:
        del self._recipes[name]
        self._made.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._recipes))

    def __len__(self) -> int:
        return len(self._recipes)

    def __repr__(self) -> str:
        return f"Figures({list(self._recipes)})"


@dataclass
class AnalysisResult:
    """Everything one analysis run produced: tables (DataFrames) and figures (matplotlib,
    drawn on first access: see :class:`Figures`).

    ``images`` holds raster images (word clouds) that the report embeds directly;
    ``parallel`` lets :meth:`save` draw and write the figures in two forked processes.
    """

    documents: list[Document]
    docs: list[Doc]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    figures: MutableMapping = field(default_factory=Figures)
    images: dict = field(default_factory=dict)
    tokens: list = field(default_factory=list, repr=False)
    parallel: bool = True

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
                self._save_figures(stage / "figures")
                self._write_report(stage / "report.html", stage / "figures")
        return folder.resolve()

    def _save_figures(self, folder: Path) -> None:
        """PNG and SVG of every figure. With ``fork`` available two worker processes draw and
        write the charts (the costliest first); word-cloud images are written here."""
        charts = [n for n in self.figures if n not in self.images]
        for name in self.figures:
            if name in self.images:  # a raster image: PNG as is, SVG wrapping it
                _save_image(self.images[name], folder / name)
        if len(charts) > 1 and self.parallel and _can_fork():
            import multiprocessing

            global _SAVING
            charts.sort(key=lambda n: -_CHART_COST.get(n.split("_")[0], 1))  # stable: ties keep their order
            _SAVING = (self, folder)
            try:
                with multiprocessing.get_context("fork").Pool(2) as pool:
                    pool.map(_save_named, charts, chunksize=1)
            finally:
                _SAVING = None
        else:
            _save_charts([(n, self.figures[n]) for n in charts], folder)

    def _picture(self, name: str, figures_dir: Path):
        """The image the report shows for a figure: the raster image if any, else the saved PNG."""
        if name in self.images:
            return self.images[name]
        from PIL import Image

        png = figures_dir / f"{name}.png"
        if png.exists():
            with Image.open(png) as image:
                image.load()
                return image.copy()
        return self.figures[name]

    def _write_report(self, path: Path, figures_dir: Path) -> None:
        from .viz.report import ReportSection, write_html_report

        def pic(name: str, caption: str):
            return (caption, self._picture(name, figures_dir))

        t = self.tables
        sections = [ReportSection(heading="文档 Documents", tables=[("documents", t["documents"])])]
        names = list(t["documents"]["document"])
        for name in names:
            key = _file_key(name, names)
            figs = [pic(f, cap) for f, cap in ((f"keywords_{key}", f"{name}：关键词"), (f"wordcloud_{key}", f"{name}：词云"))
                    if f in self.figures]
            kw = t.get("keywords")
            tables = []
            if kw is not None and not kw.empty:
                part = kw[(kw["document"] == name) & (kw["section"] == "")]
                wide = part.pivot(index="rank", columns="method", values="keyword").reset_index()
                tables.append((f"{name}：各方法前 {len(wide)} 个关键词", wide))
            sections.append(ReportSection(heading=f"关键词 Keywords · {name}", figures=figs, tables=tables))
        if "topics" in self.figures or "topic_mix" in self.figures:
            figs = [pic(f, cap) for f, cap in (("topics", "主题词"), ("topic_mix", "章节 × 主题")) if f in self.figures]
            summary = t["topics"][t["topics"]["rank"] == 1][["method", "topic", "label", "coherence"]] if "topics" in t else None
            tables = [("主题 (NPMI 一致性)", summary)] if summary is not None else []
            if "topic_selection" in t:
                tables.append(("主题数选择", t["topic_selection"]))
            sections.append(ReportSection(heading="主题 Topics", figures=figs, tables=tables))
        if "trends" in self.figures or ("changes" in t and not t["changes"].empty):
            figs = [pic("trends", "术语趋势")] if "trends" in self.figures else []
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


def _can_fork() -> bool:
    """Whether work can be shared with a forked process (Linux, more than one CPU; fork is
    unsafe on macOS and missing on Windows)."""
    import sys

    return sys.platform.startswith("linux") and (os.cpu_count() or 1) > 1


class _Workers:
    """Run functions in a pool of two forked processes, or (``parallel=False`` or no fork)
    in this process when their result is asked for; either way results are the same."""

    def __init__(self, parallel: bool) -> None:
        self._pool = None
        if parallel and _can_fork():
            import multiprocessing

            self._pool = multiprocessing.get_context("fork").Pool(2)

    def submit(self, fn, *args):
        """Start ``fn(*args)``; returns an object whose ``get()`` gives the result (or raises)."""
        if self._pool is not None:
            return self._pool.apply_async(fn, args)
        return _Deferred(fn, args)

    def close(self) -> None:
        """Wait for the workers and stop them."""
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None

    def __enter__(self) -> "_Workers":
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.terminate() if exc[0] is not None else self._pool.close()
            self._pool.join()
            self._pool = None


class _Deferred:
    """A call made when its result is first asked for."""

    def __init__(self, fn, args) -> None:
        self._fn, self._args, self._done, self._value = fn, args, False, None

    def get(self):
        if not self._done:
            self._value, self._done = self._fn(*self._args), True
        return self._value


#: rough relative cost of drawing a chart, to start the costliest first
_CHART_COST = {"topics": 8, "topic": 3, "trends": 2, "keywords": 2}
_SAVING: tuple | None = None  # (result, folder) seen by forked save workers


def _save_named(name: str) -> None:
    """Draw and save one figure of the result being saved (runs in a forked worker)."""
    result, folder = _SAVING
    _save_charts([(name, result.figures[name])], folder)


def _save_charts(charts: Sequence[tuple[str, Any]], folder: Path) -> None:
    """save_figure (PNG and SVG) for every (name, figure), each laid out once."""
    from .viz.plots import save_figure

    for name, fig in charts:
        _fix_layout(fig)
        save_figure(fig, folder / name, dpi=FIGURE_DPI)


def _fix_layout(fig) -> None:
    """Run the figure's layout engine once and freeze the result, so that saving it as PNG and
    SVG does not lay it out again (constrained layout measures every label on each draw)."""
    engine = fig.get_layout_engine()
    if engine is not None:
        try:
            engine.execute(fig)
        except Exception:  # noqa: BLE001  (keep the engine; saving will lay out as usual)
            return
        fig.set_layout_engine("none")


def _save_image(image, path_without_suffix: Path) -> None:
    """Write a PIL image as ``.png`` and as an ``.svg`` that embeds the PNG (both deterministic)."""
    import base64
    import io

    from .output import atomic_write_bytes

    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    data = buffer.getvalue()
    atomic_write_bytes(path_without_suffix.with_suffix(".png"), data)
    w, h = image.size
    svg = (f'<?xml version="1.0" encoding="utf-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" '
           f'xmlns:xlink="http://www.w3.org/1999/xlink" width="{w}" height="{h}" viewBox="0 0 {w} {h}">\n'
           f'<image width="{w}" height="{h}" xlink:href="data:image/png;base64,{base64.b64encode(data).decode("ascii")}"/>\n'
           "</svg>\n")
    atomic_write_text(path_without_suffix.with_suffix(".svg"), svg)


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


def _file_key(name: str, names: Sequence[str]) -> str:
    """A file-name-safe key for a document name (its position added when two names collide)."""
    key = re.sub(r"[^\w\-]+", "_", name).strip("_") or "doc"
    keys = [re.sub(r"[^\w\-]+", "_", n).strip("_") or "doc" for n in names]
    if keys.count(key) > 1:
        key = f"{key}_{list(names).index(name) + 1}"
    return key


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
    nlp: Language | None = None,
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
    parallel: bool = True,
) -> AnalysisResult:
    """Analyse documents (paths, folders or :class:`Document` objects).

    Every input is read first, so a bad file stops the run before any work is done. The
    pipeline runs once over all documents; keywords (``top`` per document, ``section_top`` per
    section down to heading level ``max_level``), TF-IDF, topics (``topic_method`` nmf or lda,
    ``n_topics`` or chosen by coherence within ``k_range``), the comparison and the term table
    all come from the same Docs. ``progress`` shows tqdm bars; ``figures=False`` skips figures
    and the report; ``parallel=False`` keeps figure work in this process (else word clouds
    and figure files are shared with one forked process where the platform allows).
    """
    from tqdm.auto import tqdm

    from .analysis.compare import changes_table, trends_table
    from .analysis.keywords import keywords_table
    from .analysis.tables import indicators_table, terms_table
    from .analysis.tfidf import tfidf_table
    from .analysis.tokens import default_stopwords, doc_tokens, load_stopwords
    from .api import load, process

    items = list(inputs)
    paths = [p for p in items if not isinstance(p, Document)]
    documents = [d for d in items if isinstance(d, Document)] + [read(p) for p in iter_paths(paths)]
    if not documents:
        raise ValueError("no documents to analyse")
    nlp = nlp or load()
    docs = list(tqdm(process(nlp, documents), total=len(documents), desc="tagging", disable=not progress, unit="doc"))
    names = _unique_names(documents)
    stops = default_stopwords() if stopwords is None else load_stopwords(stopwords)
    tokens = [doc_tokens(d, stopwords=stops) for d in docs]
    result = AnalysisResult(documents, docs, tokens=tokens, parallel=parallel)
    tables = result.tables
    if parallel and _can_fork():
        _preload(figures)
    with _Workers(parallel) as workers:
        # the slow independent parts start first and run beside the tables below
        topic_job = workers.submit(_fit_topics, _paragraphs(docs, tokens, max_level), topic_method, n_topics, k_range,
                                   random_state)
        clouds = _start_wordclouds(workers, docs, tokens, names) if figures else {}
        steps = ["tables", "keywords", "tfidf", "topics", "comparison"]
        bar = tqdm(total=len(steps), desc="analyses", disable=not progress, unit="step")
        tables["documents"] = documents_table(documents, docs)
        tables["documents"]["document"] = names
        tables["spans"] = spans_table(documents, docs)
        tables["spans"]["document"] = tables["spans"]["document"].map(dict(zip([d.name for d in documents], names)))
        tables["terms"] = terms_table(docs, names, max_level=max_level)
        indicators = indicators_table(docs, names)
        if indicators is not None:
            tables["indicators"] = indicators
        bar.update()
        tables["keywords"] = keywords_table(docs, names, top=top, section_top=section_top, methods=keyword_methods,
                                            max_level=max_level, stopwords=stops, tokens=tokens)
        bar.update()
        tables["tfidf"] = tfidf_table(docs, names, top=top, section_top=section_top, max_level=max_level,
                                      tokens=tokens)
        bar.update()
        kw = tables["keywords"]
        doc_kw = kw[(kw["section"] == "") & (kw["method"] == "tfidf") & (kw["rank"] <= 10)]["keyword"]
        tables["trends"] = trends_table(docs, names, keywords=doc_kw, tokens=tokens)
        tables["changes"] = changes_table(tables["trends"])
        bar.update()
        model = _topic_tables(result, names, tokens, topic_job.get(), max_level)
        bar.update()
        bar.close()
        if figures:
            _figures(result, names, model, clouds)
        workers.close()
    result.tables = {k: tables[k] for k in TABLE_ORDER if k in tables}
    return result


def _preload(figures: bool) -> None:
    """Import what the worker processes need (scikit-learn, the plotting modules) and read the
    font's character map once, before forking, so that no worker repeats it."""
    import sklearn.decomposition  # noqa: F401

    from .analysis import tfidf, topics  # noqa: F401

    if figures:
        import matplotlib.backends.backend_agg  # noqa: F401
        import matplotlib.backends.backend_svg  # noqa: F401
        import wordcloud  # noqa: F401

        from .viz import fonts, plots, report  # noqa: F401
        from .viz.wordcloud import wordcloud_font

        try:
            fonts.font_codepoints(fonts.resolve_font())
            fonts.font_codepoints(wordcloud_font())
        except fonts.FontError:
            pass  # reported where the figures are made


def _paragraphs(docs: Sequence[Doc], tokens, max_level: int) -> list[list[str]]:
    """Content tokens of every paragraph of every document (the topic model's texts)."""
    from .analysis.tokens import paragraph_units, words

    return [words(t, u.start, u.end) for d, t in zip(docs, tokens) for u in paragraph_units(d, max_level)]


def _fit_topics(paragraphs: list[list[str]], method: str, n_topics: int | None, k_range: tuple[int, int],
                random_state: int):
    """A fitted TopicModel, or None when the texts cannot support one."""
    from .analysis.topics import TopicModel, TopicModelError

    model = TopicModel(method=method, n_topics=n_topics, k_range=k_range, random_state=random_state)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", category=Warning)  # sklearn ConvergenceWarning on tiny inputs
            return model.fit(paragraphs)
    except TopicModelError:
        return None


def _topic_tables(result: AnalysisResult, names: Sequence[str], tokens, model, max_level: int):
    """Fill topics, topic_selection and topic_mix (with their columns but no rows without a model)."""
    from .analysis.tokens import section_units, words
    from .analysis.topics import MIX_COLUMNS, SELECTION_COLUMNS, TOPIC_COLUMNS

    if model is None:
        result.tables["topics"] = pd.DataFrame(columns=TOPIC_COLUMNS)
        result.tables["topic_selection"] = pd.DataFrame(columns=SELECTION_COLUMNS)
        result.tables["topic_mix"] = pd.DataFrame(columns=MIX_COLUMNS)
        return None
    labels, texts = [], []
    for doc, name, t in zip(result.docs, names, tokens):
        labels.append((name, ""))
        texts.append(words(t))
        seen: dict[str, int] = {}
        for u in section_units(doc, max_level):
            if u.title:
                seen[u.title] = seen.get(u.title, 0) + 1
                labels.append((name, u.title if seen[u.title] == 1 else f"{u.title} ({seen[u.title]})"))
                texts.append(words(t, u.start, u.end))
    result.tables["topics"] = model.topics_table()
    result.tables["topic_selection"] = model.selection_table()
    result.tables["topic_mix"] = model.mix_table(model.transform(texts), labels)
    return model


def _figures(result: AnalysisResult, names: Sequence[str], model: Any, clouds: dict) -> None:
    """Register every figure's recipe (drawn when saved or first asked for) and collect the
    word-cloud images."""
    from .viz.plots import keyword_bar_chart, section_topic_heatmap, term_trend_lines, topic_term_bars

    t = result.tables
    kw, terms = t["keywords"], t["terms"]
    figures = result.figures
    result.images.update({key: job.get() for key, job in clouds.items()})
    for name in names:
        key = _file_key(name, names)
        part = kw[(kw["document"] == name) & (kw["section"] == "") & (kw["method"] == "tfidf")]
        if not part.empty:
            chart = part.assign(is_term=part["keyword"].isin(set(terms.loc[terms["document"] == name, "canonical"])))
            figures.add(f"keywords_{key}", lambda c=chart, n=name: keyword_bar_chart(c, top=20, title=f"{n}：关键词 (TF-IDF)"))
        if f"wordcloud_{key}" in result.images:
            figures.add(f"wordcloud_{key}", lambda k=f"wordcloud_{key}": _image_figure(result.images[k]))
    if model is not None and not t["topics"].empty:
        topics = t["topics"]
        figures.add("topics", lambda: topic_term_bars(topics, top=8))
        mix = t["topic_mix"]
        sections = mix[mix["section"] != ""]
        if sections[["document", "section"]].drop_duplicates().shape[0] > _MAX_HEATMAP_ROWS:
            sections = mix[mix["section"] == ""].assign(section=lambda d: d["document"], document="")
        if not sections.empty:
            labels = dict(zip(topics["topic"], topics["label"]))
            figures.add("topic_mix", lambda s=sections: section_topic_heatmap(s, topic_labels=labels))
    trend = _trend_data(t["trends"])
    if trend is not None:
        figures.add("trends", lambda: term_trend_lines(trend, top=8, title="政策术语趋势（每万字）"))


WORDCLOUD_SIZE = (800, 450)


def _cloud_image(freqs: dict, terms: set):
    """One word-cloud image (a module-level function so that a process pool can run it)."""
    from .viz.wordcloud import wordcloud_image

    width, height = WORDCLOUD_SIZE
    return wordcloud_image(freqs, terms=terms, width=width, height=height, random_state=0, max_words=100)


def _start_wordclouds(workers: _Workers, docs: Sequence[Doc], tokens, names: Sequence[str]) -> dict:
    """Start a word cloud per document (its TF-IDF keyword scores, top 100, policy terms
    emphasised): {figure name: job}."""
    from .analysis.keywords import extract_keywords
    from .analysis.tokens import TERMS_KEY

    jobs = {}
    for doc, toks, name in zip(docs, tokens, names):
        kw = extract_keywords(doc, method="tfidf", top=100, tokens=toks)
        if kw.empty:
            continue
        terms = {t.text for t in toks if t.kind == "term"} if TERMS_KEY in doc.spans else set()
        jobs[f"wordcloud_{_file_key(name, names)}"] = workers.submit(_cloud_image, dict(zip(kw["keyword"], kw["score"])),
                                                                      terms)
    return jobs


def _image_figure(image):
    """A matplotlib Figure showing a raster image at its own size."""
    import numpy as np
    from matplotlib.figure import Figure

    width, height = image.size
    fig = Figure(figsize=(width / 100, height / 100), dpi=100)
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.imshow(np.asarray(image), interpolation="nearest")
    ax.set_axis_off()
    return fig


def _trend_data(trends: pd.DataFrame) -> pd.DataFrame | None:
    """Term rows of the largest series with two or more documents, by year when years are distinct."""
    if trends.empty:
        return None
    sizes = trends.groupby("series", sort=True)["document"].nunique()
    sizes = sizes[sizes >= 2]
    if sizes.empty:
        return None
    series = sizes.sort_values(ascending=False, kind="mergesort").index[0]
    data = trends[(trends["series"] == series) & (trends["kind"] == "term")]
    years = data.drop_duplicates("document")["year"]
    if years.isna().any() or years.duplicated().any():
        return data[["term", "document", "per_10k"]]
    return data[["term", "year", "per_10k"]].assign(year=data["year"].astype(int))
