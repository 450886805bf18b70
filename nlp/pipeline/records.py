"""Doc extensions that hold lists of dataclass records as plain dicts in ``doc.user_data``,
so that ``Doc.to_bytes``, ``DocBin`` and multiprocessing can serialize them."""

from __future__ import annotations

from dataclasses import asdict, is_dataclass

from spacy.tokens import Doc

__all__ = ["set_record_list_extension"]


def set_record_list_extension(name: str, record_type: type) -> None:
    """Register ``doc._.<name>``: a list of ``record_type`` objects (or None), stored as dicts."""
    if Doc.has_extension(name):
        return
    key = f"policy_nlp.{name}"

    def getter(doc: Doc) -> list | None:
        data = doc.user_data.get(key)
        return None if data is None else [record_type(**d) for d in data]

    def setter(doc: Doc, records: list | None) -> None:
        doc.user_data[key] = None if records is None else [asdict(r) if is_dataclass(r) else dict(r) for r in records]

    Doc.set_extension(name, getter=getter, setter=setter)
