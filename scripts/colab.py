"""The Colab job: run the course on Colab's own package versions, offline, as CI does.

    python scripts/colab.py date      print the date of the Colab snapshot we test against
    python scripts/colab.py refresh   (online) replace the snapshot with Colab's current list
    python scripts/colab.py env       build the Colab-like virtual environment .venv-colab
    python scripts/colab.py test      env, then every check below (what `make colab` runs)

Colab pre-installs several hundred packages and keeps them imported (ipywidgets 7 among
them); a notebook must never change them. The snapshot of Colab's published ``pip
freeze`` is kept in ``requirements/colab-constraints.txt``, dated. ``test``

1. builds a virtual environment from it with the Python nearest to Colab's on this
   machine: the course's dependencies and Colab's kernel stack at Colab's versions;
2. runs the notebooks' first cell (the course package's install, pointed at this checkout)
   from a folder holding a learner's own ``utils.py``, and fails if it changes, removes or
   adds any package but the course's own;
3. runs a canary notebook whose widget fails inside the display formatter and fails
   unless nbval reports it (so a broken widget cannot pass silently);
4. runs the unit tests, then every notebook with nbval in a kernel that imports
   ipywidgets before the first cell, as Colab's does; any error output fails.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONSTRAINTS = ROOT / "requirements" / "colab-constraints.txt"
VENV = ROOT / ".venv-colab"
KERNEL_NAME = "p2p-colab"
COURSE = "pixels-to-probabilities"
SOURCE_REPO = "googlecolab/backend-info"
#: Colab's kernel stack and what our tests need that Colab also has (installed at its versions).
COLAB_EXTRAS = ["pip", "setuptools", "ipykernel", "ipython", "jupyter_client", "anywidget", "nbformat", "pytest",
                "pyyaml", "packaging", "psutil"]
#: Test tools Colab does not have; installed under the same constraints.
TEST_TOOLS = ["nbval", "nbclient"]
#: What Colab's kernel has imported before the first cell (anywidget imports ipywidgets).
STARTUP_IMPORTS = "import ipywidgets, anywidget"
NBVAL_ARGS = ["--nbval-lax", "--nbval-cell-timeout=300"]


# --- the snapshot ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Snapshot:
    """Colab's published package list at one date."""

    date: str
    python: str
    source: str
    pins: dict[str, str]

    @classmethod
    def read(cls, path: Path = CONSTRAINTS) -> Snapshot:
        """Parse the constraints file: ``# key: value`` header lines, then ``name==version``."""
        if not path.exists():
            raise FileNotFoundError(f"{path} is missing: run `python scripts/colab.py refresh`.")
        header, pins = {}, {}
        for line in path.read_text().splitlines():
            if m := re.match(r"#\s*([\w-]+):\s*(.+)", line):
                header[m.group(1)] = m.group(2).strip()
            elif line and not line.startswith("#"):
                name, _, version = line.partition("==")
                pins[normalize(name)] = version.strip()
        missing = {"snapshot-date", "python", "source"} - header.keys()
        if missing:
            raise ValueError(f"{path} lacks the header line(s) {sorted(missing)}: regenerate it "
                             "with `python scripts/colab.py refresh`.")
        return cls(header["snapshot-date"], header["python"], header["source"], pins)


