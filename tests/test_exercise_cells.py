"""Exercise check cells never contain their answer, and their fingerprints are the real answers."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from exercise_answers import ANSWERS, HASHED, shows
from utils.exercises import fingerprint

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
EXERCISE = re.compile(r"\*\*(Exercise \d+)\b")


def exercise_cells(nb) -> dict[str, dict]:
    """Exercise name -> its statement, check cell and solution cell."""
    found: dict[str, dict] = {}
    current = None
    for cell in nb.cells:
        if cell.cell_type == "markdown" and (m := EXERCISE.search(cell.source)):
            current = m.group(1)
            found[current] = {"statement": cell}
        elif current and cell.cell_type == "code":
            if "exercise-check" in cell.metadata.get("tags", []):
                found[current]["check"] = cell
            elif cell.source.startswith("#@title Solution"):
                found[current]["solution"] = cell
    return found


def answers_in_check_cells(nb, stem: str) -> list[str]:
    """Every way an answer of ``stem``'s exercises is written in its check cell."""
    problems = []
    for name, cells in exercise_cells(nb).items():
        source = HASHED.sub("hashed(...)", cells["check"].source) if "check" in cells else ""
        problems += [f"{stem} {name}: check cell shows {r!r}"
                     for r in ANSWERS[(stem, name)]["shown"] if shows(source, r)]
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_exercise_has_a_stub_a_tagged_check_and_a_hidden_solution(path):
    nb = nbformat.read(path, as_version=4)
    found = exercise_cells(nb)
    assert set(found) == {n for s, n in ANSWERS if s == path.stem}, \
        f"{path.stem}: exercises differ from tests/exercise_answers.py"
    for name, cells in found.items():
        assert "check" in cells, f"{path.stem} {name}: no cell tagged exercise-check"
        assert "solution" in cells, f"{path.stem} {name}: no #@title Solution cell"
        assert f'check("{name}"' in cells["check"].source
        assert "check_array" not in cells["check"].source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_check_cell_contains_its_answer(path):
    assert answers_in_check_cells(nbformat.read(path, as_version=4), path.stem) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_fingerprints_in_check_cells_are_the_answers(path):
    for name, cells in exercise_cells(nbformat.read(path, as_version=4)).items():
        entry = ANSWERS[(path.stem, name)]
        hashes = HASHED.findall(cells["check"].source)
        if entry["value"] is None:
            assert not hashes, f"{path.stem} {name}: give the answer in tests/exercise_answers.py"
            continue
        assert len(hashes) == 1, f"{path.stem} {name}: the check should compare with hashed(...)"
        digest, digits = hashes[0]
        assert (int(digits) if digits else None) == entry.get("digits"), f"{path.stem} {name}: digits"
        assert digest == fingerprint(entry["value"], digits=entry.get("digits")), \
            f"{path.stem} {name}: the fingerprint is not the answer in tests/exercise_answers.py"


def test_a_literal_answer_in_a_check_cell_is_caught():
    path = ROOT / "notebooks" / "02_convolution.ipynb"
    nb = nbformat.read(path, as_version=4)
    check_cell = exercise_cells(nb)["Exercise 1"]["check"]
    check_cell.source = 'check("Exercise 1", width, 112)'
    assert answers_in_check_cells(nb, "02_convolution") == [
        "02_convolution Exercise 1: check cell shows '112'"]


def test_shows_matches_whole_values_only():
    assert shows('check("Ex", w, 112)', "112")
    assert not shows("hashed(...) 1121 0.112 x112", "112")
    assert shows("(112, 112, 64)", "(112, 112, 64)")
    assert not shows("23.7305", "23.73")
