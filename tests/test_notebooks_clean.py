"""Committed notebooks: no stray outputs, a working first cell, hidden solutions, in the book."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
import yaml

from scripts.refresh_outputs import is_checked
from scripts.setup_cell import setup_cell

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _code_cells(path: Path):
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found in notebooks/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_only_checked_cells_keep_outputs_and_execution_counts(path):
    for i, cell in enumerate(_code_cells(path)):
        assert "NBVAL_CHECK_OUTPUT" not in cell.source, (
            f"{path.name} code cell {i}: use the cell tag nbval-check-output, not the comment "
            "(readers of the book would see it)")
        if is_checked(cell):
            # nbval compares only cells that were run, i.e. that have an execution count
            assert cell.outputs, f"{path.name} code cell {i} is checked but has no kept output"
            assert cell.execution_count is not None, f"{path.name} code cell {i}: re-run it"
            assert not any(o.get("name") == "stderr" for o in cell.outputs), (
                f"{path.name} code cell {i}: a checked cell must not keep stderr (warnings "
                "carry machine-specific paths); fix the warning or do not check the cell")
        else:
            assert not cell.outputs, (
                f"{path.name} code cell {i} has outputs but no nbval-check-output tag: strip them "
                "(python scripts/refresh_outputs.py NOTEBOOK)")
            assert cell.execution_count is None, f"{path.name} code cell {i}: clear its count"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_first_code_cell_installs_course_package_when_missing(path):
    cell = _code_cells(path)[0]
    first = cell.source
    assert "remove-cell" in cell.metadata.get("tags", []), "plumbing must not show on the page"
    url = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    assert 'importlib.metadata.version("pixels-to-probabilities")' in first
    assert f"git+{url}@v" in first, f"{path.name}: setup cell must install from {url}@<tag>"
    assert first == setup_cell(), f"{path.name}: run python scripts/setup_cell.py --write"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_solutions_are_hidden_everywhere(path):
    solutions = [c for c in _code_cells(path) if c.source.startswith("#@title Solution")]
    assert solutions, f"{path.name} has no exercise solutions"
    for cell in solutions:
        assert "hide-cell" in cell.metadata.get("tags", [])  # the book: code and output hidden
        assert cell.metadata.get("jupyter", {}).get("source_hidden") is True  # JupyterLab
        assert cell.metadata.get("cellView") == "form"  # Colab
        assert "assert check" in cell.source, "a solution must prove itself with assert check(...)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_chapter_follows_the_template(path):
    text = "\n".join(c.source for c in nbformat.read(path, as_version=4).cells
                     if c.cell_type == "markdown")
    for heading in ("Learning objectives", "Prerequisites", "Time", "## Exercises",
                    "## Key takeaways", "## Further reading", "## Try it"):
        assert heading in text, f"{path.name} lacks '{heading}'"
    number = int(path.name.split("_")[0])
    assert re.match(rf"# {number}\. ", text), f"{path.name} must start with '# {number}. Title'"


def test_every_notebook_is_in_the_table_of_contents():
    toc = (ROOT / "_toc.yml").read_text()
    for path in NOTEBOOKS:
        assert f"notebooks/{path.stem}" in toc, f"{path.name} is missing from _toc.yml"


def test_the_upload_widget_explains_closed_set_probabilities_and_links_to_chapter_9():
    """Chapter 8's "your own photo": what two probabilities mean, and where to read more."""
    cells = nbformat.read(ROOT / "notebooks" / "08_transfer_learning.ipynb", as_version=4).cells
    start = next(i for i, c in enumerate(cells) if "## Try it: your own photo" in c.source)
    text, widget = cells[start].source, cells[start + 1].source
    assert "sum to 1" in text and "(09_when_cnns_fail.ipynb)" in text
    assert "PhotoClassifier(" in widget and "closed_set_note(" in widget
    assert "notebooks/09_when_cnns_fail.ipynb" in widget  # the widget's own note links there too
