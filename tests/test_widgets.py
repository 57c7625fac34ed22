"""utils.widgets: driven from code, no browser."""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
from PIL import Image

from utils.widgets import PixelInspector, render_png


@pytest.fixture
def image():
    return np.random.default_rng(0).integers(0, 256, (40, 60, 3), dtype=np.uint8)


def test_inspector_shows_the_patch_under_the_sliders(image):
    insp = PixelInspector(image, size=6)
    first_png = insp.view.value
    insp.row.value, insp.col.value = 3, 7
    np.testing.assert_array_equal(insp.patch, image[3:9, 7:13])
    for ch, cells in enumerate(insp._cells):
        np.testing.assert_array_equal(cells.get_array(), image[3:9, 7:13, ch])
    assert insp._texts[0][0][0].get_text() == str(image[3, 7, 0])
    assert insp._box.get_xy() == (6.5, 2.5)
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


def test_render_png_draws_figure_at_its_size():
    from matplotlib.figure import Figure

    fig = Figure(figsize=(2, 1), dpi=50)
    png = render_png(fig)
    assert Image.open(io.BytesIO(png)).size == (100, 50)


# --- Chapter 2-4 widgets --------------------------------------------------------------------

from utils.conv import conv2d  # noqa: E402
from utils.kernels import get_kernel  # noqa: E402
from utils.pooling import avg_pool2d, max_pool2d  # noqa: E402
from utils.preprocess import minmax_normalize  # noqa: E402
from utils.widgets import (  # noqa: E402
    ConvolutionStepper,
    KernelEditor,
    PoolingExplorer,
    ReluExplorer,
    StridePaddingExplorer,
)


def test_kernel_editor_preset_sets_sliders_and_feature_map():
    ed = KernelEditor(size=64, preset="identity")
    np.testing.assert_allclose(ed.output, ed.image, atol=1e-6)
    figure_before = ed.figure
    ed.preset.value = "sobel_x"
    np.testing.assert_array_equal(ed.kernel, get_kernel("sobel_x"))
    expected = conv2d(ed.image, get_kernel("sobel_x"), padding="same")
    np.testing.assert_allclose(ed.output, expected, atol=1e-6)
    np.testing.assert_allclose(ed._im_out.get_array(), minmax_normalize(expected), atol=1e-6)
    assert ed.figure is figure_before  # updated in place, never rebuilt


def test_kernel_editor_single_slider_and_normalise_toggle():
    ed = KernelEditor(size=32, preset="identity")
    png = ed.view.value
    ed.sliders[4].value = 2.0  # centre weight: doubles every pixel
    np.testing.assert_allclose(ed.output, 2 * ed.image, atol=1e-6)
    ed.normalise.value = False
    np.testing.assert_allclose(ed._im_out.get_array(), np.clip(2 * ed.image, 0, 1), atol=1e-6)
    assert ed.view.value != png
    assert ed.compute_ms > 0


def test_kernel_editor_image_choice_and_custom_image():
    ed = KernelEditor(size=32)
    ed.image_choice.value = "astronaut"
    assert ed.image.shape == (32, 32)
    mine = np.zeros((10, 12, 3), np.uint8)
    mine[:, 6:] = 255
    custom = KernelEditor(mine, preset="vertical_edge")
    assert custom.image_choice.value == "your image" and custom.output.shape == (10, 12)
    assert custom.output[:, 5:7].min() < 0  # the dark-to-bright edge: a strong response
    with pytest.raises(ValueError, match="3×3"):
        custom.set_kernel(np.ones((5, 5)))
    with pytest.raises(ValueError, match="preset must be one of"):
        KernelEditor(preset="circle")


def test_kernel_editor_update_compute_is_within_budget():
    ed = KernelEditor(size=256)
    times = []
    for v in np.linspace(-3, 3, 15):
        ed.sliders[0].value = float(v)
        times.append(ed.compute_ms)
    assert np.median(times) < 16  # budget: a widget update <= 16 ms of computation


def test_stepper_walks_the_output_cell_by_cell():
    st = ConvolutionStepper()
    full = conv2d(st.image, st.kernel)
    assert full.shape == (6, 6)
    st.position.value = 9  # row 1, column 3
    assert st.cell == (1, 3)
    np.testing.assert_array_equal(st.window, st.image[1:4, 3:6])
    np.testing.assert_array_equal(st.products, st.image[1:4, 3:6] * st.kernel)
    assert st.products.sum() == full[1, 3]
    so_far = st.output_so_far
    assert np.isnan(so_far.ravel()[10:]).all()
    np.testing.assert_array_equal(so_far.ravel()[:10], full.ravel()[:10])
    assert st._out_texts[1][3].get_text() == f"{full[1, 3]:g}"
    assert st._out_texts[1][4].get_text() == ""
    assert f"sum = {full[1, 3]:g}" in st._prod_axes[0].get_title()


