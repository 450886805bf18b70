"""CJK font discovery and glyph coverage checks (no global matplotlib state is touched).

matplotlib and fontTools are imported only when a function needs them, so the warning class
and the font choice can be used by processes that draw nothing.
"""
from __future__ import annotations

import os
import unicodedata
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from matplotlib.font_manager import FontProperties

ENV_VAR = "POLICY_NLP_FONT"
BUNDLED_FONT = Path(__file__).resolve().parent.parent / "data" / "fonts" / "NotoSansCJKsc-Regular-subset.otf"
BUNDLED_FAMILY = "Noto Sans CJK SC"
# System families tried in this order (first match wins).
CJK_FAMILIES: tuple[str, ...] = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "PingFang SC",
    "Microsoft YaHei",
    "SimHei",
)


def _font_path_class():
    """matplotlib's FontPath (>= 3.11 can address a face inside a .ttc), or None."""
    from matplotlib import font_manager

    return getattr(font_manager, "FontPath", None)


class FontError(ValueError):
    """A font given by the user (e.g. via POLICY_NLP_FONT) cannot be used."""


class MissingGlyphWarning(UserWarning):
    """A word to be drawn contains a character the chosen font has no glyph for."""


@dataclass(frozen=True)
class CJKFont:
    """A font file plus the face index inside it (non-zero only for .ttc collections)."""

    path: Path
    index: int = 0
    family: str = ""
    bundled: bool = False


def bundled_font() -> CJKFont:
    """The OFL subset of Noto Sans CJK SC shipped in nlp/data/fonts."""
    if not BUNDLED_FONT.is_file():
        raise FontError(f"{BUNDLED_FONT}: bundled font missing; run scripts/build_font_subset.py")
    return CJKFont(BUNDLED_FONT, 0, BUNDLED_FAMILY, True)


def _system_font() -> CJKFont | None:
    """First installed font (per matplotlib's font list) whose family is in CJK_FAMILIES."""
    from matplotlib import font_manager

    entries = font_manager.fontManager.ttflist
    for family in CJK_FAMILIES:
        want = family.casefold()
        matches = [
            e for e in entries
            if e.name.casefold() == want and Path(e.fname).is_file()
            and (getattr(e, "index", 0) == 0 or _font_path_class() is not None)
        ]
        if matches:
            best = min(matches, key=lambda e: (e.style != "normal", abs(_weight(e.weight) - 400), e.fname))
            return CJKFont(Path(best.fname), int(getattr(best, "index", 0)), best.name, False)
    return None


def _weight(weight: int | str) -> int:
    """Numeric font weight (matplotlib stores ints, but be lenient)."""
    if isinstance(weight, int):
        return weight
    from matplotlib import font_manager

    return font_manager.weight_dict.get(str(weight), 400)


def _face_named(path: Path, index: int | None) -> tuple[int, str]:
    """Face index (defaulting to a Simplified Chinese face in collections) and its family name."""
    if path.suffix.lower() in (".ttc", ".otc"):
        from fontTools.ttLib import TTCollection

        with open(path, "rb") as handle:
            names = [f["name"].getDebugName(1) or "" for f in TTCollection(handle, lazy=True).fonts]
        if index is None:
            preferred = [i for i, n in enumerate(names) if n in CJK_FAMILIES]
            preferred += [i for i, n in enumerate(names) if n.endswith((" SC", " CN"))]
            index = (preferred or [0])[0]
        if not 0 <= index < len(names):
            raise FontError(f"{path}: collection has {len(names)} faces, no face #{index}")
        return index, names[index]
    from fontTools.ttLib import TTFont

    with open(path, "rb") as handle:
        return 0, TTFont(handle, lazy=True)["name"].getDebugName(1) or path.stem


@lru_cache(maxsize=16)
def _resolve(env_value: str, bundled: bool) -> CJKFont:
    """Cached worker of resolve_font."""
    if bundled or env_value.strip().lower() == "bundled":
        return bundled_font()
    if env_value.strip():
        raw, _, idx = env_value.strip().partition("#")
        path = Path(raw).expanduser()
        if not path.is_file():
            raise FontError(f"{path}: font file named by {ENV_VAR} does not exist")
        try:
            index, family = _face_named(path, int(idx) if idx else None)
        except FontError:
            raise
        except Exception as exc:  # fontTools raises many types on bad files
            raise FontError(f"{path}: not a readable font ({exc})") from exc
        if index and _font_path_class() is None:
            raise FontError(f"{path}: face #{index} of a collection needs matplotlib >= 3.11")
        return CJKFont(path.resolve(), index, family, False)
    return _system_font() or bundled_font()


