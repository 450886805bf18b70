"""Two tiny components that let a trained NER model feed ``doc.spans["policy_terms_model"]``.

``policy_terms_ents_stash`` (before the model) keeps the entities already set and clears
``doc.ents`` so that the model predicts on its own; ``policy_terms_ents_to_spans`` (after it)
copies the model's entities into the span group and puts the previous entities back.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["MODEL_SPANS_KEY", "STASH_KEY", "stash_ents", "ents_to_spans"]

#: the span group a trained term tagger writes and ``policy_terms`` reads
MODEL_SPANS_KEY = "policy_terms_model"
STASH_KEY = "policy_terms_model_stash"


@Language.component("policy_terms_ents_stash", assigns=["doc.ents"])
def stash_ents(doc: Doc) -> Doc:
    """Remember the current entities (as character offsets) and clear ``doc.ents``."""
    doc.user_data[STASH_KEY] = [(e.start_char, e.end_char, e.label_, e.kb_id_, e.id_) for e in doc.ents]
    if doc.ents:
        doc.ents = []
    return doc


@Language.component("policy_terms_ents_to_spans", assigns=["doc.spans", "doc.ents"])
def ents_to_spans(doc: Doc) -> Doc:
    """Copy ``doc.ents`` into ``doc.spans["policy_terms_model"]``, then restore the stashed entities."""
    doc.spans[MODEL_SPANS_KEY] = list(doc.ents)
    stashed = doc.user_data.pop(STASH_KEY, [])
    spans = [doc.char_span(s, e, label=lab, kb_id=kb, span_id=sid) for s, e, lab, kb, sid in stashed]
    doc.ents = [sp for sp in spans if sp is not None]
    return doc
