#!/usr/bin/env python3
"""Rebuild the bundled CJK subset font nlp/data/fonts/NotoSansCJKsc-Regular-subset.otf.

Source: Noto Sans CJK SC Regular from Debian's ``fonts-noto-cjk`` package
(``sudo apt-get install fonts-noto-cjk``), i.e. face "Noto Sans CJK SC" inside
/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc, or a standalone
NotoSansCJKsc-Regular.otf passed with --source.

Coverage: ASCII, Latin-1, general punctuation, CJK symbols and punctuation,
full-width forms, every character of GB2312 (6,763 hanzi + 682 symbols), and
every character that occurs in seeds/*.txt and nlp/data/lexicon/*.jsonl, *.txt (if present).
The font is licensed under the SIL Open Font License 1.1; OFL.txt is written next to it.

Usage:  .venv/bin/python scripts/build_font_subset.py [--source PATH] [--out PATH]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "nlp" / "data" / "fonts" / "NotoSansCJKsc-Regular-subset.otf"
DEBIAN_TTC = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
DEBIAN_COPYRIGHT = Path("/usr/share/doc/fonts-noto-cjk/copyright")
SC_FAMILY = "Noto Sans CJK SC"
MAX_BYTES = 5 * 1024 * 1024

# Unicode blocks kept whole (inclusive ranges).
RANGES = [
    (0x0020, 0x007E),  # ASCII printable
    (0x00A0, 0x00FF),  # Latin-1 supplement (°, ×, ·, …)
    (0x2000, 0x206F),  # general punctuation (—, “”, ‰, …)
    (0x2100, 0x214F),  # letterlike symbols (℃, №)
    (0x2150, 0x218F),  # number forms (Ⅰ Ⅱ …)
    (0x2190, 0x21FF),  # arrows
    (0x2200, 0x22FF),  # mathematical operators (− minus sign used by matplotlib, ≤ ≥ ≈)
    (0x2460, 0x24FF),  # enclosed alphanumerics (①②…)
    (0x25A0, 0x25FF),  # geometric shapes (■ ● ○ …)
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3200, 0x32FF),  # enclosed CJK (㈠ …)
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF00, 0xFFEF),  # half-width and full-width forms
]


def gb2312_chars() -> set[str]:
    """Every character encodable in GB2312 (rows 0xA1-0xF7, cells 0xA1-0xFE)."""
    chars: set[str] = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def corpus_chars(repo: Path = REPO) -> set[str]:
    """Every non-space character in seeds/*.txt and nlp/data/lexicon/*.jsonl."""
    chars: set[str] = set()
    files = sorted((repo / "seeds").glob("*.txt")) + sorted((repo / "seeds").glob("*.md"))
    files += sorted((repo / "nlp" / "data" / "lexicon").glob("*.jsonl"))
    files += sorted((repo / "nlp" / "data" / "lexicon").glob("*.txt"))
    for path in files:
        chars.update(c for c in path.read_text(encoding="utf-8") if not c.isspace())
    return chars


def wanted_chars(repo: Path = REPO) -> set[str]:
    """The full character set the subset must cover."""
    chars = gb2312_chars() | corpus_chars(repo)
    for lo, hi in RANGES:
        chars.update(chr(cp) for cp in range(lo, hi + 1))
    return chars


def load_source(source: Path | None) -> TTFont:
    """Open the SC face of the Debian collection (or a given .otf/.ttf/.ttc)."""
    path = source or DEBIAN_TTC
    if not path.exists():
        sys.exit(
            f"{path}: source font not found. Install it with "
            "`sudo apt-get install fonts-noto-cjk` (Debian/Ubuntu) or pass --source "
            "path/to/NotoSansCJKsc-Regular.otf"
        )
    if path.suffix.lower() in (".ttc", ".otc"):
        for font in TTCollection(str(path)).fonts:
            if font["name"].getDebugName(1) == SC_FAMILY:
                return font
        sys.exit(f"{path}: no face named {SC_FAMILY!r} in this collection")
    return TTFont(str(path))


def licence_text(font: TTFont) -> str:
    """OFL 1.1 text with the font's copyright line, taken from the Debian copyright file."""
    copyright_line = font["name"].getDebugName(0) or "Copyright 2014-2021 Adobe (http://www.adobe.com/)"
    body = []
    if DEBIAN_COPYRIGHT.exists():
        lines = DEBIAN_COPYRIGHT.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if line.strip() == "License: SIL-1.1" and i > 0 and not lines[i - 1].strip():
                for text in lines[i + 1:]:
                    if not text.startswith(" "):
                        break
                    body.append("" if text.strip() == "." else text[1:])
                break
    if not body:
        existing = REPO / "nlp" / "data" / "fonts" / "OFL.txt"
        marker = "SIL OPEN FONT LICENSE Version 1.1"
        if not existing.exists() or marker not in existing.read_text(encoding="utf-8"):
            sys.exit(f"{DEBIAN_COPYRIGHT}: not found and no existing OFL.txt to reuse; install fonts-noto-cjk")
        old = existing.read_text(encoding="utf-8")
        body = ["-" * 59] + old[old.index(marker):].splitlines()
    header = [
        f"Copyright: {copyright_line}",
        "Noto is a trademark of Google Inc.",
        "",
        "This is a subset of Noto Sans CJK SC Regular (https://github.com/googlefonts/noto-cjk),",
        "made with fontTools by scripts/build_font_subset.py; it is a Modified Version under the",
        "licence below and is distributed under the same licence.",
        "",
        "This Font Software is licensed under the SIL Open Font License, Version 1.1.",
        "",
    ]
    return "\n".join(header + body).rstrip() + "\n"


def build(source: Path | None, out: Path) -> tuple[int, int]:
    """Write the subset font and OFL.txt atomically; return (bytes, glyph-mapped chars)."""
    font = load_source(source)
    cmap = font.getBestCmap()
    chars = wanted_chars()
    unicodes = sorted(ord(c) for c in chars if ord(c) in cmap)
    required = gb2312_chars() | corpus_chars()
    missing = sorted(c for c in required if ord(c) not in cmap and not c.isspace())
    options = subset.Options()
    options.hinting = False
    options.desubroutinize = False
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.recalc_timestamp = False  # reproducible bytes
    options.drop_tables += ["VORG", "vhea", "vmtx", "BASE"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out.parent, suffix=".tmp")
    os.close(fd)
    try:
        font.recalcTimestamp = False  # keep the source timestamp: reproducible bytes
        font.save(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    (out.parent / "OFL.txt").write_text(licence_text(font), encoding="utf-8")
    size = out.stat().st_size
    if missing:
        print(f"note: {len(missing)} GB2312/seed/lexicon characters are not in the source font: "
              f"{' '.join(f'U+{ord(c):04X}' for c in missing[:40])}")
    return size, len(unicodes)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=None, help="source .ttc/.otf (default: Debian fonts-noto-cjk)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    size, count = build(args.source, args.out)
    print(f"wrote {args.out} ({size:,} bytes, {count:,} characters)")
    if size > MAX_BYTES:
        print(f"error: subset is larger than {MAX_BYTES:,} bytes", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
