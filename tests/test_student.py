"""The learners' notebooks (notebooks/student/): in sync with the chapters, no solutions,
every check "not answered yet". ``make test`` also runs them with nbval, which compares each
check cell's kept output (the "not answered yet" lines) with what the cell prints."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from scripts import make_student
from scripts.make_student import CHECK_CALL, is_check, student_version

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_student_notebooks_are_up_to_date():
    assert make_student.main(["--check"]) == 0, "run: make student"


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_student_notebook_has_no_solution_and_every_check_is_unanswered(chapter):
    nb = nbformat.read(ROOT / "notebooks" / "student" / chapter.name, as_version=4)
    assert not any(c.source.startswith("#@title Solution") for c in nb.cells)
    assert "Learner's version" in nb.cells[1].source
    checks = [c for c in nb.cells if is_check(c)]
    assert checks, f"{chapter.stem}: no exercise checks"
    for cell in checks:
        text = "".join(o.get("text", "") for o in cell.outputs)
        assert "nbval-check-output" in cell.metadata["tags"] and cell.execution_count
        assert text.count("not answered yet") == len(CHECK_CALL.findall(cell.source)) >= 1
        assert "✅" not in text and "❌" not in text


def test_everything_but_the_solutions_is_kept():
    chapter = nbformat.read(CHAPTERS[0], as_version=4)
    student = student_version(chapter)
    solutions = [c for c in chapter.cells if c.source.startswith("#@title Solution")]
    assert len(student.cells) == len(chapter.cells) - len(solutions) + 1  # + the note
    kept = [c.source for c in chapter.cells if c not in solutions]
    assert [c.source for c in student.cells if not c.source.startswith("> **Learner")] == kept
    assert any(c.source.startswith("#@title Solution") for c in chapter.cells), "chapter unchanged"


def test_launch_links_come_from_the_repository_url():
    repo, branch = make_student.repository()
    links = make_student.launch_links(["01_pixels"])
    assert (f"https://colab.research.google.com/github/{repo}/blob/{branch}/"
            "notebooks/student/01_pixels.ipynb") in links
    assert f"https://mybinder.org/v2/gh/{repo}/{branch}?labpath=notebooks/student/01_pixels.ipynb" in links
    assert links in (ROOT / "README.md").read_text()


def test_nbval_fails_a_student_notebook_whose_check_turns_green(tmp_path):
    """The mechanism make test relies on: an answered exercise no longer matches the kept output."""
    chapter = nbformat.v4.new_notebook()
    chapter.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    stub = nbformat.v4.new_code_cell("from utils.exercises import check\nx = ...")
    probe = nbformat.v4.new_code_cell('check("Exercise 1", x, 3)')
    probe.metadata["tags"] = ["exercise-check"]
    chapter.cells = [nbformat.v4.new_markdown_cell("# Demo"), stub, probe]
    student = student_version(chapter)
    path = tmp_path / "demo.ipynb"
    for source, expect_ok in [("from utils.exercises import check\nx = ...", True),
                              ("from utils.exercises import check\nx = 3", False)]:
        student.cells[2].source = source
        nbformat.write(student, path)
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
             "--nbval-lax", "--nbval-current-env", str(path)],
            cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert (result.returncode == 0) is expect_ok, result.stdout[-2000:]
