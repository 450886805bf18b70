"""The ``policy_terms_recognizer`` component: a character CRF that finds policy terms no list holds.

A linear-chain CRF (CRFsuite, through python-crfsuite) tags every character of the normalized
view with B-/I-LABEL or O, from its character n-grams, its character classes, the segmenter's
word around it and whether it sits inside quotation marks. Terms are recognized by their shape
and their context (…经济, …示范区, …行动, “…”), not by a list, so the recognizer finds terms
that neither the lexicon nor the rules know. Its spans go to ``doc.spans["policy_terms_model"]``
with a confidence (the mean marginal probability of the span's tags) in ``span._.score``;
``policy_terms`` merges them with lexicon and rule spans (``source == "model"``).

The shipped model (``nlp/data/recognizer/terms.crfsuite``) is trained on the hand-annotated
reports of ``seeds/`` by ``python scripts/train_recognizer.py``; ``policy-nlp train
--component crf`` trains one on a user's annotations.

References:
    Lafferty, McCallum, Pereira (2001). Conditional Random Fields: Probabilistic Models for
    Segmenting and Labeling Sequence Data. ICML.
    Okazaki (2007). CRFsuite: a fast implementation of Conditional Random Fields.
"""

from __future__ import annotations

import json
import os
import tempfile
from bisect import bisect_right
from pathlib import Path
from typing import Callable, Iterable, Sequence

import srsly
from spacy import util
from spacy.attrs import IDX
from spacy.language import Language
from spacy.tokens import Doc, Span

from ...resources import data_path
from ..normalize import normalize_view
from ..text import doc_text
from .lexicon import LABELS, strip_quotes
from .model_spans import MODEL_SPANS_KEY

__all__ = ["TermRecognizer", "make_term_recognizer", "char_features", "sequences", "bio_tags", "decode",
           "FEATURE_VERSION"]

#: bumped whenever :func:`char_features` changes: a model only reads features of its version
FEATURE_VERSION = 1
_OPEN, _CLOSE = "“「『《", "”」』》"
_NUMERALS = set("零〇一二三四五六七八九十百千万亿两")
_BREAKS = set("。！？；\n")
_MAX_SEQUENCE = 400

for _name in ("canonical", "source", "term_id", "score"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)


def _kind(ch: str) -> str:
    """A character's class: H (Han), N (Chinese numeral), D (digit), L (Latin), Q (quote), P (other)."""
    if ch in _NUMERALS:
        return "N"
    if "\u4e00" <= ch <= "\u9fff":
        return "H"
    if ch.isdigit():
        return "D"
    if ch.isascii() and ch.isalpha():
        return "L"
    if ch in _OPEN or ch in _CLOSE:
        return "Q"
    return "P"


def sequences(view: str) -> list[tuple[int, int]]:
    """The stretches the CRF tags one at a time: sentences (or up to 400 characters where a
    sentence runs longer, cut at a comma when there is one), never across a line break."""
    out, start, n = [], 0, len(view)
    for i, ch in enumerate(view):
        if ch in _BREAKS or i + 1 == n:
            end = i + 1
            while end - start > _MAX_SEQUENCE:
                cut = view.rfind("，", start, start + _MAX_SEQUENCE)
                cut = cut + 1 if cut > start else start + _MAX_SEQUENCE
                out.append((start, cut))
                start = cut
            if view[start:end].strip():
                out.append((start, end))
            start = end
    return out


def char_features(view: str, token_starts: Sequence[int], start: int, end: int) -> list[list[str]]:
    """CRFsuite feature strings for each character of ``view[start:end]``.

    ``token_starts`` are the first characters of the segmenter's tokens over the whole text."""
    pad = "\x02\x02" + view[start:end] + "\x03\x03"
    kinds = "SS" + "".join(_kind(c) for c in view[start:end]) + "EE"
    depth, quoted = 0, []
    for ch in view[start:end]:
        if ch in _OPEN:
            depth += 1
        quoted.append(depth > 0)
        if ch in _CLOSE and depth:
            depth -= 1
    feats = []
    for k in range(end - start):
        i = k + 2
        pos = start + k
        t = bisect_right(token_starts, pos) - 1
        t_start = token_starts[t]
        t_end = token_starts[t + 1] if t + 1 < len(token_starts) else len(view)
        word = view[t_start:t_end]
        prev_word = view[token_starts[t - 1]:t_start] if t > 0 else "^"
        next_word = view[t_end:token_starts[t + 2]] if t + 2 < len(token_starts) else (view[t_end:] or "$")
        place = "S" if len(word) == 1 else ("B" if pos == t_start else ("E" if pos == t_end - 1 else "M"))
        c = pad
        feats.append([
            "bias",
            "c0=" + c[i], "c-1=" + c[i - 1], "c+1=" + c[i + 1], "c-2=" + c[i - 2], "c+2=" + c[i + 2],
            "c-1c0=" + c[i - 1:i + 1], "c0c+1=" + c[i:i + 2], "c-2c-1=" + c[i - 2:i], "c+1c+2=" + c[i + 1:i + 3],
            "c-1c+1=" + c[i - 1] + c[i + 1], "c-1c0c+1=" + c[i - 1:i + 2],
            "k=" + kinds[i - 1:i + 2], "k0=" + kinds[i],
            "p=" + place, "pl=" + place + str(min(len(word), 6)),
            "w=" + word[:8], "w-1=" + prev_word[-4:], "w+1=" + next_word[:4],
            "wh=" + word[-2:] + place, "q=" + ("1" if quoted[k] else "0"),
        ])
    return feats


