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


def _windows(x: np.ndarray, size: int, stride: int | None, name: str) -> np.ndarray:
    x = check_image(x, name=name, channels=None)
    size = check_positive_int(size, name="size")
    stride = size if stride is None else check_positive_int(stride, name="stride")
    height, width = x.shape[:2]
    if size > min(height, width):
        raise ValueError(
            f"A {size}×{size} pooling window is larger than the {height}×{width} input; "
            f"use size <= {min(height, width)}."
        )
    # (H', W', [C,] size, size)
    return sliding_window_view(x, (size, size), axis=(0, 1))[::stride, ::stride]


def max_pool2d(x: np.ndarray, size: int = 2, stride: int | None = None) -> np.ndarray:
    """Keep the largest value of each ``size×size`` window (``stride`` defaults to ``size``)."""
    return _windows(x, size, stride, "feature map").max(axis=(-2, -1))


def avg_pool2d(x: np.ndarray, size: int = 2, stride: int | None = None) -> np.ndarray:
    """Average each ``size×size`` window (``stride`` defaults to ``size``)."""
    return _windows(x, size, stride, "feature map").mean(axis=(-2, -1))


def global_avg_pool(x: np.ndarray) -> np.ndarray:
    """Average each channel over all positions: ``H×W×C`` becomes a vector of ``C`` numbers."""
    x = check_image(x, name="feature map", ndims=(3,), channels=None)
    return x.mean(axis=(0, 1))


def global_max_pool(x: np.ndarray) -> np.ndarray:
    """Largest value of each channel: ``H×W×C`` becomes a vector of ``C`` numbers."""
    x = check_image(x, name="feature map", ndims=(3,), channels=None)
    return x.max(axis=(0, 1))
