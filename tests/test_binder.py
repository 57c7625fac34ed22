"""Binder (repo2docker): environment.yml, the idle-kernel culler and the closing cell's shutdown.

environment.yml is installed into repo2docker's base environment, which
brings JupyterLab, Notebook and the kernel; the file must pin only the
course's runtime. The culler and the kernel shutdown are checked on a real
Jupyter Server bound to 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from scripts.make_environment import ENVIRONMENT, pins_for_binder, render

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements" / "lock.txt"
#: Provided by repo2docker's base environment, or only for building the book and testing.
NEVER_PINNED = {"jupyterlab", "notebook", "jupyter-server", "jupyterlab-server", "ipykernel",
                "jupyter-client", "jupyter-core", "tornado", "pyzmq", "traitlets", "ipython",
                "nbconvert", "nbformat", "nbclient", "jupyter-book", "sphinx", "myst-nb",
                "myst-parser", "pytest", "nbval", "coverage", "pre-commit", "uv"}


def _pip_pins() -> list[str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    return next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))


def _names(pins: list[str]) -> set[str]:
    return {canonicalize_name(Requirement(p).name) for p in pins}


# --- environment.yml ---------------------------------------------------------------------------

def test_environment_yml_is_what_the_script_writes():
    assert (ROOT / "environment.yml").read_text() == render(pins_for_binder(LOCK)), (
        "environment.yml is out of date: run python scripts/make_environment.py")


def test_environment_yml_pins_no_server_book_or_test_package():
    names = _names(_pip_pins())
    assert not names & NEVER_PINNED
    assert not {n for n in names if n.startswith(("sphinx", "jupyter-", "pytest", "nbval"))}


def test_every_pin_is_the_locks_version_for_binder():
    lock = {}
    for line in LOCK.read_text().splitlines():
        if line and not line.startswith((" ", "#", "-")):
            req = Requirement(line)
            if req.marker is None or req.marker.evaluate(ENVIRONMENT):
                lock[canonicalize_name(req.name)] = str(req.specifier)
    for pin in _pip_pins():
        req = Requirement(pin)
        assert str(req.specifier) == lock[canonicalize_name(req.name)], pin
        assert str(req.specifier).startswith("==") and "*" not in pin, pin


def test_every_runtime_dependency_is_pinned():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    missing = {canonicalize_name(Requirement(d).name) for d in deps} - _names(_pip_pins())
    assert not missing, f"runtime dependencies missing from environment.yml: {missing}"


def test_widgets_front_end_matches_ipywidgets_and_jupyterlab_4():
    pins = {canonicalize_name(Requirement(p).name): str(Requirement(p).specifier)
            for p in _pip_pins()}
    assert pins["ipywidgets"].startswith("==8.")
    # jupyterlab-widgets 3 is the prebuilt extension for JupyterLab 3 and 4 (any 4.x),
    # widgetsnbextension 4 goes with ipywidgets 8.
    assert pins["jupyterlab-widgets"].startswith("==3.")
    assert pins["widgetsnbextension"].startswith("==4.")


def test_environment_yml_asks_for_the_locks_python():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    header = LOCK.read_text().split("\n", 3)[1]
    assert f"python={ENVIRONMENT['python_version']}" in env["dependencies"]
    assert f"--python-version {ENVIRONMENT['python_version']}" in header


def test_closure_keeps_the_runtime_and_drops_extras_and_the_base_environment(tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\ndependencies = ["keras>=3", "ipywidgets"]\n'
        '[project.optional-dependencies]\ntest = ["pytest"]\nlab = ["jupyterlab"]\n')
    (tmp_path / "lock.txt").write_text("""\
# uv pip compile ...
ipython==9.0.0
    # via
    #   ipywidgets
    #   ipykernel
ipykernel==7.0.0
    # via jupyterlab
ipywidgets==8.1.9
    # via x (pyproject.toml)
jupyterlab==4.6.6
    # via x (pyproject.toml)
keras==3.15.1
    # via x (pyproject.toml)
numpy==2.4.6 ; python_full_version < '3.12'
    # via keras
numpy==2.5.5 ; python_full_version >= '3.12'
    # via keras
pluggy==1.7.0
    # via pytest
pytest==9.2.0
    # via x (pyproject.toml)
pywin32==311 ; sys_platform == 'win32'
    # via keras
widgetsnbextension==4.0.16
    # via ipywidgets
