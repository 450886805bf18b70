"""Keywords on the real reports: substantive terms rank, generic words do not."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp.analysis.keywords import BackgroundIDF, IDFError, extract_keywords, jieba_idf_path, keywords_table
from nlp.analysis.tokens import doc_tokens

ROOT = Path(__file__).resolve().parent.parent
REPORTS = sorted((ROOT / "seeds").glob("*.txt"))


def _word_list(path: Path) -> set[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return {w.strip() for w in lines if w.strip() and not w.startswith("#")}


GENERIC = _word_list(ROOT / "nlp" / "data" / "lexicon" / "generic_words.txt") | _word_list(
    ROOT / "nlp" / "data" / "stopwords" / "policy_boilerplate.txt"
)


@pytest.fixture(scope="module")
def report_docs(pipeline):
    import nlp

    documents = [nlp.read(p) for p in REPORTS]
    return {d.name: doc for d, doc in zip(documents, nlp.process(pipeline, documents))}


def test_all_eight_reports_are_tested(report_docs):
    assert len(report_docs) == 8


@pytest.mark.parametrize("method", ["tfidf", "textrank"])
@pytest.mark.parametrize("name", [p.stem for p in REPORTS])
def test_top20_has_at_most_three_generic_words(report_docs, name, method):
    top = extract_keywords(report_docs[name], method=method, top=20)
    assert len(top) == 20
    generic = [w for w in top["keyword"] if w in GENERIC]
    assert len(generic) <= 3, f"{name} {method}: generic words in the top 20: {generic}"


@pytest.mark.parametrize("method", ["tfidf", "textrank"])
def test_seed_top_keywords_are_substantive(report_docs, method):
    top = list(extract_keywords(report_docs["shanghai_2024_government_work_report"], method=method, top=20)["keyword"])
    assert "五个中心" in top
    assert not {"建设", "推进", "加快", "发展", "深化", "推动"} & set(top)


def test_no_single_characters_numbers_or_stopwords(report_docs):
    from nlp.analysis.tokens import default_stopwords

    stops = default_stopwords()
    for doc in report_docs.values():
        for method in ("tfidf", "textrank"):
            top = extract_keywords(doc, method=method, top=50)
            for word in top["keyword"]:
                assert len(word) >= 2, word
                assert not word.replace(".", "").replace("%", "").isdigit(), word
                assert word not in stops or word in set(top[top["is_term"]]["keyword"]), word


def test_numbers_never_rank(report_docs):
    doc = report_docs["national_2024"]
    numbers = {t.text for t in doc_tokens(doc) if t.kind == "number"}
    assert numbers, "the report has numeric expressions"
    table = keywords_table([doc], ["national_2024"], top=100, section_top=30)
    assert not numbers & set(table["keyword"])


def test_keywords_table_layout_and_determinism(report_docs):
    docs = [report_docs["national_2018"], report_docs["national_2024"]]
    a = keywords_table(docs, ["n18", "n24"], top=20, section_top=5)
    b = keywords_table(docs, ["n18", "n24"], top=20, section_top=5)
    assert list(a.columns) == ["document", "section", "method", "rank", "keyword", "score"]
    assert a.to_csv(index=False) == b.to_csv(index=False)
    assert set(a["method"]) == {"tfidf", "textrank", "tfidf_corpus"}
    whole = a[(a["document"] == "n24") & (a["section"] == "") & (a["method"] == "tfidf")]
    assert list(whole["rank"]) == list(range(1, 21))
    assert whole["score"].is_monotonic_decreasing
    sections = a[(a["document"] == "n24") & (a["section"] != "")]
    assert sections["section"].nunique() >= 5
    assert sections.groupby(["section", "method"])["rank"].max().max() <= 5


def test_corpus_idf_favours_words_of_one_document(report_docs):
    docs = [report_docs["national_2018"], report_docs["national_2024"]]
    table = keywords_table(docs, ["n18", "n24"], top=30, sections=False, methods=["tfidf", "tfidf_corpus"])
    words18 = {t.text for t in doc_tokens(docs[0])}
    n24 = table[table["document"] == "n24"]

    def only_in_2024(method: str) -> int:
        return sum(w not in words18 for w in n24[n24["method"] == method]["keyword"])

    assert only_in_2024("tfidf_corpus") > only_in_2024("tfidf")


def test_background_idf_is_read_from_jieba_file_without_global_state():
    import subprocess
    import sys

    path = jieba_idf_path()
    assert path.name == "idf.txt" and path.exists()
    idf = BackgroundIDF.from_file(path)
    assert idf["集成电路"] > idf["发展"]
    assert idf.of("五个中心", is_term=True) >= idf.term
    code = ("import sys; from nlp.analysis.keywords import background_idf; background_idf(); "
            "print('jieba.analyse' in sys.modules, 'jieba' in sys.modules and sys.modules['jieba'].dt.initialized)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.split() == ["False", "False"]  # jieba.analyse (global TFIDF) never imported, global dict untouched


def test_bad_idf_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "idf.txt"
    bad.write_text("集成电路 8.5\n坏行\n", encoding="utf-8")
    with pytest.raises(IDFError, match="idf.txt"):
        BackgroundIDF.from_file(bad)
    with pytest.raises(IDFError, match="missing.txt"):
        BackgroundIDF.from_file(tmp_path / "missing.txt")
