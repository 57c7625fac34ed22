"""The base every course widget shares: one figure, re-rendered to PNG on change."""

from __future__ import annotations

import base64
import contextlib
import io
from collections.abc import Iterator

import ipywidgets as w
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

__all__ = ["FigureWidget", "render_png"]


def render_png(fig: Figure) -> bytes:
    """Draw a matplotlib figure once and return it as PNG bytes (fast compression)."""
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    rgb = np.asarray(canvas.buffer_rgba())[..., :3]
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="png", compress_level=1)
    return buf.getvalue()


class FigureWidget:
    """A widget whose picture is one matplotlib figure, built once.

    Subclasses create their controls, call ``super().__init__(controls,
    figsize)``, draw their artists in ``_draw()`` and change them in
    ``_refresh()``. Changing any control calls :meth:`update`, which
    refreshes the artists and re-renders the PNG in ``view``. The figure is
    never rebuilt. ``widget`` is the ipywidgets box to display.
    """

    def __init__(self, controls: list[w.Widget], figsize: tuple[float, float]) -> None:
        self.figure = Figure(figsize=figsize, facecolor="white", dpi=80)
        FigureCanvasAgg(self.figure)
        self.view = w.Image(format="png")
        self.widget = w.VBox([*controls, self.view])
        self._quiet = False
        self._draw()
        self.figure.tight_layout()
        self.update()

    def _draw(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _refresh(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def _observe(self, *controls: w.Widget) -> None:
        for control in controls:
            control.observe(self._on_change, names="value")

    def _on_change(self, _change: dict) -> None:
        if not self._quiet:
            self.update()

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Change several controls at once with a single update at the end."""
        self._quiet = True
        try:
            yield
        finally:
            self._quiet = False
        self.update()

    def update(self) -> None:
        """Recompute, refresh the artists and re-render (called on every control change)."""
        self._refresh()
        self.view.value = render_png(self.figure)

    def _repr_mimebundle_(self, **kwargs: object) -> dict:
        """Display the live widget, with a PNG snapshot for pages without a kernel."""
        bundle = dict(self.widget._repr_mimebundle_(**kwargs) or {})
        bundle["image/png"] = base64.b64encode(self.view.value).decode("ascii")
        return bundle
