"""utils.session: memory of the session's kernels, the memory check and the closing cell.

Processes and cgroup files are faked, and the shutdown action is a stand-in:
nothing here stops a real kernel (tests/test_binder.py does, on its own server).
"""

from __future__ import annotations

import os
import sys
import time

import pytest

from utils import session
from utils.session import GB, MemoryReport, check_memory, memory_report, release_kernel

ME = os.getpid()
KERNEL = ["/srv/conda/envs/notebook/bin/python", "-m", "ipykernel_launcher", "-f", "k.json"]


@pytest.fixture
def machine(monkeypatch, tmp_path):
    """A fake machine: ``set(processes, cgroup=..., files=...)`` describes it."""

    def set_up(processes, cgroup="0::/\n", files=None):
        proc, root = tmp_path / "proc", tmp_path / "cgroup"
        (proc / "self").mkdir(parents=True, exist_ok=True)
        (proc / "self" / "cgroup").write_text(cgroup)
        for name, text in (files or {}).items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_text(text)
        root.mkdir(exist_ok=True)
        monkeypatch.setattr(session, "_PROC", proc)
        monkeypatch.setattr(session, "_CGROUP", root)
        monkeypatch.setattr(session, "_processes", lambda: iter(processes))
        monkeypatch.setattr(session, "_total_memory", lambda: int(16 * GB))

    return set_up


def test_report_splits_this_kernel_from_the_other_kernels(machine):
    machine([(ME, KERNEL, int(1.2 * GB)),
             (11, KERNEL, int(0.5 * GB)),
             (12, ["python", "-m", "ipykernel", "-f", "x.json"], int(0.9 * GB)),
             (13, ["/usr/bin/python3", "/usr/local/bin/jupyter-lab"], int(3 * GB)),
             (14, ["bash"], 10)],
            files={"memory.max": f"{2 * 1024**3}\n"})
    report = memory_report()
    assert report == MemoryReport(int(1.2 * GB), (int(0.9 * GB), int(0.5 * GB)), 2 * 1024**3,
                                  int(16 * GB))
    assert report.others == int(1.4 * GB)
    assert str(report) == ("This kernel uses 1.20 GB; 2 other kernels use 1.40 GB; "
                           "the session's limit is 2.15 GB.")


def test_report_reads_well_with_one_or_no_other_kernel(machine):
    machine([(ME, KERNEL, int(0.3 * GB)), (11, KERNEL, int(0.5 * GB))])
    assert "; 1 other kernel uses 0.50 GB; no memory limit (the machine has 16.0 GB)." in str(
        memory_report())
    machine([(ME, KERNEL, int(0.3 * GB))])
    assert "no other kernel is running" in str(memory_report())


@pytest.mark.parametrize("cmdline, is_kernel", [
    (KERNEL, True),
    (["python", "-m", "ipykernel", "-f", "k.json"], True),
    (["/usr/bin/python3", "/usr/local/lib/python3.11/ipykernel_launcher.py", "-f", "k"], True),
    (["/usr/bin/python3", "-m", "colab_kernel_launcher"], True),
    (["python", "-m", "jupyter_server"], False),
    (["python", "-m", "pip", "install", "ipykernel"], False),
    ([], False),
])
def test_which_processes_are_kernels(cmdline, is_kernel):
    assert session._is_kernel(cmdline) is is_kernel


@pytest.mark.parametrize("cgroup, files, limit", [
    ("0::/\n", {"memory.max": "2147483648\n"}, 2147483648),  # v2, in a container
    ("0::/\n", {"memory.max": "max\n"}, None),
    ("0::/user.slice/run.scope\n",  # v2 on a host: the tightest limit up the tree
     {"user.slice/memory.max": "4000000000\n", "user.slice/run.scope/memory.max": "max\n",
      "memory.max": "8000000000\n"}, 4000000000),
    ("4:memory:/docker/abc\n0::/\n", {"memory/memory.limit_in_bytes": "1073741824\n"},
     1073741824),  # v1: the container's cgroup is the mount's root
    ("4:memory:/\n", {"memory/memory.limit_in_bytes": "9223372036854771712\n"}, None),
    ("", {}, None),
])
def test_memory_limit_from_cgroup_v1_and_v2(machine, cgroup, files, limit):
    machine([(ME, KERNEL, 1)], cgroup=cgroup, files=files)
    assert memory_report().limit == limit


def test_processes_from_proc_when_psutil_is_missing(monkeypatch, tmp_path):
    uid = os.getuid()
    for pid, cmdline, owner, rss_kb in [(ME, KERNEL, uid, 1000), (41, KERNEL, uid, 2000),
                                        (42, KERNEL, uid + 1, 3000), (43, ["bash"], uid, 5)]:
        (tmp_path / str(pid)).mkdir()
        (tmp_path / str(pid) / "cmdline").write_bytes("\0".join(cmdline).encode() + b"\0")
        (tmp_path / str(pid) / "status").write_text(
            f"Name:\tpython\nUid:\t{owner}\t{owner}\t{owner}\t{owner}\nVmRSS:\t {rss_kb} kB\n")
    (tmp_path / "44").mkdir()  # a process that ended while being read
    monkeypatch.setattr(session, "_PROC", tmp_path)
    monkeypatch.setitem(sys.modules, "psutil", None)  # `import psutil` now fails
    assert sorted(session._processes()) == sorted([
        (ME, KERNEL, 1_024_000), (41, KERNEL, 2_048_000), (43, ["bash"], 5120)])