def bio_tags(n: int, spans: Iterable[tuple[int, int, str]], offset: int = 0) -> list[str]:
    """B-/I-LABEL or O for each of ``n`` characters from spans (shifted by ``offset``)."""
    tags = ["O"] * n
    for start, end, label in spans:
        a, b = start - offset, end - offset
        if 0 <= a < b <= n:
            tags[a] = "B-" + label
            for j in range(a + 1, b):
                tags[j] = "I-" + label
    return tags


def decode(tags: Sequence[str], scores: Sequence[float] | None = None) -> list[tuple[int, int, str, float]]:
    """Spans ``(start, end, label, score)`` from a tag sequence (an I- after O starts a span);
    ``score`` is the mean of the tags' marginals (1.0 without them)."""
    out, start, label = [], None, None

    def close(end: int) -> None:
        if start is not None:
            part = scores[start:end] if scores is not None else []
            out.append((start, end, label, sum(part) / len(part) if part else 1.0))

    for i, tag in enumerate(tags):
        kind, _, lab = tag.partition("-")
        if kind == "B" or (kind == "I" and (start is None or lab != label)):
            close(i)
            start, label = i, lab
        elif kind == "O":
            close(i)
            start, label = None, None
    close(len(tags))
    return out


class TermRecognizer:
    """Tags policy terms with a character CRF into ``doc.spans["policy_terms_model"]``."""

    def __init__(self, nlp: Language | None = None, name: str = "policy_terms_recognizer", *,
                 threshold: float = 0.5, min_chars: int = 2, max_chars: int = 30) -> None:
        if not 0.0 <= threshold <= 1.0:
            raise ValueError(f"{name}: threshold must be in [0, 1], got {threshold!r}")
        if not 1 <= min_chars <= max_chars:
            raise ValueError(f"{name}: need 1 <= min_chars <= max_chars, got {min_chars}, {max_chars}")
        self.nlp = nlp
        self.name = name
        self.threshold = threshold
        self.min_chars = min_chars
        self.max_chars = max_chars
        self._model: bytes | None = None
        self._tagger = None

    # -- resources -----------------------------------------------------------------------
    def initialize(self, get_examples: Callable | None = None, *, nlp: Language | None = None,
                   model: str | os.PathLike | bytes | None = None) -> None:
        """Load a trained CRF: ``model`` (a ``.crfsuite`` file or its bytes), else the shipped one."""
        if model is None:
            model = data_path("recognizer", "terms.crfsuite")
        self.set_model(model if isinstance(model, bytes) else Path(model).read_bytes())

    def set_model(self, data: bytes) -> None:
        """Use the CRFsuite model ``data`` (what a trainer wrote)."""
        import pycrfsuite

        tagger = pycrfsuite.Tagger()
        try:
            tagger.open_inmemory(data)
        except (ValueError, OSError) as err:
            raise ValueError(f"{self.name}: not a CRFsuite model ({err})") from None
        self._model, self._tagger = data, tagger

    @property
    def is_trained(self) -> bool:
        return self._tagger is not None

    # -- predicting ----------------------------------------------------------------------
    def predict(self, doc: Doc) -> list[tuple[int, int, str, float]]:
        """``(start_char, end_char, label, score)`` of every term the CRF finds above the threshold."""
        if self._tagger is None:
            raise ValueError(f"{self.name}: no model; call initialize() or load a trained pipeline")
        text = doc_text(doc)
        if not text:
            return []
        view = normalize_view(text)
        starts = doc.to_array(IDX).tolist()
        found = []
        for a, b in sequences(view):
            tags = self._tagger.tag(char_features(view, starts, a, b))
            if all(t == "O" for t in tags):
                continue
            marginals = [self._tagger.marginal(t, j) for j, t in enumerate(tags)]
            for s, e, label, score in decode(tags, marginals):
                s, e = s + a, e + a
                size = len(strip_quotes(view[s:e]))
                if score >= self.threshold and self.min_chars <= size <= self.max_chars and label in LABELS:
                    found.append((s, e, label, round(score, 4)))
        return found

    def set_annotations(self, doc: Doc, found: list[tuple[int, int, str, float]]) -> Doc:
        """Write the spans (splitting tokens where a boundary falls inside one); returns the Doc."""
        from ..align import char_spans, split_for_spans

        offsets = [(s, e, label) for s, e, label, _ in found]
        doc = split_for_spans(doc, offsets)
        spans = char_spans(doc, offsets)
        for span, (_, _, _, score) in zip(spans, found):
            span._.source, span._.score, span._.canonical = "model", score, strip_quotes(span.text)
        doc.spans[MODEL_SPANS_KEY] = spans
        return doc

    def __call__(self, doc: Doc) -> Doc:
        return self.set_annotations(doc, self.predict(doc))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)

    # -- serialization -------------------------------------------------------------------
    def _cfg(self) -> dict:
        return {"feature_version": FEATURE_VERSION}

    def _check_cfg(self, cfg: dict) -> None:
        if cfg.get("feature_version") != FEATURE_VERSION:
            raise ValueError(f"{self.name}: the model was trained with feature version {cfg.get('feature_version')}, "
                             f"this code makes version {FEATURE_VERSION}; train it again")

    def to_bytes(self, *, exclude: Iterable[str] = tuple()) -> bytes:
        serializers = {"cfg": lambda: srsly.json_dumps(self._cfg()), "model": lambda: self._model or b""}
        return util.to_bytes(serializers, exclude)

    def from_bytes(self, bytes_data: bytes, *, exclude: Iterable[str] = tuple()) -> "TermRecognizer":
        def model(data: bytes) -> None:
            if data:
                self.set_model(data)

        util.from_bytes(bytes_data, {"cfg": lambda b: self._check_cfg(srsly.json_loads(b)), "model": model}, exclude)
        return self

    def to_disk(self, path: str | os.PathLike, *, exclude: Iterable[str] = tuple()) -> None:
        serializers = {
            "cfg": lambda p: srsly.write_json(p.with_suffix(".json"), self._cfg()),
            "model": lambda p: p.with_suffix(".crfsuite").write_bytes(self._model or b""),
        }
        util.to_disk(path, serializers, exclude)

    def from_disk(self, path: str | os.PathLike, *, exclude: Iterable[str] = tuple()) -> "TermRecognizer":
        def model(p: Path) -> None:
            data = p.with_suffix(".crfsuite").read_bytes()
            if data:
                self.set_model(data)

        deserializers = {"cfg": lambda p: self._check_cfg(srsly.read_json(p.with_suffix(".json"))), "model": model}
        util.from_disk(path, deserializers, exclude)
        return self


