"""The adversarial explorer (Chapter 9): an epsilon slider moves every pixel a few levels."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import ipywidgets as w
import numpy as np

from utils._validate import check_image, check_positive_int
from utils.adversarial import fgsm_steps
from utils.plotting import COURSE_STYLE
from utils.widgets._base import FigureWidget

__all__ = ["AdversarialExplorer"]


class AdversarialExplorer(FigureWidget):
    """FGSM on one image: pick how many levels (out of 255) and which way to push.

    ``image`` is one ``H×W×C`` image in ``value_range`` that ``model`` (a
    classifier returning probabilities) labels ``label``. The *push* menu
    chooses the untargeted step (away from ``label``) or a targeted one
    (towards a class). Every image the controls can ask for is classified
    once, in one batch, when the explorer is made, so moving the slider only
    redraws. ``probabilities`` holds what the model says now.

    Examples
    --------
    >>> import keras
    >>> linear = keras.Sequential([keras.Input((2, 2, 1)), keras.layers.Flatten(),
    ...                            keras.layers.Dense(2, activation="softmax")])
    >>> linear.set_weights([np.array([[1, -1]] * 4, "float32"), np.array([-4, 0], "float32")])
    >>> explorer = AdversarialExplorer(linear, np.full((2, 2, 1), 0.52), 0, ["bright", "dark"])
    >>> explorer.class_names[explorer.probabilities.argmax()]
    'bright'
    >>> explorer.levels.value = 6       # every pixel 6 levels darker: 0.52 -> 0.496
    >>> explorer.class_names[explorer.probabilities.argmax()]
    'dark'
    """

    def __init__(self, model: Callable, image: np.ndarray, label: int, class_names: Sequence[str],
                 *, max_levels: int = 20, value_range: tuple[float, float] = (0.0, 1.0)) -> None:
        image = check_image(image, ndims=(3,), channels=None)
        self.class_names = list(class_names)
        if not 0 <= label < len(self.class_names):
            raise ValueError(f"label must be a class index 0..{len(self.class_names) - 1}, got {label}.")
        max_levels = check_positive_int(max_levels, name="max_levels")
        low, high = (float(v) for v in value_range)
        self.image, self.label, self.value_range = image.astype(np.float32), int(label), (low, high)
        pushes = [("away", None)] + [(f"towards {n}", i) for i, n in enumerate(self.class_names)
                                      if i != label]
        steps = np.arange(max_levels + 1) * (high - low) / 255
        self._images = {  # away from the label, or towards the target
            name: fgsm_steps(model, self.image, label if target is None else target, steps,
                             targeted=target is not None, value_range=(low, high))
            for name, target in pushes}
        probs = np.asarray(model(np.concatenate(list(self._images.values())), training=False))
        self._probabilities = dict(zip(self._images, np.split(probs, len(pushes))))
        self.levels = w.IntSlider(value=0, min=0, max=max_levels, description="ε (levels)")
        self.push = w.Dropdown(options=[p for p, _ in pushes], value="away",
                               description="push")
        super().__init__([w.HBox([self.levels, self.push])], figsize=(10, 2.9))
        self._observe(self.levels, self.push)

    def _draw(self) -> None:
        gs = self.figure.add_gridspec(1, 4, width_ratios=[1, 1, 1, 1.6])
        shown, cmap = self._picture(self.image), "gray" if self.image.shape[-1] == 1 else None
        self._ax_in = self.figure.add_subplot(gs[0])
        self._ax_in.imshow(shown, cmap=cmap, vmin=0, vmax=1)
        self._ax_in.set_title(f"original: {self.class_names[self.label]}")
        self._ax_delta = self.figure.add_subplot(gs[1])
        self._delta = self._ax_delta.imshow(np.zeros(self.image.shape[:2]), cmap="PuOr",
                                            vmin=-1, vmax=1)
        self._ax_out = self.figure.add_subplot(gs[2])
        self._out = self._ax_out.imshow(shown, cmap=cmap, vmin=0, vmax=1)
        for ax in (self._ax_in, self._ax_delta, self._ax_out):
            ax.set_axis_off()
        self._ax_bar = self.figure.add_subplot(gs[3])
        colours = COURSE_STYLE["axes.prop_cycle"].by_key()["color"]
        self._bars = self._ax_bar.barh(self.class_names, np.zeros(len(self.class_names)),
                                       color=colours[0])
        self._ax_bar.set_xlim(0, 1)
        self._ax_bar.invert_yaxis()
        self._ax_bar.set_xlabel("probability")

    def _picture(self, image: np.ndarray) -> np.ndarray:
        """An image scaled to [0, 1] for imshow (one channel: the gray picture)."""
        low, high = self.value_range
        unit = (image - low) / (high - low)
        return unit[..., 0] if unit.shape[-1] == 1 else unit

    def _refresh(self) -> None:
        n, push = self.levels.value, self.push.value
        result = self._images[push][n]
        self.probabilities = self._probabilities[push][n]
        low, high = self.value_range
        delta = (result - self.image) / ((high - low) / 255)  # in levels
        self._delta.set_data(delta.mean(axis=-1) / max(n, 1))
        self._ax_delta.set_title(f"change ×{255 // max(n, 1)}: ±{n} levels")
        self._out.set_data(self._picture(result))
        best = int(self.probabilities.argmax())
        self._ax_out.set_title(f"result: {self.class_names[best]}")
        colours = COURSE_STYLE["axes.prop_cycle"].by_key()["color"]
        for i, (bar, p) in enumerate(zip(self._bars, self.probabilities)):
            bar.set_width(float(p))
            bar.set_color(colours[1] if i == best else colours[0])
        self._ax_bar.set_title(f"{self.class_names[best]}: {self.probabilities[best]:.0%}")
