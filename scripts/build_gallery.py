"""Regenerate the README's figure gallery (docs/gallery/) from the shipped seeds.

    .venv/bin/python scripts/build_gallery.py      (or: make docs)

Analyses every report in seeds/ into a temporary folder and copies a few of the figures
(PNG) into docs/gallery/ under stable names.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import nlp

ROOT = Path(__file__).resolve().parent.parent
SEED = "shanghai_2024_government_work_report"
PICKS = {
    f"keywords_{SEED}.png": "keywords_seed.png",
    f"wordcloud_{SEED}.png": "wordcloud_seed.png",
    "topics.png": "topics.png",
    "topic_mix.png": "topic_mix.png",
    "trends.png": "trends.png",
}


def main() -> None:
    gallery = ROOT / "docs" / "gallery"
    gallery.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        result = nlp.analyze([ROOT / "seeds"], progress=True)
        folder = result.save(Path(tmp) / "results")
        for source, target in PICKS.items():
            path = folder / "figures" / source
            if path.exists():
                shutil.copyfile(path, gallery / target)
                print(f"docs/gallery/{target}")
            else:
                print(f"(no {source} in this run)")


if __name__ == "__main__":
    main()
