"""utils.widgets.convolution: kernel editor, convolution stepper, stride/padding explorer."""

from __future__ import annotations

import numpy as np
import pytest

from figure_view import cell_numbers, outlines, panel, shown, titles
from utils.conv import conv2d
from utils.kernels import get_kernel
from utils.preprocess import minmax_normalize
from utils.widgets import (
    ConvolutionStepper,
    KernelEditor,
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
    np.testing.assert_allclose(shown(panel(ed, "feature map")), minmax_normalize(expected), atol=1e-6)
    assert ed.figure is figure_before  # updated in place, never rebuilt


def test_kernel_editor_single_slider_and_normalise_toggle():
    ed = KernelEditor(size=32, preset="identity")
    png = ed.view.value
    ed.sliders[4].value = 2.0  # centre weight: doubles every pixel
    np.testing.assert_allclose(ed.output, 2 * ed.image, atol=1e-6)
    ed.normalise.value = False
    np.testing.assert_allclose(shown(panel(ed, "feature map")), np.clip(2 * ed.image, 0, 1), atol=1e-6)
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
    written = cell_numbers(panel(st, "output"))
    assert written[1, 3] == f"{full[1, 3]:g}" and (1, 4) not in written
    assert f"sum = {full[1, 3]:g}" in panel(st, "window × kernel").get_title()


def test_stepper_kernel_menu_changes_the_whole_walk():
    st = ConvolutionStepper()
    assert "sobel_x" in st.kernel_choice.options and "this kernel" not in st.kernel_choice.options
    st.position.value = 9
    st.kernel_choice.value = "sobel_x"
    np.testing.assert_array_equal(st.kernel, get_kernel("sobel_x"))
    np.testing.assert_array_equal(st.full_output, conv2d(st.image, get_kernel("sobel_x")))
    assert st.products.sum() == st.full_output[1, 3]
    assert cell_numbers(panel(st, "kernel"))[0, 0] == f"{get_kernel('sobel_x')[0, 0]:.3g}"
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
    assert " + " in panel(st, "output").get_title()
    assert [t.split(":")[0] for t in titles(st) if "window × kernel" in t] == ["red", "green", "blue"]
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
    artists = [(ax, ax.images[0]) for ax in ex.figure.axes]
    ex.kernel_size.value = 7
    assert ex.formula_size is None and ex.conv_shape is None
    assert titles(ex)[1] == "no output"
    assert not outlines(ex.figure.axes[0])   # no window drawn where no window fits
    ex.kernel_size.value = 3                  # back to a kernel that fits: drawn again, same figure
    assert outlines(ex.figure.axes[0]) == [(-0.5, -0.5)] and "conv2d gives 1×1" in titles(ex)[1]
    assert [(ax, ax.images[0]) for ax in ex.figure.axes] == artists   # changed in place, not rebuilt
    assert shown(ex.figure.axes[0]).max() == ex.INPUT_SHADE > ex.PADDING_SHADE
