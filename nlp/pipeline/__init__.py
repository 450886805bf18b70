"""The spaCy pipeline: tokenizer, sentences, structure, terms, numbers, indicators."""
