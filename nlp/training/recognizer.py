"""Train the character-CRF term recognizer (``policy_terms_recognizer``) on annotations.

The texts are segmented with the pipeline's own tokenizer (so the features at training time
are the ones at tagging time), each sentence becomes one CRF sequence, and CRFsuite learns
B-/I-LABEL tags with an elastic-net penalty; seconds on CPU for the eight annotated reports.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from spacy.language import Language

from ..pipeline.terms.recognizer import train_crf, training_sequences
from .formats import AnnotatedText

__all__ = ["train_recognizer", "DEFAULT_C1", "DEFAULT_C2", "DEFAULT_ITERATIONS"]

#: the CRF's L1 and L2 penalties and L-BFGS iterations (chosen by the leave-one-report-out benchmark)
DEFAULT_C1, DEFAULT_C2, DEFAULT_ITERATIONS = 0.1, 0.05, 150


def train_recognizer(records: Iterable[AnnotatedText], nlp: Language, *, labels: Sequence[str] | None = None,
                     c1: float = DEFAULT_C1, c2: float = DEFAULT_C2,
                     max_iterations: int = DEFAULT_ITERATIONS) -> bytes:
    """A CRFsuite model (its bytes) trained on ``records``, segmented with ``nlp``'s tokenizer.

    ``labels`` keeps only those labels (the others become O)."""
    keep = set(labels) if labels else None

    def examples():
        for record in records:
            doc = nlp.make_doc(record.text)
            spans = [s for s in record.spans if keep is None or s[2] in keep]
            yield record.text, [t.idx for t in doc], spans

    return train_crf(training_sequences(examples()), c1=c1, c2=c2, max_iterations=max_iterations)
