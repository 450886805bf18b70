"""``doc_text(doc)``: the document's text without rebuilding it from the tokens each time.

``Doc.text`` joins every token anew (a Python object per token); components that all need
the text share the copy our tokenizer keeps in ``doc.user_data``. Retokenizing never
changes the text, so the copy stays valid.
"""

from __future__ import annotations

from spacy.tokens import Doc

__all__ = ["doc_text", "remember_text", "TEXT_KEY"]

TEXT_KEY = "policy_nlp.text"


def remember_text(doc: Doc, text: str) -> None:
    """Keep ``text`` (which must equal ``doc.text``) with the doc."""
    doc.user_data[TEXT_KEY] = text


def doc_text(doc: Doc) -> str:
    """``doc.text``, from the kept copy when there is one of the right length."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None or (len(doc) and len(text) != doc[-1].idx + len(doc[-1].text_with_ws)):
        text = doc.text
        doc.user_data[TEXT_KEY] = text
    return text
