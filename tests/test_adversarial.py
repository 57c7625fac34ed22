"""utils.adversarial: FGSM on a linear classifier, where the answer is known in closed form."""

from __future__ import annotations

import numpy as np
import pytest


@pytest.fixture(scope="module")
def linear():
    """A softmax regression on 4×4×1 images: logits = x·W + b, W known."""
    import keras

    rng = np.random.default_rng(0)
    weights = rng.normal(size=(16, 3)).astype(np.float32)
    bias = np.array([0.1, -0.2, 0.05], np.float32)
    model = keras.Sequential([keras.Input((4, 4, 1)), keras.layers.Flatten(),
                              keras.layers.Dense(3, activation="softmax")])
    model.set_weights([weights, bias])
    return model, weights, bias


@pytest.fixture(scope="module")
def images():
    return np.random.default_rng(1).uniform(0.2, 0.8, size=(5, 4, 4, 1)).astype(np.float32)


def _probabilities(x, weights, bias):
    z = x.reshape(len(x), -1) @ weights + bias
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def test_input_gradient_is_the_closed_form_of_softmax_regression(linear, images):
    from utils.adversarial import input_gradient

    model, weights, bias = linear
    labels = np.array([0, 1, 2, 0, 1])
    p = _probabilities(images, weights, bias)
    expected = (p - np.eye(3)[labels]) @ weights.T  # d loss / d x = W (p - onehot)
    got = input_gradient(model, images, labels, batch_size=2)
    assert got.shape == images.shape and got.dtype == np.float32
    np.testing.assert_allclose(got.reshape(5, -1), expected, rtol=1e-4, atol=1e-6)


def test_fgsm_direction_is_the_sign_of_the_weights_for_two_classes():
    """Two classes: the gradient for label 0 is p1 (w1 - w0), so FGSM moves by sign(w1 - w0)."""
    import keras

    from utils.adversarial import fgsm

    weights = np.array([[1.0, -1.0], [-2.0, 2.0], [0.5, 3.0], [4.0, 1.0]], np.float32)
    model = keras.Sequential([keras.Input((2, 2, 1)), keras.layers.Flatten(),
                              keras.layers.Dense(2, activation="softmax")])
    model.set_weights([weights, np.zeros(2, np.float32)])
    x = np.full((1, 2, 2, 1), 0.5, np.float32)
    away = fgsm(model, x, [0], 0.1)
    np.testing.assert_allclose((away - x).ravel(), 0.1 * np.sign(weights[:, 1] - weights[:, 0]),
                               rtol=1e-5)
    towards = fgsm(model, x, [1], 0.1, targeted=True)  # towards class 1 = away from class 0
    np.testing.assert_allclose(towards, away, rtol=1e-6)


def test_fgsm_changes_no_pixel_by_more_than_epsilon_and_stays_in_range(linear, images):
    from utils.adversarial import fgsm

    model, _, _ = linear
    out = fgsm(model, images, [0, 1, 2, 0, 1], 0.5)
    assert np.abs(out - images).max() <= 0.5 + 1e-6
    assert out.min() >= 0 and out.max() <= 1  # clipped to value_range
    moved = np.abs(out - images)
    assert np.all(np.isclose(moved, 0.5) | (out == 0) | (out == 1))  # ε, unless stopped by a bound


def test_fgsm_on_0_to_255_pixels_moves_each_by_epsilon_levels(linear, images):
    """The same classifier taking 0–255 pixels (weights / 255): ε = 2 moves each pixel 2 levels."""
    import keras

    from utils.adversarial import fgsm

    _, weights, bias = linear
    model = keras.Sequential([keras.Input((4, 4, 1)), keras.layers.Flatten(),
                              keras.layers.Dense(3, activation="softmax")])
    model.set_weights([weights / 255, bias])
    pixels = fgsm(model, images * 255, [0, 1, 2, 0, 1], 2, value_range=(0, 255))
    np.testing.assert_allclose(np.abs(pixels - images * 255), 2, atol=1e-3)


def test_fgsm_raises_the_loss_and_targeted_fgsm_lowers_the_targets(linear, images):
    from utils.adversarial import fgsm

    model, weights, bias = linear
    labels = np.array([0, 1, 2, 0, 1])
    before = _probabilities(images, weights, bias)[np.arange(5), labels]
    after = _probabilities(fgsm(model, images, labels, 0.05), weights, bias)[np.arange(5), labels]
    assert np.all(after < before)
    targets = np.array([2, 2, 0, 1, 0])
    before = _probabilities(images, weights, bias)[np.arange(5), targets]
    after = _probabilities(fgsm(model, images, targets, 0.05, targeted=True), weights, bias)
    assert np.all(after[np.arange(5), targets] > before)


