"""The work :func:`nlp.analyze` hands to its helper processes.

Every job takes and returns plain data (lists, dicts, DataFrames, bytes), so a helper never
needs spaCy or the Docs. Importing this module loads scikit-learn, matplotlib and the word-cloud
code and reads the font's character map: the fork server of :mod:`nlp.helpers` does that once,
while the caller is still reading and tagging, and every helper it forks starts with it done.
"""

from __future__ import annotations

import os
import warnings
from typing import Any, Sequence

import matplotlib.backends.backend_agg  # noqa: F401  (loaded here so that helpers start with it)
import matplotlib.backends.backend_svg  # noqa: F401
import pandas as pd
import wordcloud  # noqa: F401

from . import figures
from .analysis.tfidf import tfidf_words_table
from .analysis.topics import MIX_COLUMNS, SELECTION_COLUMNS, TOPIC_COLUMNS, TopicModel, TopicModelError
from .viz import fonts

__all__ = ["JOBS", "call", "render", "tfidf", "topics"]


def call(job: str, args: tuple, env: dict[str, str | None]) -> tuple[Any, list[tuple[str, str, str]]]:
    """Run ``job(*args)`` with the caller's ``env``; return its value and the warnings it gave
    as (category module, category name, message), for the caller to raise again."""
    for key, value in env.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        value = JOBS[job](*args)
    return value, [(w.category.__module__, w.category.__qualname__, str(w.message)) for w in caught]


def topics(paragraphs: list[list[str]], labels: Sequence[tuple[str, str]], texts: Sequence[list[str]], method: str,
           n_topics: int | None, k_range: tuple[int, int], random_state: int) -> dict:
    """Fit a topic model on ``paragraphs``: its tables (with the topic mix of every (document,
    section) label's text) and the specs of the topic figures."""
    model = TopicModel(method=method, n_topics=n_topics, k_range=k_range, random_state=random_state)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", category=Warning)  # sklearn ConvergenceWarning on tiny inputs
            model.fit(paragraphs)
    except TopicModelError:
        return {"tables": {"topics": pd.DataFrame(columns=TOPIC_COLUMNS),
                           "topic_selection": pd.DataFrame(columns=SELECTION_COLUMNS),
                           "topic_mix": pd.DataFrame(columns=MIX_COLUMNS)}, "specs": []}
    tables = {"topics": model.topics_table(), "topic_selection": model.selection_table(),
              "topic_mix": model.mix_table(model.transform(list(texts)), labels)}
    return {"tables": tables, "specs": figures.topic_specs(tables["topics"], tables["topic_mix"])}


def tfidf(names: Sequence[str], doc_words: Sequence[list[str]], sections: Sequence[Sequence[tuple[str, list[str]]]],
          top: int, section_top: int) -> pd.DataFrame:
    """The TF-IDF table (see :func:`nlp.analysis.tfidf.tfidf_words_table`)."""
    return tfidf_words_table(names, doc_words, sections, top=top, section_top=section_top)


def render(spec: figures.FigureSpec) -> dict[str, bytes]:
    """PNG and SVG bytes of one figure."""
    return figures.render(spec)


#: the jobs by name
JOBS = {"topics": topics, "tfidf": tfidf, "render": render}


def _read_font_tables() -> None:
    """Read the chosen fonts' character maps now, so that forked helpers inherit them."""
    from .viz.wordcloud import wordcloud_font

    try:
        fonts.font_codepoints(fonts.resolve_font())
        fonts.font_codepoints(wordcloud_font())
    except fonts.FontError:
        pass  # reported where a figure is drawn


_read_font_tables()
