"""utils.pretrained: MobileNetV2 with its scaling layer, ImageNet names, receptive fields."""

from __future__ import annotations

import numpy as np
import pytest


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


def test_mobilenet_takes_pixels_and_scales_them_as_keras_preprocess_input_does():
    import keras

    from utils.pretrained import mobilenet_v2

    net = mobilenet_v2(0.35)
    assert net.layers[1].name == "pixels_to_unit_range"
    reference = keras.applications.MobileNetV2(input_shape=(224, 224, 3), alpha=0.35,
                                               include_top=False, weights=None)
    reference.set_weights(net.get_weights())
    pixels = np.random.default_rng(0).integers(0, 256, (2, 224, 224, 3)).astype("float32")
    ours = keras.ops.convert_to_numpy(net(pixels))
    theirs = keras.ops.convert_to_numpy(
        reference(keras.applications.mobilenet_v2.preprocess_input(pixels.copy())))
    np.testing.assert_allclose(ours, theirs, atol=1e-4)


def test_mobilenet_any_input_size_uses_the_same_weights():
    from utils.pretrained import mobilenet_v2

    small, full = mobilenet_v2(0.35, input_size=96), mobilenet_v2(0.35)
    assert small.output_shape == (None, 3, 3, 1280)
    for a, b in zip(small.get_weights(), full.get_weights()):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="at least 32"):
        mobilenet_v2(0.35, input_size=16)
