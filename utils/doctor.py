"""Pre-flight check for a workshop: will every chapter run here, and how long will it take?

    python -m utils.doctor          (or, in a notebook cell: from utils.doctor import main; main())

Prints one table, one line per check, ✅ (green) or ❌ (red) with what to do about a red
line, and exits non-zero if any line is red:

- Python and the course's packages (TensorFlow, Keras, ipywidgets, ...) within the
  versions the course supports;
- whether widgets will render in this front end (Colab, JupyterLab, Notebook) or what
  to install;
- every data set and weight file present and checksum-verified (or the prefetch command);
- free memory and disk for the largest chapter;
- a 2-second CPU probe that predicts each chapter's run time on this machine from the
  course's measured status table.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path

import numpy as np

__all__ = ["Check", "check_data", "check_disk", "check_memory", "check_packages", "check_python",
           "check_speed", "check_widgets", "cpu_probe", "main", "run_checks", "status_table"]

DISTRIBUTION = "pixels-to-probabilities"
#: The packages whose versions matter to the chapters, in the order they are reported.
PACKAGES = ("tensorflow", "keras", "numpy", "matplotlib", "ipywidgets", "scikit-image", "Pillow")
#: Fallback ranges when the course is run from a checkout that was never installed.
FALLBACK_REQUIREMENTS = {"python": ">=3.11", "tensorflow": ">=2.20", "keras": ">=3.13",
                         "numpy": ">=2.1", "matplotlib": ">=3.10", "ipywidgets": ">=7.7",
                         "scikit-image": ">=0.25", "Pillow": ">=11.3"}
#: Widget front-end packages that match each ipywidgets major version.
FRONT_ENDS = {7: {"jupyterlab_widgets": (1,), "widgetsnbextension": (3,)},
              8: {"jupyterlab_widgets": (3,), "widgetsnbextension": (4,)}}
#: A chapter predicted to take longer than this many seconds here makes the speed line red.
SLOW_CHAPTER_S = 300.0
#: Disk the course needs beyond the files it downloads (caches, the book, a kernel's temp files).
DISK_MARGIN_GB = 1.0
GB = 1e9


@dataclass
class Check:
    """One line of the table: what was checked, whether it passed, and the details.

    Examples
    --------
    >>> Check("memory", True, "12.0 GB free").line()
    '✅ memory         12.0 GB free'
    """

    name: str
    ok: bool
    detail: str
    extra: list[str] = field(default_factory=list)

    def line(self, width: int = 14, colour: bool = False) -> str:
        mark = "✅" if self.ok else "❌"
        if colour:
            mark = f"\033[32m{mark}\033[0m" if self.ok else f"\033[31m{mark}\033[0m"
        return f"{mark} {self.name:<{width}} {self.detail}"


def status_table(path: Path | None = None) -> dict:
    """The course's measured run times and memory per chapter (``make bench`` writes it).

    Examples
    --------
    >>> table = status_table()
    >>> sorted(table)[:3]
    ['compute', 'machine', 'notebooks']
    """
    if path is None:
        text = resources.files("utils").joinpath("benchmarks.json").read_text()
    else:
        text = Path(path).read_text()
    table = json.loads(text)
    if not table.get("notebooks"):
        raise ValueError("the status table lists no notebooks: run `make bench` to measure them.")
    return table


def _requirements() -> dict[str, str]:
    """Declared version ranges of the course's packages, from the installed distribution."""
    try:
        declared = metadata.requires(DISTRIBUTION) or []
        python = metadata.metadata(DISTRIBUTION).get("Requires-Python", "")
    except metadata.PackageNotFoundError:
        return dict(FALLBACK_REQUIREMENTS)
    from packaging.requirements import Requirement

    ranges = {"python": python or FALLBACK_REQUIREMENTS["python"]}
    for line in declared:
        req = Requirement(line)
        if req.marker is None:  # extras (test, book, ...) carry a marker
            ranges[req.name] = str(req.specifier)
    return ranges


def _within(version: str, specifier: str) -> bool:
    from packaging.specifiers import SpecifierSet

    return SpecifierSet(specifier).contains(version, prereleases=True)


def check_python(version: str | None = None, specifier: str | None = None) -> Check:
    """Is this Python one the course supports?

    Examples
    --------
    >>> check_python("3.9.1", ">=3.11").ok
    False
    """
    version = version or ".".join(map(str, sys.version_info[:3]))
    specifier = specifier or _requirements()["python"]
    if _within(version, specifier):
        return Check("Python", True, f"{version} (supported: {specifier})")
    return Check("Python", False, f"{version} is not supported ({specifier}): use Python "
                 f"{specifier.lstrip('>=~')} or newer")


