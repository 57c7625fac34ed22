"""utils.widgets.pixels: the pixel inspector, driven through its sliders."""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from PIL import Image

from figure_view import cell_numbers, outlines, panel, shown
from utils.widgets import PixelInspector


@pytest.fixture
def image():
    return np.random.default_rng(0).integers(0, 256, (40, 60, 3), dtype=np.uint8)


def test_inspector_shows_the_patch_under_the_sliders(image):
    insp = PixelInspector(image, size=6)
    first_png = insp.view.value
    insp.row.value, insp.col.value = 3, 7
    np.testing.assert_array_equal(insp.patch, image[3:9, 7:13])
    for ch, name in enumerate(("red", "green", "blue")):
        np.testing.assert_array_equal(shown(panel(insp, f"{name} channel")), image[3:9, 7:13, ch])
    assert cell_numbers(panel(insp, "red channel"))[0, 0] == str(image[3, 7, 0])
    assert outlines(panel(insp, "photo")) == [(6.5, 2.5)]
    assert insp.view.value != first_png
    assert Image.open(io.BytesIO(insp.view.value)).format == "PNG"


def test_inspector_slider_limits_keep_window_inside(image):
    insp = PixelInspector(image, size=8)
    assert insp.row.max == 32 and insp.col.max == 52
    insp.row.value = 10_000  # ipywidgets clamps to max
    assert insp.patch.shape == (8, 8, 3)


def test_inspector_mimebundle_has_widget_and_png_snapshot(image):
    bundle = PixelInspector(image)._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"image": np.zeros((40, 60), np.uint8)}, ValueError, "H×W×C"),
        ({"image": np.zeros((40, 60, 3), np.float32)}, TypeError, "integers"),
        ({"image": np.zeros((40, 60, 3), np.uint16)}, TypeError, "uint8"),
        ({"size": 20}, ValueError, "at most 12"),
        ({"image": np.zeros((5, 60, 3), np.uint8)}, ValueError, "larger than the image"),
    ],
)
def test_inspector_rejects_bad_input(image, kwargs, error, message):
    args = {"image": image, "size": 8} | kwargs
    with pytest.raises(error, match=message):
        PixelInspector(**args)
