"""The notebooks run top to bottom on what the project ships, and are committed without outputs.

Executing them is slow (each starts a kernel and loads the pipeline), so those tests are
marked ``slow``; they still run by default and in CI (``-m "not slow"`` skips them).
"""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
IDS = [p.stem for p in NOTEBOOKS]
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _strip_module():
    spec = importlib.util.spec_from_file_location("strip_notebooks", ROOT / "scripts" / "strip_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _listing(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def test_the_notebooks_are_there():
    names = {p.stem[:2] for p in NOTEBOOKS}
    assert {"01", "02", "03", "04", "05", "06"} <= names, f"notebooks found: {IDS}"
    readme = (NOTEBOOK_DIR / "README.md").read_text(encoding="utf-8")
    for path in NOTEBOOKS:
        assert path.name in readme, f"notebooks/README.md does not describe {path.name}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_is_committed_without_outputs(path: Path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code, f"{path.name}: no code cells"
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], f"{path.name} cell {i}: has outputs (run scripts/strip_notebooks.py)"
            assert cell["execution_count"] is None, f"{path.name} cell {i}: has an execution count"
    assert _strip_module().is_stripped(nb), f"{path.name}: run metadata left (run scripts/strip_notebooks.py)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_reads_only_what_the_project_ships(path: Path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    source = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert "shared" not in source, f"{path.name}: refers to a 'shared' folder outside the project"
    assert "/work/" not in source and "/home/" not in source, f"{path.name}: uses an absolute path"
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


def test_strip_script_removes_outputs(tmp_path: Path):
    strip = _strip_module()
    original = json.loads(NOTEBOOKS[0].read_text(encoding="utf-8"))
    run = json.loads(json.dumps(original))
    for n, cell in enumerate(c for c in run["cells"] if c["cell_type"] == "code"):
        cell["execution_count"] = n + 1
        cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["x\n"]}]
        cell["metadata"]["execution"] = {"iopub.status.busy": "2024-01-01T00:00:00Z"}
    run["metadata"]["language_info"] = {"name": "python", "version": "3.12.0", "mimetype": "text/x-python"}
    target = tmp_path / "run.ipynb"
    target.write_text(json.dumps(run), encoding="utf-8")
    assert strip.main(["--check", str(target)]) == 1
    assert strip.main([str(target)]) == 0
    assert strip.main(["--check", str(target)]) == 0
    assert json.loads(target.read_text(encoding="utf-8")) == original
    bad = tmp_path / "bad.ipynb"
    bad.write_text("{not json", encoding="utf-8")
    assert strip.main(["--check", str(bad)]) == 2


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_runs(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    out = tmp_path / "out"
    monkeypatch.setenv("POLICY_NLP_NOTEBOOK_OUT", str(out))  # the kernel inherits it
    before = {folder: _listing(folder) for folder in (NOTEBOOK_DIR, ROOT / "seeds")}
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, kernel_name="python3", timeout=300, resources={"metadata": {"path": str(NOTEBOOK_DIR)}})
    failure = None
    try:
        client.execute()
    except CellExecutionError as err:
        failure = err
    if failure is not None:  # outside the except block, so the report is not a chained traceback
        failed = next((c for c in nb.cells if c.cell_type == "code"
                       and any(o.get("output_type") == "error" for o in c.get("outputs", []))), None)
        if failed is None:
            raise failure
        error = next(o for o in failed.outputs if o.output_type == "error")
        trace = ANSI.sub("", "\n".join(error.get("traceback", [])))
        pytest.fail(f"{path.name}: cell failed\n--- source ---\n{failed.source}\n--- error ---\n"
                    f"{error.ename}: {error.evalue}\n{trace}", pytrace=False)
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.get("output_type") == "error"]
    assert not errors
    for folder, names in before.items():
        assert _listing(folder) == names, f"{path.name} wrote into {folder.relative_to(ROOT)}/"
    assert out.is_dir() and any(out.rglob("*")), f"{path.name}: wrote nothing to its output folder"