def check_packages(versions: dict[str, str | None] | None = None,
                   requirements: dict[str, str] | None = None) -> list[Check]:
    """One line per package: installed, and within the course's range?

    Examples
    --------
    >>> checks = check_packages({"numpy": "1.26.4"}, {"numpy": ">=2.1"})
    >>> next(check.detail for check in checks if check.name == "numpy")
    '1.26.4 is outside >=2.1: pip install "numpy>=2.1" (then restart the kernel)'
    """
    requirements = requirements or _requirements()
    checks = []
    for name in PACKAGES:
        spec = requirements.get(name, requirements.get(name.lower(), ""))
        if versions is not None:
            version = versions.get(name)
        else:
            try:
                version = metadata.version(name)
            except metadata.PackageNotFoundError:
                version = None
        if version is None:
            checks.append(Check(name, False, f"not installed: pip install \"{name}{spec}\""))
        elif spec and not _within(version, spec):
            checks.append(Check(name, False, f"{version} is outside {spec}: "
                                f"pip install \"{name}{spec}\" (then restart the kernel)"))
        else:
            checks.append(Check(name, True, f"{version}" + (f" ({spec})" if spec else "")))
    return checks


def _front_end() -> str:
    """Where this runs: "colab", "jupyter" (a kernel), "vscode" or "terminal"."""
    if "google.colab" in sys.modules:
        return "colab"
    if "VSCODE_PID" in os.environ or "VSCODE_CWD" in os.environ:
        return "vscode"
    if "ipykernel" in sys.modules:
        return "jupyter"
    return "terminal"


