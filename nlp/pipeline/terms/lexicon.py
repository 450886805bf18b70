"""The policy-term lexicon: entries (canonical form, aliases, label, note) and generic words.

Files are JSONL (one JSON object a line) or CSV (``id,canonical,aliases,label,note``, aliases
separated by ``|``). Bad input raises :class:`LexiconError` naming the file and line.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Union

from ...resources import data_path

__all__ = [
    "LABELS",
    "QUOTE_CHARS",
    "DEFAULT_GENERIC_WORDS",
    "LexiconError",
    "LexiconEntry",
    "load_lexicon",
    "parse_entries",
    "load_generic_words",
    "strip_quotes",
    "segmenter_words",
    "shipped_lexicon_path",
    "shipped_generic_words_path",
]

LABELS = ("STRATEGY", "PROGRAM", "POLICY", "PLATFORM")
QUOTE_CHARS = "“”‘’「」『』《》\"'"
_STRIP_TABLE = str.maketrans("", "", QUOTE_CHARS)

# Words that are never a term on their own (the shipped generic_words.txt adds to these).
DEFAULT_GENERIC_WORDS = frozenset(
    """发展 建设 推进 推动 改革 创新 体系 加快 加强 深化 完善 提升 实施 落实 促进 坚持 强化
    优化 健全 工作 政策 措施 机制 制度 服务 管理 治理 战略 规划 计划 行动 工程 项目 平台 中心
    任务 目标 试点 示范 示范区 试验区 先行区 合作区 新区 园区 产业 经济 企业 市场 城市 社会
    文化 生态 环境 安全 民生 开放 合作 协调 绿色 共享 高质量 现代化 数字化 一体化 方案 意见
    办法 清单 标准 条例 规定 重点 重大 专项 精神 思想 理念 要求 方面 领域 能力 水平 质量""".split()
)

PathLike = Union[str, Path]


class LexiconError(ValueError):
    """A lexicon file or entry is malformed."""


@dataclass(frozen=True)
class LexiconEntry:
    """One lexicon entry: a canonical form with its aliases, label and note."""

    id: str
    canonical: str
    aliases: tuple[str, ...] = ()
    label: str = "PROGRAM"
    note: str = ""
    scope: str = "national"
    sources: tuple[str, ...] = ()  # the annotated reports the term was seen in
    extra: Mapping = field(default_factory=dict, compare=False)
    source: str = field(default="", compare=False, repr=False)  # "file: line N", for messages

    def forms(self) -> list[str]:
        """The canonical form and the aliases, without duplicates, in file order."""
        out: list[str] = []
        for form in (self.canonical, *self.aliases):
            if form and form not in out:
                out.append(form)
        return out

    def to_dict(self) -> dict:
        """A JSON-ready dict (the JSONL line format)."""
        d = asdict(self)
        d["aliases"] = list(self.aliases)
        d["sources"] = list(self.sources)
        d.pop("source", None)
        extra = d.pop("extra") or {}
        d.update({k: v for k, v in extra.items() if k not in d})
        return d


def strip_quotes(text: str) -> str:
    """``text`` without quotation marks (“一网通办” -> 一网通办)."""
    return text.translate(_STRIP_TABLE).strip()


def _entry_from_mapping(obj: Mapping, where: str) -> LexiconEntry:
    if not isinstance(obj, Mapping):
        raise LexiconError(f"{where}: expected an object, got {type(obj).__name__}")
    canonical = obj.get("canonical")
    if not isinstance(canonical, str) or not canonical.strip():
        raise LexiconError(f"{where}: missing or empty 'canonical'")
    canonical = canonical.strip()
    if any(q in canonical for q in QUOTE_CHARS):
        raise LexiconError(f"{where}: 'canonical' must not hold quotation marks ({canonical}); put the quoted form in 'aliases'")
    aliases = obj.get("aliases") or []
    if isinstance(aliases, str):
        aliases = [a for a in aliases.split("|")]
    if not isinstance(aliases, (list, tuple)) or not all(isinstance(a, str) for a in aliases):
        raise LexiconError(f"{where}: 'aliases' must be a list of strings")
    label = (obj.get("label") or "PROGRAM").strip().upper()
    if label not in LABELS:
        raise LexiconError(f"{where}: label {label!r} is not one of {', '.join(LABELS)}")
    sources = obj.get("sources") or []
    if not isinstance(sources, (list, tuple)) or not all(isinstance(x, str) for x in sources):
        raise LexiconError(f"{where}: 'sources' must be a list of report names")
    term_id = obj.get("id")
    if term_id is None or str(term_id).strip() == "":
        term_id = f"user:{canonical}"
    known = {"id", "canonical", "aliases", "label", "note", "scope", "sources"}
    return LexiconEntry(
        id=str(term_id).strip(),
        canonical=canonical,
        aliases=tuple(a.strip() for a in aliases if a and a.strip()),
        label=label,
        note=str(obj.get("note") or ""),
        scope=str(obj.get("scope") or "national"),
        sources=tuple(sources),
        extra={k: v for k, v in obj.items() if k not in known},
        source=where,
    )


def parse_entries(items: Iterable[Mapping | LexiconEntry], source: str = "<entries>") -> list[LexiconEntry]:
    """Validate dicts (or entries) into :class:`LexiconEntry` objects."""
    out = []
    for i, item in enumerate(items, 1):
        out.append(item if isinstance(item, LexiconEntry) else _entry_from_mapping(item, f"{source}: entry {i}"))
    return out


def _read_jsonl(path: Path, text: str) -> list[LexiconEntry]:
    entries = []
    for lineno, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#") or line.startswith("//"):
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LexiconError(f"{path}: line {lineno}: invalid JSON ({exc.msg})") from None
        entries.append(_entry_from_mapping(obj, f"{path}: line {lineno}"))
    return entries


def _read_csv(path: Path, text: str) -> list[LexiconEntry]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "canonical" not in [f.strip() for f in reader.fieldnames]:
        raise LexiconError(f"{path}: CSV needs a header with at least 'canonical' (id,canonical,aliases,label,note)")
    entries = []
    for lineno, row in enumerate(reader, 2):
        row = {(k or "").strip(): (v or "") for k, v in row.items()}
        if not any(v.strip() for v in row.values()):
            continue
        entries.append(_entry_from_mapping(row, f"{path}: line {lineno}"))
    return entries


def load_lexicon(path: PathLike) -> list[LexiconEntry]:
    """Read a lexicon file (``.jsonl``/``.json`` lines or ``.csv``); raise LexiconError if bad."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise LexiconError(f"{path}: lexicon file not found") from None
    except UnicodeDecodeError:
        raise LexiconError(f"{path}: lexicon file is not UTF-8") from None
    if path.suffix.lower() == ".csv":
        return _read_csv(path, text)
    if path.suffix.lower() == ".json" and text.lstrip().startswith("["):
        try:
            return parse_entries(json.loads(text), str(path))
        except json.JSONDecodeError as exc:
            raise LexiconError(f"{path}: invalid JSON ({exc.msg})") from None
    return _read_jsonl(path, text)


def load_generic_words(path: PathLike | None = None) -> set[str]:
    """Generic words: the built-in set plus the words of ``path`` (one a line, ``#`` comments)."""
    words = set(DEFAULT_GENERIC_WORDS)
    if path is None:
        return words
    path = Path(path)
    if not path.exists():
        return words
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            words.update(line.split())
    return words


def segmenter_words(entries: Iterable[LexiconEntry]) -> list[str]:
    """Words for the segmenter's dictionary: canonical forms and aliases (quotes removed)."""
    out: dict[str, None] = {}
    for entry in entries:
        for form in entry.forms():
            word = strip_quotes(form)
            if len(word) >= 2:
                out.setdefault(word, None)
    return list(out)


def shipped_lexicon_path() -> Path:
    """``nlp/data/lexicon/policy_terms.jsonl``."""
    return data_path("lexicon", "policy_terms.jsonl")


def shipped_generic_words_path() -> Path:
    """``nlp/data/lexicon/generic_words.txt``."""
    return data_path("lexicon", "generic_words.txt")
