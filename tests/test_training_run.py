"""A small training run: train, save, reload in a fresh process, plug in, evaluate."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest
import spacy

from nlp.training.evaluate import evaluate_tagger, format_scores, score_spans
from nlp.training.formats import AnnotationError, read_spacy_jsonl
from nlp.pipeline.plug import TermModelError, add_term_model
from nlp.training.train import TrainingError, train_tagger

SAMPLES = Path(__file__).resolve().parent / "data" / "annotations"
TRAIN = SAMPLES / "sample_spacy.jsonl"
DEV = SAMPLES / "sample_doccano.jsonl"
LABELS = ["PLATFORM", "POLICY", "PROGRAM", "STRATEGY"]


def _texts(seed_text: str) -> list[str]:
    texts = [r.text for r in read_spacy_jsonl(TRAIN)]
    start = seed_text.index("“两张网”建设有力推进")
    return texts + [seed_text[start : start + 300]]


def _train(out: Path, **kwargs):
    return train_tagger(TRAIN, dev=DEV, output=out, max_steps=30, eval_frequency=15, progress=False,
                        use_shipped_lexicon=False, **kwargs)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    return _train(tmp_path_factory.mktemp("tagger") / "tagger")


@pytest.fixture(scope="module")
def tagger(trained):
    return spacy.load(trained.output)


def _predict(nlp, texts):
    docs = [nlp(t) for t in texts]
    return [[[s.start_char, s.end_char, s.label_] for s in doc.spans["policy_terms_model"]] for doc in docs]


def test_training_saves_a_pipeline_with_its_report(trained):
    out = trained.output
    assert (out / "config.cfg").is_file() and (out / "policy_terms_ner").is_dir()
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    assert meta["policy_nlp"]["labels"] == LABELS == trained.labels
    assert meta["policy_nlp"]["seed"] == 0 and meta["policy_nlp"]["n_train_examples"] == 4
    assert (out / "validation.txt").read_text(encoding="utf-8").startswith("8 texts, 20 spans")
    assert 0.0 <= trained.scores["f"] <= 1.0 and "saved ner tagger" in trained.summary()


def test_reloads_in_a_fresh_process_with_the_same_spans(trained, tagger, seed_text):
    texts = _texts(seed_text)
    here = _predict(tagger, texts)
    assert any(here), "the tiny model should predict something on its training texts"
    code = (
        "import json, sys, spacy\n"
        "nlp = spacy.load(sys.argv[1])\n"
        "texts = json.loads(sys.stdin.read())\n"
        "docs = [nlp(t) for t in texts]\n"
        "print(json.dumps([[[s.start_char, s.end_char, s.label_] for s in d.spans['policy_terms_model']] for d in docs]))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(trained.output)], input=json.dumps(texts),
                          capture_output=True, text=True, timeout=120, check=True)
    assert json.loads(proc.stdout) == here


def test_same_seed_same_model(trained, tmp_path):
    again = _train(tmp_path / "again")
    name = "policy_terms_ner/model"
    assert (again.output / name).read_bytes() == (trained.output / name).read_bytes()


def test_previous_entities_survive_the_tagger(tagger):
    nlp = tagger
    doc = nlp.make_doc("政务服务“一网通办”累计推出41个“一件事”")
    doc.ents = [doc.char_span(0, 4, label="OTHER", alignment_mode="expand")]
    before = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    assert [(e.start_char, e.end_char, e.label_) for e in doc.ents] == before
    assert "policy_terms_model" in doc.spans


def test_plugs_into_the_pipeline_as_model_source(trained, seed_text):
    import nlp as policy_nlp

    pipe = policy_nlp.load(components=["policy_terms"], model=trained.output,
                           config={"policy_terms": {"priority": ["model", "lexicon", "rule"]}})
    assert pipe.pipe_names.index("policy_terms_ner") < pipe.pipe_names.index("policy_terms")
    sources = set()
    n_model = 0
    generic = pipe.get_pipe("policy_terms").generic_words
    for doc in pipe.pipe(_texts(seed_text)):
        spans = sorted((s.start_char, s.end_char) for s in doc.spans["policy_terms"])
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:])), "merged spans must not overlap"
        merged = {(s.start_char, s.end_char, s.label_): s._.source for s in doc.spans["policy_terms"]}
        sources.update(merged.values())
        for s in doc.spans["policy_terms_model"]:  # the model has priority: its spans are kept
            if s.text.strip("“”") not in generic:
                assert merged.get((s.start_char, s.end_char, s.label_)) == "model"
                n_model += 1
    assert n_model > 0
    assert "model" in sources and "lexicon" in sources
    with pytest.raises(TermModelError, match="already has component"):
        add_term_model(pipe, trained.output)
    with pytest.raises(TermModelError, match="not a trained term tagger"):
        add_term_model(pipe, SAMPLES)


def test_evaluate_reports_labels_and_out_of_lexicon_recall(trained, tmp_path):
    table = evaluate_tagger(trained.output, SAMPLES / "sample_label_studio.json", output=tmp_path / "scores.csv")
    assert list(table["label"]) == LABELS + ["ALL", "OUT_OF_LEXICON"]
    all_row = table.set_index("label").loc["ALL"]
    assert all_row["support"] == 10 and all_row["tp"] + all_row["fn"] == 10
    ool = table.set_index("label").loc["OUT_OF_LEXICON"]
    assert 0 < ool["support"] < 10  # some sample terms are in the shipped lexicon, some are not
    assert (tmp_path / "scores.csv").read_text(encoding="utf-8").startswith("label,tp,fp,fn")
    assert "OUT_OF_LEXICON" in format_scores(table)


def test_score_spans_counts_exact_matches_only():
    text = "建成乡村振兴示范村24个、“美丽庭院”10.1万户"
    gold = [(2, 9, "PLATFORM"), (13, 19, "PROGRAM")]
    pred = [(2, 9, "PLATFORM"), (13, 19, "POLICY"), (2, 6, "STRATEGY")]
    table = score_spans([(text, gold, pred)], forms={"乡村振兴"}).set_index("label")
    assert table.loc["ALL", "tp"] == 1 and table.loc["ALL", "fp"] == 2 and table.loc["ALL", "fn"] == 1
    assert table.loc["PLATFORM", "f1"] == 1.0 and math.isnan(table.loc["STRATEGY", "recall"])
    # 乡村振兴 (2:6) is a lexicon form: only the two other texts count as out of lexicon
    assert table.loc["OUT_OF_LEXICON", "support"] == 2 and table.loc["OUT_OF_LEXICON", "predicted"] == 2


def test_training_refuses_broken_or_unsplittable_data(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "五个新城", "spans": [{"start": 0, "end": 9, "label": "STRATEGY"}]}\n', encoding="utf-8")
    with pytest.raises(AnnotationError, match=rf"^{bad}:1: span 1 0:9 is out of range"):
        train_tagger(bad, output=tmp_path / "never", progress=False, use_shipped_lexicon=False)
    with pytest.raises(ValueError, match="give a dev file"):
        train_tagger(TRAIN, output=tmp_path / "never", progress=False, use_shipped_lexicon=False)
    with pytest.raises(TrainingError, match="no training spans with label"):
        train_tagger(TRAIN, dev=DEV, labels=["NOPE"], output=tmp_path / "never", progress=False, use_shipped_lexicon=False)
    assert not (tmp_path / "never").exists()
