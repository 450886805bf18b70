"""Topic models on the seed's paragraphs: deterministic, coherence-selected, usable tables."""

from __future__ import annotations

import numpy as np
import pytest

from nlp.analysis.tokens import doc_tokens, paragraph_units, words
from nlp.analysis.topics import MIX_COLUMNS, TOPIC_COLUMNS, TopicModel, TopicModelError, npmi_coherence


@pytest.fixture(scope="module")
def paragraphs(seed_doc):
    toks = doc_tokens(seed_doc)
    return [words(toks, u.start, u.end) for u in paragraph_units(seed_doc)]


def test_nmf_is_deterministic(paragraphs):
    a = TopicModel(method="nmf", n_topics=6, random_state=0).fit(paragraphs)
    b = TopicModel(method="nmf", n_topics=6, random_state=0).fit(paragraphs)
    assert a.topics_table().equals(b.topics_table())
    assert np.array_equal(a.doc_topic_, b.doc_topic_)


def test_lda_is_deterministic(paragraphs):
    a = TopicModel(method="lda", n_topics=4, random_state=1, max_iter=10).fit(paragraphs)
    b = TopicModel(method="lda", n_topics=4, random_state=1, max_iter=10).fit(paragraphs)
    assert a.labels_ == b.labels_
    assert np.allclose(a.doc_topic_, b.doc_topic_)


def test_coherence_selects_k_within_range(paragraphs):
    model = TopicModel(method="nmf", k_range=(3, 6)).fit(paragraphs)
    assert 3 <= model.n_topics_ <= 6
    assert sorted(model.coherence_by_k_) == [3, 4, 5, 6]
    assert model.coherence_by_k_[model.n_topics_] == max(model.coherence_by_k_.values())
    assert len(model.coherence_) == model.n_topics_
    assert all(-1.0 <= c <= 1.0 for c in model.coherence_)
    sel = model.selection_table()
    assert sel["chosen"].sum() == 1


def test_topic_tables(paragraphs):
    model = TopicModel(n_topics=5, top_n=8).fit(paragraphs)
    topics = model.topics_table()
    assert list(topics.columns) == TOPIC_COLUMNS
    assert sorted(topics["topic"].unique()) == [1, 2, 3, 4, 5]
    assert (topics.groupby("topic")["rank"].max() == 8).all()
    assert all(len(label.split("·")) == 3 for label in model.labels_)
    mix = model.transform(paragraphs[:3])
    assert np.allclose(mix.sum(axis=1), 1.0)
    table = model.mix_table(mix, [("seed", f"p{i}") for i in range(3)])
    assert list(table.columns) == MIX_COLUMNS and len(table) == 15


def test_npmi_of_perfectly_cooccurring_and_disjoint_terms():
    binary = np.array([[1, 1, 0], [1, 1, 0], [0, 0, 1], [0, 0, 1]])
    both, apart = npmi_coherence([[0, 1], [0, 2]], binary)
    assert both == pytest.approx(1.0)
    assert apart == -1.0


def test_too_few_texts_is_a_clear_error():
    with pytest.raises(TopicModelError, match="at least 2"):
        TopicModel().fit([["五个中心", "集成电路"]])
    with pytest.raises(TopicModelError, match="method"):
        TopicModel(method="pca").fit([["a"], ["b"]])


def test_fitted_model_pickles_and_clones(paragraphs):
    import pickle

    from sklearn.base import clone

    model = TopicModel(n_topics=4).fit(paragraphs)
    assert model.topics_.equals(model.topics_table())
    again = pickle.loads(pickle.dumps(model))
    assert np.allclose(again.transform(paragraphs[:5]), model.transform(paragraphs[:5]))
    fresh = clone(model)
    assert fresh.get_params() == model.get_params() and not hasattr(fresh, "model_")
