"""Deterministic Chinese word clouds with policy terms emphasised."""
from __future__ import annotations

import math
import zlib
from pathlib import Path
from typing import Any, Collection, Mapping

import numpy as np
from matplotlib.figure import Figure
from PIL import Image

from nlp.viz.fonts import CJKFont, bundled_font, check_glyphs, resolve_font
from nlp.viz.errors import VizInputError
from nlp.viz.plots import TERM_COLOR

# Muted blues/greens/greys for ordinary words; policy terms use TERM_COLOR (red).
WORD_COLORS = ("#1f4e79", "#2e75b6", "#3b6ea5", "#2a9d8f", "#457b9d", "#5d6d7e", "#4a6fa5", "#287271")


def wordcloud_font(font: CJKFont | None = None) -> CJKFont:
    """A font the wordcloud package can open by path alone (it cannot pick a face inside a .ttc)."""
    font = font or resolve_font()
    if font.index != 0:
        return bundled_font()
    return font


def _clean(frequencies: Mapping[str, float]) -> dict[str, float]:
    """Positive finite frequencies as floats, or VizInputError."""
    if not isinstance(frequencies, Mapping):
        raise VizInputError(f"make_wordcloud: expected a mapping word -> frequency, got {type(frequencies).__name__}")
    clean: dict[str, float] = {}
    for word, value in frequencies.items():
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise VizInputError(f"make_wordcloud: frequency of {word!r} is not a number: {value!r}") from None
        if math.isnan(number) or math.isinf(number):
            raise VizInputError(f"make_wordcloud: frequency of {word!r} is {value!r}")
        if number > 0 and str(word).strip():
            clean[str(word)] = clean.get(str(word), 0.0) + number
    if not clean:
        raise VizInputError("make_wordcloud: no word with a positive frequency to draw")
    return clean


def _color_func(terms: frozenset[str]) -> Any:
    """wordcloud colour function: terms in TERM_COLOR, other words by a stable hash of the word."""
    def color(word: str, **_: Any) -> str:
        if word in terms:
            return TERM_COLOR
        return WORD_COLORS[zlib.crc32(word.encode("utf-8")) % len(WORD_COLORS)]
    return color


def wordcloud_image(
    frequencies: Mapping[str, float],
    *,
    terms: Collection[str] = (),
    width: int = 1200,
    height: int = 700,
    random_state: int = 0,
    max_words: int = 200,
    term_boost: float = 2.0,
    background: str = "white",
    font: CJKFont | None = None,
    max_font_size: int | None = None,
    scale: int = 2,
) -> Image.Image:
    """Render the word cloud as a PIL RGB image; terms are boosted by term_boost and drawn in red.

    The largest word is at most ``max_font_size`` pixels tall (default: a third of the height;
    the wordcloud package would otherwise lay the cloud out twice to find a size). The layout
    is worked out on a grid ``scale`` times coarser than the image (the wordcloud package's
    own speed-up: half the time at ``scale=2``); the words are still drawn at full resolution.
    """
    from wordcloud import WordCloud

    freqs = _clean(frequencies)
    term_set = frozenset(str(t) for t in terms)
    weighted = {w: f * (term_boost if w in term_set else 1.0) for w, f in freqs.items()}
    ordered = dict(sorted(weighted.items(), key=lambda kv: (-kv[1], kv[0]))[:max_words])
    font = wordcloud_font(font)
    check_glyphs(ordered, font, stacklevel=3)
    scale = max(1, int(scale))
    cloud = WordCloud(
        font_path=str(Path(font.path)),
        width=max(width // scale, 1),
        height=max(height // scale, 1),
        scale=scale,
        background_color=background,
        max_words=max_words,
        max_font_size=max((max_font_size or height // 3) // scale, 10 // scale),
        min_font_size=max(4 // scale, 1),
        random_state=random_state,
        prefer_horizontal=0.95,
        color_func=_color_func(term_set),
        collocations=False,
        margin=max(4 // scale, 1),
        mode="RGB",
    )
    cloud.generate_from_frequencies(ordered)
    image = cloud.to_image()
    if image.size != (width, height):  # a size that scale does not divide: pad or trim to the asked size
        canvas = Image.new("RGB", (width, height), background)
        canvas.paste(image.crop((0, 0, min(width, image.width), min(height, image.height))), (0, 0))
        image = canvas
    return image


def make_wordcloud(
    frequencies: Mapping[str, float],
    *,
    terms: Collection[str] = (),
    width: int = 1200,
    height: int = 700,
    random_state: int = 0,
    **kwargs: Any,
) -> Figure:
    """The word cloud as a matplotlib Figure (same arguments as wordcloud_image)."""
    image = wordcloud_image(frequencies, terms=terms, width=width, height=height,
                            random_state=random_state, **kwargs)
    return image_figure(image, interpolation="bilinear")


def image_figure(image: Image.Image, *, interpolation: str = "nearest") -> Figure:
    """A matplotlib Figure showing an image at its own size (100 pixels to the inch), no axes."""
    pixels = np.asarray(image.convert("RGB"))
    height, width = pixels.shape[:2]
    fig = Figure(figsize=(width / 100, height / 100), dpi=100)
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.imshow(pixels, interpolation=interpolation)
    ax.set_axis_off()
    return fig
