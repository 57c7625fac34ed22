"""Memory shared by a session's notebooks, and a closing cell that gives it back.

Every open notebook keeps its own kernel, and on Binder all of them share
the session's 2 GB. One TensorFlow chapter's kernel alone peaks at about
1.3 GB (see the course status page), so kernels left running by chapters
already finished can get the next one's kernel killed mid-training.
:func:`check_memory` warns about that before a chapter starts, and
:func:`release_kernel` is a chapter's last cell: one click shuts its kernel
down. :func:`memory_report` shows the numbers they use.

Memory is read with psutil when it is installed (it is on Colab, Binder and
in the lock), from Linux's ``/proc`` otherwise; the limit comes from the
container's cgroup.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import signal
import sys
import threading
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = ["MemoryReport", "check_memory", "memory_report", "peak_memory", "release_kernel"]

GB = 1e9  # as on the course status page
#: Left for the Jupyter server when deciding whether a chapter fits (JupyterLab's server
#: alone uses about 0.1 GB; Binder's runs a few extensions more).
SERVER_RESERVE_GB = 0.25
#: cgroup limits at or above this mean "no limit" (cgroup v1 writes about 2**63).
_UNLIMITED = 2**60
_CGROUP = Path("/sys/fs/cgroup")
_PROC = Path("/proc")
#: Scripts or modules that start a kernel (Jupyter's, and Colab's own launcher).
_LAUNCHERS = ("ipykernel_launcher", "colab_kernel_launcher")


@dataclass(frozen=True)
class MemoryReport:
    """Resident memory of this kernel and of this user's other Jupyter kernels, in bytes.

    ``limit`` is the container's memory limit (``None``: no limit) and
    ``total`` the machine's memory.

    Examples
    --------
    >>> report = MemoryReport(this_kernel=900_000_000, other_kernels=(400_000_000,), limit=2_000_000_000, total=8_000_000_000)
    >>> print(report)
    This kernel uses 0.90 GB; 1 other kernel uses 0.40 GB; the session's limit is 2.00 GB.
    """

    this_kernel: int
    other_kernels: tuple[int, ...]
    limit: int | None
    total: int

    @property
    def others(self) -> int:
        """Bytes used by all other kernels together."""
        return sum(self.other_kernels)

    def __str__(self) -> str:
        n = len(self.other_kernels)
        others = ("no other kernel is running" if n == 0 else
                  f"{n} other kernel{'s' if n > 1 else ''} use{'s' if n == 1 else ''} "
                  f"{self.others / GB:.2f} GB")
        limit = (f"the session's limit is {self.limit / GB:.2f} GB" if self.limit is not None
                 else f"no memory limit (the machine has {self.total / GB:.1f} GB)")
        return f"This kernel uses {self.this_kernel / GB:.2f} GB; {others}; {limit}."


def memory_report() -> MemoryReport:
    """Measure this kernel, the other kernels of this user and the memory limit now.

    Examples
    --------
    >>> memory_report().this_kernel > 0
    True
    """
    me, this_kernel, others = os.getpid(), None, []
    for pid, cmdline, rss in _processes():
        if pid == me:
            this_kernel = rss
        elif _is_kernel(cmdline):
            others.append(rss)
    if this_kernel is None:  # no psutil and no /proc: the peak is the best we know
        this_kernel = peak_memory()
    return MemoryReport(this_kernel, tuple(sorted(others, reverse=True)),
                        _memory_limit(), _total_memory())


def check_memory(needed_gb: float) -> bool:
    """Warn if this notebook may not fit next to the kernels still running.

    Parameters
    ----------
    needed_gb : float
        This notebook's peak kernel memory in GB (the course status page lists it).

    Returns
    -------
    bool
        ``True`` (and nothing printed) when ``needed_gb`` plus the other
        kernels fit in the limit, minus :data:`SERVER_RESERVE_GB` for the
        Jupyter server; ``False`` after printing what to do.

    Examples
    --------
    >>> check_memory(needed_gb=1.4)   # doctest: +SKIP
    True
    """
    if isinstance(needed_gb, bool) or not isinstance(needed_gb, (int, float)):
        raise TypeError(f"needed_gb must be a number of GB, got {type(needed_gb).__name__}.")
    if not math.isfinite(needed_gb) or needed_gb <= 0:
        raise ValueError(f"needed_gb must be a positive number of GB, got {needed_gb}.")
    report = memory_report()
    budget = (report.limit if report.limit is not None else report.total) / GB
    if not budget or needed_gb + report.others / GB <= budget - SERVER_RESERVE_GB:
        return True
    n, used = len(report.other_kernels), f"{report.others / GB:.1f} GB"
    others = ("" if n == 0 else f" and another notebook's kernel still uses {used}" if n == 1
              else f" and the kernels of {n} other notebooks still use {used}")
    print(f"Memory warning: this notebook needs up to {needed_gb:.1f} GB{others}, but this "
          f"session has {budget:.1f} GB: its kernel may be stopped halfway (\"kernel died\").")
    if n:
        print("Free memory first: in JupyterLab open the Running tab (the square icon in the "
              "left sidebar), shut down the kernels of the notebooks you have finished, then "
              "carry on here.")
    return False


def release_kernel(shutdown: Callable[[], None] | None = None) -> None:
    """A chapter's last cell: this session's memory and a button that frees this kernel's.

    Shows one line of :func:`memory_report` and a button "Shut down this
    kernel". Nothing happens unless the button is clicked, so running the
    notebook from top to bottom is safe. Clicking it ends this kernel and
    frees all its memory; the page keeps its outputs. In JupyterLab (Binder
    or your own machine) the notebook is then left without a kernel ("No
    Kernel" in its toolbar) and the Running tab no longer lists it; if the
    server cannot be asked, the kernel stops itself instead and JupyterLab
    says it died and starts an empty one, which uses almost nothing. On
    Colab the runtime is disconnected and released. To use the notebook
    again, start a kernel (Colab: Connect) and run it from the top. Outside
    a kernel (plain Python) the memory line is printed and nothing else.

    Parameters
    ----------
    shutdown : callable, optional
        What the button calls; the default shuts this kernel down as above.

    Examples
    --------
    >>> release_kernel()   # doctest: +SKIP
    (a report of the kernels' memory and a 'Shut down this kernel' button)
    """
    if shutdown is not None and not callable(shutdown):
        raise TypeError(f"shutdown must be callable, got {type(shutdown).__name__}.")
    report = memory_report()
    if not _in_kernel():
        print(report)
        return
    from IPython.display import display

    from utils.widgets._base import WIDGET_VIEW_MIME, widget_view

    box = _release_widget(report, shutdown or _shut_down_this_kernel)
    display({"text/plain": "<a button that shuts this kernel down: run the notebook to use it>",
             WIDGET_VIEW_MIME: widget_view(box)}, raw=True)


def _release_widget(report: MemoryReport, shutdown: Callable[[], None]):
    """The memory line and the button of :func:`release_kernel` (an ipywidgets box)."""
    import ipywidgets as w

    button = w.Button(description="Shut down this kernel", icon="power-off",
                      button_style="warning", layout=w.Layout(width="auto"))
    status = w.Label()

    def on_click(_button: w.Button) -> None:
        button.disabled = True
        status.value = "Shutting down: this notebook's memory is freed. You can close its tab."
        shutdown()

    button.on_click(on_click)
    return w.VBox([w.Label(value=str(report)), w.HBox([button, status])])


def _in_kernel() -> bool:
    """True inside a Jupyter kernel (not plain Python, not a terminal IPython)."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return getattr(shell, "kernel", None) is not None


def _shut_down_this_kernel() -> None:
    """End this kernel: Colab's runtime, else via the Jupyter server, else by itself."""
    if "google.colab" in sys.modules:  # pragma: no cover - Colab only
        from google.colab import runtime

        runtime.unassign()
        return

    def run() -> None:
        if not _ask_server_to_shut_down():
            os.kill(os.getpid(), signal.SIGTERM)

    # Off the comm handler, after a moment: the button's new text reaches the page first.
    timer = threading.Timer(0.5, run)
    timer.daemon = True
    timer.start()


def _ask_server_to_shut_down() -> bool:
    """Ask the Jupyter server that started this kernel to shut it down (REST API).

    Returns ``False`` when there is no such server or it refuses; when it
    accepts, this process ends before the call returns.
    """
    try:
        from ipykernel.connect import get_connection_file
        from jupyter_core.paths import jupyter_runtime_dir

        kernel_id = Path(get_connection_file()).stem.removeprefix("kernel-")
        servers = [json.loads(path.read_text())
                   for path in Path(jupyter_runtime_dir()).glob("jpserver-*.json")]
    except Exception:  # not a kernel a Jupyter server started
        return False
    for server in servers:
        if server.get("pid") != os.getppid() or not server.get("url"):
            continue
        token = server.get("token") or os.environ.get("JUPYTERHUB_API_TOKEN", "")
        request = urllib.request.Request(
            f"{server['url'].rstrip('/')}/api/kernels/{kernel_id}", method="DELETE",
            headers={"Authorization": f"token {token}"} if token else {})
        try:
            with urllib.request.urlopen(request, timeout=10):
                return True
        except OSError:
            return False
    return False


def _is_kernel(cmdline: list[str]) -> bool:
    """Whether a command line starts a Jupyter (IPython) kernel."""
    names = [Path(arg).stem for arg in cmdline]
    return any(name in _LAUNCHERS for name in names) or any(
        flag == "-m" and name == "ipykernel" for flag, name in itertools.pairwise(names))


def _processes() -> Iterator[tuple[int, list[str], int]]:
    """(pid, command line, resident bytes) of each of this user's processes."""
    try:
        import psutil
    except ImportError:
        yield from _proc_processes()
        return
    user = psutil.Process().username()
    for proc in psutil.process_iter(["username", "cmdline", "memory_info"]):
        info = proc.info
        if info["username"] == user and info["memory_info"] is not None:
            yield proc.pid, info["cmdline"] or [], info["memory_info"].rss


def _proc_processes() -> Iterator[tuple[int, list[str], int]]:
    """:func:`_processes` from Linux's /proc (nothing where there is none)."""
    uid = os.getuid()
    for path in _PROC.glob("[0-9]*") if _PROC.is_dir() else ():
        try:
            lines = (path / "status").read_text().splitlines()
            status = dict(line.split(":", 1) for line in lines if ":" in line)
            cmdline = (path / "cmdline").read_bytes().decode(errors="replace").split("\0")
        except OSError:  # the process ended meanwhile, or is not ours to read
            continue
        if int(status.get("Uid", "-1").split()[0]) == uid and "VmRSS" in status:
            rss = int(status["VmRSS"].split()[0]) * 1024  # in kB
            yield int(path.name), [arg for arg in cmdline if arg], rss


def _memory_cgroups() -> list[Path]:
    """This process's cgroup folders (v2, v1 memory) and their parents, innermost first."""
    try:
        lines = (_PROC / "self" / "cgroup").read_text().splitlines()
    except OSError:
        lines = []
    dirs = []
    for line in lines:
        hierarchy, controllers, path = line.split(":", 2)
        relative = Path(path.lstrip("/"))
        for base in ([_CGROUP] if hierarchy == "0" else
                     [_CGROUP / c for c in controllers.split(",") if c == "memory"]):
            dirs += [base / p for p in (relative, *relative.parents)]
    return [d for d in dict.fromkeys(dirs) if d.is_dir()]


def _read_int(path: Path) -> int | None:
    """The integer in a cgroup file; ``None`` if missing, ``max`` or unlimited."""
    try:
        value = int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return value if 0 < value < _UNLIMITED else None


def _memory_limit() -> int | None:
    """The lowest memory limit on this process's cgroups, ``None`` if there is none.

    cgroup v2 writes it to ``memory.max``, v1 to ``memory.limit_in_bytes``.
    """
    limits = [_read_int(d / name) for d in _memory_cgroups()
              for name in ("memory.max", "memory.limit_in_bytes")]
    return min((x for x in limits if x is not None), default=None)


def peak_memory() -> int:
    """This process's peak resident memory in bytes (0 if unknown).

    On Linux it is the kernel's high-water mark for this process's own memory (``VmHWM``).
    ``ru_maxrss`` is used only where there is no ``/proc``: on Linux it also counts the memory
    of the process that started this one, so a kernel started by a large process (a test run
    that imported TensorFlow) would report that process's size.

    Examples
    --------
    >>> peak_memory() > 0
    True
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def _total_memory() -> int:
    """The machine's physical memory in bytes (0 if unknown)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # pragma: no cover - not POSIX
        return 0
