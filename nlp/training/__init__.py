"""Custom term taggers: read annotations, bootstrap silver data, train, evaluate, plug in.

Submodules: ``formats`` (readers/writers), ``validate``, ``silver``, ``export``, ``train``,
``evaluate``, ``plug`` and ``components`` (the small pipeline components a trained tagger uses).
They are imported on demand: ``from nlp.training.train import train_tagger``.
"""