def train_crf(items: Iterable[tuple[list[list[str]], list[str]]], *, c1: float = 0.05, c2: float = 0.01,
              max_iterations: int = 150) -> bytes:
    """Train a CRFsuite model (L-BFGS, elastic net) on (features, tags) sequences; its bytes."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for xseq, yseq in items:
        trainer.append(xseq, yseq)
    trainer.set_params({"c1": c1, "c2": c2, "max_iterations": max_iterations,
                        "feature.possible_transitions": True})
    with tempfile.TemporaryDirectory(prefix="policy-nlp-crf-") as tmp:
        path = Path(tmp) / "model.crfsuite"
        trainer.train(str(path))
        return path.read_bytes()


def training_sequences(texts_and_spans: Iterable[tuple[str, Sequence[int], Sequence[tuple[int, int, str]]]]
                       ) -> Iterable[tuple[list[list[str]], list[str]]]:
    """(features, tags) of every sequence of each ``(text, token_starts, spans)``."""
    for text, starts, spans in texts_and_spans:
        view = normalize_view(text)
        for a, b in sequences(view):
            inside = [(s, e, lab) for s, e, lab in spans if a <= s and e <= b]
            yield char_features(view, starts, a, b), bio_tags(b - a, inside, offset=a)


@Language.factory(
    "policy_terms_recognizer",
    assigns=["doc.spans", "span._.source", "span._.score", "span._.canonical"],
    default_config={"threshold": 0.5, "min_chars": 2, "max_chars": 30},
)
def make_term_recognizer(nlp: Language, name: str, threshold: float, min_chars: int,
                         max_chars: int) -> TermRecognizer:
    """spaCy factory for :class:`TermRecognizer` (the model comes through ``initialize``)."""
    return TermRecognizer(nlp, name, threshold=threshold, min_chars=min_chars, max_chars=max_chars)
