"""Adversarial examples: the fast gradient sign method (FGSM, Goodfellow et al., 2015).

The gradient of a classifier's loss with respect to its *input* says, for
every pixel, which way to nudge it to make the answer worse. FGSM moves every
pixel by the same small amount ``epsilon`` in that direction::

    x_adv = clip(x + epsilon * sign(grad_x loss(model(x), label)))

A *targeted* attack steps the other way on the loss of a chosen class, towards
it. The loss is taken on the class scores before softmax (see
:func:`utils._models.class_scores`), so that confidently classified images,
whose probabilities saturate at 1 in float32, still get a gradient.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence

import numpy as np

from utils._models import class_scores
from utils._validate import check_finite, check_image, check_positive_int

__all__ = ["input_gradient", "fgsm", "fgsm_steps", "smallest_flip_epsilon"]


def _images_and_labels(images: np.ndarray, labels: Sequence[int] | np.ndarray,
                       value_range: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(images, (list, tuple)):
        images = np.asarray(images)
    if not isinstance(images, np.ndarray) or images.dtype.kind not in "uif":
        raise TypeError(f"images must be a numpy array of numbers, got "
                        f"{getattr(images, 'dtype', type(images).__name__)}.")
    if images.ndim != 4 or not images.size:
        raise ValueError(f"images must be a non-empty batch N×H×W×C, got shape {images.shape}; "
                         f"for one image pass image[None].")
    images = check_finite(images.astype(np.float32), name="images")
    low, high = _value_range(value_range)
    if (images.min() < low or images.max() > high):
        raise ValueError(f"images hold values from {images.min():g} to {images.max():g}, outside "
                         f"value_range {(low, high)}; pass value_range=(0, 255) for 0–255 pixels, "
                         f"(0, 1) for pixels scaled to [0, 1].")
    labels = np.asarray(labels)
    if labels.shape != (len(images),) or not np.issubdtype(labels.dtype, np.integer):
        raise ValueError(f"labels must be {len(images)} integers, one class index per image, "
                         f"got {labels.dtype} with shape {labels.shape}.")
    return images, labels.astype(np.int64)


def _value_range(value_range: tuple[float, float]) -> tuple[float, float]:
    try:
        low, high = (float(v) for v in value_range)
    except (TypeError, ValueError):
        raise TypeError(f"value_range must be (low, high), e.g. (0, 1), got {value_range!r}.") from None
    if not low < high:
        raise ValueError(f"value_range must be (low, high) with low < high, got {value_range!r}.")
    return low, high


def _epsilon(epsilon: float) -> float:
    if not isinstance(epsilon, (int, float, np.integer, np.floating)) or not np.isfinite(epsilon) \
            or epsilon < 0:
        raise ValueError(f"epsilon must be a number >= 0 in the images' units (e.g. 2 / 255 for "
                         f"two levels of [0, 1] pixels), got {epsilon!r}.")
    return float(epsilon)


def _step(images: np.ndarray, gradient: np.ndarray, epsilon: float | np.ndarray, targeted: bool,
          low: float, high: float) -> np.ndarray:
    """``images`` moved by ``epsilon`` up the sign of ``gradient`` (down it if ``targeted``),
    clipped to ``[low, high]``; ``epsilon`` is a number or one value per image (``K×1×1×1``)."""
    step = -epsilon if targeted else epsilon
    return np.clip(np.asarray(images, np.float32) + step * np.sign(gradient), low, high).astype(np.float32)


def input_gradient(model: Callable, images: np.ndarray, labels: Sequence[int] | np.ndarray, *,
                   value_range: tuple[float, float] = (0.0, 1.0), batch_size: int = 32) -> np.ndarray:
    """The gradient of the cross-entropy loss for ``labels`` with respect to each image.

    ``images`` is a batch ``N×H×W×C`` in ``value_range``, ``labels`` one class
    index per image. Returns ``float32`` of the images' shape: for each pixel,
    how fast the loss grows as that pixel grows.

    Examples
    --------
    >>> import keras
    >>> linear = keras.Sequential([keras.Input((1, 1, 2)), keras.layers.Flatten(),
    ...                            keras.layers.Dense(2, activation="softmax")])
    >>> linear.set_weights([np.array([[1.0, -1.0], [-2.0, 2.0]], "float32"), np.zeros(2, "float32")])
    >>> np.sign(input_gradient(linear, np.full((1, 1, 1, 2), 0.5), [0])).ravel()
    array([-1.,  1.], dtype=float32)
    """
    import tensorflow as tf

    images, labels = _images_and_labels(images, labels, value_range)
    batch_size = check_positive_int(batch_size, name="batch_size")
    classes = np.asarray(class_scores(model, tf.constant(images[:1]))).shape
    if len(classes) != 2 or labels.min() < 0 or labels.max() >= classes[-1]:
        raise ValueError(f"the model gives scores of shape {classes}; labels must be class "
                         f"indices 0..{classes[-1] - 1}, got {labels.min()}..{labels.max()}.")
    gradient = _gradient_function(model)
    out = np.empty(images.shape, np.float32)  # filled batch by batch: no second copy
    for i in range(0, len(images), batch_size):
        out[i:i + batch_size] = gradient(tf.constant(images[i:i + batch_size]),
                                         tf.constant(labels[i:i + batch_size])).numpy()
    return out


_GRADIENTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _gradient_function(model: Callable) -> Callable:
    """The input gradient of ``model``'s loss as a TensorFlow graph, traced once per model.

    A graph keeps only the activations the gradient needs (an eager tape keeps
    all of them: several times the memory) and is reused by later calls.
    """
    try:
        return _GRADIENTS[model]
    except (KeyError, TypeError):
        pass
    import keras
    import tensorflow as tf

    @tf.function(reduce_retracing=True)
    def gradient(x, y):
        with tf.GradientTape() as tape:
            tape.watch(x)
            loss = keras.losses.sparse_categorical_crossentropy(y, class_scores(model, x),
                                                                from_logits=True)
        return tape.gradient(loss, x)

    try:
        _GRADIENTS[model] = gradient
    except TypeError:  # not weak-referenceable: trace again next time
        pass
    return gradient


def fgsm(model: Callable, images: np.ndarray, labels: Sequence[int] | np.ndarray, epsilon: float,
         *, targeted: bool = False, value_range: tuple[float, float] = (0.0, 1.0),
         batch_size: int = 32) -> np.ndarray:
    """Fast gradient sign images: every pixel moved by ``epsilon`` against ``labels``.

    Untargeted, ``labels`` are the true classes and each pixel moves by
    ``+epsilon`` in the sign of the loss's gradient (away from the label).
    With ``targeted=True``, ``labels`` are the classes to reach and the step
    is ``-epsilon`` times the sign (towards them). The result is clipped to
    ``value_range``, so no pixel changes by more than ``epsilon``.

    Examples
    --------
    >>> import keras
    >>> linear = keras.Sequential([keras.Input((1, 1, 2)), keras.layers.Flatten(),
    ...                            keras.layers.Dense(2, activation="softmax")])
    >>> linear.set_weights([np.array([[1.0, -1.0], [-2.0, 2.0]], "float32"), np.zeros(2, "float32")])
    >>> fgsm(linear, np.full((1, 1, 1, 2), 0.5), [0], 0.1).ravel()
    array([0.4, 0.6], dtype=float32)
    """
    epsilon = _epsilon(epsilon)
    low, high = _value_range(value_range)
    grad = input_gradient(model, images, labels, value_range=(low, high), batch_size=batch_size)
    return _step(images, grad, epsilon, targeted, low, high)


def fgsm_steps(model: Callable, image: np.ndarray, label: int, epsilons: Sequence[float], *,
               targeted: bool = False, value_range: tuple[float, float] = (0.0, 1.0)) -> np.ndarray:
    """:func:`fgsm` of one ``H×W×C`` image at each of ``epsilons``, from one gradient.

    The FGSM direction does not depend on ``epsilon``, so the gradient is
    computed once. Returns ``float32`` ``K×H×W×C``, one image per epsilon in
    the order given; ``label`` and ``targeted`` are as in :func:`fgsm`.

    Examples
    --------
    >>> import keras
    >>> linear = keras.Sequential([keras.Input((1, 1, 2)), keras.layers.Flatten(),
    ...                            keras.layers.Dense(2, activation="softmax")])
    >>> linear.set_weights([np.array([[1.0, -1.0], [-2.0, 2.0]], "float32"), np.zeros(2, "float32")])
    >>> fgsm_steps(linear, np.full((1, 1, 2), 0.5), 0, [0.0, 0.1, 0.2]).reshape(3, 2)
    array([[0.5, 0.5],
           [0.4, 0.6],
           [0.3, 0.7]], dtype=float32)
    """
    image = check_image(image, ndims=(3,), channels=None)
    steps = np.array([_epsilon(e) for e in epsilons], np.float32)
    if not steps.size:
        raise ValueError("epsilons is empty; pass the values to try, e.g. np.arange(1, 21) / 255.")
    low, high = _value_range(value_range)
    grad = input_gradient(model, image[None], [label], value_range=(low, high))
    return _step(image[None], grad, steps[:, None, None, None], targeted, low, high)


def smallest_flip_epsilon(model: Callable, image: np.ndarray, label: int,
                          epsilons: Sequence[float], *,
                          value_range: tuple[float, float] = (0.0, 1.0)) -> float | None:
    """The smallest of ``epsilons`` whose FGSM image ``model`` no longer calls ``label``.

    ``image`` is one ``H×W×C`` image. The candidates come from
    :func:`fgsm_steps` (one gradient) and are classified in one batch.
    Returns ``None`` if none of them flips the label.

    Examples
    --------
    >>> import keras
    >>> linear = keras.Sequential([keras.Input((1, 1, 2)), keras.layers.Flatten(),
    ...                            keras.layers.Dense(2, activation="softmax")])
    >>> linear.set_weights([np.array([[1.0, -1.0], [-2.0, 2.0]], "float32"), np.zeros(2, "float32")])
    >>> smallest_flip_epsilon(linear, np.array([[[0.5, 0.2]]]), 0, [0.01, 0.02, 0.05, 0.1])
    0.05
    """
    candidates = sorted(_epsilon(e) for e in epsilons)
    batch = fgsm_steps(model, image, label, candidates, value_range=value_range)
    predicted = np.asarray(model(batch, training=False))
    flipped = np.flatnonzero(predicted.argmax(axis=-1) != label)
    return candidates[flipped[0]] if len(flipped) else None
