"""The ``policy_terms`` pipeline component: lexicon + rules (+ model spans) -> ``doc.spans``.

Every mention becomes a span in ``doc.spans[spans_key]`` with its label and
``span._.canonical``, ``span._.source`` (lexicon / rule / model) and ``span._.term_id``.
Matching runs on characters (the normalized view), not on the segmenter's tokens.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import srsly
from spacy.language import Language
from spacy.tokens import Doc, Span

from ..align import char_spans
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
from .matcher import Candidate, LexiconMatcher, resolve_overlaps
from .rules import RULE_NAMES, RULES

__all__ = ["PolicyTermTagger", "make_policy_terms", "MODEL_SPANS_KEY", "DEFAULT_CONFIG"]

log = logging.getLogger(__name__)

MODEL_SPANS_KEY = "policy_terms_model"
DEFAULT_CONFIG = {
    "spans_key": "policy_terms",
    "rules": list(RULE_NAMES),
    "merge": False,
    "priority": ["lexicon", "rule", "model"],
    "use_shipped_lexicon": True,
}
_STATE_FILE = "policy_terms.msgpack"

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
        use_shipped_lexicon: bool = True,
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
        self.generic_words: set[str] = load_generic_words(shipped_generic_words_path())
        self._matcher = LexiconMatcher()
        if use_shipped_lexicon:
            path = shipped_lexicon_path()
            if path.exists():
                self.add_lexicon(path)
            else:
                log.warning("policy_terms: shipped lexicon %s not found; using rules only", path)

    # -- the lexicon ---------------------------------------------------------------------
    def add_lexicon(self, path_or_entries: str | Path | Iterable[Mapping | LexiconEntry]) -> int:
        """Add a lexicon file (JSONL/CSV) or entries to the tagger and the segmenter.

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
        tokenizer = getattr(self.nlp, "tokenizer", None)
        if tokenizer is not None and hasattr(tokenizer, "add_words"):
            tokenizer.add_words(segmenter_words(entries))
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
            cands.extend(RULES[name](view))
        cands.extend(model_spans)
        generic = self.generic_words
        # a rule's or model's canonical is its text without quotes; the lexicon's is curated
        cands = [
            c for c in cands
            if c.canonical not in generic and (c.source != "lexicon" or view[c.start : c.end] not in generic)
        ]
        return resolve_overlaps(cands, self.priority)

    def __call__(self, doc: Doc) -> Doc:
        """Tag the terms of ``doc`` into ``doc.spans[spans_key]`` (and merge them if asked)."""
        model: list[Candidate] = []
        if MODEL_SPANS_KEY in doc.spans:
            for sp in doc.spans[MODEL_SPANS_KEY]:
                canonical = sp._.canonical or strip_quotes(sp.text)
                model.append(Candidate(sp.start_char, sp.end_char, sp.label_, "model", canonical, sp._.term_id))
        text = doc_text(doc)
        found = self.find(text, model)
        # spans on the exact characters; tokens are split only where a term boundary falls
        # inside one (rare: the lexicon feeds the segmenter)
        spans = char_spans(doc, [(c.start, c.end, c.label) for c in found])
        _set_extensions(doc, spans, found)
        doc.spans[self.spans_key] = spans
        if self.merge and spans:
            _merge_spans(doc, [(c.start, c.end) for c in found])
        return doc

    def pipe(self, stream: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        """Tag a stream of docs."""
        for doc in stream:
            yield self(doc)

    # -- serialization -------------------------------------------------------------------
    def _state(self) -> dict:
        return {
            "entries": [e.to_dict() for e in self.entries],
            "generic_words": sorted(self.generic_words),
        }

    def _set_state(self, state: dict) -> None:
        self.entries = parse_entries(state.get("entries", []), "policy_terms state")
        self.generic_words = set(state.get("generic_words", []))
        self._rebuild()

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        """Serialize the entries and generic words (settings travel in the config)."""
        return srsly.msgpack_dumps(self._state())

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> "PolicyTermTagger":
        """Restore entries and generic words from :meth:`to_bytes` output."""
        self._set_state(srsly.msgpack_loads(data))
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Write the entries and generic words to ``path/policy_terms.msgpack``."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_msgpack(path / _STATE_FILE, self._state())

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "PolicyTermTagger":
        """Restore what :meth:`to_disk` wrote; a missing file is a LexiconError."""
        file = Path(path) / _STATE_FILE
        if not file.exists():
            raise LexiconError(f"{file}: policy_terms state file missing")
        self._set_state(srsly.read_msgpack(file))
        return self


def _set_extensions(doc: Doc, spans: list[Span], found: list[Candidate]) -> None:
    """Set ``span._.canonical/source/term_id``; plain attributes go straight to ``doc.user_data``
    under spaCy's own key (``("._.", name, start_char, end_char)``), which is much faster."""
    plain = all(Span.get_extension(n)[1:] == (None, None, None) for n in ("canonical", "source", "term_id"))
    if not plain:  # someone registered a getter/setter: go through the API
        for span, c in zip(spans, found):
            span._.canonical, span._.source, span._.term_id = c.canonical, c.source, c.term_id
        return
    data = doc.user_data
    for c in found:
        data[("._.", "canonical", c.start, c.end)] = c.canonical
        data[("._.", "source", c.start, c.end)] = c.source
        data[("._.", "term_id", c.start, c.end)] = c.term_id


def _form_key(form: str) -> str:
    """A surface form as the matcher sees it: normalized, without quotation marks."""
    return normalize_view(strip_quotes(form))


def _merge_spans(doc: Doc, offsets: list[tuple[int, int]]) -> None:
    """Merge each term into one token, keeping every stored span group by character offsets."""
    saved = {
        key: ([(s.start_char, s.end_char, s.label, s.kb_id, s.id) for s in group], dict(group.attrs))
        for key, group in doc.spans.items()
    }
    others = [(a, b) for items, _ in saved.values() for a, b, *_ in items]
    with doc.retokenize() as retokenizer:
        for start, end in offsets:
            # never merge across another group's span boundary (it would be lost)
            if any(a < end and start < b and not (a <= start and end <= b) for a, b in others):
                continue
            span = doc.char_span(start, end)
            if span is not None and len(span) > 1:
                retokenizer.merge(span)
    for key, (items, attrs) in saved.items():
        spans = [doc.char_span(a, b, label=lab, kb_id=kb, span_id=sid) for a, b, lab, kb, sid in items]
        doc.spans[key] = [sp for sp in spans if sp is not None]
        doc.spans[key].attrs.update(attrs)


@Language.factory("policy_terms", default_config=DEFAULT_CONFIG)
def make_policy_terms(
    nlp: Language,
    name: str,
    spans_key: str,
    rules: list[str],
    merge: bool,
    priority: list[str],
    use_shipped_lexicon: bool,
) -> PolicyTermTagger:
    """spaCy factory for :class:`PolicyTermTagger`."""
    return PolicyTermTagger(
        nlp,
        name,
        spans_key=spans_key,
        rules=rules,
        merge=merge,
        priority=priority,
        use_shipped_lexicon=use_shipped_lexicon,
    )
