"""The pixel inspector (Chapter 1): read the numbers under a window on a photo."""

from __future__ import annotations

import ipywidgets as w
import numpy as np

from utils._validate import check_image, check_positive_int
from utils.plotting import HIGHLIGHT, cell_texts, draw_box, set_cell_texts
from utils.widgets._base import FigureWidget

__all__ = ["PixelInspector"]


class PixelInspector(FigureWidget):
    """Move a small window over a photo and read the numbers under it, per channel.

    ``row`` and ``col`` sliders place the window's top-left corner. The
    figure shows the photo with the window outlined and, for each channel,
    the window's values written on their cells. ``patch`` is the current
    ``size×size×3`` window.

    Examples
    --------
    >>> photo = np.arange(10 * 12 * 3, dtype=np.uint8).reshape(10, 12, 3)
    >>> inspector = PixelInspector(photo, size=4)
    >>> inspector.row.value, inspector.col.value = 2, 5
    >>> inspector.patch.shape, bool((inspector.patch == photo[2:6, 5:9]).all())
    ((4, 4, 3), True)
    """

    def __init__(self, image: np.ndarray, size: int = 8) -> None:
        image = check_image(image, ndims=(3,), channels=(3,), allow_float=False)
        if image.dtype != np.uint8:
            raise TypeError(
                f"PixelInspector shows 0–255 values; got dtype {image.dtype}. "
                "Pass a uint8 photo, e.g. from utils.load_sample('cat')."
            )
        size = check_positive_int(size, name="size")
        if size > 12:
            raise ValueError(f"size {size} is too large to read the numbers; pass at most 12.")
        height, width = image.shape[:2]
        if size > min(height, width):
            raise ValueError(f"size {size} is larger than the image ({height}×{width}).")
        self.image, self.size = image, size
        self.row = w.IntSlider(value=(height - size) // 2, min=0, max=height - size,
                               description="row", continuous_update=False)
        self.col = w.IntSlider(value=(width - size) // 2, min=0, max=width - size,
                               description="column", continuous_update=False)
        super().__init__([w.HBox([self.row, self.col])], figsize=(8, 7.4))
        self._observe(self.row, self.col)

    @property
    def patch(self) -> np.ndarray:
        """The ``size×size×3`` window currently under the box."""
        r, c, s = self.row.value, self.col.value, self.size
        return self.image[r:r + s, c:c + s]

    def _draw(self) -> None:
        s = self.size
        axes = self.figure.subplots(2, 2)  # two by two: legible on a phone
        photo_ax, channel_axes = axes[0, 0], axes.flat[1:]
        photo_ax.imshow(self.image)
        photo_ax.set_axis_off()
        photo_ax.set_title("photo")
        self._box = draw_box(photo_ax, 0, 0, s, s, color=HIGHLIGHT)
        zeros = np.zeros((s, s), dtype=np.uint8)
        self._cells, self._texts = [], []
        for ax, name in zip(channel_axes, ("red", "green", "blue")):
            self._cells.append(ax.imshow(zeros, cmap="gray", vmin=0, vmax=255))
            self._texts.append(cell_texts(ax, s, s, fontsize=10))
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_title(f"{name} channel")

    def _refresh(self) -> None:
        self._box.set_xy((self.col.value - 0.5, self.row.value - 0.5))
        patch = self.patch
        for ch, (cells, texts) in enumerate(zip(self._cells, self._texts)):
            values = patch[..., ch]
            cells.set_data(values)
            set_cell_texts(texts, values.astype(int), fmt="{:d}", light=values > 127)