def normalize(name: str) -> str:
    """A distribution name as pip compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def render_snapshot(freeze: str, date: str, python: str, source: str) -> str:
    """The constraints file for a ``pip freeze`` text: plain pins, URL installs commented out."""
    lines = [
        "# Colab's pre-installed Python packages (CPU runtime): a dated snapshot of the list",
        "# Colab publishes. Notebooks must run on these versions and must never change them.",
        f"# snapshot-date: {date}",
        f"# python: {python}",
        f"# source: {source}",
        "# Refresh when online: python scripts/colab.py refresh  (print the date: ... colab.py date)",
        "# Packages Colab installs from a URL are kept as comments: a constraint must be a version.",
    ]
    for line in sorted(freeze.splitlines(), key=str.lower):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        lines.append(line if "==" in line and " @ " not in line else f"# url: {line}")
    return "\n".join(lines) + "\n"


def refresh(from_dir: Path | None = None) -> Snapshot:
    """Download Colab's current list (or read it from a checkout of its repository)."""
    if from_dir is not None:
        def git(*args: str) -> str:
            return subprocess.run(["git", "-C", str(from_dir), *args], check=True,
                                  capture_output=True, text=True).stdout
        freeze, os_info = git("show", "HEAD:pip-freeze.txt"), git("show", "HEAD:os-info.txt")
        commit, date = git("log", "-1", "--format=%H %cs", "--", "pip-freeze.txt").split()
    else:
        raw = f"https://raw.githubusercontent.com/{SOURCE_REPO}/main/"
        api = f"https://api.github.com/repos/{SOURCE_REPO}/commits?path=pip-freeze.txt&per_page=1"
        freeze, os_info = _get(raw + "pip-freeze.txt"), _get(raw + "os-info.txt")
        last = json.loads(_get(api))[0]
        commit, date = last["sha"], last["commit"]["committer"]["date"][:10]
    found = re.search(r"^Python (\d+\.\d+\.\d+)", os_info, flags=re.MULTILINE)
    if not found:
        raise ValueError("os-info.txt names no Python version; the source changed its format.")
    source = f"https://github.com/{SOURCE_REPO} pip-freeze.txt at {commit}"
    CONSTRAINTS.write_text(render_snapshot(freeze, date, found.group(1), source))
    return Snapshot.read()


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read().decode()


# --- the environment -------------------------------------------------------------------------

def find_python(wanted: str, candidates: list[Path] | None = None) -> tuple[Path, str]:
    """The interpreter on this machine whose version is nearest to ``wanted`` (``3.13.15``).

    Looks at ``$COLAB_PYTHON``, ``python3.X`` on the PATH and pyenv's versions; same minor
    version first, then the nearest minor. Returns the path and its ``major.minor.micro``.
    """
    if os.environ.get("COLAB_PYTHON"):
        candidates = [Path(os.environ["COLAB_PYTHON"])]
    elif candidates is None:
        candidates = []
        for minor in range(8, 20):
            if found := shutil.which(f"python3.{minor}"):
                candidates.append(Path(found))
        pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
        candidates += sorted(pyenv_root.glob("versions/3.*/bin/python3"))
    target = tuple(int(p) for p in wanted.split(".")[:2])
    best = None
    for path in candidates:
        try:
            out = subprocess.run([str(path), "-c", "import sys; print(*sys.version_info[:3])"],
                                 capture_output=True, text=True, timeout=30, check=True).stdout
        except (OSError, subprocess.SubprocessError):
            continue
        version = tuple(int(p) for p in out.split())
        distance = (abs(version[0] * 100 + version[1] - target[0] * 100 - target[1]),
                    -version[1], -version[2])
        if best is None or distance < best[0]:
            best = (distance, path, ".".join(map(str, version)))
    if best is None:
        raise RuntimeError(f"no Python 3 interpreter found; set COLAB_PYTHON to one near {wanted}.")
    return best[1], best[2]


def course_dependencies() -> list[str]:
    """The distribution names in ``[project].dependencies`` of pyproject.toml."""
    with open(ROOT / "pyproject.toml", "rb") as f:
        deps = tomllib.load(f)["project"]["dependencies"]
    return [re.split(r"[\s<>=!~;\[]", d, maxsplit=1)[0] for d in deps]


def preinstalled(snapshot: Snapshot) -> list[str]:
    """What the Colab-like environment pre-installs: our dependencies and Colab's kernel stack,
    each only if Colab has it (a dependency Colab lacks must show up as an install in step 2)."""
    names = course_dependencies() + COLAB_EXTRAS
    return [n for n in names if normalize(n) in snapshot.pins]


