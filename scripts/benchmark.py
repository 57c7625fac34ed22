"""Run every chapter notebook in a fresh kernel; record wall time and peak memory.

    python scripts/benchmark.py [NOTEBOOK ...]   (or: make bench)

Writes ``book/_generated/benchmarks.json`` and the table the book's
"Course status" page shows, ``book/_generated/benchmarks.md``, and a copy of the
JSON in the package (``utils/benchmarks.json``) from which ``python -m utils.doctor``
predicts run times on other machines (with the CPU probe's score recorded here). The peak
memory is the kernel process's peak resident set size (``ru_maxrss``),
read by one extra cell run at the end of the notebook. It also times the
kernel editor's update computation on a 256×256 image and the course's
``conv2d`` against ``scipy.signal.correlate2d``. Exits non-zero if a
notebook fails or anything exceeds its budget.
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

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from utils.doctor import cpu_probe  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "book" / "_generated"
PACKAGE_COPY = ROOT / "utils" / "benchmarks.json"

#: (seconds, GB) per notebook; the course-wide budget applies to the rest.
DEFAULT_BUDGET = (90.0, 1.5)
BUDGETS = {"01_pixels": (30.0, 1.0), "02_convolution": (60.0, 1.0), "03_relu": (60.0, 1.0),
           "04_pooling": (60.0, 1.0), "05_dense_softmax_learning": (60.0, 1.0),
           "06_training_a_cnn": (90.0, 1.5),
           "07_pretrained_features": (60.0, 1.5), "08_transfer_learning": (90.0, 1.5)}
#: A widget update may spend at most this much time computing (ms).
WIDGET_BUDGET_MS = 16.0

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


def _median_ms(fn, repeats: int) -> float:
    fn()  # warm up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return float(sorted(times)[len(times) // 2])


def compute_benchmarks(repeats: int = 30) -> dict:
    """Kernel-editor update compute time (256×256) and conv2d vs scipy's correlate2d."""
    import numpy as np
    from scipy.signal import correlate2d

    from utils.conv import conv2d
    from utils.widgets import KernelEditor

    editor = KernelEditor(size=256)
    values = iter(np.tile(np.linspace(-2.0, 2.0, 7), repeats + 1))

    def slider_update() -> None:
        editor.sliders[0].value = float(next(values))
        assert editor.compute_ms >= 0

    def editor_compute() -> None:
        editor.compute()

    image = editor.image
    kernel = np.random.default_rng(0).normal(size=(3, 3)).astype(np.float32)
    ours = _median_ms(lambda: conv2d(image, kernel, padding="same"), repeats)
    scipy = _median_ms(lambda: correlate2d(image, kernel, mode="same"), repeats)
    compute = _median_ms(editor_compute, repeats)
    full_update = _median_ms(slider_update, max(5, repeats // 3))
    return {
        "kernel_editor_compute_ms": round(compute, 2),
        "kernel_editor_full_update_ms": round(full_update, 1),
        "conv2d_ms": round(ours, 2),
        "scipy_correlate2d_ms": round(scipy, 2),
        "conv2d_over_scipy": round(ours / scipy, 2),
        "within_budget": compute <= WIDGET_BUDGET_MS,
    }


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def write_outputs(results: list[dict], compute: dict | None = None) -> None:
    machine = {
        "date": dt.date.today().isoformat(),
        "cpus": os.cpu_count(),
        "platform": f"{platform.system()} {platform.machine()}",
        "python": platform.python_version(),
        "tensorflow": _version("tensorflow"),
        "keras": _version("keras"),
        "probe_score": round(cpu_probe(), 1),  # utils.doctor scales run times by it
    }
    OUT.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"machine": machine, "notebooks": results, "compute": compute}, indent=2)
    (OUT / "benchmarks.json").write_text(text + "\n")
    PACKAGE_COPY.write_text(text + "\n")
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
    if compute:
        lines += [
            "",
            "| computation | median time |",
            "| --- | ---: |",
            f"| kernel editor update, computation only (3×3 kernel, 256×256 image; "
            f"budget {WIDGET_BUDGET_MS:.0f} ms) | {compute['kernel_editor_compute_ms']:.2f} ms |",
            f"| kernel editor update including drawing the figure | "
            f"{compute['kernel_editor_full_update_ms']:.0f} ms |",
            f"| course `conv2d`, 3×3 on 256×256 | {compute['conv2d_ms']:.2f} ms |",
            f"| `scipy.signal.correlate2d`, same input | {compute['scipy_correlate2d_ms']:.2f} ms |",
            f"| ratio `conv2d` / `correlate2d` | {compute['conv2d_over_scipy']:.2f} |",
        ]
    (OUT / "benchmarks.md").write_text("\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to run (default: notebooks/*.ipynb)")
    parser.add_argument("--timeout", type=int, default=300, help="seconds per cell")
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    compute = compute_benchmarks()
    print(f"kernel editor compute {compute['kernel_editor_compute_ms']:.2f} ms "
          f"(full update {compute['kernel_editor_full_update_ms']:.0f} ms); conv2d/correlate2d "
          f"= {compute['conv2d_over_scipy']:.2f}", flush=True)
    results = []
    for path in paths:
        result = run(path, args.timeout)
        results.append(result)
        print(f"{result['notebook']}: {result['seconds']:.1f} s, "
              f"{result['peak_rss_gb']:.2f} GB peak kernel RSS"
              f"{'' if result['within_budget'] else '  (OVER BUDGET)'}", flush=True)
    if not args.notebooks:  # only a full run updates the status page (and the schedules)
        write_outputs(results, compute)
        from scripts import make_schedule

        make_schedule.main([])
    ok = all(r["within_budget"] for r in results) and compute["within_budget"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
