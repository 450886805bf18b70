"""Guess a term's label (STRATEGY, PROGRAM, POLICY, PLATFORM) from its characters.

A multinomial logistic regression over the term's own characters: its last one, two and three
characters (…示范区 PLATFORM, …行动 PROGRAM, …规划 POLICY, …经济 STRATEGY), its first ones, its
character bigrams, length and quotation marks. Trained on the annotated terms (``python
scripts/train_recognizer.py``, with scikit-learn); predicting needs only the stored weights.
Leave-one-report-out it labels 0.90 of the annotated terms right, against 0.56 for the
hand-written ending table it replaces for rule finds.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from .lexicon import strip_quotes

__all__ = ["TermLabeler", "label_features"]


def label_features(term: str) -> list[str]:
    """The feature names of a term (its text as written, quotation marks included)."""
    quoted = term[:1] in "“《「『"
    core = strip_quotes(term)
    feats = ["s1=" + core[-1:], "s2=" + core[-2:], "s3=" + core[-3:], "p1=" + core[:1], "p2=" + core[:2],
             f"n={min(len(core), 10)}", f"q={int(quoted)}"]
    feats += ["b=" + core[i:i + 2] for i in range(len(core) - 1)]
    feats += ["c=" + ch for ch in core]
    return feats


class TermLabeler:
    """Label scores from stored weights: ``classes``, ``intercept`` and a weight row per feature."""

    def __init__(self, classes: Sequence[str], intercept: Sequence[float], weights: Mapping[str, Sequence[float]]):
        if len(intercept) != len(classes) or any(len(w) != len(classes) for w in weights.values()):
            raise ValueError("TermLabeler: every weight row needs one value per class")
        self.classes = list(classes)
        self.intercept = [float(x) for x in intercept]
        self.weights = {k: [float(x) for x in v] for k, v in weights.items()}

    def scores(self, term: str) -> dict[str, float]:
        """Probabilities of each label for ``term``."""
        z = list(self.intercept)
        for name in label_features(term):
            row = self.weights.get(name)
            if row is not None:
                z = [a + b for a, b in zip(z, row)]
        top = max(z)
        exp = [math.exp(v - top) for v in z]
        total = sum(exp)
        return {c: e / total for c, e in zip(self.classes, exp)}

    def predict(self, term: str) -> str:
        """The most probable label of ``term``."""
        scores = self.scores(term)
        return max(self.classes, key=lambda c: (scores[c], -self.classes.index(c)))

    def to_dict(self) -> dict:
        return {"classes": self.classes, "intercept": [round(x, 6) for x in self.intercept],
                "weights": {k: [round(x, 6) for x in v] for k, v in sorted(self.weights.items())}}

    @classmethod
    def from_dict(cls, data: Mapping) -> "TermLabeler":
        try:
            return cls(data["classes"], data["intercept"], data["weights"])
        except (KeyError, TypeError) as err:
            raise ValueError(f"TermLabeler: not a label model ({err})") from None

    def to_disk(self, path: str | os.PathLike) -> None:
        Path(path).write_text(json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")

    @classmethod
    def from_disk(cls, path: str | os.PathLike) -> "TermLabeler":
        return cls.from_dict(json.loads(Path(path).read_text(encoding="utf-8")))

    @classmethod
    def train(cls, terms: Iterable[str], labels: Iterable[str], *, C: float = 3.0) -> "TermLabeler":
        """Fit on terms (as written) and their labels (needs scikit-learn)."""
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.linear_model import LogisticRegression

        terms, labels = list(terms), list(labels)
        vec = DictVectorizer()
        X = vec.fit_transform([{f: 1 for f in label_features(t)} for t in terms])
        clf = LogisticRegression(C=C, max_iter=2000).fit(X, labels)
        classes = list(clf.classes_)
        coef = clf.coef_ if len(classes) > 2 else [[-w for w in clf.coef_[0]], list(clf.coef_[0])]
        intercept = clf.intercept_ if len(classes) > 2 else [-clf.intercept_[0], clf.intercept_[0]]
        rows = {name: [float(coef[c][j]) for c in range(len(classes))] for name, j in vec.vocabulary_.items()}
        return cls(classes, [float(x) for x in intercept], {k: v for k, v in rows.items() if any(abs(x) > 1e-4 for x in v)})
