"""utils.doctor: the pre-flight table, green and red paths."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from utils import doctor
from utils.doctor import (Check, check_data, check_disk, check_memory, check_packages,
                          check_python, check_speed, check_widgets, cpu_probe, status_table)

TABLE = {"machine": {"probe_score": 1000.0},
         "notebooks": [{"notebook": "01_pixels", "seconds": 10.0, "peak_rss_gb": 0.2},
                       {"notebook": "05_features", "seconds": 80.0, "peak_rss_gb": 1.3}]}


def test_python_in_and_out_of_range():
    assert check_python("3.13.0", ">=3.11").ok
    red = check_python("3.10.12", ">=3.11")
    assert not red.ok and "3.10.12 is not supported" in red.detail and "3.11" in red.detail


def test_packages_report_missing_and_out_of_range_with_the_pip_command():
    reqs = {"tensorflow": ">=2.20", "keras": ">=3.13", "ipywidgets": ">=7.7"}
    versions = {"tensorflow": "2.20.0", "keras": "3.10.0", "ipywidgets": None}
    checks = {c.name: c for c in check_packages(versions, reqs)}
    assert checks["tensorflow"].ok
    assert not checks["keras"].ok and 'pip install "keras>=3.13"' in checks["keras"].detail
    assert not checks["ipywidgets"].ok and "not installed" in checks["ipywidgets"].detail


def test_packages_from_the_installed_distribution_are_green_here():
    assert all(c.ok for c in check_packages()), [c.detail for c in check_packages() if not c.ok]


def _installed(versions):
    return lambda name: versions.get(name)


@pytest.mark.parametrize("versions, front_end, ok, words", [
    ({"ipywidgets": "7.7.1"}, "colab", True, "Colab renders"),
    ({"ipywidgets": "8.1.5", "jupyterlab_widgets": "3.0.13"}, "jupyter", True, "jupyterlab_widgets"),
    ({"ipywidgets": "7.7.1", "widgetsnbextension": "3.6.6"}, "terminal", True, "widgetsnbextension"),
    ({"ipywidgets": "8.1.5", "jupyterlab_widgets": "1.1.1"}, "jupyter", False,
     'pip install "jupyterlab_widgets==3.*" "widgetsnbextension==4.*"'),
    ({"ipywidgets": "8.1.5"}, "terminal", False, "no widget front end"),
    ({}, "jupyter", False, "ipywidgets is not installed"),
    ({"ipywidgets": "6.0.0"}, "jupyter", False, "not one the course supports"),
])
def test_widgets_front_end(versions, front_end, ok, words):
    check = check_widgets(front_end, _installed(versions))
    assert check.ok is ok and words in check.detail


def test_data_lines_say_how_to_prefetch_what_is_missing(tmp_path):
    statuses = {"good": SimpleNamespace(ok=True, detail="ok, 3 files", path=tmp_path),
                "weights/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.5_224_no_top.h5":
                    SimpleNamespace(ok=False, detail="checksum mismatch (sha256 abc…)",
                                    path=tmp_path / "w.h5")}
    checks = check_data(statuses.get, list(statuses))
    assert checks[0].ok and checks[0].name == "good"
    assert not checks[1].ok and checks[1].name == "mobilenet_v2_0.5_224_no_top"
    assert "python -m utils.data prefetch weights/mobilenet_v2" in checks[1].detail


def test_memory_and_disk():
    assert check_memory(1.3, available_gb=2.0).ok
    red = check_memory(1.3, available_gb=1.4)
    assert not red.ok and "close other notebooks' kernels" in red.detail
    assert check_memory(0.1).ok  # this machine
    assert check_disk(0.5, free_gb=10.0, where=Path("/data")).ok
    red = check_disk(0.5, free_gb=1.0, where=Path("/data"))
    assert not red.ok and "P2P_DATA_DIR" in red.detail


def test_speed_predicts_each_chapter_from_the_probe():
    same = check_speed(TABLE, score=1000.0)
    assert same.ok and "1.0×" in same.detail and "~80 s" in same.detail
    assert any("05_features" in line and "80 s" in line for line in same.extra)
    slow = check_speed(TABLE, score=200.0)  # five times slower: 400 s for the slowest
    assert not slow.ok and "~400 s" in slow.detail
    missing = check_speed({"machine": {}, "notebooks": TABLE["notebooks"]}, score=1.0)
    assert not missing.ok and "make bench" in missing.detail


def test_cpu_probe_measures_work_per_second():
    assert cpu_probe(0.05) > 0
    with pytest.raises(ValueError, match="between 0 and 30"):
        cpu_probe(0)


def test_status_table_is_shipped_with_the_package_and_checked(tmp_path):
    table = status_table()
    assert table["machine"]["probe_score"] > 0 and len(table["notebooks"]) >= 7
    book = json.loads((Path(__file__).parents[1] / "book/_generated/benchmarks.json").read_text())
    assert table["notebooks"] == book["notebooks"], "run make bench: the two copies differ"
    empty = tmp_path / "t.json"
    empty.write_text('{"notebooks": []}')
    with pytest.raises(ValueError, match="make bench"):
        status_table(empty)


def test_main_prints_one_table_and_exits_nonzero_on_a_red_line(monkeypatch, capsys):
    monkeypatch.setattr(doctor, "run_checks", lambda **_: [Check("a", True, "fine"),
                                                            Check("b", False, "broken")])
    assert doctor.main([]) == 1
    out = capsys.readouterr().out
    assert "✅ a" in out and "❌ b" in out and "1 red line: b" in out
    monkeypatch.setattr(doctor, "run_checks", lambda **_: [Check("a", True, "fine")])
    assert doctor.main([]) == 0
    assert "All green" in capsys.readouterr().out


def test_the_real_checks_run_here(capsys):
    checks = doctor.run_checks(probe_seconds=0.2)
    names = [c.name for c in checks]
    assert names[:2] == ["Python", "tensorflow"] and names[-3:] == ["memory", "disk", "speed"]
    assert all(isinstance(c.ok, bool) and c.detail for c in checks)
