"""The Colab job (scripts/colab.py) and the promises it rests on: the snapshot, the ranges
in pyproject.toml, the first cell, and nbval failing on display-formatter errors."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.version import Version

from scripts import colab, setup_cell

ROOT = Path(__file__).resolve().parents[1]


def _dependencies() -> list[Requirement]:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return [Requirement(d) for d in tomllib.load(f)["project"]["dependencies"]]


def _lock() -> dict[str, str]:
    """The lock's pins for Python 3.11 (markers for other versions are skipped)."""
    pins = {}
    for line in (ROOT / "requirements" / "lock.txt").read_text().splitlines():
        if line and not line.startswith((" ", "#")):
            req = Requirement(line)
            if req.marker is None or req.marker.evaluate({"python_full_version": "3.11.7",
                                                          "python_version": "3.11"}):
                pins[colab.normalize(req.name)] = str(next(iter(req.specifier)).version)
    return pins


# --- the snapshot ----------------------------------------------------------------------------

def test_snapshot_is_dated_and_names_its_source_and_python():
    snap = colab.Snapshot.read()
    assert snap.date == "2026-08-19"
    assert snap.python.startswith("3.13.")
    assert "googlecolab/backend-info" in snap.source
    assert snap.pins["ipywidgets"] == "7.7.1" and snap.pins["tensorflow"] == "2.20.0"


