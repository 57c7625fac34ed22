"""utils.gradcam on a synthetic case with a known answer; utils.pretrained; the upload widget."""

from __future__ import annotations

import datetime
import io

import numpy as np
import pytest
from PIL import Image


@pytest.fixture(scope="module")
def toy_net():
    """features: identity 1×1 conv (the image itself); head: GAP -> Dense(+1 / -1)."""
    import keras

    features = keras.Sequential([keras.Input((16, 16, 1)),
                                 keras.layers.Conv2D(1, 1, use_bias=False, kernel_initializer="ones")])
    head = keras.Sequential([keras.Input((16, 16, 1)), keras.layers.GlobalAveragePooling2D(),
                             keras.layers.Dense(2, activation="softmax")])
    head.layers[-1].set_weights([np.array([[4.0, -4.0]], np.float32), np.zeros(2, np.float32)])
    return features, head


def test_grad_cam_finds_the_bright_square(toy_net):
    from utils.gradcam import grad_cam

    image = np.zeros((16, 16, 1), np.float32)
    image[10:13, 3:6] = 1.0  # the evidence for class 0
    heatmap, cls = grad_cam(*toy_net, image)
    assert cls == 0 and heatmap.shape == (16, 16)
    assert heatmap.max() == 1.0
    assert np.unravel_index(heatmap.argmax(), heatmap.shape)[0] in range(10, 13)
    assert heatmap[10:13, 3:6].min() == 1.0 and heatmap[:8].max() == 0.0  # only the square
    other, cls1 = grad_cam(*toy_net, image, class_index=1)
    assert cls1 == 1 and other.max() == 0.0  # nothing speaks for class 1
    with pytest.raises(ValueError, match="class_index must be in"):
        grad_cam(*toy_net, image, class_index=5)


def test_grad_cam_uses_the_score_before_softmax_so_confident_maps_do_not_fade(toy_net):
    """A very confident prediction: the probability's gradient vanishes (float32), the logit's does not."""
    import keras
    import tensorflow as tf

    from utils.gradcam import _scores, grad_cam

    features, head = toy_net
    image = np.zeros((16, 16, 1), np.float32)
    image[2:14, 2:14] = 60.0  # evidence so strong that softmax saturates at exactly 1.0
    maps = features(tf.constant(image[None]))
    with tf.GradientTape() as tape:
        tape.watch(maps)
        probability = head(maps)[0, 0]
    assert float(probability) == 1.0 and not np.any(tape.gradient(probability, maps).numpy())
    logits = keras.ops.convert_to_numpy(_scores(head, maps))
    np.testing.assert_allclose(logits[0], [4 * image.mean(), -4 * image.mean()], rtol=1e-5)
    heatmap, cls = grad_cam(features, head, image)
    assert cls == 0 and heatmap.max() == 1.0  # still shows where the evidence is
    assert heatmap[2:14, 2:14].min() == 1.0 and heatmap[0].max() == 0.0
    nested = keras.Sequential([keras.Input((16, 16, 1)), keras.layers.Identity(), head])
    np.testing.assert_allclose(keras.ops.convert_to_numpy(_scores(nested, maps)), logits, rtol=1e-6)


def test_overlay_heatmap_blends_and_resizes():
    from utils.gradcam import overlay_heatmap

    photo = np.full((40, 60, 3), 100, np.uint8)
    heat = np.zeros((4, 6), np.float32)
    heat[0, 0] = 1.0
    out = overlay_heatmap(photo, heat, alpha=0.5)
    assert out.shape == (40, 60, 3) and out.dtype == np.uint8
    assert out[0, 0].sum() > out[-1, -1].sum()  # hot corner is brighter
    with pytest.raises(ValueError, match="alpha"):
        overlay_heatmap(photo, heat, alpha=2)


def test_receptive_field_of_stacked_convolutions():
    import keras

    from utils.pretrained import receptive_field

    model = keras.Sequential([keras.Input((32, 32, 1)),
                              keras.layers.Conv2D(2, 3, padding="same", name="c1"),
                              keras.layers.Conv2D(2, 3, padding="same", name="c2"),
                              keras.layers.Conv2D(2, 3, strides=2, padding="same", name="c3"),
                              keras.layers.Conv2D(2, 3, padding="same", name="c4")])
    assert receptive_field(model, "c1") == (3, 3)
    assert receptive_field(model, "c2") == (5, 5)
    assert receptive_field(model, "c4") == (11, 11)  # 7 after c3, +2×2 after the stride


def test_pretrained_mobilenet_and_class_names():
    from utils.pretrained import imagenet_class_names, mobilenet_v2

    names = imagenet_class_names()
    assert len(names) == 1000 and names[309] == "bee" and names[310] == "ant"
    net = mobilenet_v2(0.35)
    assert net.output_shape == (None, 7, 7, 1280) and net.count_params() == 410_208
    with pytest.raises(ValueError, match="alpha must be one of"):
        mobilenet_v2(1.0)


def _jpeg(size=(50, 40), colour=(200, 30, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, colour).save(buf, format="jpeg")
    return buf.getvalue()


@pytest.fixture
def classifier():
    from utils.widgets import PhotoClassifier

    def predict(batch):
        assert batch.shape == (1, 32, 32, 3) and batch.dtype == np.uint8
        red = batch[..., 0].mean() / 255
        return np.array([[red, 1 - red]])

    return PhotoClassifier(predict, ["red", "not red"], image_size=(32, 32),
                           max_pixels=1_000_000, max_bytes=200_000)


def _send_upload(upload, name: str, content: bytes) -> None:
    """Set the upload widget's state as the browser does, for ipywidgets 7 (Colab) or 8."""
    import ipywidgets

    if ipywidgets.__version__.startswith("7."):
        upload.set_trait("metadata", [{"name": name, "type": "image/jpeg", "size": len(content),
                                       "lastModified": 0}])
        upload.set_trait("data", [content])
        upload._counter += 1  # what the 7.x front end bumps once the files are sent
    else:
        upload.value = ({"name": name, "type": "image/jpeg", "size": len(content),
                         "content": memoryview(content),
                         "last_modified": datetime.datetime(2026, 1, 1)},)


def test_upload_of_a_photo_shows_probabilities(classifier):
    png_before = classifier.view.value
    _send_upload(classifier.upload, "apple.jpg", _jpeg())
    assert classifier.probabilities is not None and classifier.probabilities.argmax() == 0
    assert "apple.jpg" in classifier.message.value and "red" in classifier.message.value
    assert classifier.view.value != png_before
    assert classifier._bars[0].get_width() == pytest.approx(classifier.probabilities[0])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"this is a text file, not a picture", "is text, not an image"),
        (_jpeg()[:300], "corrupt or truncated"),
        (b"\xff" * 300_000, "MB limit"),
    ],
    ids=["text", "truncated", "too-big"],
)
def test_upload_errors_say_what_to_do(classifier, data, message):
    assert classifier.classify_bytes(data, "upload.png") is None
    assert "Could not use upload.png" in classifier.message.value
    assert message in classifier.message.value
    assert classifier.probabilities is None


def test_upload_of_a_huge_image_is_refused(classifier):
    buf = io.BytesIO()
    Image.new("L", (2000, 1000)).save(buf, format="png")  # 2 MP > the 1 MP limit set above
    assert classifier.classify_bytes(buf.getvalue(), "huge.png") is None
    assert "megapixels" in classifier.message.value
