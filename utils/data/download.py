"""Find, download, verify and unpack the course's data, offline-first.

A resource is used from disk if it is there and verifies; otherwise it is
downloaded (with a progress bar), verified and only then moved into place,
so a partial or corrupt download is never used. Offline and missing gives
one :class:`DatasetUnavailableError` that names the file and the command to
prefetch it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pooch

from utils.data.registry import REGISTRY, Resource, get_resource, load_manifest

__all__ = [
    "DatasetUnavailableError",
    "DataIntegrityError",
    "Status",
    "data_dir",
    "keras_home",
    "local_path",
    "sha256_of",
    "verify",
    "fetch",
]

PREFETCH_COMMAND = "python -m utils.data prefetch"


class DatasetUnavailableError(RuntimeError):
    """A file the course needs is not on disk and cannot be downloaded (e.g. offline).

    Examples
    --------
    >>> issubclass(DatasetUnavailableError, RuntimeError)
    True
    """


class DataIntegrityError(RuntimeError):
    """A download or a file on disk does not match its published checksum.

    Examples
    --------
    >>> issubclass(DataIntegrityError, RuntimeError)
    True
    """


@dataclass(frozen=True)
class Status:
    """What :func:`verify` found for one resource.

    Examples
    --------
    >>> status = verify("hymenoptera")   # doctest: +SKIP
    >>> status.ok, status.detail               # doctest: +SKIP
    (True, 'ok, 398 files')
    """

    name: str
    path: Path
    ok: bool
    detail: str


def data_dir() -> Path:
    """The course's data folder: ``$P2P_DATA_DIR``, else the user's cache folder.

    Examples
    --------
    >>> data_dir()      # doctest: +SKIP
    PosixPath('/home/me/.cache/pixels-to-probabilities')
    """
    env = os.environ.get("P2P_DATA_DIR")
    return Path(env).expanduser() if env else Path(pooch.os_cache("pixels-to-probabilities"))


def keras_home() -> Path:
    """Keras's cache folder: ``$KERAS_HOME``, else ``~/.keras`` (as Keras decides).

    Examples
    --------
    >>> keras_home()    # doctest: +SKIP
    PosixPath('/home/me/.keras')
    """
    env = os.environ.get("KERAS_HOME")
    return Path(env).expanduser() if env else Path.home() / ".keras"


def local_path(resource: Resource | str) -> Path:
    """Where ``resource`` lives once fetched (a file for Keras's, a folder for the course's).

    Examples
    --------
    >>> local_path("hymenoptera").name
    'hymenoptera_data'
    >>> local_path("imagenet_class_index.json").parent.name
    'models'
    """
    r = get_resource(resource) if isinstance(resource, str) else resource
    if r.kind == "keras":
        return keras_home() / r.keras_subdir / r.filename
    return data_dir() / r.folder


def sha256_of(path: Path, chunk: int = 1 << 20) -> str:
    """SHA-256 of a file, read in chunks.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "hello.txt"
    >>> _ = path.write_text("hello")
    >>> sha256_of(path)[:16]
    '2cf24dba5fb0a30e'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def _verify_folder(folder: Path, manifest: dict[str, str]) -> str | None:
    """``None`` if every manifest file is in ``folder`` with the right hash, else what is wrong."""
    missing = [p for p in manifest if not (folder / p).is_file()]
    if missing:
        return f"{len(missing)} of {len(manifest)} files missing (first: {missing[0]})"
    bad = [p for p, digest in manifest.items() if sha256_of(folder / p) != digest]
    if bad:
        return f"{len(bad)} files do not match their checksums (first: {bad[0]})"
    return None


def verify(resource: Resource | str) -> Status:
    """Check one resource on disk against its checksum or manifest.

    Examples
    --------
    >>> verify("weights/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.5_224_no_top.h5").detail  # doctest: +SKIP
    'ok, 3,201,480 bytes'
    """
    r = get_resource(resource) if isinstance(resource, str) else resource
    path = local_path(r)
    if not path.exists():
        return Status(r.name, path, False, "missing")
    if r.kind == "keras":
        actual = sha256_of(path)
        if r.sha256 and actual != r.sha256:
            return Status(r.name, path, False, f"checksum mismatch (sha256 {actual[:12]}…)")
        return Status(r.name, path, True, f"ok, {path.stat().st_size:,} bytes")
    manifest = load_manifest(r)
    problem = _verify_folder(path, manifest)
    return Status(r.name, path, problem is None, problem or f"ok, {len(manifest)} files")


def _unavailable(r: Resource, path: Path, err: BaseException) -> DatasetUnavailableError:
    return DatasetUnavailableError(
        f"{r.name} is not at {path} and could not be downloaded from {r.url} ({err}). "
        f"If you are offline, run `{PREFETCH_COMMAND}` on a machine with internet and copy "
        f"its data folders here (see the course's Setup page), or set P2P_DATA_DIR / KERAS_HOME "
        f"to where the files are."
    )


_TEMP_PREFIX = ".download-"


