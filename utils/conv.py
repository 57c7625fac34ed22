"""2-D convolution as CNNs compute it: cross-correlation, vectorised with NumPy.

Like Keras's ``Conv2D`` (and unlike the "flipped" convolution of signal
processing), the kernel is *not* flipped: each output value is the dot
product of the kernel with the window of the input under it.

Shapes (channels last, as in Keras):

==============  =============  ===========
image           kernel         output
==============  =============  ===========
``H×W``         ``k×k``        ``H'×W'``
``H×W×C``       ``k×k×C``      ``H'×W'``
``H×W``         ``k×k×F``      ``H'×W'×F``
``H×W×C``       ``k×k×C×F``    ``H'×W'×F``
==============  =============  ===========

A kernel with one more axis than the image is a stack of ``F`` filters.
"""

from __future__ import annotations

import math
from typing import Literal, Union

import numpy as np

from utils._validate import check_array_size, check_finite, check_image, check_positive_int

__all__ = ["output_size", "same_padding", "pad_image", "conv2d"]

Padding = Union[Literal["valid", "same"], int]


def output_size(n: int, k: int, stride: int = 1, padding: int = 0) -> int:
    """The output length of a convolution along one axis: ``⌊(n + 2p − k) / s⌋ + 1``.

    ``n`` input length, ``k`` kernel size, ``stride`` s, ``padding`` p zeros
    added on each side.

    Examples
    --------
    >>> output_size(7, 3)
    5
    >>> output_size(7, 3, stride=2, padding=1)
    4
    """
    n, k = check_positive_int(n, name="n"), check_positive_int(k, name="k")
    stride = check_positive_int(stride, name="stride")
    padding = check_positive_int(padding, name="padding", minimum=0)
    if k > n + 2 * padding:
        raise ValueError(
            f"A kernel of size {k} does not fit an input of size {n} with padding {padding}; "
            f"use a kernel of at most {n + 2 * padding} or more padding."
        )
    return (n + 2 * padding - k) // stride + 1


def same_padding(n: int, k: int, stride: int = 1) -> tuple[int, int]:
    """Zeros to add (before, after) for Keras's ``padding="same"``: output ``⌈n / s⌉``.

    When the total is odd the extra zero goes after (bottom/right), as in
    TensorFlow.

    Examples
    --------
    >>> same_padding(7, 3)
    (1, 1)
    >>> same_padding(8, 4, stride=2)
    (1, 1)
    """
    out = math.ceil(n / stride)
    total = max((out - 1) * stride + k - n, 0)
    return total // 2, total - total // 2


def _check_padding(padding: Padding) -> Padding:
    if isinstance(padding, str):
        if padding not in ("valid", "same"):
            raise ValueError(f"padding must be 'valid', 'same' or an int >= 0, got {padding!r}.")
        return padding
    return check_positive_int(padding, name="padding", minimum=0)


def pad_image(image: np.ndarray, k: int, stride: int, padding: Padding) -> np.ndarray:
    """Zero-pad the two spatial axes of ``image`` as ``conv2d`` does for ``padding``.

    Examples
    --------
    >>> pad_image(np.ones((2, 2)), k=3, stride=1, padding=1)
    array([[0., 0., 0., 0.],
           [0., 1., 1., 0.],
           [0., 1., 1., 0.],
           [0., 0., 0., 0.]])
    """
    padding = _check_padding(padding)
    if padding == "valid" or padding == 0:
        return image
    if padding == "same":
        rows = same_padding(image.shape[0], k, stride)
        cols = same_padding(image.shape[1], k, stride)
    else:
        rows = cols = (padding, padding)
    return np.pad(image, [rows, cols] + [(0, 0)] * (image.ndim - 2))


