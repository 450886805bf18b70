"""Every span a processed Doc holds, as plain records (for ``policy-nlp tag`` and the spans table)."""

from __future__ import annotations

__all__ = ["span_records"]


def _plain(value):
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def span_records(doc) -> list[dict]:
    """Every span the pipeline produced: span groups, entities and sections, in text order.

    Each record has the group, label, character offsets, text and the span's stored
    extension attributes (``value``, ``canonical``, ...).
    """
    from spacy.tokens.underscore import Underscore

    stored = [name for name, (_, method, getter, _) in Underscore.span_extensions.items() if getter is None and method is None]
    records = []
    seen = set()

    def add(group: str, span) -> None:
        key = (group, span.start_char, span.end_char, span.label_)
        if key in seen:
            return
        seen.add(key)
        attrs = {name: _plain(getattr(span._, name)) for name in stored if getattr(span._, name) is not None}
        records.append({"group": group, "label": span.label_, "start": span.start_char, "end": span.end_char, "text": span.text, **attrs})

    for key, group in doc.spans.items():
        for span in group:
            add(key, span)
    for ent in doc.ents:
        add("ents", ent)
    for section in doc._.sections or [] if doc.has_extension("sections") else []:
        records.append({"group": "sections", "label": f"LEVEL{section.level}", "start": section.start_char, "end": section.end_char, "text": section.title})
    records.sort(key=lambda r: (r["start"], -r["end"], r["group"]))
    return records
