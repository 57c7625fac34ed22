"""The softmax explorer (Chapter 5): logit and temperature sliders, live probability bars."""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as w
import numpy as np

from utils.activations import softmax
from utils.plotting import COURSE_STYLE
from utils.widgets._base import FigureWidget

__all__ = ["SoftmaxExplorer"]


class SoftmaxExplorer(FigureWidget):
    """One slider per class score (logit) and one for the temperature; bars show softmax.

    ``probabilities`` holds the current probabilities (they always sum to 1).

    Examples
    --------
    >>> explorer = SoftmaxExplorer(["cat", "dog"], logits=[1.0, 1.0])
    >>> explorer.probabilities
    array([0.5, 0.5])
    >>> explorer.temperature.value = 0.1
    >>> explorer.probabilities.round(3)
    array([0.5, 0.5])
    """

    def __init__(self, classes: Sequence[str] = ("cat", "dog", "bird", "fish"),
                 logits: Sequence[float] | None = None) -> None:
        self.classes = list(classes)
        if not 2 <= len(self.classes) <= 10:
            raise ValueError(f"Pass between 2 and 10 classes, got {len(self.classes)}.")
        start = list(logits) if logits is not None else [2.0, 1.0, 0.1, -1.0][:len(self.classes)]
        start += [0.0] * (len(self.classes) - len(start))
        if len(start) != len(self.classes):
            raise ValueError(f"Got {len(start)} logits for {len(self.classes)} classes.")
        self.logits = [w.FloatSlider(value=float(v), min=-5, max=5, step=0.1, description=name)
                       for name, v in zip(self.classes, start)]
        self.temperature = w.FloatLogSlider(value=1.0, base=10, min=-1, max=1, step=0.05,
                                            description="temperature")
        super().__init__([w.VBox(self.logits), self.temperature], figsize=(7, 3.4))
        self._observe(*self.logits, self.temperature)

    def _draw(self) -> None:
        self._ax = self.figure.subplots()
        colours = COURSE_STYLE["axes.prop_cycle"].by_key()["color"]
        self._bars = self._ax.bar(self.classes, np.zeros(len(self.classes)),
                                  color=[colours[0]] * len(self.classes))
        self._labels = [self._ax.text(i, 0, "", ha="center", va="bottom")
                        for i in range(len(self.classes))]
        self._ax.set_ylim(0, 1.1)
        self._ax.set_ylabel("probability")

    def _refresh(self) -> None:
        scores = np.array([s.value for s in self.logits])
        self.probabilities = softmax(scores, self.temperature.value)
        best = int(self.probabilities.argmax())
        colours = COURSE_STYLE["axes.prop_cycle"].by_key()["color"]
        for i, (bar, label, p) in enumerate(zip(self._bars, self._labels, self.probabilities)):
            bar.set_height(p)
            bar.set_color(colours[1] if i == best else colours[0])
            label.set_y(p + 0.01)
            label.set_text(f"{p:.0%}")
        self._ax.set_title(f"softmax at temperature {self.temperature.value:.2f}: "
                           f"sum = {self.probabilities.sum():.2f}, prediction: {self.classes[best]}")

    def _live(self) -> tuple[str, dict, str]:
        logits = [round(float(s.value), 4) for s in self.logits]
        config = {"classes": self.classes, "logits": logits,
                  "temperature": round(float(self.temperature.value), 4)}
        alt = ("Softmax explorer: logits " + ", ".join(f"{c} {v:g}" for c, v in
                                                      zip(self.classes, logits))
               + f" at temperature {self.temperature.value:.2f} give the probabilities "
               + ", ".join(f"{c} {p:.0%}" for c, p in zip(self.classes, self.probabilities)) + ".")
        return "softmax-explorer", config, alt