def test_report_of_the_real_process():
    report = memory_report()
    assert 10e6 < report.this_kernel < report.total
    assert all(rss > 0 for rss in report.other_kernels)


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="Linux's /proc")
def test_peak_memory_is_this_process_s_not_the_one_that_started_it():
    """A kernel started by a large process (a test run, the benchmark) reports its own peak.

    ``ru_maxrss`` would give the 300 MB its parent holds: Linux keeps it across ``exec``.
    """
    import subprocess

    import numpy as np

    held = np.ones(300_000_000 // 8)  # 300 MB, touched
    child = subprocess.run([sys.executable, "-c", "from utils.session import peak_memory; "
                            "print(peak_memory())"], capture_output=True, text=True, check=True,
                           cwd=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    assert 0 < int(child.stdout) < 150e6
    assert session.peak_memory() >= held.nbytes


def test_check_memory_is_silent_when_the_chapter_fits(machine, capsys):
    machine([(ME, KERNEL, int(0.2 * GB)), (11, KERNEL, int(0.3 * GB))],
            files={"memory.max": f"{2 * 1024**3}\n"})
    assert check_memory(1.3) is True
    assert capsys.readouterr().out == ""


def test_check_memory_warns_when_other_kernels_leave_no_room(machine, capsys):
    machine([(ME, KERNEL, int(0.2 * GB)), (11, KERNEL, int(1.1 * GB))],
            files={"memory.max": f"{2 * 1024**3}\n"})
    assert check_memory(1.3) is False
    out = capsys.readouterr().out
    assert out.startswith("Memory warning: this notebook needs up to 1.3 GB and another "
                          "notebook's kernel still uses 1.1 GB, but this session has 2.1 GB")
    assert "Running tab" in out and "shut down the kernels" in out


def test_check_memory_without_a_limit_uses_the_machine(machine, capsys):
    machine([(ME, KERNEL, 1), (11, KERNEL, int(10 * GB)), (12, KERNEL, int(5 * GB))])
    assert check_memory(0.5) is True
    assert check_memory(1.3) is False
    assert "the kernels of 2 other notebooks still use 15.0 GB" in capsys.readouterr().out


def test_check_memory_when_the_notebook_alone_is_too_big(machine, capsys):
    machine([(ME, KERNEL, 1)], files={"memory.max": f"{2 * 1024**3}\n"})
    assert check_memory(2.5) is False
    out = capsys.readouterr().out
    assert "needs up to 2.5 GB, but this session has 2.1 GB" in out and "Running" not in out


@pytest.mark.parametrize("bad, error", [("1.3", TypeError), (True, TypeError), (None, TypeError),
                                        (0, ValueError), (-1.0, ValueError),
                                        (float("nan"), ValueError)])
def test_check_memory_rejects_what_is_not_a_size(bad, error):
    with pytest.raises(error, match="needed_gb"):
        check_memory(bad)


def test_release_kernel_outside_a_kernel_only_prints(machine, capsys):
    machine([(ME, KERNEL, int(0.4 * GB))])
    calls = []
    release_kernel(shutdown=lambda: calls.append(1))
    assert capsys.readouterr().out.startswith("This kernel uses 0.40 GB;")
    assert calls == []


def _displayed_release_box(monkeypatch, shutdown):
    """Run release_kernel as in a kernel; return what it displayed and its widget box."""
    import IPython.display

    shown, boxes = [], []
    build = session._release_widget
    monkeypatch.setattr(session, "_in_kernel", lambda: True)
    monkeypatch.setattr(IPython.display, "display", lambda obj, raw=False: shown.append(obj))
    monkeypatch.setattr(session, "_release_widget",
                        lambda *args: boxes.append(build(*args)) or boxes[-1])
    release_kernel(shutdown=shutdown)
    assert len(shown) == len(boxes) == 1
    return shown[0], boxes[0]


def test_release_kernel_shuts_down_only_when_the_button_is_clicked(machine, monkeypatch):
    machine([(ME, KERNEL, int(1.2 * GB)), (11, KERNEL, int(0.5 * GB))])
    calls = []
    bundle, box = _displayed_release_box(monkeypatch, lambda: calls.append("shutdown"))
    assert bundle["application/vnd.jupyter.widget-view+json"]["model_id"] == box.model_id
    assert "run the notebook" in bundle["text/plain"]
    summary, (button, status) = box.children[0], box.children[1].children
    assert summary.value.startswith("This kernel uses 1.20 GB; 1 other kernel uses 0.50 GB")
    assert button.description == "Shut down this kernel" and not button.disabled
    assert calls == []  # displaying it, as nbval does, shuts nothing down
    button.click()
    assert calls == ["shutdown"]
    assert button.disabled and "freed" in status.value


def test_release_kernel_default_action_is_to_end_this_kernel(machine, monkeypatch):
    machine([(ME, KERNEL, 1)])
    ended = []
    monkeypatch.setattr(session, "_shut_down_this_kernel", lambda: ended.append(1))
    _, box = _displayed_release_box(monkeypatch, None)
    assert ended == []
    box.children[1].children[0].click()
    assert ended == [1]


def test_release_kernel_rejects_a_shutdown_that_is_not_callable():
    with pytest.raises(TypeError, match="shutdown must be callable"):
        release_kernel(shutdown="yes")


@pytest.mark.parametrize("server_accepts, signals", [(True, []), (False, ["SIGTERM"])])
def test_shutting_down_asks_the_server_first_then_ends_the_process(monkeypatch, server_accepts,
                                                                   signals):
    sent = []
    monkeypatch.setattr(session, "_ask_server_to_shut_down", lambda: server_accepts)
    monkeypatch.setattr(session.os, "kill", lambda pid, sig: sent.append((pid, sig.name)))
    session._shut_down_this_kernel()
    time.sleep(1.0)  # it waits half a second so the button's text reaches the page
    assert sent == [(ME, s) for s in signals]


def test_no_server_to_ask_outside_a_kernel():
    assert session._ask_server_to_shut_down() is False