def build_env(snapshot: Snapshot, venv: Path = VENV) -> Path:
    """Create (or reuse, if its recipe is unchanged) the Colab-like environment; its python."""
    base, version = find_python(snapshot.python)
    recipe = json.dumps([CONSTRAINTS.read_text(), version, preinstalled(snapshot), TEST_TOOLS,
                         STARTUP_IMPORTS])
    stamp, python = venv / ".recipe.json", venv / "bin" / "python"
    print(f"Colab snapshot of {snapshot.date}: Python {snapshot.python}; "
          f"using Python {version} ({base}), the nearest on this machine")
    if python.exists():
        _run([str(python), "-m", "pip", "uninstall", "--quiet", "--yes", COURSE], check=False)
    built = json.loads(stamp.read_text()) if stamp.exists() else {}
    # Reuse the environment only if it was built from this recipe and nothing has changed it.
    if built.get("recipe") != _digest(recipe) or built.get("packages") != freeze(python):
        shutil.rmtree(venv, ignore_errors=True)
        _run([str(base), "-m", "venv", str(venv)])
        pip = [str(python), "-m", "pip", "install", "--quiet", "-c", str(CONSTRAINTS)]
        _run([*pip, *preinstalled(snapshot)])
        _run([*pip, *TEST_TOOLS])
        stamp.write_text(json.dumps({"recipe": _digest(recipe), "packages": freeze(python)}))
    _install_kernel(python, venv)
    return python


