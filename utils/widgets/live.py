"""Live widgets for pages without a kernel: the configs ``book/_static/p2p-widgets.js`` reads.

A widget that has a browser version adds a ``text/html`` view to its display
bundle: a ``div.p2p-live`` holding its PNG snapshot (the no-JavaScript
fallback, with alt text) and a JSON config that the page's script turns into
the same widget, computed in the reader's browser. Jupyter and Colab show the
ipywidgets version instead; the book shows this one.
"""

from __future__ import annotations

import base64
import html
import io
import json

import numpy as np
from PIL import Image

from utils.kernels import get_kernel, list_kernels

__all__ = ["live_html", "encode_uint8", "encode_float32", "kernel_name", "smallest_png"]

WIDGETS = ("kernel-editor", "conv-stepper", "pooling-explorer", "softmax-explorer")


def encode_uint8(image: np.ndarray) -> str:
    """Base64 of a 2-D ``uint8`` array, row-major (the kernel editor's ``pixels``).

    Examples
    --------
    >>> encode_uint8(np.array([[0, 255]], np.uint8))
    'AP8='
    """
    image = np.asarray(image)
    if image.ndim != 2 or image.dtype != np.uint8:
        raise ValueError(f"Pass a 2-D uint8 array, got {image.ndim}-D {image.dtype}.")
    return base64.b64encode(np.ascontiguousarray(image).tobytes()).decode("ascii")


def encode_float32(values: np.ndarray) -> str:
    """Base64 of a 2-D array as little-endian ``float32``, row-major (a pooling map).

    Examples
    --------
    >>> encode_float32(np.array([[1.0]]))
    'AACAPw=='
    """
    values = np.asarray(values)
    if values.ndim != 2 or values.dtype.kind not in "uif":
        raise ValueError(f"Pass a 2-D array of numbers, got {values.ndim}-D {values.dtype}.")
    return base64.b64encode(np.ascontiguousarray(values, dtype="<f4").tobytes()).decode("ascii")


def kernel_name(kernel: np.ndarray) -> str | None:
    """The course's name for ``kernel`` if it is one of the named 3×3 kernels, else ``None``.

    Examples
    --------
    >>> from utils.kernels import get_kernel
    >>> kernel_name(get_kernel("sobel_x")), kernel_name(np.ones((3, 3)))
    ('sobel_x', None)
    """
    kernel = np.asarray(kernel, dtype=float)
    for name in list_kernels():
        named = get_kernel(name)
        if named.shape == kernel.shape and np.allclose(named, kernel):
            return name
    return None


def smallest_png(png: bytes, min_gain: float = 0.2, max_width: int | None = None) -> bytes:
    """``png`` as a 256-colour palette PNG (dithered) if that is ``min_gain`` smaller, else as is.

    Widgets render fast PNGs; pages should carry small ones. ``max_width`` also
    shrinks a wider image to the width a page displays. Images with real
    transparency, or not RGB, are returned unchanged.

    Examples
    --------
    >>> import io
    >>> from PIL import Image
    >>> buffer = io.BytesIO()
    >>> Image.new("RGB", (40, 30), "red").save(buffer, format="png")
    >>> Image.open(io.BytesIO(smallest_png(buffer.getvalue(), max_width=20))).size
    (40, 30)
    """
    with Image.open(io.BytesIO(png)) as image:
        image.load()
        opaque = image.mode == "RGB" or (
            image.mode == "RGBA" and image.getchannel("A").getextrema() == (255, 255))
        if not opaque:
            return png
        image = image.convert("RGB")
        if max_width is not None and image.width > max_width:
            size = (max_width, round(image.height * max_width / image.width))
            image = image.resize(size, Image.Resampling.LANCZOS)
        palette = image.quantize(256, method=Image.Quantize.MEDIANCUT,
                                                 dither=Image.Dither.FLOYDSTEINBERG)
    buffer = io.BytesIO()
    palette.save(buffer, format="png", optimize=True)
    return buffer.getvalue() if len(buffer.getvalue()) <= len(png) * (1 - min_gain) else png


def live_html(widget: str, config: dict, png: bytes | memoryview, alt: str) -> str:
    """The ``text/html`` view of a widget: snapshot ``<img>`` plus JSON config, for the book.

    Parameters
    ----------
    widget : str
        One of ``kernel-editor``, ``conv-stepper``, ``pooling-explorer``, ``softmax-explorer``.
    config : dict
        The widget's state, as ``p2p-widgets.js`` documents it (JSON-serialisable).
    png : bytes
        The snapshot shown where JavaScript does not run.
    alt : str
        Alt text for the snapshot (it describes the widget's current state).

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> from utils.widgets import render_png
    >>> png = render_png(Figure(figsize=(1, 1)))
    >>> html = live_html("softmax-explorer", {"classes": ["a", "b"], "logits": [1.0, 0.0]}, png, alt="two bars")
    >>> 'alt="two bars"' in html, "softmax-explorer" in html
    (True, True)
    """
    if widget not in WIDGETS:
        raise ValueError(f"Unknown live widget {widget!r}; pass one of {', '.join(WIDGETS)}.")
    if not alt.strip():
        raise ValueError("alt is empty; describe what the snapshot shows.")
    png = bytes(png)
    if not png.startswith(b"\x89PNG"):
        raise ValueError("png is not PNG data; pass the bytes of the widget's snapshot.")
    data = json.dumps(config, separators=(",", ":")).replace("</", "<\\/")
    src = "data:image/png;base64," + base64.b64encode(smallest_png(png)).decode("ascii")
    return (f'<div class="p2p-live" data-widget="{widget}">'
            f'<img src="{src}" alt="{html.escape(alt)}">'
            f'<script type="application/json" class="p2p-config">{data}</script></div>')
