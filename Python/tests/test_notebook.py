"""The example notebook runs: every code cell, in order, in one namespace, from its folder."""
import json
import os
from pathlib import Path

NOTEBOOK = Path(__file__).resolve().parents[1] / "examples" / "quickstart.ipynb"


def test_quickstart_notebook_runs(monkeypatch):
    monkeypatch.chdir(NOTEBOOK.parent)
    cells = json.loads(NOTEBOOK.read_text())["cells"]
    namespace = {}
    for i, cell in enumerate(c for c in cells if c["cell_type"] == "code"):
        exec(compile("".join(cell["source"]), f"{NOTEBOOK.name} cell {i}", "exec"), namespace)
    assert len(namespace["result"].objects) >= 1
    assert abs(namespace["li"]["at_pct"] - 31) < 10
    assert list(namespace["p"].profile.columns[:2]) == ["distance_nm", "lower_nm"]
