"""Annotation files in and out: spaCy-style JSONL, doccano JSONL, Label Studio JSON, DocBin.

Every reader returns :class:`AnnotatedText` records (text, ``(start, end, label)`` spans in
character offsets, source file, line). A file that cannot be read raises
:class:`AnnotationError` (a ``ValueError``) with the message ``"FILE:LINE: problem"``; for a
Label Studio JSON array the line is where the task starts, for a DocBin it is the document's
number (1-based). Nothing is returned from a half-read file.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Sequence

from ..output import atomic_write_text

__all__ = [
    "AnnotationError",
    "AnnotatedText",
    "FORMATS",
    "detect_format",
    "read_annotations",
    "read_many_annotations",
    "read_spacy_jsonl",
    "read_doccano_jsonl",
    "read_label_studio",
    "read_docbin",
    "write_spacy_jsonl",
    "write_doccano_jsonl",
    "write_label_studio",
    "label_studio_config",
]

FORMATS = ("spacy", "doccano", "label-studio", "docbin")
Span3 = tuple[int, int, str]


class AnnotationError(ValueError):
    """An annotation file is broken; the message is ``"FILE:LINE: problem"``."""


@dataclass
class AnnotatedText:
    """One annotated text: spans are ``(start_char, end_char, label)`` into ``text``."""

    text: str
    spans: list[Span3] = field(default_factory=list)
    source: str = "<memory>"
    line: int = 0
    meta: dict = field(default_factory=dict)

    @property
    def where(self) -> str:
        """``"FILE:LINE"`` for messages."""
        return f"{self.source}:{self.line}"

    @property
    def doc_id(self) -> str:
        """The document this text belongs to (``meta["doc"]``, else its file and line)."""
        doc = self.meta.get("doc") if isinstance(self.meta, dict) else None
        return str(doc) if doc not in (None, "") else self.where


def _err(path: str | os.PathLike, line: int, problem: str) -> AnnotationError:
    return AnnotationError(f"{path}:{line}: {problem}")


def _offset(value: Any, path: str, line: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            return int(value)
        raise _err(path, line, f"{what} must be an integer, got {value!r}")
    return value


def _label(value: Any, path: str, line: int) -> str:
    if not isinstance(value, str):
        raise _err(path, line, f"label must be a string, got {value!r}")
    return value


def _text(obj: dict, path: str, line: int, key: str = "text") -> str:
    text = obj.get(key)
    if not isinstance(text, str):
        raise _err(path, line, f"missing or non-string '{key}'")
    return text


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise AnnotationError(f"{path}:0: file not found") from None
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise _err(path, line, "not UTF-8 text") from None


def _jsonl_objects(path: Path) -> Iterator[tuple[int, dict]]:
    for lineno, line in enumerate(_read_text(path).splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise _err(path, lineno, f"invalid JSON: {exc.msg} (column {exc.colno})") from None
        if not isinstance(obj, dict):
            raise _err(path, lineno, f"expected a JSON object, got {type(obj).__name__}")
        yield lineno, obj


# -- spaCy-style JSONL ---------------------------------------------------------------------
def _spacy_record(obj: dict, path: str, line: int) -> AnnotatedText:
    text = _text(obj, path, line)
    raw = obj.get("spans", [])
    if raw is None:
        raw = []
    if not isinstance(raw, list):
        raise _err(path, line, "'spans' must be a list")
    spans = []
    for i, sp in enumerate(raw, 1):
        if not isinstance(sp, dict):
            raise _err(path, line, f"span {i} must be an object with start, end, label")
        for key in ("start", "end", "label"):
            if key not in sp:
                raise _err(path, line, f"span {i} has no '{key}'")
        spans.append((_offset(sp["start"], path, line, f"span {i} start"),
                      _offset(sp["end"], path, line, f"span {i} end"), _label(sp["label"], path, line)))
    meta = obj.get("meta") if isinstance(obj.get("meta"), dict) else {}
    return AnnotatedText(text, spans, str(path), line, dict(meta))


def read_spacy_jsonl(path: str | os.PathLike) -> list[AnnotatedText]:
    """Read ``{"text", "spans": [{"start", "end", "label"}], "meta"?}`` lines."""
    path = Path(path)
    return [_spacy_record(obj, str(path), line) for line, obj in _jsonl_objects(path)]


# -- doccano JSONL -------------------------------------------------------------------------
def _doccano_record(obj: dict, path: str, line: int) -> AnnotatedText:
    text = _text(obj, path, line)
    spans: list[Span3] = []
    if "entities" in obj:  # doccano >= 1.6 sequence labeling export
        raw = obj["entities"] or []
        if not isinstance(raw, list):
            raise _err(path, line, "'entities' must be a list")
        for i, ent in enumerate(raw, 1):
            if not isinstance(ent, dict) or not {"start_offset", "end_offset", "label"} <= set(ent):
                raise _err(path, line, f"entity {i} needs start_offset, end_offset, label")
            spans.append((_offset(ent["start_offset"], path, line, f"entity {i} start_offset"),
                          _offset(ent["end_offset"], path, line, f"entity {i} end_offset"),
                          _label(ent["label"], path, line)))
    else:
        raw = obj.get("label", obj.get("labels", []))
        if raw is None:
            raw = []
        if not isinstance(raw, list):
            raise _err(path, line, "'label' must be a list of [start, end, label]")
        for i, item in enumerate(raw, 1):
            if not isinstance(item, (list, tuple)) or len(item) != 3:
                raise _err(path, line, f"label {i} must be [start, end, label], got {item!r}")
            spans.append((_offset(item[0], path, line, f"label {i} start"),
                          _offset(item[1], path, line, f"label {i} end"), _label(item[2], path, line)))
    meta = {k: v for k, v in obj.items() if k not in {"text", "label", "labels", "entities", "id"}}
    if isinstance(obj.get("meta"), dict):
        meta = {**{k: v for k, v in meta.items() if k != "meta"}, **obj["meta"]}
    return AnnotatedText(text, spans, str(path), line, meta)


def read_doccano_jsonl(path: str | os.PathLike) -> list[AnnotatedText]:
    """Read doccano ``{"text", "label": [[start, end, "LABEL"], ...]}`` (or ``"entities"``) lines."""
    path = Path(path)
    return [_doccano_record(obj, str(path), line) for line, obj in _jsonl_objects(path)]


# -- Label Studio JSON ---------------------------------------------------------------------
def _json_array_items(path: Path) -> Iterator[tuple[int, Any]]:
    """The items of a top-level JSON array with the line each starts on."""
    text = _read_text(path)
    decoder = json.JSONDecoder()
    n = len(text)

    def skip(i: int) -> int:
        while i < n and text[i] in " \t\r\n":
            i += 1
        return i

    def line_of(i: int) -> int:
        return text.count("\n", 0, i) + 1

    i = skip(0)
    if i >= n or text[i] != "[":
        raise _err(path, line_of(i), "a Label Studio JSON export must be a JSON array of tasks")
    i = skip(i + 1)
    if i < n and text[i] == "]":
        return
    while True:
        try:
            obj, end = decoder.raw_decode(text, i)
        except json.JSONDecodeError as exc:
            raise _err(path, exc.lineno, f"invalid JSON: {exc.msg} (column {exc.colno})") from None
        yield line_of(i), obj
        i = skip(end)
        if i < n and text[i] == ",":
            i = skip(i + 1)
            continue
        if i < n and text[i] == "]":
            if skip(i + 1) < n:
                raise _err(path, line_of(skip(i + 1)), "unexpected text after the JSON array")
            return
        raise _err(path, line_of(i), "expected ',' or ']' between tasks")


def _ls_text(task: dict, path: str, line: int, text_key: str | None) -> str:
    data = task.get("data")
    if not isinstance(data, dict):
        raise _err(path, line, "task has no 'data' object")
    if text_key:
        return _text(data, path, line, text_key)
    if "text" in data:
        return _text(data, path, line)
    strings = [k for k, v in data.items() if isinstance(v, str)]
    if len(strings) != 1:
        raise _err(path, line, "cannot tell which 'data' field holds the text; pass text_key")
    return data[strings[0]]


def _ls_results(results: Any, path: str, line: int) -> list[Span3]:
    if not isinstance(results, list):
        raise _err(path, line, "'result' must be a list")
    spans = []
    for i, res in enumerate(results, 1):
        if not isinstance(res, dict):
            raise _err(path, line, f"result {i} must be an object")
        if res.get("type", "labels") != "labels" and "labels" not in (res.get("value") or {}):
            continue  # relations, choices, text areas: not spans
        value = res.get("value")
        if not isinstance(value, dict) or "start" not in value or "end" not in value:
            raise _err(path, line, f"result {i} has no value.start / value.end")
        labels = value.get("labels")
        if not isinstance(labels, list) or len(labels) != 1:
            raise _err(path, line, f"result {i} must have exactly one label, got {labels!r}")
        spans.append((_offset(value["start"], path, line, f"result {i} start"),
                      _offset(value["end"], path, line, f"result {i} end"), _label(labels[0], path, line)))
    return spans


def _ls_record(task: Any, path: str, line: int, text_key: str | None, use_predictions: bool) -> AnnotatedText:
    if not isinstance(task, dict):
        raise _err(path, line, f"a task must be a JSON object, got {type(task).__name__}")
    if "data" not in task and "text" in task:  # JSON-MIN export: {"text", "label": [{start, end, labels}]}
        text = _text(task, path, line)
        raw = task.get("label") or []
        results = [{"type": "labels", "value": v} for v in raw] if isinstance(raw, list) else raw
        return AnnotatedText(text, _ls_results(results, path, line), path, line, {"task_id": task.get("id")})
    text = _ls_text(task, path, line, text_key)
    meta: dict = {"task_id": task.get("id")}
    if isinstance(task["data"].get("meta"), dict):
        meta.update(task["data"]["meta"])
    annotations = task.get("annotations") or []
    if not isinstance(annotations, list):
        raise _err(path, line, "'annotations' must be a list")
    done = [a for a in annotations if isinstance(a, dict) and not a.get("was_cancelled")]
    if done:
        if len(done) > 1:
            meta["annotations_ignored"] = len(done) - 1
        return AnnotatedText(text, _ls_results(done[0].get("result", []), path, line), path, line, meta)
    predictions = task.get("predictions") or []
    if use_predictions and isinstance(predictions, list) and predictions and isinstance(predictions[0], dict):
        return AnnotatedText(text, _ls_results(predictions[0].get("result", []), path, line), path, line, meta)
    meta["unannotated"] = True
    return AnnotatedText(text, [], path, line, meta)


def read_label_studio(
    path: str | os.PathLike, *, text_key: str | None = None, use_predictions: bool = False
) -> list[AnnotatedText]:
    """Read a Label Studio JSON export (a list of tasks; JSON-MIN works too).

    The first annotation that was not cancelled is used; a task without one is returned
    with ``meta["unannotated"] = True`` (validation reports and skips it) unless
    ``use_predictions`` takes its first prediction instead.
    """
    path = Path(path)
    if path.suffix.lower() == ".jsonl":
        items: Iterable[tuple[int, Any]] = _jsonl_objects(path)
    else:
        items = _json_array_items(path)
    return [_ls_record(task, str(path), line, text_key, use_predictions) for line, task in items]


# -- spaCy DocBin --------------------------------------------------------------------------
def read_docbin(path: str | os.PathLike, *, spans_key: str | None = None) -> list[AnnotatedText]:
    """Read a ``.spacy`` DocBin: ``doc.ents``, or the span group ``spans_key`` (else the only one).

    The "line" of a record is the document's number in the file (1-based).
    """
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    path = Path(path)
    if not path.exists():
        raise AnnotationError(f"{path}:0: file not found")
    try:
        docs = list(DocBin().from_disk(path).get_docs(Vocab()))
    except Exception as exc:  # noqa: BLE001 - msgpack/zlib errors of many kinds
        raise _err(path, 1, f"not a spaCy DocBin file ({type(exc).__name__}: {exc})") from None
    out = []
    for i, doc in enumerate(docs, 1):
        if spans_key is not None:
            if spans_key not in doc.spans:
                raise _err(path, i, f"document has no span group {spans_key!r} (has {sorted(doc.spans)})")
            group = list(doc.spans[spans_key])
        elif doc.ents:
            group = list(doc.ents)
        elif len(doc.spans) > 1:
            raise _err(path, i, f"several span groups {sorted(doc.spans)}; pass spans_key")
        else:
            group = [sp for key in doc.spans for sp in doc.spans[key]]
        spans = [(sp.start_char, sp.end_char, sp.label_) for sp in group]
        meta = {k: v for k, v in doc.user_data.items() if isinstance(k, str)} if doc.user_data else {}
        out.append(AnnotatedText(doc.text, spans, str(path), i, meta))
    return out


# -- dispatch ------------------------------------------------------------------------------
def _first_object(path: Path) -> dict | None:
    for _, obj in _jsonl_objects(path):
        return obj
    return None


def detect_format(path: str | os.PathLike) -> str:
    """The format of an annotation file from its suffix and (for JSONL) its first record."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".spacy":
        return "docbin"
    if suffix == ".json":
        return "label-studio"
    if suffix not in (".jsonl", ".ndjson"):
        raise AnnotationError(f"{path}:0: unknown annotation format (use .jsonl, .json or .spacy)")
    obj = _first_object(path) or {}
    if "data" in obj:
        return "label-studio"
    if "spans" in obj:
        return "spacy"
    if "label" in obj or "labels" in obj or "entities" in obj:
        return "doccano"
    return "spacy"