def _installed(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def check_widgets(front_end: str | None = None,
                  installed: Callable[[str], str | None] = _installed) -> Check:
    """Will ipywidgets render here? Colab ships its own front end; Jupyter needs a match.

    Examples
    --------
    >>> check_widgets().ok      # doctest: +SKIP
    True
    """
    front_end = front_end or _front_end()
    version = installed("ipywidgets")
    if version is None:
        return Check("widgets", False, "ipywidgets is not installed: pip install \"ipywidgets>=7.7\"")
    major = int(version.split(".")[0])
    if front_end == "colab":
        return Check("widgets", True, f"Colab renders ipywidgets {version} itself")
    wanted = FRONT_ENDS.get(major)
    if wanted is None:
        return Check("widgets", False, f"ipywidgets {version} is not one the course supports "
                     "(7.7+ or 8.x): pip install \"ipywidgets>=8,<9\"")
    found = {pkg: installed(pkg) for pkg in wanted}
    good = [pkg for pkg, v in found.items()
            if v is not None and int(v.split(".")[0]) in wanted[pkg]]
    if good or front_end == "vscode":
        where = "VS Code's Jupyter extension" if front_end == "vscode" and not good else \
            " and ".join(f"{pkg} {found[pkg]}" for pkg in good)
        return Check("widgets", True, f"ipywidgets {version} with {where}")
    fix = " ".join(f"\"{pkg}=={wanted[pkg][0]}.*\"" for pkg in wanted)
    seen = ", ".join(f"{pkg} {v}" for pkg, v in found.items() if v) or "no widget front end"
    return Check("widgets", False, f"ipywidgets {version} needs a matching front end, found "
                 f"{seen}: pip install {fix}, then restart JupyterLab")


def check_data(verify: Callable[[str], object] | None = None,
               names: Iterable[str] | None = None) -> list[Check]:
    """Every download the course needs: present, and its checksum right?

    Examples
    --------
    >>> check_data(names=["hymenoptera"])[0].line()   # doctest: +SKIP
    '✅ hymenoptera    verified (ok, 398 files)'
    """
    from utils.data.download import verify as verify_resource
    from utils.data.registry import REGISTRY

    verify = verify or verify_resource
    checks = []
    for name in names if names is not None else REGISTRY:
        status = verify(name)
        label = _short(name)
        if status.ok:
            checks.append(Check(label, True, f"verified ({status.detail})"))
        else:
            checks.append(Check(label, False, f"{status.detail} at {status.path}: run "
                                f"python -m utils.data prefetch {name}"))
    return checks


def _short(name: str, width: int = 30) -> str:
    """A resource's name short enough for the table: its file name, cut to ``width``."""
    base = name.rsplit("/", 1)[-1].replace("_weights_tf_dim_ordering_tf_kernels", "")
    for suffix in (".gz", ".h5", ".json"):
        base = base.removesuffix(suffix)
    return base if len(base) <= width else base[:width - 1] + "…"


def check_memory(needed_gb: float, available_gb: float | None = None) -> Check:
    """Is there memory for the largest chapter's kernel (plus the Jupyter server)?

    Examples
    --------
    >>> check_memory(1.3, available_gb=0.8).ok
    False
    """
    from utils.session import SERVER_RESERVE_GB, memory_report

    if available_gb is None:
        report = memory_report()
        budget = report.limit if report.limit is not None else _available_memory(report.total)
        available_gb = (budget - (report.others if report.limit is not None else 0)) / GB
    free = available_gb - SERVER_RESERVE_GB
    if free >= needed_gb:
        return Check("memory", True, f"{available_gb:.1f} GB free, the largest chapter needs "
                     f"{needed_gb:.1f} GB")
    return Check("memory", False, f"{available_gb:.1f} GB free but the largest chapter needs "
                 f"{needed_gb:.1f} GB (+{SERVER_RESERVE_GB} GB for Jupyter): close other "
                 "notebooks' kernels and programs, or use a machine with more memory")


def _available_memory(total: float) -> float:
    try:
        import psutil

        return float(psutil.virtual_memory().available)
    except ImportError:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return float(line.split()[1]) * 1024
    return total


def check_disk(needed_gb: float, free_gb: float | None = None, where: Path | None = None) -> Check:
    """Is there disk for the downloads not yet on this machine (plus a margin)?

    Examples
    --------
    >>> check_disk(1.0, free_gb=50.0).ok
    True
    """
    from utils.data.download import data_dir

    where = where or data_dir()
    if free_gb is None:
        probe = where
        while not probe.exists() and probe != probe.parent:
            probe = probe.parent
        free_gb = shutil.disk_usage(probe).free / GB
    need = needed_gb + DISK_MARGIN_GB
    if free_gb >= need:
        return Check("disk", True, f"{free_gb:.1f} GB free at {where} ({need:.1f} GB needed)")
    return Check("disk", False, f"{free_gb:.1f} GB free at {where} but {need:.1f} GB needed: "
                 "free some space, or set P2P_DATA_DIR and KERAS_HOME to a larger disk")


def cpu_probe(seconds: float = 2.0) -> float:
    """Work done per second on a fixed float32 workload (matrix products, like a network's).

    Examples
    --------
    >>> cpu_probe(seconds=0.5)   # doctest: +SKIP
    2577.3
    """
    if not 0 < seconds <= 30:
        raise ValueError(f"seconds must be between 0 and 30, got {seconds}.")
    rng = np.random.default_rng(0)
    a = rng.random((384, 384), dtype=np.float32)
    b = rng.random((384, 384), dtype=np.float32)
    done, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < seconds:
        a @ b
        done += 1
    return done / elapsed


def check_speed(table: dict, score: float | None = None, seconds: float = 2.0) -> Check:
    """Predict each chapter's run time here from the probe and the measured status table.

    Examples
    --------
    >>> check_speed(status_table()).ok   # doctest: +SKIP
    True
    """
    reference = table.get("machine", {}).get("probe_score")
    if not reference:
        return Check("speed", False, "the status table has no probe score: run `make bench`")
    score = score if score is not None else cpu_probe(seconds)
    factor = reference / score
    predicted = {r["notebook"]: r["seconds"] * factor for r in table["notebooks"]}
    extra = [f"   {name:<32} {s:6.0f} s  (measured {r['seconds']:.0f} s on the course's machine)"
             for (name, s), r in zip(predicted.items(), table["notebooks"])]
    slowest = max(predicted, key=predicted.get)
    total = sum(predicted.values())
    detail = (f"this machine is {1 / factor:.1f}× the course's CI machine: all chapters "
              f"~{total / 60:.0f} min, the slowest {slowest} ~{predicted[slowest]:.0f} s")
    if predicted[slowest] > SLOW_CHAPTER_S:
        return Check("speed", False, detail + f" (over {SLOW_CHAPTER_S:.0f} s: use a faster "
                     "machine, Colab, or a JupyterHub for the room)", extra)
    return Check("speed", True, detail, extra)


def run_checks(table: dict | None = None, probe_seconds: float = 2.0) -> list[Check]:
    """All the checks, in the order the table shows them.

    Examples
    --------
    >>> [check.name for check in run_checks()][:3]   # doctest: +SKIP
    ['python', 'numpy', 'scipy']
    """
    from utils.data.download import verify
    from utils.data.registry import REGISTRY

    table = table or status_table()
    checks = [check_python(), *check_packages(), check_widgets(), *check_data()]
    largest = max(r["peak_rss_gb"] for r in table["notebooks"])
    checks.append(check_memory(largest))
    missing = sum(r.size_bytes for name, r in REGISTRY.items() if not verify(name).ok)
    checks.append(check_disk(missing / GB))
    checks.append(check_speed(table, seconds=probe_seconds))
    return checks


def _data_folders() -> str:
    from utils.data.download import data_dir, keras_home

    return f"{data_dir()} and {keras_home()}"


def main(argv: list[str] | None = None) -> int:
    """Print the table; return 1 if any line is red (``python -m utils.doctor``).

    Examples
    --------
    >>> main([])   # doctest: +SKIP
    ✅ python  3.11.9 (>=3.11)
    ...
    0
    """
    import argparse

    parser = argparse.ArgumentParser(prog="python -m utils.doctor", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--probe-seconds", type=float, default=2.0,
                        help="how long the CPU probe runs (default 2)")
    args = parser.parse_args(argv)
    checks = run_checks(probe_seconds=args.probe_seconds)
    colour = sys.stdout.isatty()
    width = max(len(c.name) for c in checks)
    print(f"Pixels to Probabilities: pre-flight check ({_front_end()}, "
          f"data in {_data_folders()})")
    for check in checks:
        print(check.line(width, colour))
        for line in check.extra:
            print(line)
    red = [c.name for c in checks if not c.ok]
    print("All green: the course will run here." if not red else
          f"{len(red)} red line{'s' if len(red) > 1 else ''}: {', '.join(red)}. Fix them before the workshop.")
    return 1 if red else 0


if __name__ == "__main__":
    sys.exit(main())
