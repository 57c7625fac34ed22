"""Turning a photo's ``uint8`` array into what a network takes.

Float conversion, min-max normalisation, grayscale and resizing. The
chapters compute each of these by hand first; these helpers are the checked,
reusable versions (built on scikit-image and Pillow where they already do the job).
:func:`photo_to_input` is the one path from a photo to a network's input.
"""

from __future__ import annotations

import numpy as np
from PIL import Image
from skimage import color, util

from utils._validate import check_image, check_positive_int

__all__ = ["to_float", "minmax_normalize", "to_grayscale", "resize", "photo_to_input"]


def to_float(image: np.ndarray) -> np.ndarray:
    """Return ``image`` as ``float32`` in ``[0, 1]`` by dividing by its dtype's maximum.

    ``uint8`` 255 becomes 1.0, ``uint16`` 65535 becomes 1.0; a float image
    must already be in ``[0, 1]`` and is returned as ``float32``.

    Examples
    --------
    >>> to_float(np.array([[0, 128, 255]], np.uint8))
    array([[0.       , 0.5019608, 1.       ]], dtype=float32)
    """
    return _unit_float(check_image(image))


def _unit_float(image: np.ndarray) -> np.ndarray:
    """:func:`to_float` for an image that is already checked."""
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

    Examples
    --------
    >>> minmax_normalize(np.array([[2.0, 4.0, 6.0]]))
    array([[0. , 0.5, 1. ]], dtype=float32)
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

    Examples
    --------
    >>> to_grayscale(np.array([[[255, 0, 0], [255, 255, 255]]], np.uint8)).round(4)
    array([[0.2125, 1.    ]], dtype=float32)
    """
    image = check_image(image)
    if image.ndim == 2:
        return _unit_float(image)
    if image.shape[-1] == 1:
        return _unit_float(image[..., 0])
    return color.rgb2gray(_unit_float(image)).astype(np.float32)


def resize(image: np.ndarray, size: tuple[int, int] | int) -> np.ndarray:
    """Resize ``image`` to ``size = (height, width)`` (or a square ``size``), keeping its dtype.

    Bilinear interpolation with Pillow, which widens its filter when it shrinks
    (anti-aliasing) so that fine detail does not turn into noise. This is the
    course's only resize of a photo: the data loader, the upload widget and
    :func:`photo_to_input` all call it. The aspect ratio is *not* kept: crop
    first if it matters.

    Examples
    --------
    >>> import numpy as np
    >>> resize(np.zeros((300, 451, 3), np.uint8), (224, 224)).shape
    (224, 224, 3)
    >>> resize(np.ones((4, 4), np.float32), 2)
    array([[1., 1.],
           [1., 1.]], dtype=float32)
    """
    return _resize(check_image(image), _size(size))


def _size(size: tuple[int, int] | int) -> tuple[int, int]:
    """``(height, width)`` from a pair or one int, checked."""
    if isinstance(size, (int, np.integer)) and not isinstance(size, bool):
        size = (size, size)
    if not isinstance(size, (tuple, list)) or len(size) != 2:
        raise TypeError(f"size must be (height, width) or one int, got {size!r}.")
    return check_positive_int(size[0], name="height"), check_positive_int(size[1], name="width")


def _resize(image: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """:func:`resize` for an image and a size that are already checked."""
    height, width = size
    if image.dtype == np.uint8 and (image.ndim == 2 or image.shape[-1] in (1, 3)):
        squeeze = image.ndim == 3 and image.shape[-1] == 1
        source = image[..., 0] if squeeze else image
        out = np.asarray(Image.fromarray(source).resize((width, height), Image.Resampling.BILINEAR))
        return out[..., None] if squeeze else out
    planes = image.astype(np.float32)
    planes = planes[..., None] if image.ndim == 2 else planes
    out = np.stack([np.asarray(Image.fromarray(np.ascontiguousarray(planes[..., c]), mode="F")
                               .resize((width, height), Image.Resampling.BILINEAR))
                    for c in range(planes.shape[-1])], axis=-1)
    out = out[..., 0] if image.ndim == 2 else out
    if image.dtype == bool:
        return out >= 0.5
    if image.dtype.kind in "ui":
        info = np.iinfo(image.dtype)
        return np.clip(np.round(out), info.min, info.max).astype(image.dtype)
    return out.astype(image.dtype)


def photo_to_input(image: np.ndarray, size: tuple[int, int] | int = (224, 224)) -> np.ndarray:
    """A photo as a network takes it: ``uint8`` RGB ``size[0]×size[1]×3``.

    The one path from a photo to a network's input, used by the data loader,
    the upload widget, Grad-CAM and the chapters, so that what a model is
    trained on and what it is later shown are made the same way. A grayscale
    photo is repeated into three channels, a float photo in ``[0, 1]`` is
    scaled to 0–255, and the result is resized with :func:`resize`. Scaling
    to the network's own range (e.g. ``[-1, 1]`` for MobileNetV2) is the
    model's first layer, not a step here.

    Examples
    --------
    >>> import numpy as np
    >>> photo_to_input(np.zeros((300, 451), np.uint8)).shape
    (224, 224, 3)
    >>> photo_to_input(np.ones((10, 10, 3), np.float32), 5)[0, 0]
    array([255, 255, 255], dtype=uint8)
    """
    image, size = check_image(image, name="photo"), _size(size)
    if image.dtype != np.uint8:
        image = np.round(_unit_float(image) * 255).astype(np.uint8)
    if image.ndim == 2:
        image = image[..., None]
    if image.shape[-1] == 1:
        image = np.repeat(image, 3, axis=-1)
    return _resize(image, size)
