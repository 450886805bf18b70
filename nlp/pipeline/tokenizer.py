"""The pipeline's own jieba segmenter, registered as a spaCy tokenizer.

Each tokenizer owns a private ``jieba.Tokenizer``: jieba's global dictionary is never
touched, the user words travel with the pipeline (``to_disk``/``to_bytes``) and a
reloaded pipeline segments identically. jieba's prefix-dictionary cache goes to a
private per-user directory, never to a shared temp directory.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Iterable, Iterator

import jieba
import srsly
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

from ..cache import cache_file, file_stamp, load_cached, private_cache_dir, store_cached
from .text import remember_text

__all__ = ["JiebaTokenizer", "create_jieba_tokenizer", "private_cache_dir"]

# jieba keeps a word in one piece only if it matches this (its own ``re_han_default``).
_JIEBA_WORD = re.compile(r"^[\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]+$")
_USERDICT_FILE = "userdict.txt"
_CFG_FILE = "cfg.json"


class _quiet_jieba:
    """Silence jieba's 'Building prefix dict' chatter for one call, then restore."""

    def __enter__(self) -> None:
        self.logger = logging.getLogger("jieba")
        self.level = self.logger.level
        self.logger.setLevel(logging.WARNING)

    def __exit__(self, *exc: object) -> None:
        self.logger.setLevel(self.level)


def _dictionary_stamp() -> str:
    """jieba's version and its dictionary file (a cache key part)."""
    path = Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME
    try:
        return f"{jieba.__version__}|{file_stamp(path)}"
    except OSError:
        return f"{jieba.__version__}|{path}"


def _read_freqs(data: bytes) -> list[int]:
    """A cached list of frequencies (ValueError when the data is not one)."""
    freqs = json.loads(data)
    if not (isinstance(freqs, list) and all(isinstance(f, int) for f in freqs)):
        raise ValueError("not a list of frequencies")
    return freqs


