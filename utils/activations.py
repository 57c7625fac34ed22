"""Activation functions and their derivatives, as NumPy one-liners.

The chapters compare them: ReLU keeps positive responses and zeroes the
rest; sigmoid and tanh squash everything into a band and their gradients
vanish far from zero.
"""

from __future__ import annotations

import numpy as np

__all__ = ["relu", "relu_grad", "leaky_relu", "sigmoid", "sigmoid_grad", "tanh", "tanh_grad",
           "softmax", "ACTIVATIONS"]


def relu(x: np.ndarray) -> np.ndarray:
    """``max(0, x)``, element-wise."""
    return np.maximum(x, 0)


def relu_grad(x: np.ndarray) -> np.ndarray:
    """Derivative of ReLU: 1 where ``x > 0``, else 0."""
    return (np.asarray(x) > 0).astype(np.float64)


def leaky_relu(x: np.ndarray, alpha: float = 0.2) -> np.ndarray:
    """``x`` where positive, ``alpha * x`` elsewhere (Keras's default ``alpha`` is 0.2)."""
    x = np.asarray(x)
    return np.where(x > 0, x, alpha * x)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """``1 / (1 + e^-x)``: squashes into (0, 1); computed without overflow."""
    x = np.asarray(x, dtype=np.float64)
    out = np.empty_like(x)
    pos = x >= 0
    out[pos] = 1 / (1 + np.exp(-x[pos]))
    e = np.exp(x[~pos])
    out[~pos] = e / (1 + e)
    return out


def sigmoid_grad(x: np.ndarray) -> np.ndarray:
    """Derivative of the sigmoid, ``σ(x)(1 − σ(x))``: at most 0.25."""
    s = sigmoid(x)
    return s * (1 - s)


def tanh(x: np.ndarray) -> np.ndarray:
    """Hyperbolic tangent: squashes into (−1, 1)."""
    return np.tanh(x)


def tanh_grad(x: np.ndarray) -> np.ndarray:
    """Derivative of tanh, ``1 − tanh(x)²``: at most 1, tiny far from 0."""
    return 1 - np.tanh(x) ** 2


def softmax(scores: np.ndarray, temperature: float = 1.0, axis: int = -1) -> np.ndarray:
    """Turn scores (logits) into probabilities: ``e^(s/T) / Σ e^(s/T)`` along ``axis``.

    The largest score is subtracted first, which changes nothing mathematically
    but keeps ``exp`` from overflowing. ``temperature`` T > 1 flattens the
    distribution, T < 1 sharpens it.
    """
    if temperature <= 0:
        raise ValueError(f"temperature must be positive, got {temperature}.")
    z = np.asarray(scores, dtype=np.float64) / temperature
    if z.size == 0:
        raise ValueError("scores is empty; pass at least one score.")
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


#: name -> (function, derivative), for plots and widgets.
ACTIVATIONS = {"relu": (relu, relu_grad), "sigmoid": (sigmoid, sigmoid_grad),
               "tanh": (tanh, tanh_grad)}
