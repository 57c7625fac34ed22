"""Loading the course's datasets as arrays, through the verified data layer."""

from __future__ import annotations

import gzip
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from utils.data.download import fetch, fetch_group
from utils.data.registry import get_resource
from utils.images import ImageLoadError, load_image
from utils.preprocess import photo_to_input

__all__ = ["FASHION_MNIST_CLASSES", "load_fashion_mnist", "ImageFolder", "load_image_folder",
           "load_hymenoptera"]

#: Fashion-MNIST's ten classes, in label order.
FASHION_MNIST_CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                         "Sneaker", "Bag", "Ankle boot"]

_IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".gif", ".bmp", ".webp", ".tif", ".tiff"}


def _to_unit_float(images: np.ndarray) -> np.ndarray:
    """uint8 N×28×28 -> float32 N×28×28×1 in [0, 1], without a float64 intermediate."""
    out = np.empty(images.shape + (1,), dtype=np.float32)
    np.divide(images[..., None], np.float32(255), out=out, casting="unsafe")
    return out


def load_fashion_mnist(
    classes: Sequence[str] | None = None,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Fashion-MNIST as ``((x_train, y_train), (x_test, y_test))``.

    Images are ``float32`` in [0, 1] with shape ``N×28×28×1`` (60,000 train,
    10,000 test: 188 MB + 31 MB); labels are ``uint8`` 0–9 (see
    :data:`FASHION_MNIST_CLASSES`). With ``classes`` (names from that list),
    only those classes' images are kept, with their original labels — a
    fraction of the memory. The four files are fetched and verified into
    Keras's cache (where ``keras.datasets.fashion_mnist`` looks too) and read
    from the verified paths, in the IDX format Keras's loader reads.

    Examples
    --------
    >>> (x, y), _ = load_fashion_mnist(classes=["Shirt"])   # doctest: +SKIP
    >>> x.shape, set(y)                                    # doctest: +SKIP
    ((6000, 28, 28, 1), {6})
    """
    keep = None
    if classes is not None:
        if isinstance(classes, str):
            raise TypeError(f"classes must be a list of names, e.g. [{classes!r}], not one string.")
        unknown = [c for c in classes if c not in FASHION_MNIST_CLASSES]
        if unknown or not classes:
            raise ValueError(f"unknown Fashion-MNIST class(es) {unknown}; pick from "
                             f"{FASHION_MNIST_CLASSES}." if unknown else
                             "classes is empty; pass at least one class name.")
        keep = [FASHION_MNIST_CLASSES.index(c) for c in classes]
    paths = {p.name: p for p in fetch_group("fashion-mnist")}

    def idx(name: str, offset: int) -> np.ndarray:
        with gzip.open(paths[name], "rb") as f:
            return np.frombuffer(f.read(), np.uint8, offset=offset)

    def split(images: str, labels: str) -> tuple[np.ndarray, np.ndarray]:
        x, y = idx(images, 16).reshape(-1, 28, 28), idx(labels, 8)
        if keep is not None:
            mask = np.isin(y, keep)
            x, y = x[mask], y[mask]
        return _to_unit_float(x), y

    return (split("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
            split("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"))


@dataclass
class ImageFolder:
    """Photos loaded from ``root/<class name>/*``: arrays plus what was skipped and why.

    Examples
    --------
    >>> train = load_hymenoptera("train", (224, 224))   # doctest: +SKIP
    >>> len(train), train.images.shape, train.class_names   # doctest: +SKIP
    (244, (244, 224, 224, 3), ['ants', 'bees'])
    """

    images: np.ndarray  # N×H×W×3 uint8
    labels: np.ndarray  # N int64, index into class_names
    class_names: list[str]
    paths: list[Path]
    skipped: list[tuple[Path, str]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.labels)


def load_image_folder(
    root: str | Path,
    image_size: tuple[int, int] = (224, 224),
    *,
    exclude: dict[str, str] | None = None,
    verbose: bool = True,
) -> ImageFolder:
    """Load every photo under ``root/<class>/`` as network input of ``image_size`` (height, width).

    Each photo goes through :func:`utils.preprocess.photo_to_input`, the same
    path the upload widget uses, so training and later predictions agree.

    Like ``keras.utils.image_dataset_from_directory``: one subfolder per class,
    classes in alphabetical order, labels are their indices. Files listed in
    ``exclude`` (path relative to ``root`` -> reason) and files that are not
    readable images are skipped; with ``verbose`` a note says which and why.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from PIL import Image
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> (root / "cats").mkdir(); (root / "dogs").mkdir()
    >>> Image.new("RGB", (60, 40), "red").save(root / "cats" / "a.png")
    >>> Image.new("RGB", (30, 30), "blue").save(root / "dogs" / "b.jpg")
    >>> folder = load_image_folder(root, (32, 32))
    >>> folder.images.shape, folder.labels.tolist(), folder.class_names
    ((2, 32, 32, 3), [0, 1], ['cats', 'dogs'])
    """
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"No folder {root}: pass a folder with one subfolder per class.")
    class_names = sorted(p.name for p in root.iterdir() if p.is_dir())
    if not class_names:
        raise ValueError(f"{root} has no subfolders; put each class's photos in its own folder.")
    exclude = {Path(k).as_posix(): v for k, v in (exclude or {}).items()}
    images, labels, paths, skipped = [], [], [], []
    height, width = image_size
    for label, name in enumerate(class_names):
        for path in sorted((root / name).iterdir()):
            if path.suffix.lower() not in _IMAGE_SUFFIXES:
                continue
            rel = path.relative_to(root).as_posix()
            if rel in exclude:
                skipped.append((path, exclude[rel]))
                continue
            try:
                pixels = load_image(path)
            except ImageLoadError as err:
                skipped.append((path, str(err)))
                continue
            images.append(photo_to_input(pixels, (height, width)))
            labels.append(label)
            paths.append(path)
    if verbose and skipped:
        print(f"Skipped {len(skipped)} file(s) in {root.parent.name}/{root.name}:")
        for path, why in skipped:
            print(f"  {path.relative_to(root)}: {why}")
    return ImageFolder(np.stack(images), np.array(labels), class_names, paths, skipped)


def load_hymenoptera(
    split: str = "train", image_size: tuple[int, int] = (224, 224), *, verbose: bool = True
) -> ImageFolder:
    """The ants-vs-bees photos (``split`` "train": 244 photos, "val": 153), fetched and verified.

    The original download has one file that is not a photo,
    ``train/ants/imageNotFound.gif``; it is skipped, with a note.

    Examples
    --------
    >>> val = load_hymenoptera("val", verbose=False)   # doctest: +SKIP
    >>> len(val), val.class_names                      # doctest: +SKIP
    (153, ['ants', 'bees'])
    """
    if split not in ("train", "val"):
        raise ValueError(f"split must be 'train' or 'val', got {split!r}.")
    folder = fetch("hymenoptera")
    resource = get_resource("hymenoptera")
    exclude = {k.split("/", 1)[1]: v for k, v in resource.exclude.items()
               if k.startswith(split + "/")}
    return load_image_folder(folder / split, image_size, exclude=exclude, verbose=verbose)