def _install_kernel(python: Path, venv: Path) -> None:
    """A kernel spec that, like Colab's kernel, has ipywidgets imported before the first cell."""
    spec = {
        "argv": [str(python), "-Xfrozen_modules=off", "-m", "ipykernel_launcher",
                 "-f", "{connection_file}", f"--IPKernelApp.exec_lines={STARTUP_IMPORTS}"],
        "display_name": "Colab-like (ipywidgets imported at start-up)",
        "language": "python",
        "env": {"PYDEVD_DISABLE_FILE_VALIDATION": "1"},  # debugpy's notice on Python 3.13
    }
    folder = venv / "share" / "jupyter" / "kernels" / KERNEL_NAME
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "kernel.json").write_text(json.dumps(spec, indent=1))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _run(cmd: list[str], check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    print("$", " ".join(cmd), flush=True)
    # Outputs of Colab's versions must not land in the book's execution cache (conftest.py).
    kwargs["env"] = {**(kwargs.get("env") or os.environ), "P2P_NBVAL_CACHE": "0"}
    return subprocess.run(cmd, check=check, **kwargs)


# --- step 2: the first cell ------------------------------------------------------------------

def setup_cells() -> dict[str, str]:
    """The first code cell of every notebook, by notebook name."""
    cells = {}
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = json.loads(path.read_text())
        first = next(c for c in nb["cells"] if c["cell_type"] == "code")
        cells[path.name] = "".join(first["source"])
    return cells


def local_setup_cell(source: str, checkout: Path = ROOT) -> str:
    """The setup cell with its ``git+URL@TAG`` install pointed at ``checkout`` (CI is offline)."""
    pattern = rf'"{COURSE} @ git\+https://[^"@\s]+@[\w.\-/]+"'
    if not re.search(pattern, source):
        raise ValueError(f"the setup cell has no pinned install of the form {pattern}")
    return re.sub(pattern, f'"{COURSE} @ {checkout.resolve().as_uri()}"', source)


def freeze(python: Path) -> dict[str, str]:
    """``{name: version}`` of everything installed (pip, setuptools and wheel included)."""
    if not python.exists():
        return {}
    out = subprocess.run([str(python), "-m", "pip", "list", "--format=json"], check=True,
                         capture_output=True, text=True).stdout
    return {normalize(p["name"]): p["version"] for p in json.loads(out)}


def changes(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """What an install did to the environment, one line a package."""
    out = [f"removed {n} {v}" for n, v in before.items() if n not in after]
    out += [f"changed {n} {v} -> {after[n]}" for n, v in before.items()
            if n in after and after[n] != v]
    out += [f"added {n} {v}" for n, v in after.items() if n not in before]
    return sorted(out)


def check_first_cell(python: Path) -> list[str]:
    """Run the notebooks' first cell as a learner on Colab would; the problems found."""
    cells = setup_cells()
    if len(set(cells.values())) != 1:
        return ["the notebooks' first cells differ: run `python scripts/setup_cell.py --write`"]
    source = local_setup_cell(next(iter(cells.values())))
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        # A learner's own utils.py next to the notebook must not fool the detection.
        (Path(tmp) / "utils.py").write_text('print("a learner\'s own utils module")\n')
        script = Path(tmp) / "setup_cell.ipy"
        script.write_text(source + "\n")
        ipython = [str(python), "-m", "IPython", "--no-banner", "--quick",
                   "--TerminalInteractiveShell.term_title=False", str(script)]
        for attempt in ("first run", "second run"):
            before = freeze(python)
            result = _run(ipython, check=False, cwd=tmp, capture_output=True, text=True)
            after = freeze(python)
            print(result.stdout + result.stderr)
            if result.returncode != 0 or re.search("error|traceback", result.stdout + result.stderr,
                                                   flags=re.IGNORECASE):
                problems.append(f"{attempt}: the setup cell failed (exit {result.returncode})")
            expected = [f"added {COURSE} {after.get(COURSE)}"] if attempt == "first run" else []
            if (found := changes(before, after)) != expected:
                problems.append(f"{attempt}: the setup cell must only add {COURSE}, "
                                f"but it did: {found or 'nothing'}")
            else:
                print(f"first cell, {attempt}: {found[0] if found else 'installed nothing'}; "
                      f"the {len(before)} packages already there are unchanged")
    return problems


# --- steps 3 and 4: nbval --------------------------------------------------------------------

def nbval_command(python: Path, paths: list[Path], kernel: str | None = KERNEL_NAME) -> list[str]:
    """The pytest command that runs ``paths`` with nbval in ``kernel`` (None: the current env).

    nbval fails a cell on any ``error`` output, including a traceback that IPython's display
    formatter prints while the cell itself succeeds (e.g. a widget that cannot display).
    """
    where = ["--nbval-current-env"] if kernel is None else [f"--nbval-kernel-name={kernel}"]
    return [str(python), "-m", "pytest", "-o", "addopts=", "-p", "no:cacheprovider", "-q",
            "-W", "ignore::DeprecationWarning", f"--rootdir={ROOT}", *NBVAL_ARGS, *where,
            *map(str, paths)]


def write_notebook(path: Path, *sources: str) -> Path:
    """A minimal notebook with one code cell per source (for the probe and the canary)."""
    cells = [{"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {},
              "outputs": [], "source": src} for i, src in enumerate(sources)]
    nb = {"cells": cells, "metadata": {"kernelspec": {"name": "python3", "language": "python",
          "display_name": "Python 3"}}, "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(nb, indent=1))
    return path


CANARY = '''class BrokenWidget:
    """Displays like the course's widgets did on ipywidgets 7: the formatter raises."""

    def _repr_mimebundle_(self, **kwargs):
        return self.box._repr_mimebundle_(**kwargs)  # AttributeError, caught by IPython

BrokenWidget()'''


def probe_source(snapshot: Snapshot) -> str:
    """A cell proving the kernel is Colab-like: ipywidgets imported before it, at Colab's version."""
    return (
        "import sys\n"
        "assert 'ipywidgets' in sys.modules, 'ipywidgets was not imported at kernel start-up'\n"
        "import ipywidgets\n"
        f"assert ipywidgets.__version__ == {snapshot.pins['ipywidgets']!r}, ipywidgets.__version__\n"
        "print('kernel: Python', sys.version.split()[0], '| ipywidgets', ipywidgets.__version__)"
    )


def test(skip_notebooks: bool = False) -> int:
    """Everything ``make colab`` promises; returns the exit code."""
    snapshot = Snapshot.read()
    timings, failures = {}, []
    start = time.monotonic()
    python = build_env(snapshot)
    timings["environment"] = time.monotonic() - start

    t = time.monotonic()
    failures += check_first_cell(python)
    timings["first cell"] = time.monotonic() - t
    if failures:  # nothing else can run without the course package
        return _report(snapshot, timings, failures)

    with tempfile.TemporaryDirectory() as tmp:
        t = time.monotonic()
        canary = write_notebook(Path(tmp) / "canary.ipynb", CANARY)
        result = _run(nbval_command(python, [canary]), check=False, capture_output=True, text=True)
        if result.returncode == 0 or "_repr_mimebundle_" not in result.stdout:
            failures.append("the canary widget that fails in the display formatter passed nbval: "
                            "this job would not catch a broken widget")
        else:
            print("canary: nbval fails a widget that raises in the display formatter, as it must")
        timings["canary"] = time.monotonic() - t

        t = time.monotonic()
        unit = [str(python), "-m", "pytest", "-o", "addopts=-ra --doctest-modules", "-p",
                "no:cacheprovider", "-q", f"--rootdir={ROOT}", str(ROOT / "tests"), str(ROOT / "utils"),
                f"--ignore={ROOT / 'tests' / 'browser'}"]  # the book's pages, not Colab
        if _run(unit, check=False, cwd=ROOT).returncode != 0:
            failures.append("unit tests or docstring examples failed on Colab's versions")
        timings["unit tests"] = time.monotonic() - t

        if not skip_notebooks:
            t = time.monotonic()
            probe = write_notebook(Path(tmp) / "colab_kernel_probe.ipynb", probe_source(snapshot))
            notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
            if _run(nbval_command(python, [probe, *notebooks]), check=False, cwd=ROOT).returncode:
                failures.append("notebooks failed under nbval on Colab's versions")
            timings["notebooks (nbval)"] = time.monotonic() - t
    return _report(snapshot, timings, failures)


def _report(snapshot: Snapshot, timings: dict[str, float], failures: list[str]) -> int:
    print(f"\nColab job (snapshot of {snapshot.date}):")
    for step, seconds in timings.items():
        print(f"  {step:<20} {seconds:7.1f} s")
    for failure in failures:
        print(f"FAILED: {failure}")
    print("Colab job passed" if not failures else f"Colab job: {len(failures)} problem(s)")
    return 1 if failures else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("date", help="print the snapshot's date, Python version and source")
    ref = sub.add_parser("refresh", help="replace the snapshot with Colab's current list (online)")
    ref.add_argument("--from", dest="from_dir", type=Path,
                     help=f"read it from a local clone of {SOURCE_REPO} instead")
    sub.add_parser("env", help="build the Colab-like environment only")
    run = sub.add_parser("test", help="build the environment and run every check")
    run.add_argument("--skip-notebooks", action="store_true", help="everything but nbval")
    args = parser.parse_args(argv)
    if args.command == "refresh":
        snap = refresh(args.from_dir)
        print(f"{CONSTRAINTS.relative_to(ROOT)}: Colab snapshot of {snap.date} "
              f"(Python {snap.python}, {len(snap.pins)} packages)")
    elif args.command == "date":
        snap = Snapshot.read()
        print(f"Colab snapshot of {snap.date}: Python {snap.python}, {len(snap.pins)} packages "
              f"({snap.source})")
    elif args.command == "env":
        build_env(Snapshot.read())
    else:
        return test(skip_notebooks=args.skip_notebooks)
    return 0


if __name__ == "__main__":
    sys.exit(main())