def test_stepper_kernel_menu_changes_the_whole_walk():
    st = ConvolutionStepper()
    assert "sobel_x" in st.kernel_choice.options and "this kernel" not in st.kernel_choice.options
    st.position.value = 9
    st.kernel_choice.value = "sobel_x"
    np.testing.assert_array_equal(st.kernel, get_kernel("sobel_x"))
    np.testing.assert_array_equal(st.full_output, conv2d(st.image, get_kernel("sobel_x")))
    assert st.products.sum() == st.full_output[1, 3]
    assert st._k_texts[0][0][0].get_text() == f"{get_kernel('sobel_x')[0, 0]:.3g}"
    custom = ConvolutionStepper(kernel=np.full((3, 3), 2.0))
    assert custom.kernel_choice.value == "this kernel" and custom.kernel[0, 0] == 2.0
    named = ConvolutionStepper(kernel=get_kernel("laplacian"))
    assert named.kernel_choice.value == "laplacian"  # a named kernel is recognised
    assert ConvolutionStepper(kernel="sharpen").kernel_choice.value == "sharpen"


def test_stepper_rgb_sums_the_three_channels_like_conv2d_and_keras():
    import keras

    rng = np.random.default_rng(0)
    patch = rng.integers(0, 256, (6, 7, 3)).astype(np.uint8)
    kernel = rng.normal(size=(3, 3, 3))
    st = ConvolutionStepper(patch, kernel)
    assert st.rgb and st.products.shape == (3, 3, 3)
    layer = keras.layers.Conv2D(1, 3, use_bias=False)
    layer.build((1, 6, 7, 3))
    layer.set_weights([kernel[..., None].astype("float32")])
    want = keras.ops.convert_to_numpy(layer(patch[None].astype("float32")))[0, ..., 0]
    for position in (0, 4, st.full_output.size - 1):
        st.position.value = position
        r, c = st.cell
        assert np.isclose(st.products.sum(), st.full_output[r, c])
        assert np.isclose(st.products.sum(), want[r, c], rtol=1e-4)
    np.testing.assert_allclose(st.full_output, want, rtol=1e-4, atol=1e-3)
    assert " + " in st._out_ax.get_title() and len(st._prod_axes) == 3
    gray_kernel = ConvolutionStepper(patch, "sobel_x")  # a k×k kernel on every channel
    np.testing.assert_array_equal(gray_kernel.kernel, np.repeat(get_kernel("sobel_x")[..., None], 3, 2))


@pytest.mark.parametrize("image, kernel, message", [
    (np.zeros((6, 6, 3)), np.ones((3, 3, 2)), "square k×k or k×k×3"),
    (np.zeros((6, 6)), np.ones((3, 3, 3)), r"square k×k array"),
    (np.zeros((6, 6)), np.ones((6, 6)), "at most 5×5"),
    (np.zeros((4, 4)), np.ones((5, 5)), "does not fit"),
    (np.zeros((13, 8)), None, "at most 12×12"),
    (np.zeros((6, 6, 4)), None, "alpha channel"),
    (np.zeros((6, 6)), np.array([[1, np.nan], [0, 1]]), "finite weights"),
])
def test_stepper_refuses_what_it_cannot_show(image, kernel, message):
    with pytest.raises(ValueError, match=message):
        ConvolutionStepper(image, kernel)


def test_stepper_animation_for_the_static_site():
    st = ConvolutionStepper(np.arange(16).reshape(4, 4), np.ones((3, 3)))
    html = st.to_html(alt="a 3×3 kernel steps over a 4×4 image").data
    assert 'alt="a 3×3 kernel steps over a 4×4 image"' in html
    assert html.count("data:image/png;base64") >= 4  # one frame per output cell
    assert st.position.value == 0  # left where it was
    with pytest.raises(ValueError, match="at most 12×12"):
        ConvolutionStepper(np.zeros((20, 20)))


@pytest.mark.parametrize(("k", "s", "p"), [(3, 1, 0), (3, 2, 1), (5, 2, 2), (1, 3, 0), (7, 1, 0)])
def test_stride_padding_explorer_formula_equals_conv(k, s, p):
    ex = StridePaddingExplorer(n=7)
    with ex.batch():
        ex.kernel_size.value, ex.stride.value, ex.padding.value = k, s, p
    assert ex.formula_size == (7 + 2 * p - k) // s + 1
    assert ex.conv_shape == (ex.formula_size, ex.formula_size)


