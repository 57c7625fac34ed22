"""Run every chapter notebook in a fresh kernel; record wall time and peak memory.

    python scripts/benchmark.py [NOTEBOOK ...]   (or: make bench)

Writes ``book/_generated/benchmarks.json`` and the table the book's
"Course status" page shows, ``book/_generated/benchmarks.md``. The peak
memory is the kernel process's peak resident set size (``ru_maxrss``),
read by one extra cell run at the end of the notebook. Exits non-zero if a
notebook fails or exceeds its budget.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time
from importlib import metadata
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "book" / "_generated"

#: (seconds, GB) per notebook; the course-wide budget applies to the rest.
DEFAULT_BUDGET = (90.0, 1.5)
BUDGETS = {"01_pixels": (30.0, 1.0)}

_PEAK_CELL = """\
import json, resource, sys
_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"peak_rss_bytes": _peak if sys.platform == "darwin" else _peak * 1024}))
"""


def run(path: Path, timeout: int) -> dict:
    """Execute one notebook in a new kernel and return its measurements."""
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(_PEAK_CELL))
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    text = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    peak = json.loads(text.strip().splitlines()[-1])["peak_rss_bytes"]
    max_s, max_gb = BUDGETS.get(path.stem, DEFAULT_BUDGET)
    return {
        "notebook": path.stem,
        "seconds": round(seconds, 1),
        "peak_rss_gb": round(peak / 1e9, 3),
        "budget_seconds": max_s,
        "budget_gb": max_gb,
        "within_budget": seconds <= max_s and peak / 1e9 <= max_gb,
    }


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def write_outputs(results: list[dict]) -> None:
    machine = {
        "date": dt.date.today().isoformat(),
        "cpus": os.cpu_count(),
        "platform": f"{platform.system()} {platform.machine()}",
        "python": platform.python_version(),
        "tensorflow": _version("tensorflow"),
        "keras": _version("keras"),
    }
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "benchmarks.json").write_text(json.dumps({"machine": machine, "notebooks": results},
                                                    indent=2) + "\n")
    lines = [
        f"Measured on {machine['date']}: {machine['cpus']} CPU cores, {machine['platform']}, "
        f"Python {machine['python']}, TensorFlow {machine['tensorflow']}, "
        f"Keras {machine['keras']}.",
        "",
        "| notebook | run time (s) | peak kernel memory (GB) | budget | within budget |",
        "| --- | ---: | ---: | --- | :---: |",
    ]
    for r in results:
        lines.append(
            f"| {r['notebook']} | {r['seconds']:.1f} | {r['peak_rss_gb']:.2f} | "
            f"≤ {r['budget_seconds']:.0f} s, ≤ {r['budget_gb']} GB | "
            f"{'yes' if r['within_budget'] else '**no**'} |"
        )
    (OUT / "benchmarks.md").write_text("\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to run (default: notebooks/*.ipynb)")
    parser.add_argument("--timeout", type=int, default=300, help="seconds per cell")
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    results = []
    for path in paths:
        result = run(path, args.timeout)
        results.append(result)
        print(f"{result['notebook']}: {result['seconds']:.1f} s, "
              f"{result['peak_rss_gb']:.2f} GB peak kernel RSS"
              f"{'' if result['within_budget'] else '  (OVER BUDGET)'}", flush=True)
    if not args.notebooks:  # only a full run updates the status page
        write_outputs(results)
    return 0 if all(r["within_budget"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
