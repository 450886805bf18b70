"""The work :func:`nlp.analyze` hands to its helper processes.

Every job takes and returns plain data (lists, dicts, DataFrames, bytes), so a helper never
needs spaCy or the Docs. A job imports what it needs when it runs (scikit-learn for topics and
TF-IDF, matplotlib for figures); the fork server of :mod:`nlp.helpers` imports all of it ahead
of time, while the caller is still reading and tagging.
"""

from __future__ import annotations

import os
import warnings
from typing import TYPE_CHECKING, Any, Sequence

from . import figures

if TYPE_CHECKING:
    import pandas as pd

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
    import pandas as pd

    from .analysis.topics import MIX_COLUMNS, SELECTION_COLUMNS, TOPIC_COLUMNS, TopicModel, TopicModelError

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
    from .analysis.tfidf import tfidf_words_table

    return tfidf_words_table(names, doc_words, sections, top=top, section_top=section_top)


def render(spec: figures.FigureSpec) -> dict[str, bytes]:
    """PNG and SVG bytes of one figure."""
    return figures.render(spec)


#: the jobs by name
JOBS = {"topics": topics, "tfidf": tfidf, "render": render}
