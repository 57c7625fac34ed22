"""utils.activations equal Keras; softmax's edge cases are defined."""

from __future__ import annotations

import numpy as np
import pytest

from utils import activations

RNG = np.random.default_rng(7)


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