def read_annotations(path: str | os.PathLike, format: str | None = None, **kwargs) -> list[AnnotatedText]:
    """Read one annotation file; ``format`` is one of :data:`FORMATS` (detected if None)."""
    fmt = format or detect_format(path)
    readers = {"spacy": read_spacy_jsonl, "doccano": read_doccano_jsonl,
               "label-studio": read_label_studio, "docbin": read_docbin}
    if fmt not in readers:
        raise AnnotationError(f"{path}:0: unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    return readers[fmt](path, **kwargs)


def read_many_annotations(paths: str | os.PathLike | Sequence, format: str | None = None) -> list[AnnotatedText]:
    """Read files and folders (their ``.jsonl``/``.json``/``.spacy`` files, sorted)."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    out: list[AnnotatedText] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            files = sorted(f for f in p.rglob("*") if f.suffix.lower() in (".jsonl", ".json", ".spacy", ".ndjson"))
            if not files:
                raise AnnotationError(f"{p}:0: no annotation files (.jsonl, .json, .spacy) in this folder")
        else:
            files = [p]
        for f in files:
            out.extend(read_annotations(f, format))
    return out


# -- writers -------------------------------------------------------------------------------
def _jsonl(lines: Iterable[dict]) -> str:
    return "".join(json.dumps(obj, ensure_ascii=False) + "\n" for obj in lines)


def write_spacy_jsonl(records: Iterable[AnnotatedText], path: str | os.PathLike) -> Path:
    """Write spaCy-style JSONL (atomically)."""
    lines = []
    for r in records:
        obj: dict = {"text": r.text, "spans": [{"start": s, "end": e, "label": lab} for s, e, lab in r.spans]}
        if r.meta:
            obj["meta"] = r.meta
        lines.append(obj)
    return atomic_write_text(path, _jsonl(lines))


def write_doccano_jsonl(records: Iterable[AnnotatedText], path: str | os.PathLike) -> Path:
    """Write doccano JSONL ``{"text", "label": [[start, end, label]], "meta"}`` (atomically)."""
    lines = []
    for r in records:
        obj: dict = {"text": r.text, "label": [[s, e, lab] for s, e, lab in r.spans]}
        if r.meta:
            obj["meta"] = r.meta
        lines.append(obj)
    return atomic_write_text(path, _jsonl(lines))


def write_label_studio(
    records: Iterable[AnnotatedText],
    path: str | os.PathLike,
    *,
    as_predictions: bool = True,
    model_version: str = "policy-nlp",
    from_name: str = "label",
    to_name: str = "text",
) -> Path:
    """Write a Label Studio import file (JSON list of tasks), spans as predictions or annotations."""
    tasks = []
    for n, r in enumerate(records, 1):
        result = [
            {"id": f"t{n}s{i}", "from_name": from_name, "to_name": to_name, "type": "labels",
             "value": {"start": s, "end": e, "text": r.text[s:e], "labels": [lab]}}
            for i, (s, e, lab) in enumerate(r.spans, 1)
        ]
        data: dict = {"text": r.text}
        if r.meta:
            data["meta"] = r.meta
        task: dict = {"data": data}
        if as_predictions:
            task["predictions"] = [{"model_version": model_version, "result": result}]
        else:
            task["annotations"] = [{"result": result}]
        tasks.append(task)
    return atomic_write_text(path, json.dumps(tasks, ensure_ascii=False, indent=1) + "\n")


def label_studio_config(labels: Iterable[str], *, from_name: str = "label", to_name: str = "text") -> str:
    """A Label Studio labeling config (XML) for span labels over ``$text``."""
    items = "\n".join(f'    <Label value="{lab}"/>' for lab in sorted(set(labels)))
    return (
        "<View>\n"
        f'  <Labels name="{from_name}" toName="{to_name}">\n{items}\n  </Labels>\n'
        f'  <Text name="{to_name}" value="$text"/>\n'
        "</View>\n"
    )