class JiebaTokenizer:
    """spaCy tokenizer over a private ``jieba.Tokenizer``; ``doc.text`` is the input."""

    def __init__(self, vocab: Vocab, *, hmm: bool = True, user_words: Iterable = ()) -> None:
        self.vocab = vocab
        self.hmm = hmm
        self._words: dict[str, tuple[int, str | None]] = {}
        self._segmenter: jieba.Tokenizer | None = None
        self.add_words(user_words)

    # -- the segmenter -------------------------------------------------------------
    @property
    def segmenter(self) -> jieba.Tokenizer:
        """The private jieba instance, initialized on first use with our user words."""
        if self._segmenter is None:
            seg = jieba.Tokenizer()
            seg.tmp_dir = str(private_cache_dir())  # jieba keeps its prefix-dictionary cache there
            with _quiet_jieba():
                seg.initialize()
            for word, (freq, tag) in self._words.items():
                seg.add_word(word, freq, tag)
            self._segmenter = seg
        return self._segmenter

    @property
    def user_words(self) -> dict[str, tuple[int, str | None]]:
        """The user dictionary: word -> (frequency, tag)."""
        return dict(self._words)

    def add_words(self, words: Iterable) -> int:
        """Add words (``str`` or ``(word, freq[, tag])``) to this segmenter's dictionary.

        Words jieba cannot keep whole (with quotes, ·, spaces) are skipped: policy terms
        are matched on characters anyway. A missing frequency is jieba's suggestion, fixed
        once so that saving and loading reproduces the same segmentation.
        """
        entries, seen = [], set(self._words)
        for item in words:
            if isinstance(item, str):
                word, freq, tag = item, None, None
            else:
                word, freq, tag = (list(item) + [None, None])[:3]
            word = str(word).strip()
            if word and _JIEBA_WORD.match(word) and (word not in seen or freq is not None):
                seen.add(word)  # each word once: a second suggestion would see the first and differ
                entries.append((word, None if freq is None else int(freq), tag))
        cache = self._freqs_cache(entries)
        suggested = load_cached(cache, _read_freqs) if cache is not None else None
        if suggested is not None and len(suggested) == sum(freq is None for _, freq, _ in entries):
            given = iter(suggested)  # known: record the words; the segmenter gets them when it starts
            for word, freq, tag in entries:
                self._add(word, next(given) if freq is None else freq, tag)
            return len(entries)
        computed = []
        for word, freq, tag in entries:  # each suggestion sees the entries before it
            if freq is None:
                freq = max(self.segmenter.suggest_freq(word, tune=False), 1)
                computed.append(freq)
            self._add(word, freq, tag)
        if cache is not None:
            store_cached(cache, json.dumps(computed).encode("utf-8"))
        return len(entries)

    def _add(self, word: str, freq: int, tag: str | None) -> None:
        self._words[word] = (freq, tag)
        if self._segmenter is not None:
            self._segmenter.add_word(word, freq, tag)

    def _freqs_cache(self, entries: list[tuple[str, int | None, str | None]]) -> Path | None:
        """Where jieba's suggested frequencies for these entries are kept (None: nothing to
        suggest). The key covers the dictionary, the words already added and the entries;
        suggesting takes jieba about 0.1 s per thousand words, reading the file next to nothing."""
        if all(freq is not None for _, freq, _ in entries):
            return None
        key = json.dumps([_dictionary_stamp(), sorted(self._words.items()), entries], ensure_ascii=False)
        return cache_file("freqs", key, ".json")

    # -- tokenizing ----------------------------------------------------------------
    def __call__(self, text: str) -> Doc:
        words = list(self.segmenter.cut(text, HMM=self.hmm))
        doc = Doc(self.vocab, words=words, spaces=[False] * len(words))
        remember_text(doc, text)
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        """Tokenize a stream of texts."""
        for text in texts:
            yield self(text)

    # -- serialization -------------------------------------------------------------
    def _cfg(self) -> dict:
        return {"hmm": self.hmm}

    def _dump_words(self) -> str:
        lines = [f"{w} {f} {t}" if t else f"{w} {f}" for w, (f, t) in sorted(self._words.items())]
        return "\n".join(lines) + ("\n" if lines else "")

    def _load_words(self, data: str) -> None:
        self._words = {}
        self._segmenter = None
        entries = []
        for line in data.splitlines():
            parts = line.split()
            if parts:
                entries.append((parts[0], int(parts[1]), parts[2] if len(parts) > 2 else None))
        self.add_words(entries)

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        """Settings and user words as bytes."""
        return srsly.msgpack_dumps({"cfg": self._cfg(), "userdict": self._dump_words()})

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> "JiebaTokenizer":
        """Restore what :meth:`to_bytes` wrote."""
        msg = srsly.msgpack_loads(data)
        self.hmm = bool(msg["cfg"].get("hmm", True))
        self._load_words(msg["userdict"])
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Write ``cfg.json`` and ``userdict.txt`` (the jieba user-dictionary format) to ``path``."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        (path / _CFG_FILE).write_text(json.dumps(self._cfg()), encoding="utf-8")
        (path / _USERDICT_FILE).write_text(self._dump_words(), encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "JiebaTokenizer":
        """Restore what :meth:`to_disk` wrote."""
        path = Path(path)
        cfg = json.loads((path / _CFG_FILE).read_text(encoding="utf-8"))
        self.hmm = bool(cfg.get("hmm", True))
        self._load_words((path / _USERDICT_FILE).read_text(encoding="utf-8"))
        return self


@registry.tokenizers("policy_nlp.jieba_tokenizer.v1")
def create_jieba_tokenizer(hmm: bool = True):
    """Config entry point: ``[nlp.tokenizer] @tokenizers = "policy_nlp.jieba_tokenizer.v1"``."""

    def make(nlp) -> JiebaTokenizer:
        return JiebaTokenizer(nlp.vocab, hmm=hmm)

    return make
