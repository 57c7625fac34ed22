"""pytest set-up for the whole repository.

* The docstring examples in ``utils/`` run as doctests (``--doctest-modules``).
* Each chapter notebook that nbval runs without a failure is stored, with the outputs
  nbval got, in the book's execution cache (``_build/.jupyter_cache``, the
  ``jupyter-cache`` database myst-nb reads). ``make book`` after ``make test`` then
  takes those outputs instead of running every chapter again: the cache is keyed on
  the code cells' source, so a notebook changed since the test run is executed anew.
  Set ``P2P_NBVAL_CACHE=0`` to turn this off.
"""

from __future__ import annotations

import copy
import os
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # docstring examples draw figures; no display is needed

ROOT = Path(__file__).resolve().parent
collect_ignore = ["utils/data/__main__.py", "scripts", "hub", "book"]
# --doctest-modules would import every conftest.py as a module called "conftest" (they clash).
collect_ignore_glob = ["*/conftest.py"]

from scripts.book_cache import BOOK_CACHE, store_executed  # noqa: E402

_runs: dict[Path, dict] = {}  # chapter notebook -> its nbval file item, outputs and verdicts


def _chapter(item) -> Path | None:
    """The chapter notebook an nbval cell item belongs to (``None``: not a book chapter)."""
    path = Path(str(getattr(item, "fspath", ""))).resolve()
    if path.suffix != ".ipynb" or path.parent != ROOT / "notebooks" or not hasattr(item, "cell_num"):
        return None
    return path


def pytest_runtest_makereport(item, call):  # noqa: D103 - pytest hook
    path = _chapter(item)
    if path is None or call.when != "call":
        return
    run = _runs.setdefault(path, {"file": item.parent, "outputs": {}, "ok": True,
                                  "start": call.start})
    run["outputs"][item.cell_num] = copy.deepcopy(getattr(item, "test_outputs", None) or [])
    run["ok"] = run["ok"] and call.excinfo is None
    run["stop"] = call.stop


def pytest_sessionfinish(session, exitstatus) -> None:  # noqa: D103 - pytest hook
    if os.environ.get("P2P_NBVAL_CACHE", "1") == "0":
        return
    stored = []
    for path, run in _runs.items():
        if run["ok"] and store_executed(path, run["file"].nb, run["outputs"],
                                        run.get("stop", time.time()) - run["start"]):
            stored.append(path.stem)
    if stored:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write("\n")
            reporter.write_line(f"nbval outputs stored in {BOOK_CACHE.relative_to(ROOT)} for the "
                                f"book: {', '.join(sorted(stored))}")
