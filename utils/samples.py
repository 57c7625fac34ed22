"""Sample photos that ship inside installed packages: no download, works offline.

``load_sample("cat")`` returns an ``H×W×3`` ``uint8`` array. Every sample
says where it comes from and under what terms, so a figure can credit it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

__all__ = ["Sample", "SAMPLES", "list_samples", "load_sample"]


@dataclass(frozen=True)
class Sample:
    """A photo bundled with a package.

    Examples
    --------
    >>> SAMPLES["cat"].source
    'scikit-image (skimage.data.chelsea)'
    """

    name: str
    description: str
    source: str
    licence: str
    loader: Callable[[], np.ndarray]


def _skimage(name: str) -> Callable[[], np.ndarray]:
    def load() -> np.ndarray:
        from skimage import data

        return getattr(data, name)()

    return load


def _sklearn(filename: str) -> Callable[[], np.ndarray]:
    def load() -> np.ndarray:
        from sklearn.datasets import load_sample_image

        return load_sample_image(filename)

    return load


def _matplotlib(filename: str) -> Callable[[], np.ndarray]:
    def load() -> np.ndarray:
        from matplotlib import cbook

        from utils.images import load_image

        with cbook.get_sample_data(filename) as f:
            return load_image(f)

    return load


SAMPLES: dict[str, Sample] = {
    s.name: s
    for s in [
        Sample("cat", "Chelsea the cat, 300×451", "scikit-image (skimage.data.chelsea)",
               "CC0 (Stefan van der Walt)", _skimage("chelsea")),
        Sample("astronaut", "Eileen Collins, NASA astronaut, 512×512",
               "scikit-image (skimage.data.astronaut)", "public domain (NASA)",
               _skimage("astronaut")),
        Sample("coffee", "A cup of coffee, 400×600", "scikit-image (skimage.data.coffee)",
               "CC0 (Rachel Michetti)", _skimage("coffee")),
        Sample("rocket", "A rocket on its launch pad, 427×640",
               "scikit-image (skimage.data.rocket)", "public domain (SpaceX)",
               _skimage("rocket")),
        Sample("china", "A Chinese temple, 427×640", "scikit-learn (load_sample_image)",
               "CC BY 2.0 (danielbuechele on Flickr)", _sklearn("china.jpg")),
        Sample("flower", "A close-up of a flower, 427×640", "scikit-learn (load_sample_image)",
               "CC BY 2.0 (vultilion on Flickr)", _sklearn("flower.jpg")),
        Sample("grace_hopper", "Rear Admiral Grace Hopper, 600×512",
               "matplotlib (cbook.get_sample_data)", "public domain (US Navy)",
               _matplotlib("grace_hopper.jpg")),
    ]
}


def list_samples() -> list[str]:
    """Return the names :func:`load_sample` accepts.

    Examples
    --------
    >>> "cat" in list_samples()
    True
    """
    return sorted(SAMPLES)


def load_sample(name: str) -> np.ndarray:
    """Return the bundled photo ``name`` as an ``H×W×3`` ``uint8`` array (a fresh copy).

    Examples
    --------
    >>> cat = load_sample("cat")
    >>> cat.shape, cat.dtype
    ((300, 451, 3), dtype('uint8'))
    """
    try:
        sample = SAMPLES[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"No sample called {name!r}. Choose one of: {', '.join(list_samples())}."
        ) from None
    image = np.asarray(sample.loader())
    if image.ndim == 2:  # grayscale sample: repeat into three equal channels
        image = np.stack([image] * 3, axis=-1)
    return np.ascontiguousarray(image[..., :3], dtype=np.uint8).copy()
