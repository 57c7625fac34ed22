"""A library of named, hand-made kernels (the ones photo editors use).

``get_kernel("sobel_x")`` returns a fresh ``float32`` copy. In a trained
CNN the kernels are learned; these show what a single kernel can do.
"""

from __future__ import annotations

import numpy as np

from utils._validate import check_positive_int

__all__ = ["KERNELS", "list_kernels", "get_kernel", "gaussian_kernel", "circle_kernel"]


def gaussian_kernel(size: int = 5, sigma: float = 1.0) -> np.ndarray:
    """A normalised ``size×size`` Gaussian blur kernel (``size`` odd), summing to 1.

    Examples
    --------
    >>> k = gaussian_kernel(3, sigma=1.0)
    >>> k.shape, round(float(k.sum()), 6)
    ((3, 3), 1.0)
    """
    size = check_positive_int(size, name="size")
    if size % 2 == 0:
        raise ValueError(f"size must be odd so the kernel has a centre pixel, got {size}.")
    if sigma <= 0:
        raise ValueError(f"sigma must be positive, got {sigma}.")
    r = np.arange(size) - size // 2
    g = np.exp(-(r[:, None] ** 2 + r[None, :] ** 2) / (2 * sigma**2))
    return (g / g.sum()).astype(np.float32)


def circle_kernel(size: int = 7) -> np.ndarray:
    """A "circle detector": +1 on a ring, negative inside it, 0 in the corners; sums to 0.

    It answers strongly where a bright ring surrounds a dark centre (an eye's
    iris around its pupil) and about 0 on a flat area.

    Examples
    --------
    >>> circle_kernel(5)
    array([[ 0. ,  1. ,  1. ,  1. ,  0. ],
           [ 1. ,  1. , -3.2,  1. ,  1. ],
           [ 1. , -3.2, -3.2, -3.2,  1. ],
           [ 1. ,  1. , -3.2,  1. ,  1. ],
           [ 0. ,  1. ,  1. ,  1. ,  0. ]], dtype=float32)
    """
    size = check_positive_int(size, name="size", minimum=5)
    if size % 2 == 0:
        raise ValueError(f"size must be odd so the ring has a centre, got {size}.")
    r = np.arange(size) - size // 2
    dist = np.hypot(r[:, None], r[None, :])
    radius = size // 2
    ring = (dist > radius - 1.0) & (dist <= radius + 0.25)
    inside = dist <= radius - 1.0
    k = np.zeros((size, size), np.float32)
    k[ring] = 1.0
    k[inside] = -ring.sum() / inside.sum()
    return k


KERNELS: dict[str, np.ndarray] = {
    "identity": np.array([[0, 0, 0], [0, 1, 0], [0, 0, 0]]),
    "box_blur": np.full((3, 3), 1 / 9),
    "gaussian_blur": gaussian_kernel(3, 0.85),
    "sharpen": np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]]),
    "vertical_edge": np.array([[1, 0, -1], [1, 0, -1], [1, 0, -1]]),
    "horizontal_edge": np.array([[1, 1, 1], [0, 0, 0], [-1, -1, -1]]),
    "sobel_x": np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]]),
    "sobel_y": np.array([[1, 2, 1], [0, 0, 0], [-1, -2, -1]]),
    "laplacian": np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]]),
    "emboss": np.array([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]]),
    "circle": circle_kernel(7),
}


def list_kernels() -> list[str]:
    """Names :func:`get_kernel` accepts.

    Examples
    --------
    >>> 'sobel_x' in list_kernels()
    True
    """
    return list(KERNELS)


def get_kernel(name: str) -> np.ndarray:
    """Return the named kernel as a new ``float32`` array.

    Examples
    --------
    >>> get_kernel('sobel_x')
    array([[ 1.,  0., -1.],
           [ 2.,  0., -2.],
           [ 1.,  0., -1.]], dtype=float32)
    """
    try:
        return np.array(KERNELS[name], dtype=np.float32)
    except (KeyError, TypeError):
        raise ValueError(
            f"No kernel called {name!r}. Choose one of: {', '.join(list_kernels())}."
        ) from None
