"""``doc_text(doc)``: the document's text without rebuilding it from Token objects each time.

``Doc.text`` joins every token anew (a Python object per token); components that all need
the text share the copy our tokenizer keeps in ``doc.user_data``. Retokenizing never
changes the text, so the copy stays valid. Without a kept copy (another tokenizer), the text
is rebuilt from the token array through a shared orth → string cache and then kept.
"""

from __future__ import annotations

from spacy.attrs import ORTH, SPACY
from spacy.tokens import Doc

__all__ = ["doc_text", "remember_text", "orth_texts", "TEXT_KEY"]

TEXT_KEY = "policy_nlp.text"
_ORTH_TEXT: dict[int, str] = {}
_MAX_CACHE = 500_000


def remember_text(doc: Doc, text: str) -> None:
    """Keep ``text`` (which must equal ``doc.text``) with the doc."""
    doc.user_data[TEXT_KEY] = text


def orth_texts(doc: Doc) -> dict[int, str]:
    """The shared orth id → token text cache, filled for every token of ``doc``."""
    if len(_ORTH_TEXT) > _MAX_CACHE:
        _ORTH_TEXT.clear()
    strings = doc.vocab.strings
    for orth in set(doc.to_array(ORTH).tolist()).difference(_ORTH_TEXT):
        _ORTH_TEXT[orth] = strings[orth]
    return _ORTH_TEXT


def _rebuild(doc: Doc) -> str:
    arr = doc.to_array([ORTH, SPACY])
    if arr[:, 1].any():  # tokens followed by a space: let spaCy join them
        return doc.text
    cache = orth_texts(doc)
    return "".join(map(cache.__getitem__, arr[:, 0].tolist()))


def doc_text(doc: Doc) -> str:
    """``doc.text``, from the kept copy when there is one of the right length."""
    if not len(doc):
        return ""
    text = doc.user_data.get(TEXT_KEY)
    last = doc[-1]
    if not isinstance(text, str) or len(text) != last.idx + len(last.text_with_ws):
        text = _rebuild(doc)
        doc.user_data[TEXT_KEY] = text
    return text
