"""The course's data layer: a registry of every download, verified fetching, loaders.

``fetch(name)`` returns a verified local path, downloading on first use;
``load_fashion_mnist()`` and ``load_hymenoptera()`` return arrays. For
workshops, ``python -m utils.data prefetch`` downloads everything once and
``python -m utils.data check`` verifies it.
"""

from utils.data.datasets import (
    FASHION_MNIST_CLASSES,
    ImageFolder,
    load_fashion_mnist,
    load_hymenoptera,
    load_image_folder,
)
from utils.data.download import (
    DataIntegrityError,
    DatasetUnavailableError,
    data_dir,
    fetch,
    fetch_group,
    keras_home,
    local_path,
    verify,
)
from utils.data.registry import REGISTRY, Resource, get_resource

__all__ = [
    "FASHION_MNIST_CLASSES",
    "REGISTRY",
    "DataIntegrityError",
    "DatasetUnavailableError",
    "ImageFolder",
    "Resource",
    "data_dir",
    "fetch",
    "fetch_group",
    "get_resource",
    "keras_home",
    "load_fashion_mnist",
    "load_hymenoptera",
    "load_image_folder",
    "local_path",
    "verify",
]
