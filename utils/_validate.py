"""Input checks shared by every module.

Each check raises an error that says what was wrong *and* what to pass
instead, because the people calling these helpers are learners.
"""

from __future__ import annotations

import math

from collections.abc import Iterable

import numpy as np

__all__ = ["check_image", "check_positive_int", "check_in_range"]


def _describe(x: object) -> str:
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape} and dtype {x.dtype}"
    return f"a {type(x).__name__}"


def check_image(
    image: object,
    *,
    name: str = "image",
    ndims: Iterable[int] = (2, 3),
    channels: Iterable[int] | None = (1, 3),
    allow_float: bool = True,
) -> np.ndarray:
    """Return ``image`` as a numpy array after checking it looks like an image.

    An image is ``H×W`` (grayscale) or ``H×W×C`` with ``C`` in ``channels``
    (``None``: any number of channels, as for feature maps),
    of an integer dtype, a float dtype (if ``allow_float``) or bool. Raises
    ``TypeError`` for a non-array or an unusable dtype and ``ValueError`` for
    a wrong shape, an empty image or non-finite values.

    Examples
    --------
    >>> check_image([[0, 255], [255, 0]]).shape
    (2, 2)
    >>> check_image(np.zeros((3, 32, 32)))
    Traceback (most recent call last):
    ...
    ValueError: image must be H×W or H×W×C with C in [1, 3], got shape (3, 32, 32). It looks channels-first: pass np.moveaxis(image, 0, -1).
    """
    ndims = tuple(ndims)
    channels = None if channels is None else tuple(channels)
    if not isinstance(image, np.ndarray):
        if isinstance(image, (list, tuple)):
            image = np.asarray(image)
        else:
            raise TypeError(
                f"{name} must be a numpy array, got {_describe(image)}. "
                "Load a photo with utils.load_image(path) or utils.load_sample(name)."
            )
    if image.ndim not in ndims or (
        image.ndim == 3 and channels is not None and image.shape[-1] not in channels
    ):
        wanted = " or ".join(
            "H×W" if n == 2 else "H×W×C" + (f" with C in {list(channels)}" if channels else "")
            for n in ndims
        )
        hint = ""
        if image.ndim == 4:
            hint = " It looks like a batch: pass one image, e.g. batch[0]."
        elif image.ndim == 3 and channels and image.shape[0] in channels:
            hint = " It looks channels-first: pass np.moveaxis(image, 0, -1)."
        elif image.ndim == 3 and channels and image.shape[-1] == 4:
            hint = " It has an alpha channel: pass image[..., :3]."
        raise ValueError(f"{name} must be {wanted}, got shape {image.shape}.{hint}")
    if image.size == 0:
        raise ValueError(f"{name} is empty (shape {image.shape}); pass an image with pixels in it.")
    kind = image.dtype.kind
    if kind == "f":
        if not allow_float:
            raise TypeError(
                f"{name} must hold integers (e.g. uint8 0–255), got {image.dtype}. "
                "Pass the image before converting it to float."
            )
        if not np.isfinite(image).all():
            raise ValueError(f"{name} contains NaN or infinite values; pass finite numbers.")
    elif kind not in "uib":
        raise TypeError(
            f"{name} must have a numeric dtype (uint8, float32, ...), got {image.dtype}."
        )
    return image


def check_positive_int(value: object, *, name: str, minimum: int = 1) -> int:
    """Return ``value`` as an ``int`` after checking it is an integer ``>= minimum``.

    Examples
    --------
    >>> check_positive_int(3, name='stride')
    3
    """
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an integer, got {value!r} ({type(value).__name__}).")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}.")
    return int(value)


def check_in_range(value: float, *, name: str, low: float, high: float) -> float:
    """Return ``value`` after checking ``low <= value <= high``.

    Examples
    --------
    >>> check_in_range(0.5, name='alpha', low=0, high=1)
    0.5
    """
    if not low <= value <= high:
        raise ValueError(f"{name} must be between {low} and {high}, got {value}.")
    return value


def check_finite(array: np.ndarray, *, name: str, what: str = "numbers") -> np.ndarray:
    """Return ``array`` after checking it holds no NaN or ±inf (says where the first one is)."""
    bad = ~np.isfinite(array)
    if bad.any():
        where = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(f"{name} contains {array[where]} at index {where}; pass finite {what} "
                         "(a NaN or infinity would turn every result it touches into NaN).")
    return array


#: The most memory one array the course's NumPy helpers make may take (Binder's cap is 2 GB).
MAX_ARRAY_BYTES = 1 << 30


def check_array_size(shape: tuple[int, ...], dtype: np.dtype, *, name: str, hint: str) -> None:
    """Refuse, before allocating, an array larger than :data:`MAX_ARRAY_BYTES`."""
    nbytes = math.prod(shape) * np.dtype(dtype).itemsize
    if nbytes > MAX_ARRAY_BYTES:
        raise ValueError(f"{name} would be {'×'.join(map(str, shape))} {np.dtype(dtype)} values "
                         f"({_human(nbytes)}), more than the {_human(MAX_ARRAY_BYTES)} allowed; {hint}")


def _human(nbytes: int) -> str:
    for unit in ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if nbytes < 1024 or unit == "PiB":
            return f"{nbytes:.0f} {unit}" if unit == "bytes" else f"{nbytes:.1f} {unit}"
        nbytes /= 1024
    return f"{nbytes:.1f} PiB"


def check_numbers(value: object, *, name: str) -> np.ndarray:
    """Return ``value`` (an array, a list or a number) as a numeric numpy array."""
    array = np.asarray(value)
    if array.dtype.kind not in "uifb":
        raise TypeError(f"{name} must hold numbers, got {_describe(value)}"
                        + (f" of dtype {array.dtype}" if not isinstance(value, np.ndarray) else "")
                        + "; pass a numpy array of numbers.")
    return array