""")
    pins = pins_for_binder(tmp_path / "lock.txt", tmp_path / "pyproject.toml")
    assert pins == ["ipywidgets==8.1.9", "keras==3.15.1", "numpy==2.4.6",
                    "widgetsnbextension==4.0.16"]
    (tmp_path / "pyproject.toml").write_text('[project]\ndependencies = ["scipy"]\n')
    with pytest.raises(ValueError, match="no pin for scipy"):
        pins_for_binder(tmp_path / "lock.txt", tmp_path / "pyproject.toml")


# --- the idle-kernel culler ----------------------------------------------------------------------

CULLER = ROOT / "kernel-culler.json"


def install_culler(prefix: Path) -> Path:
    """Run postBuild's culler step (all after the pip install) with ``NB_PYTHON_PREFIX=prefix``.

    Returns the config folder it wrote to.
    """
    text = (ROOT / "postBuild").read_text()
    step = text[text.index("# Idle-kernel culler"):]
    subprocess.run(["bash", "-euo", "pipefail", "-c", step], cwd=ROOT, check=True,
                   env={**os.environ, "NB_PYTHON_PREFIX": str(prefix), "PATH": _venv_path()})
    return prefix / "etc" / "jupyter"


def _venv_path() -> str:
    """PATH with this Python's bin folder first, as `python` is on Binder."""
    return os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])


def test_postbuild_installs_the_package_then_the_culler():
    post_build = ROOT / "postBuild"
    assert os.access(post_build, os.X_OK)
    text = post_build.read_text()
    assert text.startswith("#!/bin/bash\n") and "set -euo pipefail" in text
    assert text.index("pip install --no-deps -e .") < text.index("# Idle-kernel culler")


def test_culler_settings():
    assert json.loads(CULLER.read_text()) == {"MappingKernelManager": {
        "cull_idle_timeout": 15 * 60, "cull_interval": 60,
        "cull_connected": True,  # an open tab must not keep a kernel alive
        "cull_busy": False,  # never stop a kernel mid-training
    }}


def test_postbuild_merges_the_culler_into_existing_server_config(tmp_path):
    config = tmp_path / "etc" / "jupyter" / "jupyter_server_config.json"
    config.parent.mkdir(parents=True)
    config.write_text(json.dumps({"ServerApp": {"shutdown_no_activity_timeout": 600},
                                  "MappingKernelManager": {"cull_interval": 300,
                                                           "default_kernel_name": "python3"}}))
    assert install_culler(tmp_path) == config.parent
    assert json.loads(config.read_text()) == {
        "ServerApp": {"shutdown_no_activity_timeout": 600},
        "MappingKernelManager": {"default_kernel_name": "python3",
                                 **json.loads(CULLER.read_text())["MappingKernelManager"]}}


@contextlib.contextmanager
def jupyter_server(tmp_path: Path, config: Path | None = None, *options: str):
    """A Jupyter Server on 127.0.0.1 with its own config, runtime and root folders.

    ``config`` is a config folder put first on ``JUPYTER_CONFIG_PATH`` (as
    ``$NB_PYTHON_PREFIX/etc/jupyter`` is on Binder); ``options`` are
    command-line settings, which win over it. Yields the server's ``port``,
    ``token``, ``log`` file and ``call(method, path)``, which returns the
    decoded JSON answer.
    """
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = os.urandom(8).hex()
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "user"),
           "JUPYTER_CONFIG_PATH": str(config or tmp_path / "no-config"),
           "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime")}
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter_server", "--no-browser", "--allow-root",
         "--ServerApp.ip=127.0.0.1",
         f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={tmp_path}", *options],
        env=env, stdout=log, stderr=subprocess.STDOUT)

    def call(method: str, path: str):
        request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                         headers={"Authorization": f"token {token}"})
        with urllib.request.urlopen(request, timeout=10) as answer:
            body = answer.read()
        return json.loads(body) if body else None

    try:
        for _ in range(100):
            with contextlib.suppress(OSError):
                call("GET", "/api/status")
                break
            assert server.poll() is None, (tmp_path / "server.log").read_text()
            time.sleep(0.2)
        yield SimpleNamespace(call=call, port=port, token=token, log=tmp_path / "server.log")
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def _wait_until(condition, timeout: float) -> float:
    """Poll ``condition()`` until true; return the seconds it took (fail after ``timeout``)."""
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < timeout, "timed out"
        time.sleep(0.25)
    return time.monotonic() - start


def _kernel_ids(server) -> set[str]:
    return {k["id"] for k in server.call("GET", "/api/kernels")}


def test_culler_shuts_down_idle_kernels_even_with_an_open_tab_but_not_busy_ones(tmp_path):
    from jupyter_client import BlockingKernelClient
    from tornado.websocket import websocket_connect

    config = install_culler(tmp_path / "prefix")  # as on Binder, but culling after 2 s
    with jupyter_server(tmp_path, config, "--MappingKernelManager.cull_idle_timeout=2",
                        "--MappingKernelManager.cull_interval=1") as server:
        idle = server.call("POST", "/api/kernels")["id"]
        busy = server.call("POST", "/api/kernels")["id"]
        client = BlockingKernelClient(
            connection_file=str(tmp_path / "runtime" / f"kernel-{busy}.json"))
        client.load_connection_file()
        client.start_channels()
        client.wait_for_ready(timeout=30)
        client.execute("import time; time.sleep(6)")

        async def while_a_tab_is_open():
            tab = await websocket_connect(
                f"ws://127.0.0.1:{server.port}/api/kernels/{idle}/channels?token={server.token}")
            try:
                await asyncio.sleep(0.5)
                assert server.call("GET", f"/api/kernels/{idle}")["connections"] == 1
                await asyncio.to_thread(_wait_until, lambda: idle not in _kernel_ids(server), 20)
                assert busy in _kernel_ids(server)  # busy for 6 s: not culled yet
            finally:
                tab.close()

        asyncio.run(while_a_tab_is_open())
        _wait_until(lambda: busy not in _kernel_ids(server), 20)
        client.stop_channels()
    log = server.log.read_text()
    assert re.search(rf"Culling 'idle' kernel 'python3' \({idle}\) with 1 connections", log)
    assert f"({busy}) with 0 connections" in log


