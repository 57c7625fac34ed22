"""The ReLU explorer (Chapter 3): a bias slider on an edge map; negatives become zero."""

from __future__ import annotations

import ipywidgets as w
import numpy as np

from utils._validate import check_image
from utils.activations import relu
from utils.widgets._base import FigureWidget, cat_edges

__all__ = ["ReluExplorer"]


class ReluExplorer(FigureWidget):
    """Add a bias to an edge detector's response and apply ReLU.

    Left: the response plus ``bias`` (orange positive, purple negative);
    right: after ReLU, where everything negative is 0. ``pre``, ``post`` and
    ``fraction_zero`` hold the current arrays and share of zeros.

    Examples
    --------
    >>> explorer = ReluExplorer(np.linspace(-1, 1, 100).reshape(10, 10))
    >>> explorer.fraction_zero
    0.5
    >>> explorer.bias.value = -0.5
    >>> explorer.fraction_zero
    0.75
    """

    def __init__(self, response: np.ndarray | None = None) -> None:
        if response is None:
            response = cat_edges((150, 225)) / 4
        self.response = check_image(response, ndims=(2,)).astype(np.float32)
        self.bias = w.FloatSlider(value=0.0, min=-0.5, max=0.5, step=0.01, description="bias",
                                  readout_format="+.2f")
        super().__init__([self.bias], figsize=(10, 3.6))
        self._observe(self.bias)

    def _draw(self) -> None:
        self._ax_pre, self._ax_post = self.figure.subplots(1, 2)
        lim = float(np.abs(self.response).max()) + 0.5
        blank = np.zeros_like(self.response)
        self._im_pre = self._ax_pre.imshow(blank, cmap="PuOr_r", vmin=-lim / 2, vmax=lim / 2)
        self._im_post = self._ax_post.imshow(blank, cmap="cividis", vmin=0, vmax=lim / 2)
        for ax in (self._ax_pre, self._ax_post):
            ax.set_axis_off()
        self.figure.colorbar(self._im_pre, ax=self._ax_pre, shrink=0.8)
        self.figure.colorbar(self._im_post, ax=self._ax_post, shrink=0.8)

    def _refresh(self) -> None:
        self.pre = self.response + np.float32(self.bias.value)
        self.post = relu(self.pre)
        self.fraction_zero = float((self.post == 0).mean())
        self._im_pre.set_data(self.pre)
        self._im_post.set_data(self.post)
        self._ax_pre.set_title(f"edge response {self.bias.value:+.2f}")
        self._ax_post.set_title(f"after ReLU: {self.fraction_zero:.0%} of values are 0")
