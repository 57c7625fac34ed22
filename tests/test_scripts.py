"""The maintenance scripts: output stripping, site checks, benchmark table."""

from __future__ import annotations

import json

import nbformat
import pytest

from scripts import benchmark, check_site
from scripts.refresh_outputs import strip


def test_strip_keeps_only_checked_outputs():
    nb = nbformat.v4.new_notebook()
    out = nbformat.v4.new_output("execute_result", data={"text/plain": "1"}, execution_count=3)
    checked = nbformat.v4.new_code_cell("1", outputs=[out], execution_count=3)
    checked.metadata["tags"] = ["nbval-check-output"]
    nb.cells = [checked,
                nbformat.v4.new_code_cell("2", outputs=[out], execution_count=4)]
    strip(nb)
    kept, dropped = nb.cells
    assert kept.outputs and kept.execution_count == 3  # nbval only compares run cells
    assert kept.metadata["keep_output"] is True
    assert dropped.outputs == [] and dropped.execution_count is None


def test_check_site_reports_missing_alt_and_launch_buttons(tmp_path, monkeypatch):
    monkeypatch.setattr(check_site, "toc_files", lambda: ["book/intro", "notebooks/01_pixels"])
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "intro.html").write_text('<img src="a.png" alt="a cat">')
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "01_pixels.html").write_text(
        '<img src="b.png"><a href="https://mybinder.org/v2/gh/x/y">b</a>')
    problems = check_site.check(tmp_path)
    assert any("without alt text (b.png)" in p for p in problems)
    assert any("colab.research.google.com" in p for p in problems)
    assert len(problems) == 2


def test_check_site_reports_a_blank_figure(tmp_path, monkeypatch):
    """A widget snapshot that drew nothing is an all-white PNG: readers would see an empty box."""
    from PIL import Image

    monkeypatch.setattr(check_site, "toc_files", lambda: ["book/intro"])
    (tmp_path / "book").mkdir()
    (tmp_path / "_images").mkdir()
    Image.new("RGB", (40, 20), "white").save(tmp_path / "_images" / "blank.png")
    drawn = Image.new("RGB", (40, 20), "white")
    drawn.putpixel((3, 4), (0, 0, 0))
    drawn.save(tmp_path / "_images" / "drawn.png")
    (tmp_path / "book" / "intro.html").write_text(
        '<img src="../_images/blank.png" alt="empty"><img src="../_images/drawn.png" alt="a dot">')
    assert check_site.check(tmp_path) == [f"{tmp_path / 'book' / 'intro.html'}: blank image "
                                          "(../_images/blank.png)"]


def test_benchmark_writes_json_and_status_table(tmp_path, monkeypatch):
    monkeypatch.setattr(benchmark, "OUT", tmp_path)
    monkeypatch.setattr(benchmark, "PACKAGE_COPY", tmp_path / "package.json")
    monkeypatch.setattr(benchmark, "cpu_probe", lambda: 1234.56)
    results = [{"notebook": "01_pixels", "seconds": 6.0, "peak_rss_gb": 0.19,
                "budget_seconds": 30.0, "budget_gb": 1.0, "within_budget": True}]
    compute = {"kernel_editor_compute_ms": 0.9, "kernel_editor_full_update_ms": 40.0,
               "conv2d_ms": 0.6, "scipy_correlate2d_ms": 3.6, "conv2d_over_scipy": 0.17,
               "within_budget": True}
    benchmark.write_outputs(results, compute)
    saved = json.loads((tmp_path / "benchmarks.json").read_text())
    assert saved["notebooks"] == results and saved["compute"] == compute
    assert saved["machine"]["probe_score"] == 1234.6, "utils.doctor scales run times by it"
    assert json.loads((tmp_path / "package.json").read_text()) == saved
    table = (tmp_path / "benchmarks.md").read_text()
    assert "| 01_pixels | 6.0 | 6.0 | 0.19 | ≤ 30 s, ≤ 1.0 GB | yes |" in table
    assert "| ratio `conv2d` / `correlate2d` | 0.17 |" in table


def test_run_times_are_scaled_to_the_reference_machine():
    assert benchmark.at_reference(100.0, benchmark.REFERENCE_PROBE / 2) == 50.0  # twice as slow here


def test_compute_benchmarks_measure_the_kernel_editor():
    result = benchmark.compute_benchmarks(repeats=3)
    assert result["kernel_editor_compute_ms"] > 0 and result["conv2d_over_scipy"] > 0
    assert set(result) >= {"conv2d_ms", "scipy_correlate2d_ms", "within_budget"}
    assert 0 < result["adversarial_explorer_compute_ms"] < result["adversarial_explorer_full_update_ms"]


def test_seed_runs_rewrite_the_seed_line_and_tabulate_every_seed(tmp_path, monkeypatch):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("import numpy as np\nSEED = 0   # try another"),
                nbformat.v4.new_code_cell("accuracy = 0.9 + SEED / 100\nassert accuracy < 0.92")]
    nb.metadata["p2p"] = {"seed_results": {"accuracy": "accuracy"}}
    seeded = benchmark.with_seed(nb, 2)
    assert seeded.cells[0].source.splitlines()[1] == "SEED = 2   # try another"
    assert nb.cells[0].source.endswith("SEED = 0   # try another")  # the original is untouched
    path = tmp_path / "toy.ipynb"
    nbformat.write(nb, path)
    runs = benchmark.run_seeds(path, [1, 3], timeout=60)
    assert runs["results"]["accuracy"] == [pytest.approx(0.91), None]
    assert list(runs["failures"]) == ["3"] and "AssertionError" in runs["failures"]["3"]
    runs["seeds"].insert(0, 0)
    runs["results"]["accuracy"].insert(0, 0.9)
    lines = "\n".join(benchmark.seed_table([runs]))
    assert "**failed** for seed(s) 3" in lines
    assert "| accuracy | 0.905 | 0.900–0.910 | 0.900 | 0.910 | – |" in lines


def test_with_seed_needs_exactly_one_seed_line():
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1")]
    with pytest.raises(ValueError, match="one cell with a 'SEED = 0' line"):
        benchmark.with_seed(nb, 1)


def test_training_chapters_declare_their_seed_line_and_results(root):
    import nbformat

    for stem in ("06_training_a_cnn", "08_transfer_learning"):
        nb = nbformat.read(root / "notebooks" / f"{stem}.ipynb", as_version=4)
        assert benchmark.seed_results_spec(nb), f"{stem}: list p2p.seed_results in its metadata"
        benchmark.with_seed(nb, 1)  # exactly one 'SEED = 0' line
        code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        assert "set_random_seed(0)" not in code, f"{stem}: seed with SEED, not a literal"