def test_date_command_prints_the_snapshot_date():
    out = subprocess.run([sys.executable, "scripts/colab.py", "date"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    assert "Colab snapshot of 2026-08-19" in out and "Python 3.13" in out


def test_render_snapshot_keeps_versions_and_comments_out_urls(tmp_path):
    freeze = "Keras==3.13.2\ntorch @ https://example.org/torch.whl\n# a comment\nanywidget==0.9.21\n"
    path = tmp_path / "c.txt"
    path.write_text(colab.render_snapshot(freeze, "2026-01-02", "3.13.1", "somewhere"))
    snap = colab.Snapshot.read(path)
    assert snap.pins == {"keras": "3.13.2", "anywidget": "0.9.21"}
    assert (snap.date, snap.python) == ("2026-01-02", "3.13.1")
    assert "# url: torch @ https://example.org/torch.whl" in path.read_text()


def test_snapshot_without_header_says_how_to_regenerate(tmp_path):
    path = tmp_path / "c.txt"
    path.write_text("numpy==2.1.3\n")
    with pytest.raises(ValueError, match="colab.py refresh"):
        colab.Snapshot.read(path)
    with pytest.raises(FileNotFoundError, match="colab.py refresh"):
        colab.Snapshot.read(tmp_path / "missing.txt")


# --- declared ranges: lower end = Colab (make colab), upper end = the lock (make test) --------

@pytest.mark.parametrize("req", _dependencies(), ids=lambda r: r.name)
def test_each_range_starts_at_colabs_version_and_admits_the_lock(req):
    name = colab.normalize(req.name)
    snap, lock = colab.Snapshot.read(), _lock()
    assert name in snap.pins, f"{req.name} is not pre-installed on Colab: the first cell would add it"
    (lower,) = [s for s in req.specifier if s.operator == ">="]
    tested = Version(snap.pins[name])
    assert tested in req.specifier and Version(lock[name]) in req.specifier
    # The bound is Colab's version at the precision it is written with (>=7.7 for 7.7.1):
    # nothing older than what `make colab` runs is declared to work.
    width = len(Version(lower.version).release)
    assert tested.release[:width] == Version(lower.version).release, (
        f"{req.name}{lower} is not Colab's {tested}: narrow or widen it to what is tested")


def _extras() -> list[Requirement]:
    with open(ROOT / "pyproject.toml", "rb") as f:
        extras = tomllib.load(f)["project"]["optional-dependencies"]
    return [Requirement(r) for group in ("test", "book", "lab") for r in extras[group]]


@pytest.mark.parametrize("req", _extras(), ids=lambda r: r.name)
def test_each_extra_starts_at_the_lowest_version_a_ci_job_runs(req):
    """Test, book and lab tools: the lock (make test) and, where Colab has them, make colab."""
    name, snap = colab.normalize(req.name), colab.Snapshot.read()
    colab_installed = {colab.normalize(n) for n in colab.preinstalled(snap) + colab.TEST_TOOLS}
    tested = [Version(_lock()[name])]
    if name in colab_installed and name in snap.pins:
        tested.append(Version(snap.pins[name]))
    assert all(v in req.specifier for v in tested), f"{req} excludes a tested version {tested}"
    (lower,) = [s for s in req.specifier if s.operator == ">="]
    width = len(Version(lower.version).release)
    assert min(tested).release[:width] == Version(lower.version).release, (
        f"{req}: the lowest version CI runs is {min(tested)}")


def test_ipywidgets_7_and_8_are_both_allowed():
    (req,) = [r for r in _dependencies() if r.name == "ipywidgets"]
    assert Version("7.7.1") in req.specifier and Version("8.1.9") in req.specifier


def test_python_range_covers_what_is_tested():
    with open(ROOT / "pyproject.toml", "rb") as f:
        requires = tomllib.load(f)["project"]["requires-python"]
    assert requires == ">=3.11"  # the lock runs 3.11, the Colab job 3.13


# --- the first cell --------------------------------------------------------------------------

def test_every_notebook_has_the_generated_setup_cell():
    cells = colab.setup_cells()
    assert cells and set(cells.values()) == {setup_cell.setup_cell()}


def test_setup_cell_detects_the_distribution_not_a_module_named_utils():
    source = setup_cell.setup_cell()
    assert 'importlib.metadata.version("pixels-to-probabilities")' in source
    assert "find_spec" not in source
    assert "--upgrade" not in source and "-U " not in source and "--force" not in source


def test_setup_cell_is_pinned_to_this_release():
    with open(ROOT / "pyproject.toml", "rb") as f:
        version = tomllib.load(f)["project"]["version"]
    assert setup_cell.install_spec().endswith(f"@v{version}")
    import utils

    assert utils.__version__ == version
    assert f"currently `v{version}`" in (ROOT / "README.md").read_text()


def test_local_setup_cell_points_the_install_at_the_checkout(tmp_path):
    local = colab.local_setup_cell(setup_cell.setup_cell(), tmp_path)
    assert f'"pixels-to-probabilities @ {tmp_path.as_uri()}"' in local
    assert "git+" not in local
    with pytest.raises(ValueError, match="pinned install"):
        colab.local_setup_cell("%pip install utils")


def test_changes_lists_added_changed_and_removed():
    before = {"numpy": "2.1.3", "ipywidgets": "7.7.1", "six": "1.17.0"}
    after = {"numpy": "2.1.3", "ipywidgets": "8.1.9", "pixels-to-probabilities": "0.2.0"}
    assert colab.changes(before, after) == [
        "added pixels-to-probabilities 0.2.0", "changed ipywidgets 7.7.1 -> 8.1.9",
        "removed six 1.17.0"]
    assert colab.changes(before, before) == []


def test_find_python_prefers_the_same_minor_version():
    path, version = colab.find_python("3.11.99", [Path(sys.executable)])
    assert path == Path(sys.executable) and version.startswith("3.")
    with pytest.raises(RuntimeError, match="COLAB_PYTHON"):
        colab.find_python("3.13.0", [Path("/nonexistent/python")])


def test_preinstalled_set_is_our_dependencies_plus_colabs_kernel_stack():
    names = {colab.normalize(n) for n in colab.preinstalled(colab.Snapshot.read())}
    assert {"tensorflow", "keras", "ipywidgets", "ipykernel", "anywidget"} <= names
    assert "nbval" not in names  # a test tool, not something Colab has


# --- nbval catches what the display formatter swallows ---------------------------------------

def test_nbval_fails_a_widget_that_raises_in_the_display_formatter(tmp_path):
    """The bug this job exists for: the cell 'succeeds', IPython prints a traceback."""
    canary = colab.write_notebook(tmp_path / "canary.ipynb", colab.CANARY)
    fine = colab.write_notebook(tmp_path / "fine.ipynb", "1 + 1")
    result = subprocess.run(colab.nbval_command(Path(sys.executable), [canary, fine], kernel=None),
                            capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode != 0, result.stdout
    assert "_repr_mimebundle_" in result.stdout
    assert "1 failed, 1 passed" in result.stdout


def test_setup_page_and_readme_name_the_snapshot_that_is_tested():
    snap = colab.Snapshot.read()
    for page in ("book/setup.md", "README.md"):
        text = (ROOT / page).read_text()
        assert snap.date in text, f"{page} must say which Colab snapshot is tested ({snap.date})"
        assert f"ipywidgets {snap.pins['ipywidgets']}" in text
    assert "make colab" in (ROOT / ".ci" / "run").read_text()


def test_the_book_does_not_read_the_colab_environment():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert colab.VENV.name in config["exclude_patterns"]
    assert f"{colab.VENV.name}/" in (ROOT / ".gitignore").read_text().replace(".venv-*/", ".venv-colab/")
