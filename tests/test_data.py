"""utils.data against a local HTTP server: no internet needed, nothing half-written kept."""

from __future__ import annotations

import http.server
import io
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
import zipfile
from functools import partial
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import utils.data.download as fetch_mod
from utils.data import (
    REGISTRY,
    DataIntegrityError,
    DatasetUnavailableError,
    Resource,
    fetch,
    load_image_folder,
    local_path,
    verify,
)
from utils.data.__main__ import main as cli
from utils.data.registry import load_manifest


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):  # noqa: N802 - http.server's naming
        if self.path.startswith("/slow/"):  # send half, then stall (the client gets killed)
            data = (Path(self.directory) / self.path[6:]).read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            time.sleep(30)
            return
        if self.path.startswith("/cut/"):  # promise N bytes, send half, hang up
            data = (Path(self.directory) / self.path[5:]).read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        super().do_GET()


@pytest.fixture
def server(tmp_path):
    root = tmp_path / "server"
    root.mkdir()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Handler, directory=str(root)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", root
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def dirs(tmp_path, monkeypatch):
    data, keras_home = tmp_path / "data", tmp_path / "keras"
    monkeypatch.setenv("P2P_DATA_DIR", str(data))
    monkeypatch.setenv("KERAS_HOME", str(keras_home))
    return data, keras_home


def _png(value: int) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(np.full((6, 8, 3), value, np.uint8)).save(buf, format="png")
    return buf.getvalue()


TOY_FILES = {"train/cats/a.png": _png(10), "train/cats/b.png": _png(20), "train/dogs/c.png": _png(30)}


def _zip(files: dict[str, bytes], top: str = "toyset") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            zf.writestr(f"{top}/{name}", data)
    return buf.getvalue()


@pytest.fixture
def toy(server, dirs, monkeypatch):
    """A 'course' resource served as toyset.zip, with its manifest."""
    base, root = server
    (root / "toyset.zip").write_bytes(_zip(TOY_FILES))
    resource = Resource(name="toy", kind="course", url=f"{base}/toyset.zip", filename="toyset.zip",
                        size_bytes=300, licence="test", purpose="test", folder="toyset",
                        manifest="toy.sha256")
    manifest = {p: __import__("hashlib").sha256(d).hexdigest() for p, d in TOY_FILES.items()}
    monkeypatch.setitem(REGISTRY, "toy", resource)
    monkeypatch.setattr(fetch_mod, "load_manifest",
                        lambda r: manifest if r.name == "toy" else load_manifest(r))
    return resource, root


def _no_leftovers(data: Path) -> bool:
    return not data.exists() or not any(p.name.startswith(".download-") for p in data.iterdir())


def test_course_resource_downloads_verifies_and_unpacks(toy, dirs):
    path = fetch("toy")
    assert path == dirs[0] / "toyset"
    assert sorted(p.relative_to(path).as_posix() for p in path.rglob("*.png")) == sorted(TOY_FILES)
    assert verify("toy").ok and _no_leftovers(dirs[0])


def test_verified_copy_is_used_offline(toy, dirs, monkeypatch):
    fetch("toy")
    monkeypatch.setitem(REGISTRY, "toy", Resource(**{**toy[0].__dict__, "url": "http://127.0.0.1:9/x.zip"}))
    assert fetch("toy") == dirs[0] / "toyset"  # no download attempted: it verifies on disk


def test_corrupt_file_on_disk_is_detected_and_fetched_again(toy, dirs):
    path = fetch("toy")
    (path / "train/cats/a.png").write_bytes(b"tampered")
    status = verify("toy")
    assert not status.ok and "do not match their checksums" in status.detail
    fetch("toy")
    assert verify("toy").ok and (path / "train/cats/a.png").read_bytes() == TOY_FILES["train/cats/a.png"]


def test_download_that_mismatches_the_manifest_is_never_used(toy, dirs):
    _, root = toy
    (root / "toyset.zip").write_bytes(_zip({**TOY_FILES, "train/cats/a.png": b"not the real file"}))
    with pytest.raises(DataIntegrityError, match="does not match the course's manifest.*Nothing was kept"):
        fetch("toy")
    assert not (dirs[0] / "toyset").exists() and _no_leftovers(dirs[0])
    (root / "toyset.zip").write_bytes(_zip(TOY_FILES))  # the server is fixed: fetched again
    fetch("toy")
    assert verify("toy").ok