def conv2d(
    image: np.ndarray, kernel: np.ndarray, *, stride: int = 1, padding: Padding = "valid"
) -> np.ndarray:
    """Slide ``kernel`` over ``image`` and return the map of dot products (cross-correlation).

    ``stride`` is the step between windows; ``padding`` is ``"valid"`` (no
    padding: the output shrinks), ``"same"`` (Keras's rule: output
    ``⌈n / stride⌉``) or an int (that many zeros on every side). Float
    inputs keep their precision; integer inputs give ``float64``.

    A kernel with NaN or ±inf raises ``ValueError`` (as an image with them
    does), and so does a padding whose padded image would take more than
    1 GiB, before anything is allocated.

    Examples
    --------
    >>> image = np.arange(16.0).reshape(4, 4)
    >>> conv2d(image, np.ones((3, 3)) / 9)
    array([[ 5.,  6.],
           [ 9., 10.]])
    >>> conv2d(image, np.ones((3, 3)), padding='same').shape
    (4, 4)
    """
    image = check_image(image, channels=None)
    kernel = np.asarray(kernel)
    if kernel.dtype.kind not in "uifb":
        raise TypeError(f"kernel must hold numbers, got dtype {kernel.dtype}.")
    check_finite(kernel, name="kernel", what="weights")
    stride = check_positive_int(stride, name="stride")
    padding = _check_padding(padding)

    stacked = kernel.ndim == image.ndim + 1
    if kernel.ndim not in (image.ndim, image.ndim + 1):
        raise ValueError(
            f"A {image.ndim}-D image needs a {image.ndim}-D kernel (one filter) or a "
            f"{image.ndim + 1}-D kernel (a stack of filters); got kernel shape {kernel.shape}."
        )
    if kernel.shape[0] != kernel.shape[1]:
        raise ValueError(f"kernel must be square (k×k), got {kernel.shape[0]}×{kernel.shape[1]}.")
    if image.ndim == 3 and kernel.shape[2] != image.shape[2]:
        raise ValueError(
            f"The image has {image.shape[2]} channels but the kernel has {kernel.shape[2]}: "
            f"a kernel for this image must be k×k×{image.shape[2]}."
        )
    k = kernel.shape[0]
    pads = 0 if padding == "same" else (0 if padding == "valid" else padding)
    for n in image.shape[:2]:
        if padding == "same":
            continue
        output_size(n, k, stride, pads)  # raises if the kernel does not fit

    dtype = np.result_type(image.dtype, kernel.dtype, np.float32)
    if isinstance(padding, int) and padding:
        padded = (image.shape[0] + 2 * padding, image.shape[1] + 2 * padding, *image.shape[2:])
        check_array_size(padded, dtype, name=f"The image padded with {padding} zeros",
                         hint=f"use padding='same' or a padding of at most {k - 1} (more only "
                              "adds rings of zeros to the output).")
    x = pad_image(image.astype(dtype, copy=False), k, stride, padding)
    # Work in one layout: image H×W×C, kernel k×k×C×F.
    single = not stacked
    if image.ndim == 2:
        x = x[..., None]
        kernel = kernel[:, :, None] if stacked else kernel[:, :, None, None]
    elif single:
        kernel = kernel[..., None]
    w = kernel.astype(dtype, copy=False)
    out_h = (x.shape[0] - k) // stride + 1
    out_w = (x.shape[1] - k) // stride + 1
    out = np.zeros((out_h, out_w, w.shape[-1]), dtype=dtype)
    # Every output cell is sum over (a, b, c) of window[a, b, c] * w[a, b, c, f]. Instead of
    # visiting the cells one by one, visit the k×k kernel offsets: for offset (a, b) the
    # pixels under it, for all cells at once, are a strided slice of the image.
    for a in range(k):
        for b in range(k):
            under = x[a:a + stride * (out_h - 1) + 1:stride, b:b + stride * (out_w - 1) + 1:stride]
            if under.shape[-1] == 1 and w.shape[-1] == 1:
                out += under * w[a, b, 0, 0]
            else:
                out += under @ w[a, b]
    return out[..., 0] if single else out
