"""The JupyterHub kit (hub/): the image is built from the course's lock, sized from the status
table, and the nbgitpuller links come from the repository URL in _config.yml."""

from __future__ import annotations

import math
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import tomllib
import yaml

from scripts import make_student
from utils.doctor import status_table
from utils.session import SERVER_RESERVE_GB

ROOT = Path(__file__).resolve().parents[1]
DOCKERFILE = (ROOT / "hub" / "Dockerfile").read_text()
CONFIG = yaml.safe_load((ROOT / "hub" / "config.yaml").read_text())


def _gb(size: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)([GM])", size).groups()
    return float(number) * (1 if unit == "G" else 1e-3)


def test_image_installs_the_lock_and_only_hub_packages_beside_it():
    assert "pip install -r /tmp/lock.txt" in DOCKERFILE
    assert "COPY requirements/lock.txt /tmp/lock.txt" in DOCKERFILE
    assert "pip install -c /tmp/lock.txt -r /tmp/hub-requirements.txt" in DOCKERFILE
    pins = [l for l in (ROOT / "hub/requirements.txt").read_text().splitlines()
            if l and not l.startswith("#")]
    assert pins and all(re.fullmatch(r"[\w-]+==[\w.]+", p) for p in pins)
    lock = (ROOT / "requirements/lock.txt").read_text()
    for pin in pins:  # the hub's packages are extra, never a second version of a locked one
        assert not re.search(rf"^{re.escape(pin.split('==')[0])}==", lock, re.M | re.I)


def test_image_python_is_the_one_the_lock_was_resolved_for():
    resolved = re.search(r"--python-version (\d+\.\d+)", (ROOT / "requirements/lock.txt").read_text())
    assert re.search(rf"^FROM python:{re.escape(resolved.group(1))}-slim$", DOCKERFILE, re.M)


def test_image_has_the_data_verified_and_binders_start_script():
    assert "python -m utils.data prefetch" in DOCKERFILE and "python -m utils.data check" in DOCKERFILE
    assert "KERAS_HOME=/opt/p2p-data/keras" in DOCKERFILE and "P2P_DATA_DIR=/opt/p2p-data/course" in DOCKERFILE
    assert 'ENTRYPOINT ["/opt/course/start"]' in DOCKERFILE and (ROOT / "start").exists()
    assert "kernel-culler.json" in DOCKERFILE
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".venv", "_build", ".git"} <= set(ignored), "COPY . would copy gigabytes"


def test_image_tag_is_the_course_version():
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert CONFIG["singleuser"]["image"]["tag"] == version
    assert f"p2p-singleuser:{version}" in DOCKERFILE


def test_memory_and_cpu_come_from_the_status_table():
    largest = max(r["peak_rss_gb"] for r in status_table()["notebooks"])
    memory = CONFIG["singleuser"]["memory"]
    guarantee, limit = _gb(memory["guarantee"]), _gb(memory["limit"])
    assert guarantee >= largest + SERVER_RESERVE_GB, "a learner could not run the largest chapter"
    assert guarantee <= math.ceil((largest + SERVER_RESERVE_GB) * 10) / 10 + 0.2, "over-reserved"
    assert guarantee <= limit <= 2.0
    assert 0 < CONFIG["singleuser"]["cpu"]["guarantee"] <= CONFIG["singleuser"]["cpu"]["limit"]
    assert CONFIG["cull"]["enabled"]


def test_nbgitpuller_links_open_each_student_notebook():
    repo, branch = make_student.repository()
    link = make_student.nbgitpuller_link("https://hub.example.org/", "03_relu")
    url = urlparse(link)
    assert (url.scheme, url.netloc, url.path) == ("https", "hub.example.org",
                                                  "/hub/user-redirect/git-pull")
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert query == {"repo": f"https://github.com/{repo}", "branch": branch,
                     "urlpath": f"lab/tree/{repo.split('/')[1]}/notebooks/student/03_relu.ipynb"}
    assert (ROOT / "notebooks/student/03_relu.ipynb").exists()
    with pytest.raises(ValueError, match="hub's address"):
        make_student.nbgitpuller_link("hub.example.org", "03_relu")


def test_hub_links_are_printed_for_a_real_hub(capsys):
    assert make_student.main(["--hub", "https://hub.example.org"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(list((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")))
    assert all("https://hub.example.org/hub/user-redirect/git-pull?" in l for l in lines)
