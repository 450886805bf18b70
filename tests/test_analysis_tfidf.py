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


def test_vectorizer_parameters_follow_scikit_learns_contract(seed_sections):
    vec = PolicyTfidfVectorizer(min_df=2)
    assert vec.get_params()["ngram_range"] == (1, 1) and vec.get_params()["min_df"] == 2
    vec.set_params(ngram_range=(1, 2), sublinear_tf=True)
    assert vec.ngram_range == (1, 2) and vec.get_params()["sublinear_tf"] is True
    twin = clone(vec)
    assert twin.get_params() == vec.get_params()
    names = set(vec.fit(seed_sections).get_feature_names_out())
    assert "五个中心" in names and any(" " in n for n in names)  # bigrams of our tokens
    assert not any(" " in n for n in clone(vec).set_params(ngram_range=(1, 1)).fit(seed_sections).get_feature_names_out())


def test_build_analyzer_gives_the_tokens(pipeline):
    analyze = PolicyTfidfVectorizer(pipeline=pipeline).build_analyzer()
    tokens = analyze("上海加快建设“五个中心”，发展集成电路产业。")
    assert "五个中心" in tokens and "集成电路" in tokens and "，" not in tokens
    assert analyze(["已", "分词"]) == ["已", "分词"]


def test_pickling_round_trips_or_raises(pipeline, seed_sections, tmp_path):
    held = PolicyTfidfVectorizer(pipeline=pipeline).fit(seed_sections)
    with pytest.raises(TypeError, match="cannot be pickled"):
        pickle.dumps(held)
    vec = PolicyTfidfVectorizer().fit(seed_sections)
    text = ["上海加快建设“五个中心”，发展集成电路产业。"]
    again = pickle.loads(pickle.dumps(vec))
    assert list(again.get_feature_names_out()) == list(vec.get_feature_names_out())
    assert np.allclose(again.transform(text).toarray(), vec.transform(text).toarray())


def test_a_grid_search_tags_each_text_once(pipeline, seed_text):
    from sklearn.model_selection import GridSearchCV
    from sklearn.svm import LinearSVC

    class Counting:  # a pipeline that counts the texts it tags
        def __init__(self):
            self.seen = []

        def __call__(self, text):
            self.seen.append(text)
            return pipeline(text)

        def pipe(self, texts):
            for text in texts:
                yield self(text)

    paragraphs = [p for p in seed_text.splitlines() if len(p) > 80][:12]
    y = [i % 2 for i in range(len(paragraphs))]
    counting = Counting()
    search = GridSearchCV(Pipeline([("tfidf", PolicyTfidfVectorizer(pipeline=counting)), ("svm", LinearSVC())]),
                          {"tfidf__ngram_range": [(1, 1), (1, 2)], "tfidf__min_df": [1, 2]}, cv=3)
    search.fit(paragraphs, y)
    assert sorted(counting.seen) == sorted(set(paragraphs))


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
