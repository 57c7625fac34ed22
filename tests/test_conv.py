"""utils.conv equals scipy.signal.correlate2d and Keras/TensorFlow's convolution."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.signal import correlate2d

from utils.conv import conv2d, output_size, same_padding

RNG = np.random.default_rng(42)
CASES = list(itertools.product([1, 2], ["valid", "same", 1], [1, 3], [1, 4], [3, 4]))


def test_output_size_rule():
    assert output_size(10, 4) == 7  # the course's example: 10×10 input, 4×4 filter, stride 1
    assert output_size(224, 3, stride=2, padding=1) == 112
    assert output_size(5, 5) == 1
    with pytest.raises(ValueError, match="does not fit"):
        output_size(3, 5)
    with pytest.raises(ValueError, match="stride must be at least 1"):
        output_size(10, 3, stride=0)


def test_same_padding_matches_tensorflow_rule():
    assert same_padding(10, 3, 1) == (1, 1)
    assert same_padding(10, 3, 2) == (0, 1)  # extra zero goes after
    assert same_padding(7, 4, 1) == (1, 2)


@pytest.mark.parametrize("padding", ["valid", "same", 2])
def test_2d_equals_scipy_correlate2d(padding):
    image = RNG.normal(size=(13, 17))
    kernel = RNG.normal(size=(3, 3))
    ours = conv2d(image, kernel, padding=padding)
    if padding == "valid":
        ref = correlate2d(image, kernel, mode="valid")
    elif padding == "same":
        ref = correlate2d(image, kernel, mode="same")
    else:
        ref = correlate2d(np.pad(image, 2), kernel, mode="valid")
    assert ours.shape == ref.shape
    assert np.abs(ours - ref).max() < 1e-10


def test_colour_kernel_sums_over_channels():
    image = RNG.normal(size=(9, 11, 3))
    kernel = RNG.normal(size=(3, 3, 3))
    ref = sum(correlate2d(image[..., c], kernel[..., c], mode="valid") for c in range(3))
    assert np.abs(conv2d(image, kernel) - ref).max() < 1e-10


def _keras_conv(image3, kernel4, stride, padding):
    import keras

    k = kernel4.shape[0]
    pad_layer = None
    if isinstance(padding, int):
        pad_layer, padding = keras.layers.ZeroPadding2D(padding), "valid"
    layer = keras.layers.Conv2D(kernel4.shape[-1], k, strides=stride, padding=padding,
                                use_bias=False)
    x = image3[None].astype(np.float32)
    if pad_layer is not None:
        x = pad_layer(x)
    layer.build(x.shape)
    layer.set_weights([kernel4.astype(np.float32)])
    return np.asarray(layer(x))[0]


@pytest.mark.parametrize(("stride", "padding", "channels", "filters", "k"), CASES)
def test_equals_keras_conv2d_and_tf_nn_conv2d(stride, padding, channels, filters, k):
    import tensorflow as tf

    image = RNG.normal(size=(12, 15, channels)).astype(np.float32)
    kernel = RNG.normal(size=(k, k, channels, filters)).astype(np.float32)
    ours = conv2d(image, kernel, stride=stride, padding=padding)
    keras_out = _keras_conv(image, kernel, stride, padding)
    assert ours.shape == keras_out.shape
    assert np.abs(ours - keras_out).max() < 1e-5

    tf_padding = padding.upper() if isinstance(padding, str) else [[0, 0], [padding] * 2,
                                                                     [padding] * 2, [0, 0]]
    tf_out = tf.nn.conv2d(image[None], kernel, strides=stride, padding=tf_padding).numpy()[0]
    assert np.abs(ours - tf_out).max() < 1e-5


def test_shapes_for_every_layout():
    assert conv2d(np.ones((6, 6)), np.ones((3, 3))).shape == (4, 4)
    assert conv2d(np.ones((6, 6)), np.ones((3, 3, 5))).shape == (4, 4, 5)
    assert conv2d(np.ones((6, 6, 3)), np.ones((3, 3, 3))).shape == (4, 4)
    assert conv2d(np.ones((6, 6, 3)), np.ones((3, 3, 3, 2))).shape == (4, 4, 2)
    assert conv2d(np.ones((10, 10)), np.ones((4, 4))).shape == (7, 7)
    assert conv2d(np.ones((10, 10), np.float32), np.ones((3, 3), np.float32)).dtype == np.float32


@pytest.mark.parametrize(
    ("image", "kernel", "kwargs", "error", "message"),
    [
        (np.ones((6, 6)), np.ones((3, 2)), {}, ValueError, "square"),
        (np.ones((6, 6, 3)), np.ones((3, 3, 1)), {}, ValueError, "3 channels.*k×k×3"),
        (np.ones((6, 6)), np.ones((3,)), {}, ValueError, "2-D kernel"),
        (np.ones((6, 6)), np.ones((3, 3)), {"stride": 0}, ValueError, "stride must be at least 1"),
        (np.ones((6, 6)), np.ones((3, 3)), {"padding": "full"}, ValueError, "'valid', 'same'"),
        (np.ones((2, 2)), np.ones((3, 3)), {}, ValueError, "does not fit"),
        (np.ones((6, 6)), np.array([["a"]]), {}, TypeError, "numbers"),
    ],
)
def test_clear_errors(image, kernel, kwargs, error, message):
    with pytest.raises(error, match=message):
        conv2d(image, kernel, **kwargs)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_a_kernel_with_nan_or_inf_is_refused_with_where_it_is(bad):
    kernel = np.ones((3, 3))
    kernel[1, 2] = bad
    with pytest.raises(ValueError, match=r"kernel contains .* at index \(1, 2\); pass finite weights"):
        conv2d(np.ones((5, 5)), kernel)


def test_a_padding_too_large_to_allocate_is_refused_before_allocating():
    with pytest.raises(ValueError, match=r"29\.1 TiB.*padding='same' or a padding of at most 2"):
        conv2d(np.ones((300, 451)), np.ones((3, 3)), padding=10**6)
    assert conv2d(np.ones((5, 5)), np.ones((3, 3)), padding=4).shape == (11, 11)  # large is fine
