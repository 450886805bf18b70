"""Layers run one way: io -> pipeline -> analysis/training -> viz -> run/cli, with no cycles."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HIGHER = {
    "nlp.io": ["nlp.pipeline", "nlp.analysis", "nlp.training", "nlp.viz", "nlp.run", "nlp.cli"],
    "nlp.pipeline": ["nlp.analysis", "nlp.training", "nlp.viz", "nlp.run", "nlp.cli", "nlp.api"],
    "nlp.analysis.keywords": ["nlp.training", "nlp.viz", "nlp.run", "nlp.cli", "nlp.api"],
    "nlp.training.train": ["nlp.analysis", "nlp.viz", "nlp.run", "nlp.cli", "nlp.api"],
}


def test_no_import_runs_back_up_and_no_cycles():
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "check_layers.py"), str(ROOT / "nlp")],
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "back_up=0 cycles=0", done.stdout


@pytest.mark.parametrize("module", sorted(HIGHER))
def test_importing_a_layer_loads_nothing_above_it(module):
    code = (f"import sys, {module}, spacy\n"
            "spacy.blank('zh')\n" if module == "nlp.pipeline" else f"import sys, {module}\n")
    code += f"print([m for m in sys.modules if m.split('.')[:2] and any(m == h or m.startswith(h + '.') for h in {HIGHER[module]!r})])"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.strip() == "[]", done.stdout
