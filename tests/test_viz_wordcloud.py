"""Word clouds from seed words: not blank, deterministic, policy terms emphasised, glyph warnings."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import jieba
import numpy as np
import pytest
from matplotlib.figure import Figure

from nlp.viz.fonts import BUNDLED_FONT, MissingGlyphWarning, font_codepoints, resolve_font
from nlp.viz.plots import VizInputError
from nlp.viz.wordcloud import make_wordcloud, wordcloud_font, wordcloud_image

SEED = Path(__file__).resolve().parent.parent / "seeds" / "shanghai_2024_government_work_report.txt"
TERMS = {"高质量发展", "科技创新", "五个中心", "营商环境", "城市更新", "乡村振兴"}


@pytest.fixture(scope="module")
def seed_freqs() -> dict[str, float]:
    text = SEED.read_text(encoding="utf-8")
    tokenizer = jieba.Tokenizer()  # private instance: the global jieba dictionary is never touched
    counts = Counter(w for w in tokenizer.lcut(text) if len(w) >= 2 and all("\u4e00" <= c <= "\u9fff" for c in w))
    freqs = dict(counts.most_common(80))
    for term in TERMS:  # jieba may split the terms; count them on the raw text
        assert text.count(term) > 0
        freqs[term] = float(text.count(term))
    return freqs


def _reddish(pixels: np.ndarray) -> int:
    """Pixels in the red term colour family (ordinary words use blues, greens and greys)."""
    p = pixels.astype(int)
    return int(((p[:, :, 0] > p[:, :, 1] + 60) & (p[:, :, 0] > p[:, :, 2] + 60)).sum())


@pytest.mark.parametrize("force_bundled", [True, False], ids=["bundled", "auto"])
def test_seed_wordcloud_is_not_blank_and_terms_are_red(seed_freqs, force_bundled):
    font = resolve_font(bundled=force_bundled)
    image = wordcloud_image(seed_freqs, terms=TERMS, width=600, height=360, font=font)
    pixels = np.asarray(image)
    assert pixels.shape == (360, 600, 3)
    ink = (pixels != 255).any(axis=2)
    assert ink.mean() > 0.15  # a real cloud covers a good share of the canvas
    assert len(np.unique(pixels.reshape(-1, 3), axis=0)) > 50
    assert _reddish(pixels) > 500  # policy terms are drawn in the term colour
    assert all(ord(c) in font_codepoints(wordcloud_font(font)) for w in seed_freqs for c in w)


def test_wordcloud_is_deterministic_per_random_state(seed_freqs):
    font = resolve_font(bundled=True)
    a = np.asarray(wordcloud_image(seed_freqs, terms=TERMS, width=400, height=240, random_state=3, font=font))
    b = np.asarray(wordcloud_image(seed_freqs, terms=TERMS, width=400, height=240, random_state=3, font=font))
    c = np.asarray(wordcloud_image(seed_freqs, terms=TERMS, width=400, height=240, random_state=4, font=font))
    assert (a == b).all()
    assert not (a == c).all()


def test_without_terms_nothing_is_red(seed_freqs):
    image = wordcloud_image(seed_freqs, terms=(), width=400, height=240, font=resolve_font(bundled=True))
    assert _reddish(np.asarray(image)) == 0


def test_make_wordcloud_returns_figure():
    fig = make_wordcloud({"高质量发展": 5, "新质生产力": 3, "营商环境": 2}, terms={"高质量发展"},
                         width=300, height=200, font=resolve_font(bundled=True))
    assert isinstance(fig, Figure)
    assert tuple(fig.get_size_inches() * fig.dpi) == (300, 200)
    assert fig.axes[0].images[0].get_array().shape[:2] == (200, 300)


def test_ttc_face_is_replaced_by_the_bundled_font_for_wordcloud():
    system = resolve_font()
    chosen = wordcloud_font(system)
    if system.index:
        assert chosen.path == BUNDLED_FONT
    else:
        assert chosen == system
    assert wordcloud_font(resolve_font(bundled=True)).path == BUNDLED_FONT


def test_missing_glyph_warns_with_the_word():
    with pytest.warns(MissingGlyphWarning, match="😀好"):
        wordcloud_image({"😀好": 1.0, "发展": 2.0}, width=200, height=120, font=resolve_font(bundled=True))


def test_bad_frequencies_raise():
    with pytest.raises(VizInputError, match="positive"):
        wordcloud_image({"发展": 0})
    with pytest.raises(VizInputError, match="发展"):
        wordcloud_image({"发展": "many"})