def test_fgsm_steps_is_fgsm_at_each_epsilon_in_the_order_given(linear, images):
    from utils.adversarial import fgsm, fgsm_steps

    model = linear[0]
    epsilons = [0.1, 0.0, 0.03]
    for targeted, label in [(False, 1), (True, 2)]:
        steps = fgsm_steps(model, images[0], label, epsilons, targeted=targeted)
        assert steps.shape == (3, 4, 4, 1) and steps.dtype == np.float32
        for step, epsilon in zip(steps, epsilons):
            np.testing.assert_allclose(step, fgsm(model, images[:1], [label], epsilon,
                                                  targeted=targeted)[0], atol=1e-7)


def test_fgsm_steps_says_what_was_wrong(linear, images):
    from utils.adversarial import fgsm_steps

    with pytest.raises(ValueError, match="epsilons is empty"):
        fgsm_steps(linear[0], images[0], 0, [])
    with pytest.raises(ValueError, match="epsilon must be a number >= 0"):
        fgsm_steps(linear[0], images[0], 0, [0.1, -0.1])
    with pytest.raises(ValueError, match=r"class indices 0\.\.2"):
        fgsm_steps(linear[0], images[0], 3, [0.1])


def test_gradient_survives_a_saturated_softmax():
    """A probability of exactly 1.0 in float32: the loss on the logits still has a gradient."""
    import keras

    from utils.adversarial import input_gradient

    model = keras.Sequential([keras.Input((1, 1, 2)), keras.layers.Flatten(),
                              keras.layers.Dense(2, activation="softmax")])
    model.set_weights([np.array([[10.0, -10.0], [0.0, 0.0]], np.float32), np.zeros(2, np.float32)])
    x = np.ones((1, 1, 1, 2), np.float32)
    assert float(model(x)[0, 0]) == 1.0
    grad = input_gradient(model, x, [0])
    assert grad[0, 0, 0, 0] < 0  # lowering the first pixel is the way to hurt class 0


def test_smallest_flip_epsilon_matches_the_closed_form():
    """logit0 - logit1 = 0.2 - 6 eps for this model and image: it flips once eps > 1/30."""
    import keras

    from utils.adversarial import smallest_flip_epsilon

    model = keras.Sequential([keras.Input((1, 1, 2)), keras.layers.Flatten(),
                              keras.layers.Dense(2, activation="softmax")])
    model.set_weights([np.array([[1.0, -1.0], [-2.0, 2.0]], np.float32), np.zeros(2, np.float32)])
    image = np.array([[[0.5, 0.2]]], np.float32)
    assert smallest_flip_epsilon(model, image, 0, [0.1, 0.05, 0.03, 0.034]) == pytest.approx(0.034)
    assert smallest_flip_epsilon(model, image, 0, [0.01, 0.02]) is None


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda f, m, x: f(m, x[0], [0], 0.1), ValueError, r"batch N×H×W×C.*image\[None\]"),
        (lambda f, m, x: f(m, x, [0, 1], 0.1), ValueError, "must be 1 integers"),
        (lambda f, m, x: f(m, x, [0.0], 0.1), ValueError, "one class index per image"),
        (lambda f, m, x: f(m, x, [5], 0.1), ValueError, r"class indices 0\.\.2"),
        (lambda f, m, x: f(m, x, [0], -0.1), ValueError, "epsilon must be a number >= 0"),
        (lambda f, m, x: f(m, x, [0], float("nan")), ValueError, "epsilon must be a number >= 0"),
        (lambda f, m, x: f(m, x * 255, [0], 2), ValueError, r"value_range=\(0, 255\)"),
        (lambda f, m, x: f(m, x, [0], 0.1, value_range=(1, 0)), ValueError, "low < high"),
        (lambda f, m, x: f(m, x, [0], 0.1, value_range=5), TypeError, r"\(low, high\)"),
        (lambda f, m, x: f(m, x.astype(str), [0], 0.1), TypeError, "array of numbers"),
        (lambda f, m, x: f(m, np.where(x > 0.5, np.nan, x), [0], 0.1), ValueError, "finite"),
    ],
)
def test_fgsm_says_what_was_wrong(linear, images, call, error, message):
    from utils.adversarial import fgsm

    with pytest.raises(error, match=message):
        call(fgsm, linear[0], images[:1])


def test_smallest_flip_epsilon_needs_candidates_and_one_image(linear, images):
    from utils.adversarial import smallest_flip_epsilon

    with pytest.raises(ValueError, match="epsilons is empty"):
        smallest_flip_epsilon(linear[0], images[0], 0, [])
    with pytest.raises(ValueError, match="batch"):
        smallest_flip_epsilon(linear[0], images, 0, [0.1])
