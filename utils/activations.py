"""Activation functions and their derivatives, as NumPy one-liners.

The chapters compare them: ReLU keeps positive responses and zeroes the
rest; sigmoid and tanh squash everything into a band and their gradients
vanish far from zero.
"""

from __future__ import annotations

import numpy as np

from utils._validate import check_numbers as _check_numbers

__all__ = ["relu", "relu_grad", "leaky_relu", "sigmoid", "sigmoid_grad", "tanh", "tanh_grad",
           "softmax", "ACTIVATIONS"]


def _numbers(x: object, name: str = "x") -> np.ndarray:
    return _check_numbers(x, name=name)


def relu(x: np.ndarray) -> np.ndarray:
    """``max(0, x)``, element-wise (NaN stays NaN).

    Examples
    --------
    >>> relu(np.array([-2.0, 0.0, 3.0]))
    array([0., 0., 3.])
    """
    return np.maximum(_numbers(x), 0)


def relu_grad(x: np.ndarray) -> np.ndarray:
    """Derivative of ReLU: 1 where ``x > 0``, else 0.

    Examples
    --------
    >>> relu_grad(np.array([-2.0, 0.5, 3.0]))
    array([0., 1., 1.])
    """
    return (_numbers(x) > 0).astype(np.float64)


def leaky_relu(x: np.ndarray, alpha: float = 0.2) -> np.ndarray:
    """``x`` where positive, ``alpha * x`` elsewhere.

    ``alpha`` defaults to 0.2, as the function ``keras.activations.leaky_relu``
    (the layer ``keras.layers.LeakyReLU`` defaults to 0.3).

    Examples
    --------
    >>> leaky_relu(np.array([-2.0, 3.0]))
    array([-0.4,  3. ])
    >>> leaky_relu(np.array([-2.0, 3.0]), alpha=0.3)   # Keras LeakyReLU layer's default
    array([-0.6,  3. ])
    """
    x = _numbers(x)
    return np.where(x > 0, x, alpha * x)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """``1 / (1 + e^-x)``: squashes into (0, 1); computed without overflow.

    Examples
    --------
    >>> sigmoid(np.array([-1000.0, 0.0, 2.0])).round(3)
    array([0.   , 0.5  , 0.881])
    """
    x = _numbers(x).astype(np.float64)
    out = np.empty_like(x)
    pos = x >= 0
    out[pos] = 1 / (1 + np.exp(-x[pos]))
    e = np.exp(x[~pos])
    out[~pos] = e / (1 + e)
    return out


def sigmoid_grad(x: np.ndarray) -> np.ndarray:
    """Derivative of the sigmoid, ``σ(x)(1 − σ(x))``: at most 0.25.

    Examples
    --------
    >>> float(sigmoid_grad(np.array(0.0)))
    0.25
    """
    s = sigmoid(x)
    return s * (1 - s)


def tanh(x: np.ndarray) -> np.ndarray:
    """Hyperbolic tangent: squashes into (−1, 1).

    Examples
    --------
    >>> tanh(np.array([-1.0, 0.0, 1.0])).round(3)
    array([-0.762,  0.   ,  0.762])
    """
    return np.tanh(_numbers(x))


def tanh_grad(x: np.ndarray) -> np.ndarray:
    """Derivative of tanh, ``1 − tanh(x)²``: at most 1, tiny far from 0.

    Examples
    --------
    >>> tanh_grad(np.array([0.0, 3.0])).round(3)
    array([1.  , 0.01])
    """
    return 1 - np.tanh(_numbers(x)) ** 2


def softmax(scores: np.ndarray, temperature: float = 1.0, axis: int = -1) -> np.ndarray:
    """Turn scores (logits) into probabilities: ``e^(s/T) / Σ e^(s/T)`` along ``axis``.

    The largest score is subtracted first, which changes nothing mathematically
    but keeps ``exp`` from overflowing. ``temperature`` T > 1 flattens the
    distribution, T < 1 sharpens it.

    Infinite scores get their limit: a score of +inf takes all the probability
    (shared equally if several are +inf), −inf gets probability 0. A NaN score,
    or a row whose scores are all −inf, has no probabilities: ``ValueError``.

    Examples
    --------
    >>> softmax(np.array([2.0, 1.0, 0.1])).round(3)
    array([0.659, 0.242, 0.099])
    >>> softmax(np.array([2.0, 1.0, 0.1]), temperature=10).round(3)
    array([0.366, 0.331, 0.303])
    >>> softmax(np.array([1.0, np.inf]))
    array([0., 1.])
    """
    if isinstance(temperature, bool) or not isinstance(temperature, (int, float, np.number)):
        raise TypeError(f"temperature must be a number, got {temperature!r}.")
    if not np.isfinite(temperature) or temperature <= 0:
        raise ValueError(f"temperature must be a positive finite number, got {temperature}.")
    z = _numbers(scores, "scores").astype(np.float64) / temperature
    if z.size == 0:
        raise ValueError("scores is empty; pass at least one score.")
    if np.isnan(z).any():
        where = tuple(int(i) for i in np.argwhere(np.isnan(z))[0])
        raise ValueError(f"scores contains NaN at index {where}: a NaN score has no probability. "
                         "Find where the NaN comes from (e.g. a division by zero) and pass finite scores.")
    top = z.max(axis=axis, keepdims=True)
    if np.isneginf(top).any():
        raise ValueError("every score of a row is -inf: they have no probabilities; pass at least "
                         "one finite score per row.")
    if np.isposinf(top).any():  # the limit: +inf scores share the probability
        winners = np.isposinf(z)
        rows = np.isposinf(top)
        finite = np.where(rows, 0.0, z - np.where(rows, 0.0, top))
        e = np.where(rows, winners.astype(np.float64), np.exp(finite))
        return e / e.sum(axis=axis, keepdims=True)
    e = np.exp(z - top)
    return e / e.sum(axis=axis, keepdims=True)


#: name -> (function, derivative), for plots and widgets.
ACTIVATIONS = {"relu": (relu, relu_grad), "sigmoid": (sigmoid, sigmoid_grad),
               "tanh": (tanh, tanh_grad)}
