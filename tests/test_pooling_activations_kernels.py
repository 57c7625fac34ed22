"""utils.pooling and utils.activations equal Keras; utils.kernels is well-formed."""

from __future__ import annotations

import numpy as np
import pytest

from utils import activations
from utils.kernels import circle_kernel, gaussian_kernel, get_kernel, list_kernels
from utils.pooling import avg_pool2d, global_avg_pool, global_max_pool, max_pool2d

RNG = np.random.default_rng(7)


def test_max_pool_on_the_course_example():
    x = np.array([[1, 3, 2, 1], [4, 6, 5, 0], [3, 1, 1, 2], [0, 2, 4, 3]])
    np.testing.assert_array_equal(max_pool2d(x), [[6, 5], [3, 4]])
    np.testing.assert_allclose(avg_pool2d(x), [[3.5, 2.0], [1.5, 2.5]])


@pytest.mark.parametrize(("size", "stride"), [(2, None), (3, 1), (2, 1), (3, 2), ((2, 3), None),
                                             ((3, 2), (1, 2))])
def test_pooling_equals_keras(size, stride):
    import keras

    x = RNG.normal(size=(9, 11, 4)).astype(np.float32)
    for ours, layer in [(max_pool2d, keras.layers.MaxPooling2D),
                        (avg_pool2d, keras.layers.AveragePooling2D)]:
        ref = np.asarray(layer(pool_size=size, strides=stride)(x[None]))[0]
        got = ours(x, size, stride)
        assert got.shape == ref.shape
        assert np.abs(got - ref).max() < 1e-6


def test_global_pooling_equals_keras():
    import keras

    x = RNG.normal(size=(7, 7, 16)).astype(np.float32)
    ref = np.asarray(keras.layers.GlobalAveragePooling2D()(x[None]))[0]
    assert global_avg_pool(x).shape == (16,)
    assert np.abs(global_avg_pool(x) - ref).max() < 1e-6
    ref_max = np.asarray(keras.layers.GlobalMaxPooling2D()(x[None]))[0]
    np.testing.assert_allclose(global_max_pool(x), ref_max)


def test_pooling_errors():
    with pytest.raises(ValueError, match="4×4 pooling window is larger than the 3×3 input"):
        max_pool2d(np.ones((3, 3)), 4)
    with pytest.raises(ValueError, match="int or \\(rows, columns\\)"):
        max_pool2d(np.ones((3, 3)), (1, 2, 3))
    with pytest.raises(ValueError, match="stride must be at least 1"):
        avg_pool2d(np.ones((4, 4)), 2, 0)
    with pytest.raises(ValueError, match="H×W×C"):
        global_avg_pool(np.ones((4, 4)))


def test_activations_equal_keras():
    import keras

    x = np.linspace(-8, 8, 101).astype(np.float32)
    np.testing.assert_allclose(activations.relu(x), keras.activations.relu(x), atol=1e-6)
    np.testing.assert_allclose(activations.sigmoid(x), keras.activations.sigmoid(x), atol=1e-6)
    np.testing.assert_allclose(activations.tanh(x), keras.activations.tanh(x), atol=1e-6)
    np.testing.assert_allclose(activations.leaky_relu(x),
                               keras.activations.leaky_relu(x, negative_slope=0.2), atol=1e-6)


def test_activation_gradients_match_finite_differences():
    x, h = np.linspace(-5, 5, 41) + 0.013, 1e-6
    for name, (f, df) in activations.ACTIVATIONS.items():
        numeric = (f(x + h) - f(x - h)) / (2 * h)
        np.testing.assert_allclose(df(x), numeric, atol=1e-5, err_msg=name)
    assert activations.sigmoid_grad(0.0) == 0.25
    assert np.isfinite(activations.sigmoid(np.array([-1000.0, 1000.0]))).all()


@pytest.mark.parametrize("name", list_kernels())
def test_named_kernels(name):
    k = get_kernel(name)
    assert k.dtype == np.float32 and k.shape[0] == k.shape[1] and k.shape[0] % 2 == 1
    if name in ("box_blur", "gaussian_blur", "identity", "sharpen"):
        assert abs(k.sum() - 1) < 1e-6  # keep overall brightness
    if "edge" in name or "sobel" in name or name in ("laplacian", "circle"):
        assert abs(k.sum()) < 1e-5  # flat areas give 0
    k[0, 0] = 99
    assert get_kernel(name)[0, 0] != 99  # a fresh copy each time


def test_kernel_errors():
    with pytest.raises(ValueError, match="No kernel called 'blurry'"):
        get_kernel("blurry")
    with pytest.raises(ValueError, match="odd"):
        gaussian_kernel(4)
    with pytest.raises(ValueError, match="odd"):
        circle_kernel(6)
    with pytest.raises(ValueError, match="sigma"):
        gaussian_kernel(3, 0)


def test_softmax_equals_keras_and_is_stable():
    import keras

    scores = RNG.normal(size=(5, 10)).astype(np.float32)
    np.testing.assert_allclose(activations.softmax(scores), keras.activations.softmax(scores),
                               atol=1e-6)
    p = activations.softmax(np.array([1000.0, 0.0]))
    assert np.isfinite(p).all() and p[0] == 1.0
    np.testing.assert_allclose(activations.softmax(np.array([2.0, 0.0]), temperature=2),
                               activations.softmax(np.array([1.0, 0.0])))
    with pytest.raises(ValueError, match="temperature must be a positive"):
        activations.softmax(np.array([1.0]), temperature=0)


def test_softmax_of_infinite_scores_is_the_limit_without_warnings():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_array_equal(activations.softmax(np.array([1.0, np.inf, 2.0])), [0, 1, 0])
        np.testing.assert_array_equal(activations.softmax(np.array([[np.inf, np.inf, 0.0]])),
                                      [[0.5, 0.5, 0.0]])
        np.testing.assert_array_equal(activations.softmax(np.array([-np.inf, 0.0])), [0, 1])
        rows = activations.softmax(np.array([[np.inf, 0.0], [1.0, 1.0]]))
        np.testing.assert_array_equal(rows, [[1, 0], [0.5, 0.5]])


@pytest.mark.parametrize("scores, message", [
    ([np.nan, 1.0], r"NaN at index \(0,\)"),
    ([-np.inf, -np.inf], "all -inf|every score of a row is -inf"),
])
def test_softmax_refuses_scores_without_probabilities(scores, message):
    with pytest.raises(ValueError, match=message):
        activations.softmax(np.array(scores))


@pytest.mark.parametrize("temperature, error", [(0, ValueError), (np.nan, ValueError),
                                                 (np.inf, ValueError), ("2", TypeError)])
def test_softmax_temperature_must_be_positive_and_finite(temperature, error):
    with pytest.raises(error, match="temperature"):
        activations.softmax(np.array([1.0, 2.0]), temperature=temperature)


@pytest.mark.parametrize("fn", [activations.relu, activations.relu_grad, activations.leaky_relu,
                                activations.sigmoid, activations.sigmoid_grad, activations.tanh,
                                activations.tanh_grad, activations.softmax])
def test_activations_refuse_what_is_not_numbers(fn):
    with pytest.raises(TypeError, match="must hold numbers"):
        fn(np.array(["a", "b"]))