def resolve_font(*, bundled: bool = False) -> CJKFont:
    """Choose the CJK font: $POLICY_NLP_FONT (a path, 'path#face' or 'bundled'), then a system font, then the bundled subset."""
    return _resolve(os.environ.get(ENV_VAR, ""), bundled)


def find_cjk_font(*, bundled: bool = False) -> Path:
    """Path of the CJK font file to draw with (see resolve_font for the order)."""
    return resolve_font(bundled=bundled).path


def font_properties(font: CJKFont | None = None, *, size: float | None = None) -> FontProperties:
    """FontProperties pointing at exactly the chosen font file (and face)."""
    from matplotlib.font_manager import FontProperties

    font = font or resolve_font()
    fname: str = str(font.path)
    font_path = _font_path_class()
    if font.index and font_path is not None:
        fname = font_path(fname, font.index)
    return FontProperties(fname=fname, size=size)


@lru_cache(maxsize=16)
def _cmap(path: str, index: int, mtime: float) -> frozenset[int]:
    """Code points mapped by one face (cached per file, face and modification time; kept in
    the private cache folder too, as parsing a large collection's table takes 0.2 s)."""
    import marshal

    from nlp.cache import cache_file, file_stamp, load_cached, store_cached

    cached = cache_file("cmap", f"{file_stamp(path)}|{index}", ".marshal")
    points = load_cached(cached, marshal.loads)
    if isinstance(points, tuple) and all(isinstance(p, int) for p in points[:10]):
        return frozenset(points)
    points = _read_cmap(path, index)
    store_cached(cached, marshal.dumps(tuple(sorted(points))))
    return points


def _read_cmap(path: str, index: int) -> frozenset[int]:
    """Code points mapped by one face, read with fontTools."""
    from fontTools.ttLib import TTCollection, TTFont

    with open(path, "rb") as handle:  # our own handle: closed even if fontTools fails mid-parse
        if path.lower().endswith((".ttc", ".otc")):
            return frozenset(TTCollection(handle, lazy=True).fonts[index].getBestCmap() or {})
        return frozenset(TTFont(handle, lazy=True).getBestCmap() or {})


def font_codepoints(font: CJKFont | str | os.PathLike[str] | None = None, index: int = 0) -> frozenset[int]:
    """All code points the font (face) maps to a glyph."""
    if font is None:
        font = resolve_font()
    if isinstance(font, CJKFont):
        path, index = font.path, font.index
    else:
        path = Path(font)
    if not path.is_file():
        raise FontError(f"{path}: font file does not exist")
    return _cmap(str(path), index, path.stat().st_mtime)


def _drawable(char: str) -> bool:
    """Whether a character needs a glyph (whitespace and control characters do not)."""
    return not char.isspace() and unicodedata.category(char) != "Cc"


def missing_glyphs(text: str, font_path: CJKFont | str | os.PathLike[str] | None = None, index: int = 0) -> set[str]:
    """Characters of text that the font has no glyph for."""
    cps = font_codepoints(font_path, index)
    return {c for c in text if _drawable(c) and ord(c) not in cps}


def check_glyphs(
    words: Iterable[str],
    font_path: CJKFont | str | os.PathLike[str] | None = None,
    index: int = 0,
    *,
    stacklevel: int = 2,
) -> list[str]:
    """Warn (MissingGlyphWarning) for each word with a character the font lacks; return those words."""
    cps = font_codepoints(font_path, index)
    name = Path(font_path.path if isinstance(font_path, CJKFont) else font_path or find_cjk_font()).name
    bad: list[str] = []
    for word in dict.fromkeys(str(w) for w in words):
        lacking = sorted({c for c in word if _drawable(c) and ord(c) not in cps})
        if lacking:
            bad.append(word)
            chars = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in lacking)
            warnings.warn(
                f"font {name} has no glyph for {chars} in word {word!r}; it would be drawn as a box",
                MissingGlyphWarning,
                stacklevel=stacklevel,
            )
    return bad
