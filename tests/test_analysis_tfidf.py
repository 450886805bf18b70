"""PolicyTfidfVectorizer in scikit-learn pipelines, and TF-IDF tables on the seed."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.decomposition import NMF
from sklearn.pipeline import Pipeline

from nlp.analysis.tfidf import TFIDF_COLUMNS, PolicyTfidfVectorizer, tfidf_table
from nlp.analysis.tokens import doc_tokens, section_units, words


@pytest.fixture(scope="module")
def seed_sections(seed_doc):
    toks = doc_tokens(seed_doc)
    return [words(toks, u.start, u.end) for u in section_units(seed_doc)]


def test_pipeline_with_nmf_fits_and_clones(seed_sections):
    pipe = Pipeline([("tfidf", PolicyTfidfVectorizer(min_df=2)), ("nmf", NMF(n_components=4, init="nndsvd", random_state=0))])
    mix = pipe.fit_transform(seed_sections)
    assert mix.shape == (len(seed_sections), 4)
    vocab = pipe.named_steps["tfidf"].get_feature_names_out()
    assert "五个中心" in vocab and "推进" not in vocab
    twin = clone(pipe)
    assert twin.get_params()["tfidf__min_df"] == 2
    assert not hasattr(twin.named_steps["tfidf"], "vocabulary_")
    assert np.allclose(twin.fit_transform(seed_sections), mix)


def test_vectorizer_pickles_without_the_pipeline(pipeline, seed_sections):
    vec = PolicyTfidfVectorizer(pipeline=pipeline)
    vec.fit(seed_sections)
    vec.transform(["上海加快建设“五个中心”，发展集成电路产业。"])  # strings: segmented by the pipeline
    assert getattr(vec, "_nlp", None) is pipeline
    again = pickle.loads(pickle.dumps(vec))
    assert again.pipeline is None and again.transform([["五个中心"]]).nnz == 1
    twin = clone(vec)
    assert twin.pipeline is pipeline and not hasattr(twin, "vocabulary_")
    assert vec.pipeline is pipeline and vec._nlp is pipeline  # pickling left the original alone


def test_raw_strings_and_docs_are_tokenized(pipeline, seed_doc):
    vec = PolicyTfidfVectorizer(pipeline=pipeline)
    matrix = vec.fit_transform(["上海加快建设“五个中心”，发展集成电路产业。", seed_doc])
    names = set(vec.get_feature_names_out())
    assert {"五个中心", "集成电路"} <= names
    assert not {"加快", "，", "“"} & names
    assert matrix.shape[0] == 2
    with pytest.raises(ValueError, match="document 0"):
        vec.fit([42])
    with pytest.raises(ValueError, match="single document"):
        vec.fit("一段文字")


def test_tfidf_table_layout(seed_doc):
    table = tfidf_table([seed_doc], ["seed"], top=15, section_top=5)
    assert list(table.columns) == TFIDF_COLUMNS
    whole = table[table["section"] == ""]
    assert list(whole["rank"]) == list(range(1, 16))
    assert whole["tfidf"].is_monotonic_decreasing
    assert table[table["section"] != ""]["section"].nunique() >= 10
    assert table.equals(tfidf_table([seed_doc], ["seed"], top=15, section_top=5))
