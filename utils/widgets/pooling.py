"""The pooling explorer (Chapter 4): window, stride, max or average."""

from __future__ import annotations

import ipywidgets as w
import numpy as np

from utils._validate import check_image
from utils.activations import relu
from utils.pooling import avg_pool2d, max_pool2d
from utils.widgets._base import FigureWidget, cat_edges

__all__ = ["PoolingExplorer"]


class PoolingExplorer(FigureWidget):
    """Pool a feature map with a chosen window, stride and mode; compare sizes.

    ``output`` is the pooled map. The default feature map is the ReLU of a
    vertical-edge detector on the cat photo (96×144).

    Examples
    --------
    >>> explorer = PoolingExplorer(np.arange(16.0).reshape(4, 4))
    >>> explorer.output
    array([[ 5.,  7.],
           [13., 15.]], dtype=float32)
    >>> explorer.mode.value = "average"
    >>> explorer.output
    array([[ 2.5,  4.5],
           [10.5, 12.5]], dtype=float32)
    """

    def __init__(self, feature_map: np.ndarray | None = None) -> None:
        if feature_map is None:
            feature_map = relu(cat_edges((96, 144)))
        self.feature_map = check_image(feature_map, ndims=(2,)).astype(np.float32)
        self.size = w.IntSlider(value=2, min=1, max=8, description="window")
        self.stride = w.IntSlider(value=2, min=1, max=8, description="stride")
        self.mode = w.ToggleButtons(options=["max", "average"], value="max", description="mode")
        super().__init__([w.HBox([self.size, self.stride]), self.mode], figsize=(10, 3.6))
        self._observe(self.size, self.stride, self.mode)

    def _draw(self) -> None:
        self._ax_in, self._ax_out = self.figure.subplots(1, 2)
        vmax = float(self.feature_map.max()) or 1.0
        self._im_in = self._ax_in.imshow(self.feature_map, cmap="cividis", vmin=0, vmax=vmax)
        self._im_out = self._ax_out.imshow(self.feature_map, cmap="cividis", vmin=0, vmax=vmax)
        h, w_ = self.feature_map.shape
        self._ax_in.set_title(f"feature map {h}×{w_} = {h * w_:,} values")
        for ax in (self._ax_in, self._ax_out):
            ax.set_axis_off()

    def _refresh(self) -> None:
        pool = max_pool2d if self.mode.value == "max" else avg_pool2d
        self.output = pool(self.feature_map, self.size.value, self.stride.value)
        h, w_ = self.output.shape
        self._im_out.set_data(self.output)
        # keep the pooled map drawn at the input's size so the loss of detail shows
        H, W = self.feature_map.shape
        self._im_out.set_extent((-0.5, W - 0.5, H - 0.5, -0.5))
        kept = self.output.size / self.feature_map.size
        self._ax_out.set_title(f"{self.mode.value} pool {self.size.value}×{self.size.value}, "
                               f"stride {self.stride.value}: {h}×{w_} ({kept:.0%} of the values)")

    def _live(self) -> tuple[str, dict, str]:
        from utils.widgets.live import encode_float32

        h, w_ = self.feature_map.shape
        config = {"h": h, "w": w_, "values": encode_float32(self.feature_map),
                  "size": self.size.value, "stride": self.stride.value, "mode": self.mode.value}
        alt = (f"Pooling explorer: a {h}×{w_} feature map and its {self.mode.value} pooling with "
               f"a {self.size.value}×{self.size.value} window and stride {self.stride.value}.")
        return "pooling-explorer", config, alt