def test_stride_padding_explorer_kernel_too_big():
    ex = StridePaddingExplorer(n=3)
    ex.kernel_size.value = 7
    assert ex.formula_size is None and ex.conv_shape is None
    assert ex._ax_out.get_title() == "no output"


def test_relu_explorer_bias_zeroes_negatives():
    resp = np.linspace(-1, 1, 100, dtype=np.float32).reshape(10, 10)
    ex = ReluExplorer(resp)
    assert ex.fraction_zero == 0.5
    ex.bias.value = -0.5
    np.testing.assert_allclose(ex.post, np.maximum(resp - 0.5, 0), atol=1e-6)
    assert ex.fraction_zero == pytest.approx(0.75, abs=0.01)
    np.testing.assert_allclose(ex._im_post.get_array(), ex.post)


def test_pooling_explorer_modes_and_sizes():
    fmap = np.random.default_rng(3).random((12, 18)).astype(np.float32)
    ex = PoolingExplorer(fmap)
    np.testing.assert_array_equal(ex.output, max_pool2d(fmap, 2, 2))
    with ex.batch():
        ex.size.value, ex.stride.value, ex.mode.value = 3, 1, "average"
    np.testing.assert_allclose(ex.output, avg_pool2d(fmap, 3, 1), atol=1e-6)
    assert "10×16" in ex._ax_out.get_title()


def test_softmax_explorer_bars_follow_sliders():
    from utils.activations import softmax
    from utils.widgets import SoftmaxExplorer

    ex = SoftmaxExplorer(["a", "b", "c"], logits=[1.0, 2.0, 0.0])
    np.testing.assert_allclose(ex.probabilities, softmax(np.array([1.0, 2.0, 0.0])))
    assert [round(b.get_height(), 6) for b in ex._bars] == [round(p, 6) for p in ex.probabilities]
    ex.logits[0].value = 4.0
    assert ex.probabilities.argmax() == 0 and "prediction: a" in ex._ax.get_title()
    ex.temperature.value = 10.0
    assert ex.probabilities.max() < 0.45  # hot: nearly uniform
    assert abs(ex.probabilities.sum() - 1) < 1e-12
    with pytest.raises(ValueError, match="between 2 and 10"):
        SoftmaxExplorer(["only"])
    with pytest.raises(ValueError, match="3 logits for 2 classes"):
        SoftmaxExplorer(["a", "b"], logits=[1, 2, 3])


def test_feature_map_explorer_switches_layers_and_channels():
    from utils.widgets import FeatureMapExplorer

    rng = np.random.default_rng(0)
    maps = {"early": rng.random((8, 8, 4)), "deep": rng.random((2, 2, 16))}
    ex = FeatureMapExplorer(np.zeros((16, 16, 3), np.uint8), maps)
    ex.channel.value = 3
    np.testing.assert_array_equal(ex.current, maps["early"][..., 3])
    ex.layer.value = "deep"
    assert ex.channel.max == 15
    ex.channel.value = 12
    np.testing.assert_array_equal(ex._im.get_array(), maps["deep"][..., 12])
    assert "channel 12 of 16" in ex._ax_map.get_title()
    with pytest.raises(ValueError, match="maps is empty"):
        FeatureMapExplorer(np.zeros((4, 4, 3), np.uint8), {})


def test_shared_gray_sample_and_cat_edges():
    from utils.conv import conv2d
    from utils.widgets._base import cat_edges, gray_sample

    gray = gray_sample("cat", (30, 45))
    assert gray.shape == (30, 45) and gray.dtype == np.float32 and not gray.flags.writeable
    assert gray_sample("cat", (30, 45)) is gray  # cached
    np.testing.assert_allclose(cat_edges((30, 45)),
                               conv2d(gray, get_kernel("sobel_x"), padding="same"))


# --- display on ipywidgets 7 (Colab) and 8 --------------------------------------------------

import ipywidgets  # noqa: E402
from IPython.core.formatters import DisplayFormatter  # noqa: E402

from utils.widgets import (  # noqa: E402
    FeatureMapExplorer,
    PhotoClassifier,
    SoftmaxExplorer,
    widget_view,
)

WIDGET_FACTORIES = {
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


@pytest.mark.parametrize("name", sorted(WIDGET_FACTORIES))
def test_every_widget_displays_live_with_a_png_fallback(name):
    widget = WIDGET_FACTORIES[name]()
    data = _format(widget)
    view = data["application/vnd.jupyter.widget-view+json"]
    assert view == {"version_major": 2, "version_minor": 0, "model_id": widget.widget.model_id}
    assert base64.b64decode(data["image/png"]).startswith(b"\x89PNG")


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
