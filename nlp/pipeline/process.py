"""Run a pipeline over read documents, keeping each document's metadata on its Doc."""

from __future__ import annotations

from typing import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from ..io import Document

__all__ = ["process"]


def process(nlp: Language, documents: Iterable[Document | str], *, batch_size: int = 4) -> Iterator[Doc]:
    """Run ``nlp`` over documents (or plain strings), keeping each document's metadata.

    ``doc._.meta`` gets the reader's metadata (path, name, year, ...) where the header
    alone does not tell.
    """
    docs = list(documents)
    texts = [d.text if isinstance(d, Document) else d for d in docs]
    for source, doc in zip(docs, nlp.pipe(texts, batch_size=batch_size)):
        if isinstance(source, Document) and doc.has_extension("meta"):
            meta = dict(doc._.meta or {})
            for key, value in source.meta.to_dict().items():
                if meta.get(key) is None and value is not None:
                    meta[key] = value
            meta.update({"path": source.path, "name": source.name, "format": source.format, "encoding": source.encoding})
            doc._.meta = meta
        yield doc
