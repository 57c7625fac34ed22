"""The base every course widget shares: one figure, re-rendered to PNG on change."""

from __future__ import annotations

import base64
import contextlib
import io
from collections.abc import Iterator
from functools import lru_cache

import ipywidgets as w
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

__all__ = ["FigureWidget", "render_png", "gray_sample", "cat_edges", "widget_view"]

WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"


def widget_view(widget: w.Widget) -> dict:
    """The display data that makes a front end show ``widget`` (ipywidgets 7 and 8).

    Both major versions use version 2.0 of this message; front ends look
    the model up by ``model_id``.

    Examples
    --------
    >>> import ipywidgets as w
    >>> sorted(widget_view(w.IntSlider()))
    ['model_id', 'version_major', 'version_minor']
    """
    if not isinstance(widget, w.Widget):
        raise TypeError(f"widget must be an ipywidgets Widget, got {type(widget).__name__}.")
    return {"version_major": 2, "version_minor": 0, "model_id": widget.model_id}


def render_png(fig: Figure, *, text_size: bool = False) -> bytes:
    """Draw a matplotlib figure once and return it as PNG bytes (fast compression).

    With ``text_size`` the PNG carries the figure's smallest text size
    (``utils.plotting.TEXT_PX_KEY``), which the book uses to keep a widget's
    snapshot legible on a phone (it costs a second layout pass, so updates skip it).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> render_png(Figure(figsize=(2, 1), dpi=80))[:4]
    b'\x89PNG'
    """
    from PIL.PngImagePlugin import PngInfo

    from utils.plotting import TEXT_PX_KEY, smallest_text_px

    px = smallest_text_px(fig) if text_size else None  # lays the figure out: before drawing,
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()                                       # or it would blank the drawn buffer
    rgb = np.array(canvas.buffer_rgba())[..., :3]       # a copy, not a view of that buffer
    info = PngInfo()
    if px:
        info.add_text(TEXT_PX_KEY, f"{px:.2f}")
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="png", compress_level=1, pnginfo=info)
    return buf.getvalue()


@lru_cache(maxsize=16)
def gray_sample(name: str, size: tuple[int, int]) -> np.ndarray:
    """A bundled photo as grayscale ``float32`` at ``size`` (read-only, cached).

    Examples
    --------
    >>> image = gray_sample("cat", (30, 45))
    >>> image.shape, image.dtype, image.flags.writeable
    ((30, 45), dtype('float32'), False)
    """
    from utils.preprocess import resize, to_grayscale
    from utils.samples import load_sample

    image = resize(to_grayscale(load_sample(name)), size)
    image.setflags(write=False)
    return image


def cat_edges(size: tuple[int, int]) -> np.ndarray:
    """The Sobel-x response of the cat photo at ``size``: the default input of several widgets.

    Examples
    --------
    >>> cat_edges((30, 45)).shape
    (30, 45)
    """
    from utils.conv import conv2d
    from utils.kernels import get_kernel

    return conv2d(gray_sample("cat", size), get_kernel("sobel_x"), padding="same")


class FigureWidget:
    """A widget whose picture is one matplotlib figure, built once.

    Subclasses create their controls, call ``super().__init__(controls,
    figsize)``, draw their artists in ``_draw()`` and change them in
    ``_refresh()``. Changing any control calls :meth:`update`, which
    refreshes the artists and re-renders the PNG in ``view``. The figure is
    never rebuilt. ``widget`` is the ipywidgets box to display.

    Examples
    --------
    >>> from utils.widgets import SoftmaxExplorer
    >>> explorer = SoftmaxExplorer()
    >>> explorer.logits[1].value = 2.0    # a control changes: the figure is updated in place
    >>> bytes(explorer.view.value[:4])   # the PNG a learner sees
    b'\x89PNG'
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
        """Display the live widget, with a PNG snapshot for pages without a kernel.

        Works with ipywidgets 7 (Colab) and 8: the bundle is built from the
        box's ``model_id`` rather than from an ipywidgets display method,
        since 7.x has only ``_ipython_display_`` and 8.x only
        ``_repr_mimebundle_``.
        """
        snapshot = render_png(self.figure, text_size=True)
        bundle = {
            "text/plain": f"<{type(self).__name__} widget: run the notebook to use it>",
            WIDGET_VIEW_MIME: widget_view(self.widget),
            "image/png": base64.b64encode(snapshot).decode("ascii"),
        }
        live = self._live()
        if live is not None:  # the book runs this one in the reader's browser
            from utils.widgets.live import live_html

            name, config, alt = live
            bundle["text/html"] = live_html(name, config, png=snapshot, alt=alt)
        return bundle

    def _live(self) -> tuple[str, dict, str] | None:
        """``(widget name, config, alt text)`` of the browser version, if there is one."""
        return None
