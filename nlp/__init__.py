"""policy-nlp: Chinese text mining for policy documents."""

__version__ = "0.1.0"
