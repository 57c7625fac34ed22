"""The feature-map explorer (Chapter 7): pick a layer and a channel, see its map."""

from __future__ import annotations

from collections.abc import Mapping

import ipywidgets as w
import numpy as np

from utils._validate import check_image
from utils.widgets._base import FigureWidget

__all__ = ["FeatureMapExplorer"]


class FeatureMapExplorer(FigureWidget):
    """Browse precomputed feature maps: a layer menu and a channel slider.

    ``maps`` maps a layer name to its ``h×w×C`` output for one image;
    ``current`` is the 2-D map on show.

    Examples
    --------
    >>> maps = {"early": np.random.default_rng(0).random((8, 8, 4))}
    >>> explorer = FeatureMapExplorer(np.zeros((16, 16, 3), np.uint8), maps)
    >>> explorer.channel.value = 3
    >>> explorer.figure.axes[1].get_title()
    'early: channel 3 of 4 (8×8)'
    """

    def __init__(self, image: np.ndarray, maps: Mapping[str, np.ndarray]) -> None:
        self.image = check_image(image, ndims=(3,), channels=(3,))
        if not maps:
            raise ValueError("maps is empty; pass {layer name: h×w×C feature maps}.")
        self.maps = {name: check_image(m, name=f"maps[{name!r}]", ndims=(3,), channels=None)
                     for name, m in maps.items()}
        first = next(iter(self.maps))
        self.layer = w.Dropdown(options=list(self.maps), value=first, description="layer")
        self.channel = w.IntSlider(value=0, min=0, max=self.maps[first].shape[-1] - 1,
                                   description="channel")
        super().__init__([w.HBox([self.layer, self.channel])], figsize=(9, 4))
        self.layer.observe(self._on_layer, names="value")
        self._observe(self.channel)

    @property
    def current(self) -> np.ndarray:
        """The feature map on show."""
        return self.maps[self.layer.value][..., self.channel.value]

    def _on_layer(self, change: dict) -> None:
        with self.batch():
            self.channel.max = self.maps[change["new"]].shape[-1] - 1
            self.channel.value = min(self.channel.value, self.channel.max)

    def _draw(self) -> None:
        self._ax_img, self._ax_map = self.figure.subplots(1, 2)
        self._ax_img.imshow(self.image)
        self._ax_img.set_title("input")
        self._im = self._ax_map.imshow(np.zeros((2, 2)), cmap="cividis")
        for ax in (self._ax_img, self._ax_map):
            ax.set_axis_off()

    def _refresh(self) -> None:
        m = self.current
        self._im.set_data(m)
        self._im.set_extent((-0.5, m.shape[1] - 0.5, m.shape[0] - 0.5, -0.5))
        self._im.set_clim(float(m.min()), float(m.max()) or 1.0)
        self._ax_map.set_xlim(-0.5, m.shape[1] - 0.5)
        self._ax_map.set_ylim(m.shape[0] - 0.5, -0.5)
        h, w_, c = self.maps[self.layer.value].shape
        self._ax_map.set_title(f"{self.layer.value}: channel {self.channel.value} of {c} ({h}×{w_})")
