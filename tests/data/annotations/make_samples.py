"""Regenerate the annotation samples (sentences from the seed report, the same four texts
in every format). Run from the repository root: ``.venv/bin/python tests/data/annotations/make_samples.py``."""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = HERE.parents[2] / "seeds" / "shanghai_2024_government_work_report.txt"

SAMPLES = [
    ("制造业数字化转型加快推进，累计建成国家级标杆性智能工厂3家、示范工厂19家、优秀场景111个，培育“工赋链主”25家、工业互联网平台34个。",
     [("智能工厂", "PLATFORM"), ("“工赋链主”", "PROGRAM"), ("工业互联网平台", "PLATFORM")]),
    ("全面开展“上海2035”城市总体规划实施评估。五个新城建设稳步推进，导入第二批30项重大功能性事项",
     [("“上海2035”城市总体规划", "POLICY"), ("五个新城", "STRATEGY")]),
    ("政务服务“一网通办”累计推出41个“一件事”，200个高频事项实现“智慧好办”",
     [("“一网通办”", "PROGRAM"), ("“一件事”", "PROGRAM"), ("“智慧好办”", "PROGRAM")]),
    ("建成乡村振兴示范村24个、“美丽庭院”10.1万户",
     [("乡村振兴示范村", "PLATFORM"), ("“美丽庭院”", "PROGRAM")]),
]


def records() -> list[tuple[str, list[tuple[int, int, str]]]]:
    seed = SEED.read_text(encoding="utf-8")
    out = []
    for text, terms in SAMPLES:
        assert text in seed, text
        spans = []
        for term, label in terms:
            start = text.index(term)
            spans.append((start, start + len(term), label))
        out.append((text, spans))
    return out


def main() -> None:
    recs = records()
    with open(HERE / "sample_spacy.jsonl", "w", encoding="utf-8") as f:
        for i, (text, spans) in enumerate(recs):
            obj = {"text": text, "spans": [{"start": s, "end": e, "label": lab} for s, e, lab in spans],
                   "meta": {"doc": "shanghai_2024", "n": i}}
            f.write(json.dumps(obj, ensure_ascii=False) + "\n")
    with open(HERE / "sample_doccano.jsonl", "w", encoding="utf-8") as f:
        for i, (text, spans) in enumerate(recs):
            if i == 3:  # doccano >= 1.6 "entities" export
                obj = {"id": i + 1, "text": text, "entities": [
                    {"id": j, "start_offset": s, "end_offset": e, "label": lab} for j, (s, e, lab) in enumerate(spans)]}
            else:
                obj = {"id": i + 1, "text": text, "label": [[s, e, lab] for s, e, lab in spans]}
            f.write(json.dumps(obj, ensure_ascii=False) + "\n")
    tasks = []
    for i, (text, spans) in enumerate(recs):
        result = [{"id": f"r{i}{j}", "from_name": "label", "to_name": "text", "type": "labels",
                   "value": {"start": s, "end": e, "text": text[s:e], "labels": [lab]}}
                  for j, (s, e, lab) in enumerate(spans)]
        annotations = [{"id": 2 * i + 1, "result": result, "was_cancelled": False}]
        if i == 1:  # a cancelled annotation comes first: it must be ignored
            annotations.insert(0, {"id": 99, "result": [], "was_cancelled": True})
        tasks.append({"id": i + 1, "data": {"text": text}, "annotations": annotations, "predictions": []})
    tasks.append({"id": 5, "data": {"text": "推进“五个中心”建设。"}, "annotations": [], "predictions": []})
    (HERE / "sample_label_studio.json").write_text(json.dumps(tasks, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    import nlp.pipeline.registry  # noqa: F401
    from spacy.tokens import DocBin

    from nlp.pipeline.align import char_spans
    from nlp.pipeline.builder import build

    tok = build()
    db = DocBin()
    for text, spans in recs:
        doc = tok.make_doc(text)
        doc.ents = char_spans(doc, spans)
        db.add(doc)
    db.to_disk(HERE / "sample.spacy")


if __name__ == "__main__":
    main()
