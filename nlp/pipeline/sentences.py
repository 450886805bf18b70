"""Chinese sentence boundaries without a parser: 。！？；…… and line breaks.

A closing quote or bracket after the end mark stays with its sentence
(``他说：“好。”`` is one sentence); blank lines join the sentence before them.
"""

from __future__ import annotations

import re
from bisect import bisect_left

import numpy as np
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from .text import doc_text

__all__ = ["ChineseSentencizer", "sentence_starts"]

_END = "。！？；!?;…"
_CLOSE = "”’」』）)】》\"'"
# An end mark (or run of them), any closing quotes; or a line break (runs of whitespace
# that contain one). The sentence starts at the first character after the match.
_BOUNDARY = re.compile(rf"[{_END}]+[{re.escape(_CLOSE)}]*(?:[ \t\u3000]*\n\s*)?|\n\s*")


def sentence_starts(text: str) -> list[int]:
    """Character offsets where sentences start (0 excluded), from the text alone."""
    n = len(text)
    return [m.end() for m in _BOUNDARY.finditer(text) if 0 < m.end() < n]


class ChineseSentencizer:
    """Sets ``token.is_sent_start`` so that ``doc.sents`` works."""

    def __init__(self, name: str = "policy_sentencizer") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        n = len(doc)
        if not n:
            return doc
        flags = np.full(n, -1, dtype=np.int64)
        flags[0] = 1
        starts = doc.to_array(IDX).tolist()
        for start in sentence_starts(doc_text(doc)):
            # the token that starts there, or the next one if a token straddles the boundary
            i = bisect_left(starts, start)
            if 0 < i < n:
                flags[i] = 1
        doc.from_array([SENT_START], flags.astype(np.uint64).reshape(-1, 1))
        return doc


@Language.factory("policy_sentencizer")
def make_sentencizer(nlp: Language, name: str) -> ChineseSentencizer:
    """Factory for :class:`ChineseSentencizer`."""
    return ChineseSentencizer(name)
