"""Pretrained ImageNet networks from Keras Applications, through the verified data layer.

The weights are fetched (or found offline) and checked by ``utils.data``
before Keras loads them from its own cache. Only the no-top MobileNet files
at 224×224 are registered: that is what the course uses.
"""

from __future__ import annotations

import json

import numpy as np

from utils.data import fetch

__all__ = ["mobilenet_v2", "imagenet_class_names", "receptive_field"]

_ALPHAS = (0.35, 0.5)


def mobilenet_v2(alpha: float = 0.5):
    """MobileNetV2 without its classifier (``include_top=False``), ImageNet weights, 224×224×3.

    Inputs must be preprocessed with
    ``keras.applications.mobilenet_v2.preprocess_input`` (pixels to [-1, 1]).
    """
    if alpha not in _ALPHAS:
        raise ValueError(f"alpha must be one of {_ALPHAS} (the weights the course registers), "
                         f"got {alpha}.")
    fetch(f"weights/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_{alpha}_224_no_top.h5")
    import keras

    return keras.applications.MobileNetV2(input_shape=(224, 224, 3), alpha=alpha,
                                          include_top=False, weights="imagenet")


def imagenet_class_names() -> list[str]:
    """The 1000 ImageNet class names, in the order of a classifier's outputs."""
    with open(fetch("imagenet_class_index.json")) as f:
        index = json.load(f)
    return [index[str(i)][1] for i in range(len(index))]


def receptive_field(model, layer_name: str) -> tuple[int, int]:
    """Measure how many input rows and columns one unit of ``layer_name`` depends on.

    Takes the gradient of the unit at the centre of the layer's output with
    respect to the input (a random image, so that no gradient is zero by
    accident, as a blank image's could be) and returns the size of the region
    where it is non-zero, clipped to the input size.
    """
    import keras
    import tensorflow as tf

    probe = keras.Model(model.inputs, model.get_layer(layer_name).output)
    shape = (1, *model.input_shape[1:])
    x = tf.Variable(tf.random.stateless_uniform(shape, seed=(0, 0)))
    with tf.GradientTape() as tape:
        out = probe(x, training=False)
        centre = out[0, out.shape[1] // 2, out.shape[2] // 2, :]
        total = tf.reduce_sum(centre)
    grad = np.abs(tape.gradient(total, x).numpy()[0]).sum(axis=-1)
    rows, cols = np.nonzero(grad > 0)
    if rows.size == 0:
        return 0, 0
    return int(rows.max() - rows.min() + 1), int(cols.max() - cols.min() + 1)
