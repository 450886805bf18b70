"""CJK font discovery, the bundled subset font and glyph checks."""
from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from matplotlib import font_manager

from nlp.viz import fonts
from nlp.viz.fonts import (
    BUNDLED_FONT,
    CJKFont,
    FontError,
    MissingGlyphWarning,
    check_glyphs,
    find_cjk_font,
    font_codepoints,
    font_properties,
    missing_glyphs,
    resolve_font,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _fresh_font_choice(monkeypatch):
    """Every test starts without POLICY_NLP_FONT and with an empty resolve cache."""
    monkeypatch.delenv(fonts.ENV_VAR, raising=False)
    fonts._resolve.cache_clear()
    yield
    fonts._resolve.cache_clear()


def _gb2312() -> set[str]:
    chars = set()
    for hi in range(0xA1, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return chars


def test_bundled_font_is_small_licensed_and_covers_gb2312_and_seeds():
    assert BUNDLED_FONT.is_file()
    assert BUNDLED_FONT.stat().st_size <= 5 * 1024 * 1024
    licence = (BUNDLED_FONT.parent / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert "Adobe" in licence  # the upstream copyright line
    cps = font_codepoints(BUNDLED_FONT)
    gb = _gb2312()
    assert len([c for c in gb if "\u4e00" <= c <= "\u9fff"]) == 6763
    assert not {c for c in gb if ord(c) not in cps}
    sources = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "nlp" / "data" / "lexicon").glob("*.jsonl"))
    assert any(p.name == "shanghai_2024_government_work_report.txt" for p in sources)
    for path in sources:
        text = path.read_text(encoding="utf-8")
        assert missing_glyphs(text, BUNDLED_FONT) == set(), path.name


def test_forced_bundled_font_by_parameter_and_env(monkeypatch):
    forced = resolve_font(bundled=True)
    assert forced.bundled and forced.path == BUNDLED_FONT and forced.index == 0
    assert find_cjk_font(bundled=True) == BUNDLED_FONT
    monkeypatch.setenv(fonts.ENV_VAR, "bundled")
    assert resolve_font().bundled


def test_env_var_path_and_bad_path(monkeypatch, tmp_path):
    monkeypatch.setenv(fonts.ENV_VAR, str(BUNDLED_FONT))
    chosen = resolve_font()
    assert chosen.path == BUNDLED_FONT.resolve() and chosen.family == "Noto Sans CJK SC"
    missing = tmp_path / "nope.otf"
    monkeypatch.setenv(fonts.ENV_VAR, str(missing))
    with pytest.raises(FontError, match="nope.otf"):
        resolve_font()
    junk = tmp_path / "junk.ttf"
    junk.write_bytes(b"not a font")
    monkeypatch.setenv(fonts.ENV_VAR, str(junk))
    with pytest.raises(FontError, match="junk.ttf"):
        resolve_font()


def test_fresh_machine_without_cjk_fonts_falls_back_to_bundled(monkeypatch):
    latin_only = [e for e in font_manager.fontManager.ttflist if "CJK" not in e.name and "Han" not in e.name]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", latin_only)
    chosen = resolve_font()
    assert chosen.bundled and chosen.path == BUNDLED_FONT


def test_system_font_found_by_family_name(monkeypatch):
    fake = font_manager.FontEntry(fname=str(BUNDLED_FONT), name="WenQuanYi Zen Hei", weight=400)
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [fake])
    chosen = resolve_font()
    assert chosen.family == "WenQuanYi Zen Hei" and not chosen.bundled
    assert font_manager.findfont(font_properties(chosen)) == str(BUNDLED_FONT)


def test_font_properties_point_at_the_chosen_face():
    for chosen in (resolve_font(), resolve_font(bundled=True)):
        found = font_manager.findfont(font_properties(chosen))
        assert Path(found) == chosen.path
        ft = font_manager.get_font(found)
        assert "CJK" in ft.family_name or "Hei" in ft.family_name or "Han" in ft.family_name
        assert ft.get_char_index(ord("政")) != 0


def test_missing_glyphs_and_warning_naming_the_word():
    bundled = resolve_font(bundled=True)
    assert missing_glyphs("推动高质量发展 2024年 GDP增长5%\n", bundled) == set()
    assert missing_glyphs("𠀀字😀", bundled) == {"𠀀", "😀"}
    with pytest.warns(MissingGlyphWarning, match="𠀀字") as record:
        bad = check_glyphs(["新质生产力", "𠀀字", "营商环境"], bundled)
    assert bad == ["𠀀字"]
    assert len([w for w in record if issubclass(w.category, MissingGlyphWarning)]) == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error", MissingGlyphWarning)
        assert check_glyphs(["新质生产力", "五个中心"], bundled) == []


def test_cmap_is_cached_per_font():
    fonts._cmap.cache_clear()
    font_codepoints(BUNDLED_FONT)
    font_codepoints(CJKFont(BUNDLED_FONT))
    info = fonts._cmap.cache_info()
    assert info.misses == 1 and info.hits == 1
