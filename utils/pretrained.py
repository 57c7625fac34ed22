"""Pretrained ImageNet networks from Keras Applications, through the verified data layer.

The weights are fetched (or found offline) and checked by ``utils.data``,
then Keras loads that verified file. Only the no-top MobileNet files
at 224×224 are registered: that is what the course uses.
"""

from __future__ import annotations

import json

import numpy as np

from utils._validate import check_positive_int
from utils.data import fetch

__all__ = ["mobilenet_v2", "imagenet_class_names", "receptive_field"]

_ALPHAS = (0.35, 0.5)


def mobilenet_v2(alpha: float = 0.5, *, input_size: int = 224):
    """MobileNetV2 without its classifier (``include_top=False``), with ImageNet weights.

    The model takes RGB pixels from 0 to 255, ``input_size×input_size×3``,
    as :func:`utils.preprocess.photo_to_input` makes them. Its first layer,
    ``pixels_to_unit_range``, scales them to ``[-1, 1]`` (what
    ``keras.applications.mobilenet_v2.preprocess_input`` does), so training
    and prediction cannot scale differently. The convolutional weights do not
    depend on the image size: the 224×224 ones are used for any
    ``input_size`` from 32 (smaller inputs give smaller feature maps).

    Examples
    --------
    >>> net = mobilenet_v2(0.35)                    # doctest: +SKIP
    >>> net.output_shape                            # doctest: +SKIP
    (None, 7, 7, 1280)
    """
    if alpha not in _ALPHAS:
        raise ValueError(f"alpha must be one of {_ALPHAS} (the weights the course registers), "
                         f"got {alpha}.")
    size = check_positive_int(input_size, name="input_size")
    if size < 32:
        raise ValueError(f"input_size must be at least 32 (MobileNetV2 halves the size five "
                         f"times), got {size}; resize the photos with photo_to_input first.")
    weights = fetch(f"weights/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_{alpha}_224_no_top.h5")
    import keras

    pixels = keras.Input((size, size, 3), name="pixels")
    scaled = keras.layers.Rescaling(1 / 127.5, offset=-1, name="pixels_to_unit_range")(pixels)
    net = keras.applications.MobileNetV2(input_tensor=scaled, alpha=alpha, include_top=False,
                                         weights=str(weights))
    return keras.Model(pixels, net.output, name=net.name)  # one input tensor, not a list of one


def imagenet_class_names() -> list[str]:
    """The 1000 ImageNet class names, in the order of a classifier's outputs.

    Examples
    --------
    >>> names = imagenet_class_names()        # doctest: +SKIP
    >>> len(names), names[309], names[310]   # doctest: +SKIP
    (1000, 'bee', 'ant')
    """
    with open(fetch("imagenet_class_index.json")) as f:
        index = json.load(f)
    return [index[str(i)][1] for i in range(len(index))]


def receptive_field(model, layer_name: str) -> tuple[int, int]:
    """Measure how many input rows and columns one unit of ``layer_name`` depends on.

    Takes the gradient of the unit at the centre of the layer's output with
    respect to the input (a random image of 0–255 pixels, so that no gradient is zero by
    accident, as a blank image's could be) and returns the size of the region
    where it is non-zero, clipped to the input size.

    Examples
    --------
    >>> receptive_field(mobilenet_v2(0.5), "block_1_expand_relu")   # doctest: +SKIP
    (7, 7)
    """
    import keras
    import tensorflow as tf

    probe = keras.Model(model.inputs, model.get_layer(layer_name).output)
    shape = (1, *model.input_shape[1:])
    x = tf.Variable(tf.random.stateless_uniform(shape, seed=(0, 0), maxval=255))
    with tf.GradientTape() as tape:
        out = probe(x, training=False)
        centre = out[0, out.shape[1] // 2, out.shape[2] // 2, :]
        total = tf.reduce_sum(centre)
    grad = np.abs(tape.gradient(total, x).numpy()[0]).sum(axis=-1)
    rows, cols = np.nonzero(grad > 0)
    if rows.size == 0:
        return 0, 0
    return int(rows.max() - rows.min() + 1), int(cols.max() - cols.min() + 1)
