"""Every dataset and weight file the course uses: where it comes from and how to verify it.

The project never ships these files. It knows their names, official URLs,
checksums, sizes and licences; learners' machines download them once
(``python -m utils.data prefetch``) and verify them on every use.

Two kinds of resources:

- ``keras``: files Keras itself downloads (datasets, ImageNet weights). They
  live in Keras's cache, ``$KERAS_HOME/<keras_subdir>`` (default
  ``~/.keras``), so Keras finds them and nothing is stored twice.
- ``course``: archives the course unpacks into its own data folder
  (``$P2P_DATA_DIR``). An archive without a published checksum is verified
  file by file against a manifest of SHA-256 sums shipped with the package.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources as _resources

__all__ = ["Resource", "REGISTRY", "get_resource", "load_manifest"]

_KERAS_DATASETS = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
_KERAS_APPS = "https://storage.googleapis.com/tensorflow/keras-applications/"


@dataclass(frozen=True)
class Resource:
    """One downloadable file or archive.

    Examples
    --------
    >>> r = get_resource("hymenoptera")
    >>> r.kind, r.filename
    ('course', 'hymenoptera_data.zip')
    """

    name: str
    kind: str  # "keras" or "course"
    url: str
    filename: str
    size_bytes: int  # of the file; for a course folder, of its unpacked files
    licence: str
    purpose: str
    sha256: str | None = None  # of the file or archive as downloaded
    keras_subdir: str | None = None  # for kind "keras": folder inside KERAS_HOME
    folder: str | None = None  # for kind "course": folder the archive unpacks to
    manifest: str | None = None  # for kind "course": manifest file in utils/data/manifests
    exclude: dict[str, str] = field(default_factory=dict)  # relative path -> why it is skipped
    group: str = ""  # resources fetched together (e.g. the four Fashion-MNIST files)


def _fashion(filename: str, sha256: str, size: int) -> Resource:
    return Resource(
        name=f"fashion-mnist/{filename}", kind="keras", url=_KERAS_DATASETS + filename,
        filename=filename, sha256=sha256, size_bytes=size, keras_subdir="datasets/fashion-mnist",
        licence="MIT (Zalando SE)", purpose="Chapter 6: training a first CNN",
        group="fashion-mnist",
    )


def _weights(subdir: str, filename: str, sha256: str, size: int, purpose: str) -> Resource:
    return Resource(
        name=f"weights/{filename}", kind="keras", url=_KERAS_APPS + subdir + "/" + filename,
        filename=filename, sha256=sha256, size_bytes=size, keras_subdir="models",
        licence="as published with Keras Applications (Apache 2.0)", purpose=purpose,
        group="imagenet-weights",
    )


REGISTRY: dict[str, Resource] = {
    r.name: r
    for r in [
        _fashion("train-labels-idx1-ubyte.gz",
                 "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845", 29_515),
        _fashion("train-images-idx3-ubyte.gz",
                 "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84", 26_421_880),
        _fashion("t10k-labels-idx1-ubyte.gz",
                 "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5", 5_148),
        _fashion("t10k-images-idx3-ubyte.gz",
                 "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073", 4_422_102),
        _weights("mobilenet_v2", "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_224_no_top.h5",
                 "df1c3db1d0d9193719c4c70f707c56f7021f999f825bdc57454c275cf6def19f", 2_019_640,
                 "Chapters 7-8: MobileNetV2 (alpha 0.35) backbone, ImageNet weights"),
        _weights("mobilenet_v2", "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.5_224_no_top.h5",
                 "279052de2cfa801003aa6cc25cc4d007d35dd0b76f06935268c79788b7642d05", 3_201_480,
                 "Chapters 7-8: MobileNetV2 (alpha 0.5) backbone, ImageNet weights"),
        _weights("mobilenet", "mobilenet_2_5_224_tf_no_top.h5",
                 "dbdb03ee2a22fd895301636cd328b234bb3a9952358f436d82f46b81e0d5b0bf", 2_108_140,
                 "Chapter 7: MobileNet v1 (alpha 0.25), a smaller comparison"),
        Resource(
            name="imagenet_class_index.json", kind="keras",
            url="https://storage.googleapis.com/download.tensorflow.org/data/imagenet_class_index.json",
            filename="imagenet_class_index.json",
            sha256="a1e7a966a1f601d39e4b43e119b3e7dd4a2ad3ea08cf69847cbaf021013767bc",
            size_bytes=35_363, keras_subdir="models", licence="as published with Keras",
            purpose="Chapter 7: the names of ImageNet's 1000 classes", group="imagenet-weights",
        ),
        Resource(
            name="hymenoptera", kind="course",
            url="https://download.pytorch.org/tutorial/hymenoptera_data.zip",
            filename="hymenoptera_data.zip", size_bytes=47_422_788, folder="hymenoptera_data",
            manifest="hymenoptera_data.sha256",
            licence="photos from ImageNet; for research and teaching",
            purpose="Chapter 8: ants vs bees for transfer learning (244 train / 153 val photos; "
                    "the download has 245 train files, one a placeholder graphic)",
            exclude={"train/ants/imageNotFound.gif":
                     "a placeholder 'image not found' graphic in the original download, "
                     "not a photo of an ant"},
        ),
    ]
}


def get_resource(name: str) -> Resource:
    """The registry entry called ``name``; an unknown name raises ``ValueError``, as in
    :func:`utils.load_sample` and :func:`utils.kernels.get_kernel`.

    Examples
    --------
    >>> get_resource("hymenoptera").filename
    'hymenoptera_data.zip'
    """
    try:
        return REGISTRY[name]
    except (KeyError, TypeError):
        raise ValueError(f"No resource called {name!r}; pass one of: {', '.join(REGISTRY)}.") from None


def load_manifest(resource: Resource) -> dict[str, str]:
    """Relative path -> SHA-256 for every file a ``course`` folder must contain.

    Examples
    --------
    >>> manifest = load_manifest(get_resource("hymenoptera"))
    >>> len(manifest), sorted(manifest)[0]
    (398, 'train/ants/0013035.jpg')
    """
    if resource.manifest is None:
        raise ValueError(f"{resource.name} has no manifest.")
    text = _resources.files("utils.data").joinpath("manifests", resource.manifest).read_text()
    manifest = {}
    for line in text.splitlines():
        if line.strip():
            digest, path = line.split(maxsplit=1)
            manifest[path.strip()] = digest
    return manifest
