"""Run every chapter notebook in a fresh kernel; record wall time and peak memory.

    python scripts/benchmark.py [NOTEBOOK ...]   (or: make bench)

Writes ``book/_generated/benchmarks.json`` and the table the book's
"Course status" page shows, ``book/_generated/benchmarks.md``, and a copy of the
JSON in the package (``utils/benchmarks.json``) from which ``python -m utils.doctor``
predicts run times on other machines (with the CPU probe's score recorded here). The peak
memory is the kernel process's own peak resident set size
(``utils.session.peak_memory``, not the benchmark's own size, which a kernel
started by it would inherit in ``ru_maxrss``), read by one extra cell run at
the end of the notebook. It also times the
kernel editor's update computation on a 256×256 image and the course's
``conv2d`` against ``scipy.signal.correlate2d``. Training chapters (a
``SEED = 0`` line) are run again with seeds 1, 2, ... (``--seeds``): the
results listed in their metadata (``p2p.seed_results``) go into a table of
mean and range per seed, and every assertion must hold for every seed. Exits
non-zero if a notebook fails, an assertion fails for some seed, or anything
exceeds its budget.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
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
           "06_training_a_cnn": (60.0, 1.5),  # issue 13: training chapter within 60 s
           "07_pretrained_features": (60.0, 1.5), "08_transfer_learning": (90.0, 1.5),
           "09_when_cnns_fail": (90.0, 1.5)}
#: ``utils.doctor.cpu_probe()`` on the reference machine the budgets are for (2 cores, no GPU;
#: measured when the budgets were set). A machine that is slower or busier when the benchmark runs
#: scores lower; run times are also reported scaled to this speed, and budgets apply to those.
REFERENCE_PROBE = 2577.3
#: A widget update may spend at most this much time computing (ms).
WIDGET_BUDGET_MS = 16.0

_PEAK_CELL = """\
import json
from utils.session import peak_memory
print(json.dumps({"peak_rss_bytes": peak_memory()}))
"""


#: A notebook whose code sets ``SEED = 0`` on a line of its own is a training chapter: the
#: benchmark reruns it with other seeds, and every assertion in it must hold for each.
_SEED_LINE = re.compile(r"^SEED = 0\b", re.MULTILINE)


def seed_results_spec(nb: nbformat.NotebookNode) -> dict[str, str]:
    """The results a training chapter reports per seed: label -> Python expression.

    They are listed in the notebook's metadata, ``p2p.seed_results``.
    """
    return dict(nb.metadata.get("p2p", {}).get("seed_results", {}))


def seed_cells(nb: nbformat.NotebookNode) -> list:
    """The code cells with a ``SEED = 0`` line (a training chapter has exactly one)."""
    return [c for c in nb.cells if c.cell_type == "code" and _SEED_LINE.search(c.source)]


def with_seed(nb: nbformat.NotebookNode, seed: int) -> nbformat.NotebookNode:
    """A copy of ``nb`` whose ``SEED = 0`` line says ``SEED = seed``."""
    copy = nbformat.from_dict(json.loads(json.dumps(nb)))
    hits = seed_cells(copy)
    if len(hits) != 1:
        raise ValueError(f"expected one cell with a 'SEED = 0' line, found {len(hits)}")
    hits[0].source = _SEED_LINE.sub(f"SEED = {seed}", hits[0].source, count=1)
    return copy


def _execute(nb: nbformat.NotebookNode, path: Path, timeout: int) -> tuple[float, dict]:
    """Run ``nb`` with two cells added (seed results, peak memory); return seconds and both."""
    spec = seed_results_spec(nb)
    results_cell = ("import json as _json\nprint(_json.dumps({"
                    + ", ".join(f"{k!r}: float({v})" for k, v in spec.items()) + "}))")
    nb.cells += [nbformat.v4.new_code_cell(results_cell), nbformat.v4.new_code_cell(_PEAK_CELL)]
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    seconds = time.perf_counter() - start
    last = ["".join(o.get("text", "") for o in c.outputs).strip().splitlines()[-1] for c in nb.cells[-2:]]
    return seconds, {"results": json.loads(last[0]), **json.loads(last[1])}


def run_seeds(path: Path, seeds: list[int], timeout: int) -> dict:
    """Run a training chapter once per seed; its assertions must hold for each."""
    nb = nbformat.read(path, as_version=4)
    table: dict[str, list[float | None]] = {label: [] for label in seed_results_spec(nb)}
    failures = {}
    for seed in seeds:
        try:
            _, measured = _execute(with_seed(nb, seed), path, timeout)
        except Exception as err:  # an assertion (or anything else) failed for this seed
            failures[seed] = str(err).strip().splitlines()[-1][:300]
            measured = {"results": {}}
        for label in table:
            table[label].append(measured["results"].get(label))
    return {"notebook": path.stem, "seeds": seeds, "results": table,
            "failures": {str(k): v for k, v in failures.items()}}


def at_reference(seconds: float, probe: float) -> float:
    """``seconds`` measured on a machine whose CPU probe scored ``probe``, at the reference speed."""
    return seconds * probe / REFERENCE_PROBE


def run(path: Path, timeout: int, probe: float = REFERENCE_PROBE) -> dict:
    """Execute one notebook in a new kernel and return its measurements.

    ``probe`` is this machine's CPU probe score: the run time is also given scaled to the
    reference machine's speed, and the time budget applies to that.
    """
    nb = nbformat.read(path, as_version=4)
    seconds, measured = _execute(nb, path, timeout)
    peak = measured["peak_rss_bytes"]
    max_s, max_gb = BUDGETS.get(path.stem, DEFAULT_BUDGET)
    reference = at_reference(seconds, probe)
    return {
        "notebook": path.stem,
        "seconds": round(seconds, 1),
        "seconds_at_reference": round(reference, 1),
        "peak_rss_gb": round(peak / 1e9, 3),
        "budget_seconds": max_s,
        "budget_gb": max_gb,
        "within_budget": reference <= max_s and peak / 1e9 <= max_gb,
        "results": measured["results"],
    }


def _median_ms(fn, repeats: int) -> float:
    fn()  # warm up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return float(sorted(times)[len(times) // 2])


def _adversarial_update_ms(repeats: int) -> tuple[float, float]:
    """Chapter 9's explorer on a 224×224×3 photo: one ε step, without and with drawing."""
    import keras
    import numpy as np

    from utils.widgets import AdversarialExplorer

    classifier = keras.Sequential([keras.Input((224, 224, 3)), keras.layers.Conv2D(4, 3, strides=4),
                                   keras.layers.GlobalAveragePooling2D(),
                                   keras.layers.Dense(2, activation="softmax")])
    photo = np.random.default_rng(0).random((224, 224, 3), dtype=np.float32)
    explorer = AdversarialExplorer(classifier, photo, 0, ["ant", "bee"])
    steps = iter(np.tile(np.arange(explorer.levels.max + 1), repeats + 1))

    def compute_only() -> None:
        explorer._quiet = True  # move the slider without the PNG render, then refresh the artists
        explorer.levels.value = int(next(steps))
        explorer._quiet = False
        explorer._refresh()

    def slider_move() -> None:  # what the learner waits for: refresh, draw and PNG
        explorer.levels.value = int(next(steps))

    return _median_ms(compute_only, repeats), _median_ms(slider_move, max(5, repeats // 3))


def compute_benchmarks(repeats: int = 30) -> dict:
    """Widget update times (kernel editor on 256×256, adversarial explorer on 224×224×3) and
    conv2d vs scipy's correlate2d."""
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
    adversarial, adversarial_full = _adversarial_update_ms(repeats)
    return {
        "kernel_editor_compute_ms": round(compute, 2),
        "kernel_editor_full_update_ms": round(full_update, 1),
        "adversarial_explorer_compute_ms": round(adversarial, 2),
        "adversarial_explorer_full_update_ms": round(adversarial_full, 1),
        "conv2d_ms": round(ours, 2),
        "scipy_correlate2d_ms": round(scipy, 2),
        "conv2d_over_scipy": round(ours / scipy, 2),
        "within_budget": max(compute, adversarial) <= WIDGET_BUDGET_MS,
    }


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def seed_table(runs: list[dict]) -> list[str]:
    """Markdown lines: for each training chapter, each result's mean and range over the seeds."""
    lines: list[str] = []
    for run_ in runs:
        seeds = run_["seeds"]
        lines += ["", f"**{run_['notebook']}** over seeds {seeds[0]}–{seeds[-1]}: every assertion "
                  + ("held for each seed." if not run_["failures"] else
                     "**failed** for seed(s) " + ", ".join(run_["failures"]) + "."), "",
                  "| result | mean | range | " + " | ".join(f"seed {s}" for s in seeds) + " |",
                  "| --- | ---: | ---: | " + " | ".join("---:" for _ in seeds) + " |"]
        for label, values in run_["results"].items():
            got = [v for v in values if v is not None]
            cells = " | ".join("–" if v is None else f"{v:.3f}" for v in values)
            summary = (f"{sum(got) / len(got):.3f} | {min(got):.3f}–{max(got):.3f}" if got else "– | –")
            lines.append(f"| {label} | {summary} | {cells} |")
    return lines


def write_outputs(results: list[dict], compute: dict | None = None,
                  seed_runs: list[dict] | None = None, probe: float | None = None) -> None:
    machine = {
        "date": dt.date.today().isoformat(),
        "cpus": os.cpu_count(),
        "platform": f"{platform.system()} {platform.machine()}",
        "python": platform.python_version(),
        "tensorflow": _version("tensorflow"),
        "keras": _version("keras"),
        "probe_score": round(probe if probe is not None else cpu_probe(), 1),  # utils.doctor
        "reference_probe_score": REFERENCE_PROBE,                            # scales by these
    }
    OUT.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"machine": machine, "notebooks": results, "compute": compute,
                       "seeds": seed_runs or []}, indent=2)
    (OUT / "benchmarks.json").write_text(text + "\n")
    PACKAGE_COPY.write_text(text + "\n")
    lines = [
        f"Measured on {machine['date']}: {machine['cpus']} CPU cores, {machine['platform']}, "
        f"Python {machine['python']}, TensorFlow {machine['tensorflow']}, "
        f"Keras {machine['keras']}. This machine's CPU probe scored {machine['probe_score']:.0f}, "
        f"the reference 2-core machine's {REFERENCE_PROBE:.0f}: the second column scales the "
        f"measured time to the reference speed, and the time budget applies to it.",
        "",
        "| notebook | run time here (s) | at the reference speed (s) | peak kernel memory (GB) "
        "| budget | within budget |",
        "| --- | ---: | ---: | ---: | --- | :---: |",
    ]
    for r in results:
        reference = r.get("seconds_at_reference", r["seconds"])
        lines.append(
            f"| {r['notebook']} | {r['seconds']:.1f} | {reference:.1f} | {r['peak_rss_gb']:.2f} | "
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
        ]
        if "adversarial_explorer_compute_ms" in compute:
            lines += [
                f"| adversarial explorer ε step, computation only (224×224×3 photo; budget "
                f"{WIDGET_BUDGET_MS:.0f} ms) | {compute['adversarial_explorer_compute_ms']:.2f} ms |",
                f"| adversarial explorer ε step including drawing the figure | "
                f"{compute['adversarial_explorer_full_update_ms']:.0f} ms |",
            ]
        lines += [
            f"| course `conv2d`, 3×3 on 256×256 | {compute['conv2d_ms']:.2f} ms |",
            f"| `scipy.signal.correlate2d`, same input | {compute['scipy_correlate2d_ms']:.2f} ms |",
            f"| ratio `conv2d` / `correlate2d` | {compute['conv2d_over_scipy']:.2f} |",
        ]
    if seed_runs:
        lines += ["", "## Results over several seeds", "",
                  "Each training chapter is run again with other values of its `SEED`; the "
                  "results its text discusses are listed for each seed, and every assertion in "
                  "the chapter must hold for all of them."]
        lines += seed_table(seed_runs)
    (OUT / "benchmarks.md").write_text("\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to run (default: notebooks/*.ipynb)")
    parser.add_argument("--timeout", type=int, default=300, help="seconds per cell")
    parser.add_argument("--seeds", type=int, default=3,
                        help="run each training chapter (one with a 'SEED = 0' line) with seeds "
                             "0..N-1 (default 3)")
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    probe = cpu_probe()
    print(f"CPU probe {probe:.0f} (the reference machine: {REFERENCE_PROBE:.0f})", flush=True)
    compute = compute_benchmarks()
    print(f"kernel editor compute {compute['kernel_editor_compute_ms']:.2f} ms "
          f"(full update {compute['kernel_editor_full_update_ms']:.0f} ms); adversarial explorer "
          f"{compute['adversarial_explorer_compute_ms']:.2f} ms "
          f"(full update {compute['adversarial_explorer_full_update_ms']:.0f} ms); conv2d/correlate2d "
          f"= {compute['conv2d_over_scipy']:.2f}", flush=True)
    results = []
    for path in paths:
        result = run(path, args.timeout, probe)
        results.append(result)
        print(f"{result['notebook']}: {result['seconds']:.1f} s ({result['seconds_at_reference']:.1f} s "
              f"at the reference speed), "
              f"{result['peak_rss_gb']:.2f} GB peak kernel RSS"
              f"{'' if result['within_budget'] else '  (OVER BUDGET)'}", flush=True)
    seed_runs = []
    for path in paths:
        if args.seeds > 1 and seed_cells(nbformat.read(path, as_version=4)):
            result = next(r for r in results if r["notebook"] == path.stem)
            runs = run_seeds(path, list(range(1, args.seeds)), args.timeout)
            for label, values in runs["results"].items():
                values.insert(0, result["results"].get(label))
            runs["seeds"].insert(0, 0)
            seed_runs.append(runs)
            print(f"{path.stem} over seeds 0-{args.seeds - 1}: "
                  + ("all assertions held" if not runs["failures"] else f"FAILED {runs['failures']}"),
                  flush=True)
            for label, values in runs["results"].items():
                print(f"    {label}: " + ", ".join("-" if v is None else f"{v:.3f}" for v in values))
    if not args.notebooks:  # only a full run updates the status page (and the schedules)
        write_outputs(results, compute, seed_runs, probe)
        from scripts import make_schedule

        make_schedule.main([])
    ok = (all(r["within_budget"] for r in results) and compute["within_budget"]
          and not any(run_["failures"] for run_ in seed_runs))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
