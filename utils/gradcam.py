"""Grad-CAM: where in the image does a CNN look when it predicts a class?

Split the network in two: ``features`` maps an image to its last
convolutional feature maps (``h×w×C``), ``head`` maps those maps to class
probabilities. Grad-CAM weights each map by how much the class score
increases with it (the average gradient over positions), sums the weighted
maps and keeps the positive part (Selvaraju et al., 2017).

The class score is the one *before* softmax (the logit), as in the paper: a
probability near 1 barely changes when a map changes (softmax saturates), so its
gradients, and the heatmap, would fade exactly for the most confident predictions.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from utils._models import class_scores
from utils._validate import check_image, check_positive_int

__all__ = ["grad_cam", "overlay_heatmap", "heat_share", "occlude", "occlusion_drop"]


def grad_cam(
    features: Callable, head: Callable, image: np.ndarray, class_index: int | None = None
) -> tuple[np.ndarray, int]:
    """Return ``(heatmap, class_index)`` for one preprocessed ``image`` (``H×W×C``).

    The heatmap has the feature maps' size, values in [0, 1] (all zeros if
    nothing speaks for the class). ``class_index`` defaults to the predicted
    class. The gradient is the class score's before the head's softmax (see the
    module docstring); a head without softmax is used as it is.

    Examples
    --------
    >>> heatmap, cls = grad_cam(conv_part, classifier, photo.astype("float32"))   # doctest: +SKIP
    >>> heatmap.shape, heatmap.max(), cls                                        # doctest: +SKIP
    ((7, 7), 1.0, 1)
    """
    import tensorflow as tf

    image = check_image(image, ndims=(3,), channels=None)
    batch = tf.convert_to_tensor(image[None], dtype=tf.float32)
    maps = features(batch, training=False)
    if len(maps.shape) != 4:
        raise ValueError(f"features must return feature maps (1×h×w×C), got shape {maps.shape}.")
    with tf.GradientTape() as tape:
        tape.watch(maps)
        scores = class_scores(head, maps)
        if class_index is None:
            class_index = int(tf.argmax(scores[0]))
        if not 0 <= class_index < scores.shape[-1]:
            raise ValueError(f"class_index must be in [0, {scores.shape[-1]}), got {class_index}.")
        score = scores[0, class_index]
    grads = tape.gradient(score, maps)[0]  # h×w×C
    weights = tf.reduce_mean(grads, axis=(0, 1))  # one weight per map
    cam = tf.nn.relu(tf.reduce_sum(maps[0] * weights, axis=-1)).numpy()
    peak = cam.max()
    return (cam / peak if peak > 0 else cam).astype(np.float32), class_index


def overlay_heatmap(image: np.ndarray, heatmap: np.ndarray, *, alpha: float = 0.45,
                    cmap: str = "inferno") -> np.ndarray:
    """Blend a [0, 1] heatmap (any size) over a ``uint8`` RGB image; returns ``uint8`` RGB.

    Examples
    --------
    >>> photo = np.zeros((224, 224, 3), np.uint8)
    >>> heat = np.zeros((7, 7)); heat[3, 3] = 1.0
    >>> overlay_heatmap(photo, heat).shape
    (224, 224, 3)
    """
    import matplotlib as mpl

    from utils.preprocess import _resize

    image = check_image(image, ndims=(3,), channels=(3,), allow_float=False)
    heatmap = check_image(heatmap, name="heatmap", ndims=(2,))
    if not 0 <= alpha <= 1:
        raise ValueError(f"alpha must be between 0 and 1, got {alpha}.")
    h, w = image.shape[:2]
    big = np.clip(_resize(heatmap.astype(np.float32), (h, w)), 0, 1)  # both already checked
    colours = mpl.colormaps[cmap](big)[..., :3] * 255
    return np.clip((1 - alpha) * image + alpha * colours, 0, 255).astype(np.uint8)


def _band_edges(size: int, bands: int) -> np.ndarray:
    """Where ``bands`` near-equal bands of ``size`` pixels start (and the last ends): the grid
    a ``bands``-cell heatmap cuts an image into, shared by :func:`occlude` and :func:`heat_share`."""
    return np.arange(bands + 1) * size // bands


def heat_share(heatmap: np.ndarray, box: tuple[int, int, int, int],
               image_shape: tuple[int, ...]) -> float:
    """The share of a heatmap's heat that falls inside ``box`` of the image.

    ``box`` is ``(top, left, bottom, right)`` in pixels of an image of
    ``image_shape`` (rows and columns first), bottom and right excluded. The
    heatmap's cells cover equal blocks of the image (the grid of
    :func:`occlude`); a result well above the box's share of the image's area says the map
    points at what is in the box. An all-zero heatmap gives 0.

    Examples
    --------
    >>> heat = np.zeros((7, 7)); heat[6, :] = 1.0         # all heat on the bottom row
    >>> heat_share(heat, (192, 0, 224, 224), (224, 224, 3))
    1.0
    >>> heat_share(np.ones((7, 7)), (192, 0, 224, 224), (224, 224, 3))   # spread evenly: the box's area
    0.142857...
    """
    heatmap = check_image(heatmap, name="heatmap", ndims=(2,))
    if len(image_shape) < 2 or not all(isinstance(v, (int, np.integer)) and v > 0
                                       for v in image_shape[:2]):
        raise ValueError(f"image_shape must start with the image's rows and columns, e.g. "
                         f"photo.shape, got {image_shape!r}.")
    rows, cols = int(image_shape[0]), int(image_shape[1])
    if (len(box) != 4 or not all(isinstance(v, (int, np.integer)) for v in box)
            or not (0 <= box[0] < box[2] <= rows and 0 <= box[1] < box[3] <= cols)):
        raise ValueError(f"box must be (top, left, bottom, right) pixels with top < bottom <= "
                         f"{rows} and left < right <= {cols}, got {box!r}.")
    if heatmap.min() < 0:
        raise ValueError("heatmap has negative values; pass a Grad-CAM map (values in [0, 1]).")
    h, w = heatmap.shape
    cell_rows = np.repeat(np.arange(h), np.diff(_band_edges(rows, h)))  # each pixel's cell
    cell_cols = np.repeat(np.arange(w), np.diff(_band_edges(cols, w)))
    big = heatmap.astype(np.float64)[cell_rows][:, cell_cols]
    total = float(big.sum())
    top, left, bottom, right = (int(v) for v in box)
    return float(big[top:bottom, left:right].sum() / total) if total > 0 else 0.0


def occlude(image: np.ndarray, cell: tuple[int, int], grid: int | tuple[int, int], *,
            fill: float = 128) -> np.ndarray:
    """A copy of ``image`` with one cell of a ``grid`` (rows, columns) filled with ``fill``.

    The image is cut into ``grid`` equal bands each way (as a ``h×w`` Grad-CAM
    map cuts it); ``cell = (row, col)`` picks one. Covering the cell a heatmap
    marks hottest and seeing the prediction fall is how to test what the map
    claims.

    Examples
    --------
    >>> import numpy as np
    >>> occlude(np.zeros((4, 4), np.uint8), (0, 1), 2, fill=9)
    array([[0, 0, 9, 9],
           [0, 0, 9, 9],
           [0, 0, 0, 0],
           [0, 0, 0, 0]], dtype=uint8)
    """
    image = check_image(image, channels=None)
    rows, cols = (grid, grid) if isinstance(grid, (int, np.integer)) else tuple(grid)
    rows = check_positive_int(rows, name="grid rows")
    cols = check_positive_int(cols, name="grid columns")
    if rows > image.shape[0] or cols > image.shape[1]:
        raise ValueError(f"grid {rows}×{cols} is finer than the {image.shape[0]}×{image.shape[1]} "
                         f"image; pass a grid of at most its size.")
    if (not isinstance(cell, (tuple, list)) or len(cell) != 2
            or not all(isinstance(v, (int, np.integer)) for v in cell)):
        raise TypeError(f"cell must be (row, col) integers, got {cell!r}.")
    r, c = int(cell[0]), int(cell[1])
    if not (0 <= r < rows and 0 <= c < cols):
        raise ValueError(f"cell {(r, c)} is outside the {rows}×{cols} grid; rows go 0..{rows - 1}, "
                         f"columns 0..{cols - 1}.")
    top, bottom = _band_edges(image.shape[0], rows)[r:r + 2]
    left, right = _band_edges(image.shape[1], cols)[c:c + 2]
    out = image.copy()
    out[top:bottom, left:right] = fill
    return out


def occlusion_drop(predict: Callable[[np.ndarray], np.ndarray], image: np.ndarray,
                   cell: tuple[int, int], grid: int | tuple[int, int], class_index: int, *,
                   fill: float = 128) -> float:
    """How much class ``class_index``'s probability falls when ``cell`` is covered.

    ``predict`` maps a batch ``1×H×W×C`` to probabilities ``1×classes`` (e.g.
    ``model.predict``). Positive: the covered region was evidence for the
    class; negative: it spoke against it. See :func:`occlude` for ``grid``.

    Examples
    --------
    >>> import numpy as np
    >>> brightness = lambda batch: batch.mean(axis=(1, 2, 3))[:, None] / 255
    >>> round(occlusion_drop(brightness, np.full((4, 4, 3), 255.0), (0, 0), 2, 0, fill=0), 2)
    0.25
    """
    image = check_image(image, channels=None)
    before = np.asarray(predict(image[None].astype(np.float32)))
    if before.ndim != 2 or not 0 <= class_index < before.shape[1]:
        raise ValueError(f"predict returned shape {before.shape}; class_index must pick one of "
                         f"its columns (0..{before.shape[-1] - 1}), got {class_index}.")
    after = np.asarray(predict(occlude(image, cell, grid, fill=fill)[None].astype(np.float32)))
    return float(before[0, class_index] - after[0, class_index])
