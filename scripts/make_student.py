"""Learners' versions of the chapters: solutions removed, exercise stubs and checks kept.

    python scripts/make_student.py            (or: make student) writes notebooks/student/
    python scripts/make_student.py --check    exits 1 if a student notebook is out of date
    python scripts/make_student.py --hub URL  prints nbgitpuller links for the JupyterHub at URL

Each chapter ``notebooks/NN_name.ipynb`` becomes ``notebooks/student/NN_name.ipynb``:

- every solution cell (first line ``#@title Solution``) is removed, so "Run all" can no
  longer turn an exercise green;
- a note at the top says this is the learner's version and where the solutions are;
- every exercise check cell keeps the output a learner sees before answering, one
  "not answered yet" line per ``check(...)``, and is tagged ``nbval-check-output``:
  ``make test`` runs the student notebooks with nbval, which proves that they run top to
  bottom and that no check turns ✅ or ❌ (or raises) before the learner has written anything.

It also writes the launch links of the student notebooks (Colab, Binder) from the
repository URL in ``_config.yml`` into ``book/_generated/student_links.md`` (the instructor
guide includes it) and between the markers in ``README.md``.
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "notebooks"
STUDENT = CHAPTERS / "student"
LINKS = ROOT / "book" / "_generated" / "student_links.md"
README = ROOT / "README.md"
BEGIN, END = "<!-- student-links:begin -->", "<!-- student-links:end -->"
#: Stands for the workshop's hub in the published links; --hub prints them for a real one.
HUB_PLACEHOLDER = "https://your-hub.example.org"
CHECK_CALL = re.compile(r'^\s*check\("([^"]+)"', re.M)
NOTE = ("> **Learner's version.** The solutions are not in this notebook: write your answer "
        "in each exercise's `...`, run the check below it, and ask your instructor (or see the "
        "course's instructor guide) when you are stuck.")


def is_solution(cell) -> bool:
    return cell.cell_type == "code" and cell.source.startswith("#@title Solution")


def is_check(cell) -> bool:
    return cell.cell_type == "code" and "exercise-check" in cell.metadata.get("tags", [])


def unanswered_output(cell) -> list:
    """The lines a check cell prints before the learner answers: one per ``check(...)``."""
    names = CHECK_CALL.findall(cell.source)
    if not names:
        raise ValueError(f"an exercise-check cell without check(...): {cell.source[:60]!r}")
    text = "".join(f"⏳ {name}: not answered yet — replace the ... and run the cell again.\n"
                   for name in names)
    return [nbformat.v4.new_output("stream", name="stdout", text=text)]


def student_version(chapter: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The learner's notebook made from a chapter notebook (the chapter is not changed)."""
    nb = copy.deepcopy(chapter)
    nb.cells = [c for c in nb.cells if not is_solution(c)]
    title = next(i for i, c in enumerate(nb.cells) if c.cell_type == "markdown")
    note = nbformat.v4.new_markdown_cell(NOTE)
    note.id = f"student-{nb.cells[title].get('id', 'note')}"[:64]
    nb.cells.insert(title + 1, note)
    count = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if is_check(cell):
            tags = cell.metadata.setdefault("tags", [])
            if "nbval-check-output" not in tags:
                tags.append("nbval-check-output")
            cell.outputs = unanswered_output(cell)
        if cell.outputs or cell.execution_count is not None:
            count += 1
            cell.execution_count = count
    return nb


def repository() -> tuple[str, str]:
    """(owner/name, branch) from ``_config.yml``, the one place the URL lives."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]
    url = config["url"].rstrip("/")
    return url.split("github.com/")[1], config.get("branch", "main")


def nbgitpuller_link(hub: str, stem: str) -> str:
    """A link that clones (or updates) the repository in a learner's hub home and opens ``stem``.

    nbgitpuller's ``git-pull`` endpoint: a second click pulls new commits without
    overwriting what the learner has changed.
    """
    from urllib.parse import urlencode

    if not hub.startswith(("https://", "http://")):
        raise ValueError(f"hub must be the hub's address, like https://hub.example.org, got {hub!r}")
    repo, branch = repository()
    folder = repo.split("/")[1]
    query = urlencode({"repo": f"https://github.com/{repo}", "branch": branch,
                       "urlpath": f"lab/tree/{folder}/notebooks/student/{stem}.ipynb"})
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def launch_links(stems: list[str], hub: str = HUB_PLACEHOLDER) -> str:
    """A markdown table of Colab, Binder and JupyterHub links, one row per student notebook."""
    repo, branch = repository()
    rows = ["| chapter | learner's notebook |", "| --- | --- |"]
    for stem in stems:
        path = f"notebooks/student/{stem}.ipynb"
        colab = f"https://colab.research.google.com/github/{repo}/blob/{branch}/{path}"
        binder = f"https://mybinder.org/v2/gh/{repo}/{branch}?labpath={path}"
        rows.append(f"| {stem} | [Colab]({colab}) · [Binder]({binder}) · "
                    f"[your JupyterHub]({nbgitpuller_link(hub, stem)}) |")
    return "\n".join(rows) + "\n"


def _readme_with(links: str) -> str:
    text = README.read_text()
    if BEGIN not in text or END not in text:
        raise SystemExit(f"README.md needs the markers {BEGIN} and {END}")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{BEGIN}\n{links}{END}{tail}"


def expected() -> dict[Path, str]:
    """Every file this script writes, with its content."""
    files = {}
    stems = []
    for path in sorted(CHAPTERS.glob("[0-9][0-9]_*.ipynb")):
        nb = student_version(nbformat.read(path, as_version=4))
        files[STUDENT / path.name] = nbformat.writes(nb) + "\n"
        stems.append(path.stem)
    links = launch_links(stems)
    files[LINKS] = links
    files[README] = _readme_with(links)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check, exit 1 if out of date")
    parser.add_argument("--hub", help="print the nbgitpuller links for the JupyterHub at this URL")
    args = parser.parse_args(argv)
    if args.hub:
        stems = [p.stem for p in sorted(CHAPTERS.glob("[0-9][0-9]_*.ipynb"))]
        for stem in stems:
            print(f"{stem}: {nbgitpuller_link(args.hub, stem)}")
        return 0
    files = expected()
    stale = [p for p, text in files.items() if not p.exists() or p.read_text() != text]
    extra = [p for p in STUDENT.glob("*.ipynb") if p not in files]
    if args.check:
        for p in stale + extra:
            print(f"out of date: {p.relative_to(ROOT)}")
        if stale or extra:
            print("run: make student")
        return 1 if stale or extra else 0
    STUDENT.mkdir(exist_ok=True)
    LINKS.parent.mkdir(exist_ok=True)
    for p in stale:
        p.write_text(files[p])
        print(f"wrote {p.relative_to(ROOT)}")
    for p in extra:
        p.unlink()
        print(f"removed {p.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
