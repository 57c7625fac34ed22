"""Turning a photo's ``uint8`` array into what a network takes.

Float conversion, min-max normalisation, grayscale and resizing. The
chapters compute each of these by hand first; these helpers are the checked,
reusable versions (built on scikit-image where it already does the job).
"""

from __future__ import annotations

import numpy as np
from skimage import color, transform, util

from utils._validate import check_image, check_positive_int

__all__ = ["to_float", "minmax_normalize", "to_grayscale", "resize"]


def to_float(image: np.ndarray) -> np.ndarray:
    """Return ``image`` as ``float32`` in ``[0, 1]`` by dividing by its dtype's maximum.

    ``uint8`` 255 becomes 1.0, ``uint16`` 65535 becomes 1.0; a float image
    must already be in ``[0, 1]`` and is returned as ``float32``.
    """
    image = check_image(image)
    if image.dtype.kind == "f" and (image.min() < 0 or image.max() > 1):
        raise ValueError(
            f"A float image must already be in [0, 1], got values in "
            f"[{image.min():.3g}, {image.max():.3g}]. Use minmax_normalize(image) to rescale it."
        )
    if image.dtype.kind == "i" and image.min() < 0:
        raise ValueError("image has negative integers; pass unsigned pixel values (e.g. uint8).")
    return util.img_as_float32(image)


def minmax_normalize(image: np.ndarray) -> np.ndarray:
    """Rescale ``image`` linearly so its smallest value is 0 and its largest 1 (``float32``).

    ``(x - min) / (max - min)``, computed over the whole array (all channels
    together, so colours keep their balance). A constant image, which has no
    range to stretch, becomes all zeros.
    """
    image = check_image(image)
    x = image.astype(np.float32)
    low, high = x.min(), x.max()
    if high == low:
        return np.zeros_like(x)
    return (x - low) / (high - low)


def to_grayscale(image: np.ndarray) -> np.ndarray:
    """Return one brightness per pixel: ``float32`` ``H×W`` in ``[0, 1]``.

    Uses the ITU-R BT.709 luminance weights (0.2125 R + 0.7154 G + 0.0721 B),
    as ``skimage.color.rgb2gray`` does. A 2-D image is only converted to float.
    """
    image = check_image(image)
    if image.ndim == 2:
        return to_float(image)
    if image.shape[-1] == 1:
        return to_float(image[..., 0])
    return color.rgb2gray(to_float(image)).astype(np.float32)


def resize(image: np.ndarray, size: tuple[int, int] | int) -> np.ndarray:
    """Resize ``image`` to ``size = (height, width)`` (or a square ``size``), keeping its dtype.

    Smooths before shrinking (anti-aliasing) so that fine detail does not
    turn into noise. The aspect ratio is *not* kept: crop first if it matters.
    """
    image = check_image(image)
    if isinstance(size, (int, np.integer)) and not isinstance(size, bool):
        size = (size, size)
    if not isinstance(size, (tuple, list)) or len(size) != 2:
        raise TypeError(f"size must be (height, width) or one int, got {size!r}.")
    height = check_positive_int(size[0], name="height")
    width = check_positive_int(size[1], name="width")
    out_shape = (height, width) + image.shape[2:]
    source = image.astype(np.float32) if image.dtype == bool else image
    out = transform.resize(source, out_shape, order=1, anti_aliasing=True, preserve_range=True)
    if image.dtype == bool:
        return out >= 0.5
    if image.dtype.kind in "ui":
        info = np.iinfo(image.dtype)
        return np.clip(np.round(out), info.min, info.max).astype(image.dtype)
    return out.astype(image.dtype)