def test_truncated_archive_is_never_used(toy, dirs):
    _, root = toy
    full = _zip(TOY_FILES)
    (root / "toyset.zip").write_bytes(full[: len(full) // 2])
    with pytest.raises(DataIntegrityError, match="incomplete or corrupt"):
        fetch("toy")
    assert not (dirs[0] / "toyset").exists() and _no_leftovers(dirs[0])


def test_connection_cut_mid_download_leaves_nothing(toy, dirs, monkeypatch):
    resource, _ = toy
    url = resource.url.replace("/toyset.zip", "/cut/toyset.zip")
    monkeypatch.setitem(REGISTRY, "toy", Resource(**{**resource.__dict__, "url": url}))
    with pytest.raises((DatasetUnavailableError, DataIntegrityError)):
        fetch("toy")
    assert not (dirs[0] / "toyset").exists() and _no_leftovers(dirs[0])


def test_archive_checksum_mismatch_is_caught(toy, dirs, monkeypatch):
    resource, _ = toy
    monkeypatch.setitem(REGISTRY, "toy", Resource(**{**resource.__dict__, "sha256": "0" * 64}))
    with pytest.raises(DataIntegrityError, match="does not match its checksum"):
        fetch("toy")
    assert not (dirs[0] / "toyset").exists() and _no_leftovers(dirs[0])


def test_offline_and_missing_gives_one_clear_error(toy, dirs, monkeypatch):
    resource, _ = toy
    monkeypatch.setitem(REGISTRY, "toy", Resource(**{**resource.__dict__,
                                                     "url": "http://127.0.0.1:9/toyset.zip"}))
    with pytest.raises(DatasetUnavailableError) as info:
        fetch("toy")
    message = str(info.value)
    assert "toy is not at" in message and str(dirs[0] / "toyset") in message
    assert "python -m utils.data prefetch" in message
    assert not (dirs[0] / "toyset").exists() and _no_leftovers(dirs[0])


@pytest.fixture
def keras_file(server, dirs, monkeypatch):
    base, root = server
    payload = b"pretend weights " * 1000
    (root / "w.h5").write_bytes(payload)
    resource = Resource(name="weights/w.h5", kind="keras", url=f"{base}/w.h5", filename="w.h5",
                        sha256=__import__("hashlib").sha256(payload).hexdigest(),
                        size_bytes=len(payload), keras_subdir="models", licence="t", purpose="t")
    monkeypatch.setitem(REGISTRY, resource.name, resource)
    return resource, root, payload


def test_keras_file_goes_to_keras_cache_and_is_verified(keras_file, dirs):
    resource, root, payload = keras_file
    path = fetch(resource.name)
    assert path == dirs[1] / "models" / "w.h5" and path.read_bytes() == payload
    path.write_bytes(b"half")  # a partial file from an interrupted download
    assert not verify(resource.name).ok
    assert fetch(resource.name).read_bytes() == payload  # detected and fetched again


def test_keras_file_with_wrong_checksum_is_removed(keras_file, dirs):
    resource, root, _ = keras_file
    (root / "w.h5").write_bytes(b"something else")
    with pytest.raises(DataIntegrityError, match="does not match its checksum"):
        fetch(resource.name)
    assert not local_path(resource).exists()


def test_prefetch_and_check_commands(toy, keras_file, dirs, monkeypatch, capsys):
    names = ["toy", keras_file[0].name]
    assert cli(["check", *names]) == 1
    assert "MISSING" in capsys.readouterr().out
    assert cli(["prefetch", *names]) == 0
    out = capsys.readouterr().out
    assert out.count("ok      ") == 2 and "prefetched" in out
    assert cli(["check", *names]) == 0
    assert "everything is in place" in capsys.readouterr().out
    (dirs[0] / "toyset/train/dogs/c.png").unlink()
    assert cli(["check", "toy"]) == 1
    assert "BAD" in capsys.readouterr().out
    assert cli(["list"]) == 0
    with pytest.raises(SystemExit, match="Unknown resource"):
        cli(["prefetch", "nope"])


def test_registry_entries_are_complete():
    for r in REGISTRY.values():
        assert r.url.startswith("https://") and r.licence and r.purpose and r.size_bytes > 0
        assert r.sha256 or r.manifest, f"{r.name} has no checksum"
        assert (r.kind == "keras") == (r.keras_subdir is not None)
    manifest = load_manifest(REGISTRY["hymenoptera"])
    assert len(manifest) == 398 and "train/ants/imageNotFound.gif" in manifest
    assert all(len(d) == 64 for d in manifest.values())


def test_load_image_folder_skips_non_images_and_excluded(tmp_path, capsys):
    for name, value in [("cats/a.png", 10), ("cats/b.png", 20), ("dogs/c.png", 30)]:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(_png(value))
    (tmp_path / "dogs/broken.jpg").write_text("not a jpeg")
    (tmp_path / "dogs/notes.txt").write_text("ignored: not an image suffix")
    folder = load_image_folder(tmp_path, (4, 5), exclude={"cats/b.png": "a placeholder"})
    assert folder.images.shape == (2, 4, 5, 3) and folder.images.dtype == np.uint8
    assert folder.class_names == ["cats", "dogs"] and folder.labels.tolist() == [0, 1]
    assert [p.name for p, _ in folder.skipped] == ["b.png", "broken.jpg"]
    out = capsys.readouterr().out
    assert "Skipped 2 file(s)" in out and "cats/b.png: a placeholder" in out
    with pytest.raises(FileNotFoundError, match="one subfolder per class"):
        load_image_folder(tmp_path / "nope")


# --- the real data sets, from the environment's caches (CI: ../shared/offline-cache) ----------

def test_load_fashion_mnist_gives_float32_in_unit_range():
    from utils.data import FASHION_MNIST_CLASSES, load_fashion_mnist

    (x_train, y_train), (x_test, y_test) = load_fashion_mnist()
    assert x_train.shape == (60000, 28, 28, 1) and x_test.shape == (10000, 28, 28, 1)
    assert x_train.dtype == np.float32 and 0 <= x_train.min() and x_train.max() <= 1
    assert sorted(set(y_test.tolist())) == list(range(10)) and len(FASHION_MNIST_CLASSES) == 10
    (x_two, y_two), (x_two_test, y_two_test) = load_fashion_mnist(classes=["T-shirt/top", "Shirt"])
    assert x_two.shape == (12000, 28, 28, 1) and set(y_two.tolist()) == {0, 6}
    np.testing.assert_array_equal(x_two_test, x_test[np.isin(y_test, [0, 6])])


@pytest.mark.parametrize(("classes", "error", "message"), [
    (["Shirt", "Sock"], ValueError, r"unknown Fashion-MNIST class\(es\) \['Sock'\]; pick from"),
    ([], ValueError, "at least one"),
    ("Shirt", TypeError, "a list of names"),
])
def test_load_fashion_mnist_classes_say_what_to_pass(classes, error, message):
    from utils.data import load_fashion_mnist

    with pytest.raises(error, match=message):
        load_fashion_mnist(classes=classes)


def test_unknown_names_raise_value_error_everywhere():
    """Samples, kernels and data resources all answer a typo with ValueError, listing the names."""
    from utils import load_sample
    from utils.data import fetch, fetch_group
    from utils.kernels import get_kernel

    for call, name in ((load_sample, "kat"), (get_kernel, "sobel_z"), (fetch, "hymenopter"),
                       (fetch_group, "fashion")):
        with pytest.raises(ValueError, match="pass one of|one of"):
            call(name)


def test_load_hymenoptera_skips_the_placeholder_gif(capsys):
    from utils.data import load_hymenoptera

    train = load_hymenoptera("train", (32, 32))
    assert len(train) == 244 and train.class_names == ["ants", "bees"]
    assert [p.name for p, _ in train.skipped] == ["imageNotFound.gif"]
    assert "not a photo of an ant" in capsys.readouterr().out
    val = load_hymenoptera("val", (32, 32), verbose=False)
    assert len(val) == 153 and (val.labels == 0).sum() == 70 and not val.skipped
    with pytest.raises(ValueError, match="'train' or 'val'"):
        load_hymenoptera("test")


def test_damaged_photo_offline_names_the_file_and_the_repair(toy, dirs, monkeypatch):
    resource, _ = toy
    folder = fetch("toy")
    (folder / "train/cats/b.png").write_bytes(b"not a png any more")
    monkeypatch.setitem(REGISTRY, "toy", Resource(**{**resource.__dict__,
                                                     "url": "http://127.0.0.1:9/toyset.zip"}))
    with pytest.raises(DataIntegrityError) as info:
        fetch("toy")
    message = str(info.value)
    assert "is damaged" in message and "train/cats/b.png" in message
    assert "failed verification" in message and "python -m utils.data prefetch toy" in message
    assert "is not at" not in message  # the folder is there: it is not "missing"
    assert _no_leftovers(dirs[0])


def test_online_repair_replaces_only_the_damaged_files(toy, dirs):
    folder = fetch("toy")
    good, bad = folder / "train/cats/a.png", folder / "train/cats/b.png"
    before = good.stat().st_ino, good.stat().st_mtime_ns
    bad.write_bytes(b"damaged")
    (folder / "train/dogs/c.png").unlink()
    assert fetch("toy") == folder and verify("toy").ok
    assert (good.stat().st_ino, good.stat().st_mtime_ns) == before, "an intact file was rewritten"
    assert bad.read_bytes() == TOY_FILES["train/cats/b.png"] and _no_leftovers(dirs[0])


_FETCH_SCRIPT = """
import sys
from utils.data import REGISTRY, Resource, fetch
import utils.data.download as d
r = Resource(**{args})
REGISTRY[r.name] = r
d.load_manifest = lambda res: {manifest}
fetch(r.name)
"""


def _kill_mid_download(resource: Resource, manifest: dict, watch: Path, how: int) -> None:
    """Run fetch(resource) in a new process and stop it once the download has begun."""
    script = _FETCH_SCRIPT.format(args=repr(resource.__dict__), manifest=repr(manifest))
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    proc = subprocess.Popen([sys.executable, "-c", textwrap.dedent(script)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while not any(watch.glob(".download-*/**/*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # some bytes are written
    proc.send_signal(how)
    # Longer than the server's 30-s stall: a child that only sees the signal once its read
    # returns has still stopped half-way (this wait once timed out at 30 s in a full run).
    proc.wait(timeout=60)


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT], ids=["killed", "interrupted"])
def test_keras_download_stopped_half_way_leaves_no_partial_file(keras_file, dirs, how):
    resource, root, payload = keras_file
    (root / "w.h5").write_bytes(payload * 50)  # big enough to be caught half-way
    full = Resource(**{**resource.__dict__,
                       "sha256": __import__("hashlib").sha256(payload * 50).hexdigest()})
    slow = Resource(**{**full.__dict__, "url": full.url.replace("/w.h5", "/slow/w.h5")})
    _kill_mid_download(slow, {}, dirs[1], how)
    final = dirs[1] / "models" / "w.h5"
    assert not final.exists(), "Keras's loaders would read a partial file here"
    if how == signal.SIGINT:  # interrupted (a kernel's stop button): cleaned up at once
        assert _no_leftovers(dirs[1])
    REGISTRY[full.name] = full
    try:
        assert fetch(full.name).read_bytes() == payload * 50
    finally:
        REGISTRY.pop(full.name)
    assert _no_leftovers(dirs[1]), "the killed download's temporary folder is swept"


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT], ids=["killed", "interrupted"])
def test_course_download_stopped_half_way_leaves_nothing(toy, dirs, how):
    resource, root = toy
    big = {**TOY_FILES, "padding.bin": os.urandom(2_000_000)}
    (root / "toyset.zip").write_bytes(_zip(big))
    manifest = {p: __import__("hashlib").sha256(d).hexdigest() for p, d in big.items()}
    slow = Resource(**{**resource.__dict__, "url": resource.url.replace("/toyset.zip", "/slow/toyset.zip")})
    _kill_mid_download(slow, manifest, dirs[0], how)
    assert not (dirs[0] / "toyset").exists()
    if how == signal.SIGINT:
        assert _no_leftovers(dirs[0])
    fetch("toy")  # the next run sweeps what a killed one left
    assert _no_leftovers(dirs[0])
