"""Interactive widgets (ipywidgets) that let learners poke at the numbers.

Each widget draws into one matplotlib figure made once and rendered to PNG
for an ``ipywidgets.Image``: an update moves or refills artists and
re-renders, it never rebuilds the figure. The widgets work in JupyterLab,
Colab and Binder, and can be driven from code (set a slider's ``value``) so
tests check them without a browser.
"""

from __future__ import annotations

import base64
import io

import ipywidgets as w
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from utils._validate import check_image, check_positive_int
from utils.plotting import COURSE_STYLE, HIGHLIGHT, draw_box

__all__ = ["PixelInspector", "render_png"]


def render_png(fig: Figure) -> bytes:
    """Draw a matplotlib figure once and return it as PNG bytes (fast compression)."""
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    rgb = np.asarray(canvas.buffer_rgba())[..., :3]
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="png", compress_level=1)
    return buf.getvalue()


class PixelInspector:
    """Move a small window over a photo and read the numbers under it, per channel.

    ``row`` and ``col`` sliders place the window's top-left corner. The
    figure shows the photo with the window outlined and, for each channel,
    the window's values written on their cells. ``patch`` is the current
    ``size×size×3`` window; ``view.value`` the PNG shown.
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
        self._build_figure()
        self.view = w.Image(format="png")
        self.widget = w.VBox([w.HBox([self.row, self.col]), self.view])
        self.row.observe(self._on_change, names="value")
        self.col.observe(self._on_change, names="value")
        self.update()

    @property
    def patch(self) -> np.ndarray:
        """The ``size×size×3`` window currently under the box."""
        r, c, s = self.row.value, self.col.value, self.size
        return self.image[r:r + s, c:c + s]

    def _build_figure(self) -> None:
        s = self.size
        self.figure = Figure(figsize=(12, 3.4), facecolor=COURSE_STYLE["figure.facecolor"])
        FigureCanvasAgg(self.figure)
        axes = self.figure.subplots(1, 4, gridspec_kw={"width_ratios": [1.5, 1, 1, 1]})
        photo_ax, self.channel_axes = axes[0], axes[1:]
        photo_ax.imshow(self.image)
        photo_ax.set_xticks([])
        photo_ax.set_yticks([])
        photo_ax.set_title("photo")
        self._box = draw_box(photo_ax, 0, 0, s, s, color=HIGHLIGHT)
        zeros = np.zeros((s, s), dtype=np.uint8)
        self._cells, self._texts = [], []
        for ax, name in zip(self.channel_axes, ("red", "green", "blue")):
            self._cells.append(ax.imshow(zeros, cmap="gray", vmin=0, vmax=255))
            self._texts.append([[ax.text(c, r, "", ha="center", va="center", fontsize=7)
                                 for c in range(s)] for r in range(s)])
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_title(f"{name} channel")
        self.figure.tight_layout()

    def update(self) -> None:
        """Redraw for the current slider values (called automatically on change)."""
        r, c = self.row.value, self.col.value
        self._box.set_xy((c - 0.5, r - 0.5))
        patch = self.patch
        for ch, (cells, texts) in enumerate(zip(self._cells, self._texts)):
            values = patch[..., ch]
            cells.set_data(values)
            for (i, j), v in np.ndenumerate(values):
                texts[i][j].set_text(str(int(v)))
                texts[i][j].set_color("black" if v > 127 else "white")
        self.view.value = render_png(self.figure)

    def _on_change(self, _change: dict) -> None:
        self.update()

    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        """Display the live widget, with a PNG snapshot for pages without a kernel."""
        bundle = dict(self.widget._repr_mimebundle_(**kwargs) or {})
        bundle["image/png"] = base64.b64encode(self.view.value).decode("ascii")
        return bundle
