"""utils.widgets._base: rendering, display on ipywidgets 7 and 8, shared inputs."""

from __future__ import annotations

import base64
import io

import ipywidgets
import numpy as np
import pytest
from IPython.core.formatters import DisplayFormatter
from PIL import Image

from utils.conv import conv2d
from utils.kernels import get_kernel
from utils.widgets import (
    AdversarialExplorer,
    ConvolutionStepper,
    FeatureMapExplorer,
    KernelEditor,
    PhotoClassifier,
    PixelInspector,
    PoolingExplorer,
    ReluExplorer,
    SoftmaxExplorer,
    StridePaddingExplorer,
    render_png,
    widget_view,
)

def _linear_classifier():
    import keras

    return keras.Sequential([keras.Input((4, 4, 1)), keras.layers.Flatten(),
                             keras.layers.Dense(2, activation="softmax")])


WIDGET_FACTORIES = {
    "AdversarialExplorer": lambda: AdversarialExplorer(
        _linear_classifier(), np.full((4, 4, 1), 0.5, np.float32), 0, ["a", "b"], max_levels=2),
    "PixelInspector": lambda: PixelInspector(np.zeros((20, 20, 3), np.uint8), size=4),
    "KernelEditor": lambda: KernelEditor(),
    "ConvolutionStepper": lambda: ConvolutionStepper(),
    "StridePaddingExplorer": lambda: StridePaddingExplorer(n=5),
    "ReluExplorer": lambda: ReluExplorer(),
    "PoolingExplorer": lambda: PoolingExplorer(),
    "SoftmaxExplorer": lambda: SoftmaxExplorer(),
    "FeatureMapExplorer": lambda: FeatureMapExplorer(
        np.zeros((32, 32, 3), np.uint8), {"layer": np.ones((8, 8, 4), np.float32)}),
    "PhotoClassifier": lambda: PhotoClassifier(lambda b: np.array([[0.3, 0.7]]), ["ant", "bee"]),
}


def _format(obj) -> dict:
    """What IPython's display machinery makes of ``obj``; fails if a formatter raised."""
    import traceback

    errors = []
    formatter = DisplayFormatter()
    original = traceback.print_exception
    traceback.print_exception = lambda *a, **k: errors.append(a)  # IPython's fallback reporter
    try:
        data, _ = formatter.format(obj)
    finally:
        traceback.print_exception = original
    assert not errors, f"a display formatter raised: {errors}"
    return data


def test_render_png_draws_figure_at_its_size():
    from matplotlib.figure import Figure

    fig = Figure(figsize=(2, 1), dpi=50)
    png = render_png(fig)
    assert Image.open(io.BytesIO(png)).size == (100, 50)


def test_shared_gray_sample_and_cat_edges():
    from utils.widgets._base import cat_edges, gray_sample

    gray = gray_sample("cat", (30, 45))
    assert gray.shape == (30, 45) and gray.dtype == np.float32 and not gray.flags.writeable
    assert gray_sample("cat", (30, 45)) is gray  # cached
    np.testing.assert_allclose(cat_edges((30, 45)),
                               conv2d(gray, get_kernel("sobel_x"), padding="same"))


@pytest.mark.parametrize("name", sorted(WIDGET_FACTORIES))
def test_every_widget_displays_live_with_a_png_fallback(name):
    widget = WIDGET_FACTORIES[name]()
    data = _format(widget)
    view = data["application/vnd.jupyter.widget-view+json"]
    assert view == {"version_major": 2, "version_minor": 0, "model_id": widget.widget.model_id}
    snapshot = base64.b64decode(data["image/png"])
    assert snapshot.startswith(b"\x89PNG")
    pixels = np.asarray(Image.open(io.BytesIO(snapshot)))
    assert (pixels < 128).any(), "the snapshot a page without a kernel shows must not be blank"
    np.testing.assert_array_equal(pixels, np.asarray(Image.open(io.BytesIO(widget.view.value))))


@pytest.mark.parametrize("name", ["KernelEditor", "PhotoClassifier"])
def test_widgets_display_without_ipywidgets_8_display_methods(monkeypatch, name):
    """ipywidgets 7.7 (Colab) has no Widget._repr_mimebundle_; the course must not need it."""
    for cls in type(ipywidgets.VBox()).__mro__:
        if "_repr_mimebundle_" in vars(cls):
            monkeypatch.delattr(cls, "_repr_mimebundle_")
    assert not hasattr(ipywidgets.VBox(), "_repr_mimebundle_")
    data = _format(WIDGET_FACTORIES[name]())
    assert "application/vnd.jupyter.widget-view+json" in data


def test_widget_view_rejects_what_is_not_a_widget():
    with pytest.raises(TypeError, match="ipywidgets Widget"):
        widget_view(np.zeros(3))
