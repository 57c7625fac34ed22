"""utils.widgets.live: the configs the book's in-browser widgets are built from."""

from __future__ import annotations

import base64
import html
import json
import re

import numpy as np
import pytest

from utils.kernels import get_kernel
from utils.widgets import (
    ConvolutionStepper,
    KernelEditor,
    PixelInspector,
    PoolingExplorer,
    SoftmaxExplorer,
)
from utils.widgets.live import encode_float32, encode_uint8, kernel_name, live_html

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg==")


def _config(markup: str) -> dict:
    found = re.search(r'<script type="application/json" class="p2p-config">(.*?)</script>',
                      markup, flags=re.S)
    return json.loads(found.group(1).replace("<\\/", "</"))


def test_encoders_round_trip():
    image = np.arange(12, dtype=np.uint8).reshape(3, 4)
    assert np.frombuffer(base64.b64decode(encode_uint8(image)), np.uint8).tolist() == list(range(12))
    values = np.array([[0.5, -1.25], [3.0, 1e-3]])
    back = np.frombuffer(base64.b64decode(encode_float32(values)), "<f4").reshape(2, 2)
    np.testing.assert_array_equal(back, values.astype(np.float32))


@pytest.mark.parametrize(("func", "bad", "message"), [
    (encode_uint8, np.zeros((2, 2), np.float32), "2-D uint8"),
    (encode_uint8, np.zeros((2, 2, 3), np.uint8), "2-D uint8"),
    (encode_float32, np.zeros(3), "2-D array of numbers"),
    (encode_float32, np.array([["a"]]), "2-D array of numbers"),
])
def test_encoders_reject_what_the_widgets_cannot_read(func, bad, message):
    with pytest.raises(ValueError, match=message):
        func(bad)


def test_kernel_name_finds_named_kernels_only():
    assert kernel_name(get_kernel("sharpen")) == "sharpen"
    assert kernel_name(np.full((3, 3), 7.0)) is None


def test_live_html_holds_snapshot_alt_and_safe_config():
    markup = live_html("softmax-explorer", {"classes": ["</script>", "b"]}, PNG, 'a "quoted" alt')
    assert markup.startswith('<div class="p2p-live" data-widget="softmax-explorer">')
    assert 'alt="a &quot;quoted&quot; alt"' in markup
    assert markup.count("</script>") == 1  # the config cannot close its own script tag
    assert _config(markup) == {"classes": ["</script>", "b"]}
    img = re.search(r'src="data:image/png;base64,([^"]+)"', markup).group(1)
    assert base64.b64decode(img).startswith(b"\x89PNG")


@pytest.mark.parametrize(("args", "message"), [
    (("slider", {}, PNG, "alt"), "Unknown live widget"),
    (("kernel-editor", {}, PNG, "  "), "alt is empty"),
    (("kernel-editor", {}, b"GIF89a", "alt"), "not PNG"),
])
def test_live_html_rejects_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        live_html(*args)


def test_kernel_editor_config_is_its_photo_and_kernel():
    editor = KernelEditor(preset="sharpen", size=32)
    config = _config(editor._repr_mimebundle_()["text/html"])
    pixels = np.frombuffer(base64.b64decode(config["pixels"]), np.uint8).reshape(32, 32)
    np.testing.assert_allclose(pixels / 255, editor.image, atol=0.5 / 255 + 1e-7)
    np.testing.assert_allclose(config["kernel"], editor.kernel)
    assert config["preset"] == "sharpen"


def test_stepper_pooling_and_softmax_configs_follow_their_controls():
    stepper = ConvolutionStepper()
    stepper.position.value = 9
    config = _config(stepper._repr_mimebundle_()["text/html"])
    assert config["position"] == 9 and config["kernel"] == "vertical_edge"
    assert "kernels" not in config  # a named kernel: the page's menu offers every named kernel
    custom = _config(ConvolutionStepper(kernel=np.full((3, 3), 2.0))._repr_mimebundle_()["text/html"])
    assert custom["kernels"] == {"this kernel": [[2.0] * 3] * 3}
    np.testing.assert_array_equal(config["image"], stepper.image)
    stepper.kernel_choice.value = "sobel_y"
    assert _config(stepper._repr_mimebundle_()["text/html"])["kernel"] == "sobel_y"
    patch = np.arange(6 * 6 * 3).reshape(6, 6, 3) % 255
    rgb = _config(ConvolutionStepper(patch, np.ones((3, 3, 3)))._repr_mimebundle_()["text/html"])
    assert np.shape(rgb["image"]) == (6, 6, 3) and np.shape(rgb["kernels"]["this kernel"]) == (3, 3, 3)
    rgb_named = _config(ConvolutionStepper(patch, "sobel_x")._repr_mimebundle_()["text/html"])
    assert rgb_named["kernel"] == "sobel_x" and "kernels" not in rgb_named  # the page repeats it

    pooling = PoolingExplorer(np.arange(24, dtype=np.float32).reshape(4, 6))
    pooling.mode.value, pooling.size.value = "average", 3
    config = _config(pooling._repr_mimebundle_()["text/html"])
    assert (config["h"], config["w"], config["mode"], config["size"]) == (4, 6, "average", 3)

    softmax = SoftmaxExplorer(["a", "b"], logits=[1.0, -1.0])
    softmax.temperature.value = 2.0
    markup = softmax._repr_mimebundle_()["text/html"]
    assert _config(markup) == {"classes": ["a", "b"], "logits": [1.0, -1.0], "temperature": 2.0}
    assert "a 73%" in html.unescape(markup)  # the alt text states the probabilities


def test_widgets_without_a_browser_version_show_only_their_snapshot():
    bundle = PixelInspector(np.zeros((20, 20, 3), np.uint8), size=4)._repr_mimebundle_()
    assert "text/html" not in bundle and "image/png" in bundle


def test_smallest_png_uses_a_palette_only_when_it_pays():
    import io

    from PIL import Image

    from utils.widgets.live import smallest_png

    rng = np.random.default_rng(0)
    photo = (np.linspace(0, 255, 200)[None, :, None] + rng.normal(0, 20, (150, 200, 3)))
    buffer = io.BytesIO()
    Image.fromarray(np.clip(photo, 0, 255).astype(np.uint8)).save(buffer, format="png")
    small = smallest_png(buffer.getvalue())
    assert len(small) < 0.8 * len(buffer.getvalue())
    assert Image.open(io.BytesIO(small)).mode == "P"
    assert smallest_png(PNG) == PNG  # a 1-pixel gray image: nothing to gain
    buffer = io.BytesIO()
    Image.new("RGBA", (50, 50), (255, 0, 0, 100)).save(buffer, format="png")
    assert smallest_png(buffer.getvalue()) == buffer.getvalue()  # transparency is kept


def test_smallest_png_shrinks_to_the_displayed_width():
    import io

    from PIL import Image

    from utils.widgets.live import smallest_png

    buffer = io.BytesIO()
    Image.fromarray(np.random.default_rng(1).integers(0, 256, (100, 1000, 3), np.uint8)).save(
        buffer, format="png")
    assert Image.open(io.BytesIO(smallest_png(buffer.getvalue(), max_width=500))).size == (500, 50)