def _sweep_leftovers(folder: Path) -> None:
    """Remove temporary download folders whose process is gone (killed mid-download)."""
    if not folder.is_dir():
        return
    for tmp in folder.glob(f"{_TEMP_PREFIX}*"):
        pid = tmp.name[len(_TEMP_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and _alive(int(pid)):
            continue  # another download in progress
        shutil.rmtree(tmp, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def _temporary_folder(parent: Path) -> tempfile.TemporaryDirectory:
    """A folder beside the final place (same file system, so the move is atomic), named after
    this process so that a later run can remove it if this one is killed."""
    parent.mkdir(parents=True, exist_ok=True)
    _sweep_leftovers(parent)
    return tempfile.TemporaryDirectory(dir=parent, prefix=f"{_TEMP_PREFIX}{os.getpid()}-")


def _fetch_keras(r: Resource) -> Path:
    from keras.utils import get_file

    path = local_path(r)
    if verify(r).ok:
        return path
    if path.exists():
        path.unlink()  # corrupt or partial: never used, fetched again
    # Keras's get_file writes in place; let it write into a temporary folder, verify the file
    # there, and only then move it to where Keras's own loaders look. A download killed
    # half-way leaves no partial file under the final name.
    with _temporary_folder(keras_home()) as tmp:
        try:
            fetched = Path(get_file(r.filename, origin=r.url, file_hash=r.sha256,
                                    cache_subdir="partial", cache_dir=tmp))
        except Exception as err:  # Keras raises plain Exceptions for network errors
            if "hash" in str(err).lower() or "corrupt" in str(err).lower():
                raise DataIntegrityError(
                    f"{r.name} from {r.url} does not match its checksum.") from err
            raise _unavailable(r, path, err) from err
        if r.sha256 and sha256_of(fetched) != r.sha256:
            raise DataIntegrityError(f"{r.name} from {r.url} does not match its checksum; "
                                     "nothing was kept.")
        path.parent.mkdir(parents=True, exist_ok=True)
        os.replace(fetched, path)  # atomic on one file system
    return path


def _damaged(r: Resource, target: Path, problem: str, err: BaseException) -> DataIntegrityError:
    return DataIntegrityError(
        f"{r.name} at {target} is damaged: {problem}; those files failed verification against "
        f"the course's checksums. Repairing it needs a download, which failed ({err}). With "
        f"internet, run `{PREFETCH_COMMAND} {r.name}`: it downloads the archive again and "
        "replaces only the damaged or missing files. Offline, copy a good copy of the folder "
        "from another machine (where `python -m utils.data check` passes)."
    )


def _damaged_files(folder: Path, manifest: dict[str, str]) -> list[str]:
    """Manifest paths missing from ``folder`` or not matching their checksum."""
    return [p for p, digest in manifest.items()
            if not (folder / p).is_file() or sha256_of(folder / p) != digest]


def _fetch_course(r: Resource) -> Path:
    target = local_path(r)
    status = verify(r)
    if status.ok:
        return target
    with _temporary_folder(data_dir()) as tmp:
        try:
            archive = pooch.retrieve(r.url, known_hash=r.sha256, fname=r.filename, path=tmp,
                                     progressbar=True)
        except ValueError as err:  # pooch: hash mismatch (the file is already deleted)
            raise DataIntegrityError(f"{r.name} from {r.url} does not match its checksum.") from err
        except Exception as err:  # network errors of every kind
            if target.exists():  # it is there, but broken: say so, not "missing"
                raise _damaged(r, target, status.detail, err) from err
            raise _unavailable(r, target, err) from err
        unpacked = Path(tmp) / "unpacked"
        try:
            with zipfile.ZipFile(archive) as zf:
                broken = zf.testzip()
                if broken:
                    raise zipfile.BadZipFile(f"corrupt member {broken}")
                zf.extractall(unpacked)
        except zipfile.BadZipFile as err:
            raise DataIntegrityError(
                f"The download of {r.name} from {r.url} is incomplete or corrupt ({err}); "
                "nothing was kept. Run the command again."
            ) from err
        folder = unpacked / r.folder if (unpacked / r.folder).is_dir() else unpacked
        problem = _verify_folder(folder, load_manifest(r))
        if problem:
            raise DataIntegrityError(
                f"{r.name} from {r.url} does not match the course's manifest: {problem}. "
                "Nothing was kept."
            )
        if target.is_dir():  # a damaged copy: replace only what is broken, file by file
            manifest = load_manifest(r)
            for rel in _damaged_files(target, manifest):
                (target / rel).parent.mkdir(parents=True, exist_ok=True)
                os.replace(folder / rel, target / rel)  # atomic per file
            problem = _verify_folder(target, manifest)
            if problem:
                raise DataIntegrityError(f"{r.name} at {target} could not be repaired: {problem}.")
        else:
            if target.exists():
                target.unlink()  # a file where the folder should be
            os.replace(folder, target)  # atomic on one file system
    return target


def fetch(name: str) -> Path:
    """Return the local path of resource ``name``, downloading and verifying it if needed.

    Raises :class:`DatasetUnavailableError` when it is missing and cannot be
    downloaded, and :class:`DataIntegrityError` when a download does not match
    its checksum (nothing half-written is left behind).

    Examples
    --------
    >>> folder = fetch("hymenoptera")          # doctest: +SKIP
    >>> sorted(p.name for p in folder.iterdir())  # doctest: +SKIP
    ['train', 'val']
    """
    r = get_resource(name)
    return _fetch_keras(r) if r.kind == "keras" else _fetch_course(r)


def fetch_group(group: str) -> list[Path]:
    """Fetch every resource of a group (e.g. ``"fashion-mnist"``).

    Examples
    --------
    >>> [p.name for p in fetch_group("fashion-mnist")]   # doctest: +SKIP
    ['train-labels-idx1-ubyte.gz', 'train-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz', 't10k-images-idx3-ubyte.gz']
    """
    names = [n for n, r in REGISTRY.items() if r.group == group]
    if not names:
        groups = sorted({r.group for r in REGISTRY.values()})
        raise ValueError(f"No resources in group {group!r}; pass one of: {', '.join(groups)}.")
    return [fetch(n) for n in names]
