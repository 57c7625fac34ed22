"""Pooling: shrinking a feature map by summarising each window (max or average).

Inputs are ``H×W`` or ``H×W×C`` (channels last); each channel is pooled on
its own. Windows that would stick out of the map are dropped, as with
Keras's default ``padding="valid"``.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from utils._validate import check_image, check_positive_int

__all__ = ["max_pool2d", "avg_pool2d", "global_avg_pool", "global_max_pool"]


def _pair(value: int | tuple[int, int], name: str) -> tuple[int, int]:
    """``3`` -> ``(3, 3)``; ``(2, 3)`` stays, each checked to be an int >= 1."""
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"{name} must be an int or (rows, columns), got {value!r}.")
        return (check_positive_int(value[0], name=name), check_positive_int(value[1], name=name))
    value = check_positive_int(value, name=name)
    return value, value


def _windows(
    x: np.ndarray, size: int | tuple[int, int], stride: int | tuple[int, int] | None, name: str
) -> np.ndarray:
    x = check_image(x, name=name, channels=None)
    rows, cols = _pair(size, "size")
    step = (rows, cols) if stride is None else _pair(stride, "stride")
    height, width = x.shape[:2]
    if rows > height or cols > width:
        raise ValueError(
            f"A {rows}×{cols} pooling window is larger than the {height}×{width} input; "
            f"use a window of at most {height}×{width}."
        )
    # (H', W', [C,] rows, cols)
    return sliding_window_view(x, (rows, cols), axis=(0, 1))[::step[0], ::step[1]]


def max_pool2d(
    x: np.ndarray, size: int | tuple[int, int] = 2, stride: int | tuple[int, int] | None = None
) -> np.ndarray:
    """Keep the largest value of each ``size×size`` window (``stride`` defaults to ``size``).

    ``size`` and ``stride`` may also be ``(rows, columns)`` pairs, as in Keras.

    Examples
    --------
    >>> x = np.array([[1, 3, 2, 1], [4, 6, 5, 0], [3, 1, 1, 2], [0, 2, 4, 3]])
    >>> max_pool2d(x)
    array([[6, 5],
           [3, 4]])
    """
    return _windows(x, size, stride, "feature map").max(axis=(-2, -1))


def avg_pool2d(
    x: np.ndarray, size: int | tuple[int, int] = 2, stride: int | tuple[int, int] | None = None
) -> np.ndarray:
    """Average each ``size×size`` (or ``(rows, columns)``) window; ``stride`` defaults to ``size``.

    Examples
    --------
    >>> x = np.array([[1, 3, 2, 1], [4, 6, 5, 0], [3, 1, 1, 2], [0, 2, 4, 3]])
    >>> avg_pool2d(x)
    array([[3.5, 2. ],
           [1.5, 2.5]])
    """
    return _windows(x, size, stride, "feature map").mean(axis=(-2, -1))


def global_avg_pool(x: np.ndarray) -> np.ndarray:
    """Average each channel over all positions: ``H×W×C`` becomes a vector of ``C`` numbers.

    Examples
    --------
    >>> maps = np.arange(8.0).reshape(2, 2, 2)   # 2×2 positions, 2 channels
    >>> global_avg_pool(maps)
    array([3., 4.])
    """
    x = check_image(x, name="feature map", ndims=(3,), channels=None)
    return x.mean(axis=(0, 1))


def global_max_pool(x: np.ndarray) -> np.ndarray:
    """Largest value of each channel: ``H×W×C`` becomes a vector of ``C`` numbers.

    Examples
    --------
    >>> maps = np.arange(8.0).reshape(2, 2, 2)
    >>> global_max_pool(maps)
    array([6., 7.])
    """
    x = check_image(x, name="feature map", ndims=(3,), channels=None)
    return x.max(axis=(0, 1))
