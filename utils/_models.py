"""What the gradient-based tools share: a classifier's class scores before its softmax."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["class_scores"]


def class_scores(model: Callable, x):
    """``model``'s class scores before its final softmax (its output if it has none).

    A Keras model ending in ``Dense(..., activation="softmax")``, a
    ``Softmax`` layer or an ``Activation("softmax")`` gives the scores that
    softmax would turn into probabilities (the logits); nested models are
    followed to their last layer. A plain callable is called as it is.
    Gradients of logits do not fade when softmax saturates, as those of
    probabilities near 0 or 1 do.

    Examples
    --------
    >>> import keras, numpy as np
    >>> net = keras.Sequential([keras.Input((2,)), keras.layers.Dense(2, activation="softmax")])
    >>> net.set_weights([np.eye(2, dtype="float32"), np.zeros(2, "float32")])
    >>> np.asarray(class_scores(net, np.array([[3.0, -1.0]], "float32")))
    array([[ 3., -1.]], dtype=float32)
    """
    import keras

    layers = getattr(model, "layers", None)
    if not layers:
        return model(x, training=False)
    for layer in layers[:-1]:
        x = layer(x, training=False)
    last = layers[-1]
    if isinstance(last, keras.layers.Dense) and last.activation is keras.activations.softmax:
        return keras.ops.matmul(x, last.kernel) + (last.bias if last.use_bias else 0)
    if isinstance(last, keras.layers.Activation) and last.activation is keras.activations.softmax:
        return x
    if isinstance(last, keras.layers.Softmax):
        return x
    return class_scores(last, x)
