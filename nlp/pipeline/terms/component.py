"""The ``policy_terms`` pipeline component: lexicon + rules (+ model spans) -> ``doc.spans``.

Every mention becomes a span in ``doc.spans[spans_key]`` with its label and
``span._.canonical``, ``span._.source`` (lexicon / rule / model) and ``span._.term_id``.
Matching runs on characters (the normalized view), not on the segmenter's tokens.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

import srsly
from spacy import util
from spacy.language import Language
from spacy.tokens import Doc, Span

from ...resources import data_path

from ..align import char_spans, merge_spans, split_for_spans
from ..normalize import normalize_view
from ..text import doc_text
from .lexicon import (
    LexiconEntry,
    LexiconError,
    load_generic_words,
    load_lexicon,
    parse_entries,
    segmenter_words,
    shipped_generic_words_path,
    shipped_lexicon_path,
    strip_quotes,
)
from .labels import TermLabeler
from .matcher import Candidate, LexiconMatcher, resolve_overlaps
from .model_spans import MODEL_SPANS_KEY
from .rules import RULE_NAMES, RULES

__all__ = ["PolicyTermTagger", "make_policy_terms", "DEFAULT_CONFIG"]

DEFAULT_CONFIG = {
    "spans_key": "policy_terms",
    "rules": list(RULE_NAMES),
    "merge": False,
    "priority": ["lexicon", "rule", "model"],
}

#: rules whose label comes from the term's characters: the label model gives it instead
_RELABELLED_RULES = {"quoted", "numbered_slogan", "numeral_compound", "name_head", "parallel_slogan", "acronym"}

for _name in ("canonical", "source", "term_id"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)


class PolicyTermTagger:
    """Tags policy terms from a lexicon, rules and (optionally) a model's span group."""

    def __init__(
        self,
        nlp: Language | None = None,
        name: str = "policy_terms",
        *,
        spans_key: str = "policy_terms",
        rules: Sequence[str] = RULE_NAMES,
        merge: bool = False,
        priority: Sequence[str] = ("lexicon", "rule", "model"),
    ) -> None:
        unknown = [r for r in rules if r not in RULES]
        if unknown:
            raise ValueError(f"policy_terms: unknown rule(s) {unknown}; known: {list(RULE_NAMES)}")
        self.nlp = nlp
        self.name = name
        self.spans_key = spans_key
        self.rules = list(rules)
        self.merge = bool(merge)
        self.priority = list(priority)
        self.entries: list[LexiconEntry] = []
        self.generic_words: set[str] = set()
        self.labeler: TermLabeler | None = None
        self.model_extends = "all"  # a model's longer name wins over a term inside it
        self._matcher = LexiconMatcher()

    def initialize(
        self,
        get_examples: Callable | None = None,
        *,
        nlp: Language | None = None,
        lexicon: str | Path | Iterable[Mapping | LexiconEntry] | None = None,
        shipped: bool = True,
        generic_words: str | Path | Iterable[str] | None = None,
        labeler: TermLabeler | str | Path | None = None,
    ) -> None:
        """Load the resources: the shipped lexicon (unless ``shipped=False``), then ``lexicon``
        (a file or entries), the generic words (a file or words; default the shipped list) and
        the label model for rule finds (default the shipped one).
        Called by ``nlp.initialize()`` or :func:`nlp.load`; a saved pipeline brings its own."""
        if labeler is None:
            labeler = data_path("recognizer", "labels.json")
        self.labeler = labeler if isinstance(labeler, TermLabeler) else TermLabeler.from_disk(labeler)
        self.entries = []
        self._matcher = LexiconMatcher()
        if isinstance(generic_words, (str, Path)) or generic_words is None:
            self.generic_words = load_generic_words(generic_words or shipped_generic_words_path())
        else:
            self.generic_words = set(generic_words)
        if shipped:
            self.add_lexicon(shipped_lexicon_path())
        if lexicon is not None:
            self.add_lexicon(lexicon)

    # -- the lexicon ---------------------------------------------------------------------
    def add_lexicon(self, path_or_entries: str | Path | Iterable[Mapping | LexiconEntry]) -> int:
        """Add a lexicon file (JSONL/CSV) or entries to the tagger (:func:`nlp.load` also gives
        their forms to the segmenter; matching is on characters, so it finds them either way).

        An entry with the canonical form of an existing one replaces it; a surface form that
        already belongs to another canonical form is a LexiconError naming the file and line.
        Returns the number of entries added.
        """
        if isinstance(path_or_entries, (str, Path)):
            entries = load_lexicon(path_or_entries)
        else:
            entries = parse_entries(path_or_entries)
        replaced = {e.canonical for e in entries} & {e.canonical for e in self.entries}
        kept = [e for e in self.entries if e.canonical not in replaced]
        owner = {_form_key(f): e.canonical for e in kept for f in e.forms()}
        for entry in entries:
            for form in entry.forms():
                other = owner.setdefault(_form_key(form), entry.canonical)
                if other != entry.canonical:
                    where = entry.source or "lexicon entry"
                    raise LexiconError(f"{where}: form {form!r} already belongs to {other!r}")
        self.entries = kept + entries
        if replaced:
            self._rebuild()
        else:
            self._matcher.add(entries)
        return len(entries)

    def segmenter_words(self) -> list[str]:
        """Canonical forms and aliases of all entries, for the segmenter's dictionary."""
        return segmenter_words(self.entries)

    def _rebuild(self) -> None:
        self._matcher = LexiconMatcher(self.entries)

    # -- finding -------------------------------------------------------------------------
    def find(self, text: str, model_spans: Iterable[Candidate] = ()) -> list[Candidate]:
        """All terms in ``text`` as non-overlapping candidates sorted by offset."""
        view = normalize_view(text)
        cands: list[Candidate] = list(self._matcher.find(view))
        for name in self.rules:
            found = RULES[name](view)
            if self.labeler is not None and name in _RELABELLED_RULES:
                found = [c._replace(label=self.labeler.predict(view[c.start:c.end])) for c in found]
            cands.extend(found)
        cands.extend(model_spans)
        generic = self.generic_words
        # a rule's or model's canonical is its text without quotes; the lexicon's is curated
        cands = [
            c for c in cands
            if c.canonical not in generic and (c.source != "lexicon" or view[c.start : c.end] not in generic)
        ]
        return resolve_overlaps(cands, self.priority)

    def predict(self, doc: Doc) -> list[Candidate]:
        """The terms of the doc's text: lexicon, rules and the model's span group, resolved."""
        model: list[Candidate] = []
        if MODEL_SPANS_KEY in doc.spans:
            for sp in doc.spans[MODEL_SPANS_KEY]:
                canonical = sp._.canonical or strip_quotes(sp.text)
                model.append(Candidate(sp.start_char, sp.end_char, sp.label_, "model", canonical, sp._.term_id,
                                       extends=self.model_extends))
        return self.find(doc_text(doc), model)

    def set_annotations(self, doc: Doc, found: list[Candidate]) -> Doc:
        """Store the terms as spans with their extensions (splitting tokens only where a term
        boundary falls inside one); returns the Doc to use."""
        offsets = [(c.start, c.end, c.label) for c in found]
        doc = split_for_spans(doc, offsets)
        spans = char_spans(doc, offsets)
        for span, c in zip(spans, found):
            span._.canonical, span._.source, span._.term_id = c.canonical, c.source, c.term_id
        doc.spans[self.spans_key] = spans
        if self.merge and spans:
            merge_spans(doc, [(c.start, c.end) for c in found])
        return doc

    def __call__(self, doc: Doc) -> Doc:
        """Tag the terms of ``doc`` into ``doc.spans[spans_key]`` (and merge them if asked)."""
        return self.set_annotations(doc, self.predict(doc))

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        """Tag a stream of docs."""
        for doc in stream:
            yield self(doc)

    # -- serialization (settings travel in the config) -----------------------------------
    def _entries_bytes(self) -> bytes:
        return srsly.msgpack_dumps([e.to_dict() for e in self.entries])

    def _set_entries(self, data: bytes) -> None:
        self.entries = parse_entries(srsly.msgpack_loads(data), f"{self.name} lexicon")
        self._rebuild()

    def _generic_bytes(self) -> bytes:
        return srsly.msgpack_dumps(sorted(self.generic_words))

    def _set_generic(self, data: bytes) -> None:
        self.generic_words = set(srsly.msgpack_loads(data))

    def to_bytes(self, *, exclude: Iterable[str] = tuple()) -> bytes:
        """The lexicon entries and generic words as bytes (``exclude`` names either)."""
        serializers = {"lexicon": self._entries_bytes, "generic_words": self._generic_bytes,
                       "labeler": lambda: srsly.json_dumps(self.labeler.to_dict() if self.labeler else None)}
        return util.to_bytes(serializers, exclude)

    def from_bytes(self, bytes_data: bytes, *, exclude: Iterable[str] = tuple()) -> "PolicyTermTagger":
        """Restore what :meth:`to_bytes` wrote."""
        def labeler(data: bytes) -> None:
            loaded = srsly.json_loads(data)
            self.labeler = TermLabeler.from_dict(loaded) if loaded else None

        deserializers = {"lexicon": self._set_entries, "generic_words": self._set_generic, "labeler": labeler}
        util.from_bytes(bytes_data, deserializers, exclude)
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = tuple()) -> None:
        """Write ``lexicon.jsonl`` and ``generic_words.txt`` into the folder ``path``."""
        serializers = {
            "lexicon": lambda p: srsly.write_jsonl(p.with_suffix(".jsonl"), [e.to_dict() for e in self.entries]),
            "generic_words": lambda p: p.with_suffix(".txt").write_text(
                "".join(w + "\n" for w in sorted(self.generic_words)), encoding="utf-8"),
            "labeler": lambda p: self.labeler.to_disk(p.with_suffix(".json")) if self.labeler else None,
        }
        util.to_disk(path, serializers, exclude)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = tuple()) -> "PolicyTermTagger":
        """Restore what :meth:`to_disk` wrote; a missing file is a LexiconError."""

        def entries(p: Path) -> None:
            self.entries = load_lexicon(_required(p.with_suffix(".jsonl")))
            self._rebuild()

        def generic(p: Path) -> None:
            self.generic_words = load_generic_words(_required(p.with_suffix(".txt")))

        def labeler(p: Path) -> None:  # pipelines saved before the label model have none
            file = p.with_suffix(".json")
            self.labeler = TermLabeler.from_disk(file) if file.is_file() else None

        util.from_disk(path, {"lexicon": entries, "generic_words": generic, "labeler": labeler}, exclude)
        return self


def _required(path: Path) -> Path:
    if not path.is_file():
        raise LexiconError(f"{path}: policy_terms file missing from the saved pipeline")
    return path


def _form_key(form: str) -> str:
    """A surface form as the matcher sees it: normalized, without quotation marks."""
    return normalize_view(strip_quotes(form))


@Language.factory(
    "policy_terms",
    assigns=["doc.spans", "span._.canonical", "span._.source", "span._.term_id"],
    default_config=DEFAULT_CONFIG,
)
def make_policy_terms(nlp: Language, name: str, spans_key: str, rules: list[str], merge: bool,
                      priority: list[str]) -> PolicyTermTagger:
    """spaCy factory for :class:`PolicyTermTagger` (resources come through ``initialize``)."""
    return PolicyTermTagger(nlp, name, spans_key=spans_key, rules=rules, merge=merge, priority=priority)
