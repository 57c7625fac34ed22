"""Repository-level promises: one repository URL, consistent pins, README ↔ CI."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from scripts.make_environment import pins_for_binder

ROOT = Path(__file__).resolve().parents[1]


def _repo_url() -> str:
    return yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]


PROJECT_LINKS = [
    r"colab\.research\.google\.com/github/([\w.-]+/[\w.-]+)/",
    r"mybinder\.org/v2/gh/([\w.-]+/[\w.-]+)/",
    r"git\+https://github\.com/([\w.-]+/[\w.-]+?)(?:\.git)?[\"'\s@]",
    r"git clone https://github\.com/([\w.-]+/[\w.-]+?)(?:\.git)?\s",
    r"Homepage = \"https://github\.com/([\w.-]+/[\w.-]+)\"",
]


def test_every_link_to_this_project_matches_config():
    slug = _repo_url().removeprefix("https://github.com/")
    files = [ROOT / "README.md", ROOT / "pyproject.toml", ROOT / "book" / "setup.md"]
    files += sorted((ROOT / "notebooks").glob("*.ipynb"))
    found_any = False
    for path in files:
        text = path.read_text()
        for pattern in PROJECT_LINKS:
            for found in re.findall(pattern, text):
                found_any = True
                assert found == slug, f"{path.name} links to {found}, _config.yml says {slug}"
    assert found_any


def test_environment_yml_matches_the_lock():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip_section == pins_for_binder(ROOT / "requirements" / "lock.txt"), (
        "environment.yml is out of date: run python scripts/make_environment.py")
    names = {p.split("==")[0] for p in pip_section}
    assert {"ipywidgets", "tensorflow"} <= names
    assert not names & {"jupyterlab", "notebook", "jupyter-server", "ipykernel"}, (
        "Binder's base environment provides the server and the kernel")


def test_lock_pins_exactly():
    for line in (ROOT / "requirements" / "lock.txt").read_text().splitlines():
        if line and not line.startswith((" ", "#")):
            assert "==" in line, f"lock line is not an exact pin: {line}"


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    for command in ("make test", "make colab", "make book", "make browser-deps", "make site-test"):
        assert command in readme and command in ci, f"'{command}' must be in README and .ci/run"


def test_status_page_table_exists():
    table = ROOT / "book" / "_generated" / "benchmarks.md"
    assert table.exists(), "run `make bench` to create the status table"
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        assert f"| {path.stem} |" in table.read_text(), f"{path.stem} missing: run `make bench`"


def test_book_and_nbval_allow_a_cell_the_same_time():
    """``make book`` without a cache runs the chapters itself: it must not time out where nbval passes."""
    book = yaml.safe_load((ROOT / "_config.yml").read_text())["execute"]["timeout"]
    nbval = re.search(r"--nbval-cell-timeout=(\d+)", (ROOT / "pyproject.toml").read_text())
    colab = re.search(r"--nbval-cell-timeout=(\d+)", (ROOT / "scripts" / "colab.py").read_text())
    assert nbval and colab, "pyproject.toml and scripts/colab.py should set --nbval-cell-timeout"
    assert book == int(nbval.group(1)) == int(colab.group(1)), (
        f"per-cell timeouts differ: _config.yml {book} s, pyproject.toml {nbval.group(1)} s, "
        f"scripts/colab.py {colab.group(1)} s; give all three the same value")