def test_release_kernel_default_action_shuts_the_kernel_down_through_the_server(tmp_path):
    """What the closing cell's button does, in a kernel a real server started."""
    from jupyter_client import BlockingKernelClient

    with jupyter_server(tmp_path) as server:
        kernel = server.call("POST", "/api/kernels")["id"]
        client = BlockingKernelClient(
            connection_file=str(tmp_path / "runtime" / f"kernel-{kernel}.json"))
        client.load_connection_file()
        client.start_channels()
        client.wait_for_ready(timeout=30)
        reply = client.execute_interactive(
            "from utils import session; session._shut_down_this_kernel()", timeout=30)
        assert reply["content"]["status"] == "ok"
        _wait_until(lambda: kernel not in _kernel_ids(server), 15)
        client.stop_channels()
        time.sleep(1)
        assert kernel not in _kernel_ids(server)  # shut down, not died and restarted
    assert "Kernel shutdown: " + kernel in server.log.read_text()


# --- start: TensorFlow's thread pools sized to the container's CPU limit -------------------------

def _start(tmp_path: Path, cgroup_files: dict[str, str], cores: int, *command: str,
           **env: str) -> subprocess.CompletedProcess:
    """Run the repo's ``start`` on a fake cgroup folder, with ``cores`` visible (a fake nproc)."""
    root, bin_dir = tmp_path / "cgroup", tmp_path / "bin"
    for name, text in cgroup_files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    bin_dir.mkdir(exist_ok=True)
    (bin_dir / "nproc").write_text(f"#!/bin/sh\necho {cores}\n")
    (bin_dir / "nproc").chmod(0o755)
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TF_NUM_")}
    return subprocess.run(
        [str(ROOT / "start"), *(command or ["env"])], capture_output=True, text=True,
        env={**clean, **env, "P2P_CGROUP_ROOT": str(root),
             "PATH": os.pathsep.join([str(bin_dir), os.environ["PATH"]])})


def _tf_threads(result: subprocess.CompletedProcess) -> dict[str, str]:
    return dict(line.split("=", 1) for line in result.stdout.splitlines()
                if line.startswith("TF_NUM_"))


def test_start_is_an_executable_wrapper():
    text = (ROOT / "start").read_text()
    assert os.access(ROOT / "start", os.X_OK) and text.startswith("#!/bin/bash\n")
    assert text.rstrip().endswith('exec "$@"')


@pytest.mark.parametrize("files, cores, threads", [
    ({"cpu.max": "100000 100000\n"}, 16, "1"),  # cgroup v2, one CPU on a 16-core node
    ({"cpu.max": "150000 100000\n"}, 16, "2"),  # 1.5 CPUs: rounded up
    ({"cpu.max": "50000 100000\n"}, 2, "1"),
    ({"cpu/cpu.cfs_quota_us": "100000\n", "cpu/cpu.cfs_period_us": "100000\n"}, 8, "1"),  # v1
    ({"cpu.max": "max 100000\n"}, 16, None),  # no limit
    ({"cpu/cpu.cfs_quota_us": "-1\n", "cpu/cpu.cfs_period_us": "100000\n"}, 16, None),
    ({"cpu.max": "200000 100000\n"}, 2, None),  # the limit is not below the visible cores
    ({}, 16, None),  # no cgroup files at all
])
def test_start_caps_tensorflow_threads_at_the_cpu_limit(tmp_path, files, cores, threads):
    result = _start(tmp_path, files, cores)
    assert result.returncode == 0, result.stderr
    expected = {} if threads is None else {"TF_NUM_INTRAOP_THREADS": threads,
                                           "TF_NUM_INTEROP_THREADS": threads}
    assert _tf_threads(result) == expected


def test_start_keeps_explicit_settings_and_passes_the_command_through(tmp_path):
    files = {"cpu.max": "100000 100000\n"}
    result = _start(tmp_path, files, 16, TF_NUM_INTRAOP_THREADS="4")
    assert _tf_threads(result) == {"TF_NUM_INTRAOP_THREADS": "4", "TF_NUM_INTEROP_THREADS": "1"}
    assert _start(tmp_path, files, 16, "printf", "%s|", "a b", "c").stdout == "a b|c|"
    assert _start(tmp_path, files, 16, "sh", "-c", "exit 3").returncode == 3
